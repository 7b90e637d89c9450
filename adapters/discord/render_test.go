package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func newTestBot(t *testing.T) *bot.Bot {
	t.Helper()
	base, err := facts.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(base)
}

// TestGolden compares the embed JSON for typical replies with
// testdata/*.golden. The fact base may change; run go test -update then,
// and review the diff.
func TestGolden(t *testing.T) {
	b := newTestBot(t)
	tests := []struct {
		name, question string
		kind           bot.ReplyKind
		conflict       bool
	}{
		{"answer", "who is Ilias Chatzis?", bot.KindAnswer, false},
		{"conflict", "how long did the operation last", bot.KindAnswer, true},
		{"declined", "what is the capital of France", bot.KindDeclined, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := b.Answer(context.Background(), bot.Question{Text: tt.question, Frontend: "discord"})
			if err != nil {
				t.Fatal(err)
			}
			if r.Kind != tt.kind || r.Conflict != tt.conflict {
				t.Fatalf("the fact base now answers %q with kind %s, conflict %v; pick another question", tt.question, r.Kind, r.Conflict)
			}
			msg := render(r)
			if msg.Content != "" || len(msg.Embeds) != 1 {
				t.Fatalf("render: content %q, %d embeds", msg.Content, len(msg.Embeds))
			}
			checkLimits(t, msg.Embeds[0])
			got, err := json.MarshalIndent(msg.Embeds, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("embed JSON differs from %s (if the fact base changed, run go test ./adapters/discord -update and review the diff):\ngot:\n%s", path, got)
			}
		})
	}
}

func checkLimits(t *testing.T, e *discordgo.MessageEmbed) {
	t.Helper()
	if n := textLen(e.Title); n > maxTitle {
		t.Errorf("title %d > %d", n, maxTitle)
	}
	if n := textLen(e.Description); n > maxDescription {
		t.Errorf("description %d > %d", n, maxDescription)
	}
	if len(e.Fields) > maxFields {
		t.Errorf("%d fields > %d", len(e.Fields), maxFields)
	}
	for i, f := range e.Fields {
		if n := textLen(f.Name); n > maxFieldName || n == 0 {
			t.Errorf("field %d name length %d", i, n)
		}
		if n := textLen(f.Value); n > maxFieldValue || n == 0 {
			t.Errorf("field %d value length %d", i, n)
		}
	}
	if n := embedLen(e); n > maxEmbedTotal {
		t.Errorf("embed total %d > %d", n, maxEmbedTotal)
	}
}

func TestRenderKinds(t *testing.T) {
	b := newTestBot(t)
	for _, q := range []string{"help", "sources", "topics"} {
		t.Run(q, func(t *testing.T) {
			r, _ := b.Answer(context.Background(), bot.Question{Text: q})
			msg := render(r)
			if len(msg.Embeds) != 1 || msg.Embeds[0].Description == "" {
				t.Fatalf("render(%s) = %+v", q, msg)
			}
			checkLimits(t, msg.Embeds[0])
		})
	}
	t.Run("throttled", func(t *testing.T) {
		if msg := render(bot.Reply{Kind: bot.KindThrottled}); msg.Content != "" || msg.Embeds != nil {
			t.Errorf("throttled renders %+v, want nothing", msg)
		}
	})
	t.Run("slow down", func(t *testing.T) {
		msg := render(bot.Reply{Kind: bot.KindSlowDown, Text: bot.SlowDownText})
		if msg.Content != bot.SlowDownText || !msg.Private {
			t.Errorf("slow down renders %+v", msg)
		}
	})
}

func TestRenderHuge(t *testing.T) {
	src := &facts.Source{ID: "s", Title: strings.Repeat("long title ", 60), Publisher: "Outlet", URL: "https://example.com/a"}
	r := bot.Reply{Kind: bot.KindAnswer, Question: strings.Repeat("why ", 200), Text: strings.Repeat("an answer that goes on ", 400), Conflict: true}
	for range 40 {
		r.Citations = append(r.Citations, bot.Citation{Source: src, Quote: strings.Repeat("quoted words ", 200)})
	}
	e := render(r).Embeds[0]
	checkLimits(t, e)
	if !strings.HasSuffix(e.Title, "…") || !strings.HasSuffix(e.Description, "…") {
		t.Errorf("cut title/description should end in …: %q / …%q", e.Title[len(e.Title)-10:], e.Description[len(e.Description)-10:])
	}
	if len(e.Fields) == 0 || !strings.Contains(e.Fields[0].Value, "(https://example.com/a)") {
		t.Errorf("first field lost its link: %+v", e.Fields)
	}
	got := render(bot.Reply{Kind: bot.KindInvalid, Text: strings.Repeat("x ", 3000)})
	if n := textLen(got.Content); n > maxContent {
		t.Errorf("content %d > %d", n, maxContent)
	}
}

func TestCut(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"fits", "hello world", 11, "hello world"},
		{"at a word", "one two three four", 12, "one two…"},
		{"long word kept in part", "hello wonderful world", 12, "hello wonde…"},
		{"space at the cut", "hello world again", 7, "hello…"},
		{"drops punctuation", "one, two, three", 6, "one…"},
		{"one long word", "abcdefghij", 5, "abcd…"},
		{"multibyte", "ééééé ééééé", 8, "ééééé…"},
		{"emoji count double", "😀😀😀😀", 5, "😀😀…"},
		{"zero", "abc", 0, ""},
		{"empty", "", 3, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cut(tt.in, tt.n)
			if got != tt.want {
				t.Errorf("cut(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
			if textLen(got) > tt.n || !utf8.ValidString(got) {
				t.Errorf("cut(%q, %d) = %q: too long or invalid", tt.in, tt.n, got)
			}
		})
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "3,222 victims", "3,222 victims"},
		{"emphasis", "*a* _b_ ~c~ `d` |e|", `\*a\* \_b\_ \~c\~ \` + "`d\\`" + ` \|e\|`},
		{"quote and heading at line start", "> q\n# h\na > b", "\\> q\n\\# h\na > b"},
		{"link", "[x](y)", `\[x\](y)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escape(tt.in); got != tt.want {
				t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestQuestionText(t *testing.T) {
	users := []*discordgo.User{{ID: "100", Username: "liberterra"}, {ID: "42", Username: "bob"}}
	tests := []struct{ name, in, want string }{
		{"leading mention", "<@100> who is Ilias Chatzis?", "who is Ilias Chatzis?"},
		{"nickname mention", "<@!100>, who is Ilias Chatzis?", "who is Ilias Chatzis?"},
		{"trailing mention", "who is Ilias Chatzis? <@100>", "who is Ilias Chatzis?"},
		{"mention in the middle", "hey <@100>  what happened in Algeria", "hey what happened in Algeria"},
		{"other user named", "<@100> did <@42> ask about Mali?", "did @bob ask about Mali?"},
		{"unknown user dropped", "<@100> <@777> Mali", "Mali"},
		{"role and channel dropped", "<@100> <@&55> in <#66> Mali", "in Mali"},
		{"only the mention", "<@100>", ""},
		{"no mention", "what happened in Mali", "what happened in Mali"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := questionText(tt.in, "100", users); got != tt.want {
				t.Errorf("questionText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestEchoHidesInvisibleCharacters(t *testing.T) {
	q := "who\u200b is\u202e Chatzis\u2067?"
	for _, r := range []bot.Reply{
		{Question: q, Kind: bot.KindAnswer, Text: "He is."},
		{Question: q, Kind: bot.KindDeclined, Text: "No."},
	} {
		e := render(r).Embeds[0]
		shown := e.Title
		if e.Footer != nil {
			shown += e.Footer.Text
		}
		if strings.ContainsAny(shown, "\u200b\u202e\u2067") || !strings.Contains(shown, "who is Chatzis?") {
			t.Errorf("%s: echo %q", r.Kind, shown)
		}
	}
}
