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

// Fixed replies, written by hand, for the render goldens: the layout is
// tested apart from the fact base, which may change (the fact base's own
// goldens are the transcripts in cmd/liberterra and bot).
var (
	national = &facts.Source{ID: "the-national", Title: "Thousands rescued in Interpol's biggest operation", Publisher: "The National",
		Text: "Thousands were rescued. The five\u2011day operation\u2019s \u201cscale\u201d was *huge* & _wide_ | said [officials]. More followed."}
	unnamed = &facts.Source{ID: "unodc", Title: "UNODC supported the operation (statement, outlet not named)", Label: "UNODC statement (outlet not named)",
		Text: "It ran for a week-long stretch in 116 countries."}
	headline = &facts.Source{ID: "migrant-affairs", Title: "Operation Rescues Thousands", Publisher: "Migrant Affairs", Headline: true,
		Date: "2024-11-06", URL: "https://example.org/a", Text: "Over 3,222 were rescued."}
)

func cite(s *facts.Source, quote, sentence string) bot.Citation {
	return bot.Citation{Source: s, Quote: quote, Sentence: sentence}
}

var fixed = map[string]bot.Reply{
	"answer": {
		Question: "How many victims were rescued?", Kind: bot.KindAnswer, Confidence: 0.92, FactID: "op-victims-rescued", Visibility: bot.Public,
		Text: "Operation Liberterra II rescued 3,222 potential victims of human trafficking.",
		Citations: []bot.Citation{
			cite(headline, "Over 3,222 were rescued", "Over 3,222 were rescued."),
			cite(national, "Thousands were rescued", "Thousands were rescued."),
		},
		Related: []string{"How many victims were rescued in Mali?", "Which countries took part?"},
	},
	"conflict": {
		Question: "How long did the operation last?", Kind: bot.KindAnswer, Confidence: 0.99, FactID: "op-duration", Conflict: true, Visibility: bot.Public,
		Text: "The sources differ: The National calls it a five-day operation, the UNODC statement week-long.",
		Citations: []bot.Citation{
			cite(national, "The five-day operation's \"scale\" was *huge* & _wide_ | said [officials]", "The five-day operation's \"scale\" was *huge* & _wide_ | said [officials]."),
			cite(unnamed, "a week-long stretch", "It ran for a week-long stretch in 116 countries."),
			cite(national, "Thousands were rescued", "Thousands were rescued."),
		},
	},
	"declined": {
		Question: "What is the capital of France?", Kind: bot.KindDeclined, Visibility: bot.Public,
		Text:        "The articles don't say, so I won't guess. I answer questions about INTERPOL's Operation Liberterra II from five news articles; mention me with \"topics\" to see what I know.",
		Suggestions: []string{"Countries taking part", "What Operation Liberterra II is", "Largest-ever INTERPOL operation against trafficking and smuggling"},
	},
	"private_answer": {
		Question: "How many victims were rescued?", Kind: bot.KindAnswer, Confidence: 0.92, FactID: "op-victims-rescued", Visibility: bot.Private,
		Text:      "Operation Liberterra II rescued 3,222 potential victims of human trafficking.",
		Citations: []bot.Citation{cite(headline, "Over 3,222 were rescued", "Over 3,222 were rescued.")},
	},
}

// TestGolden compares the messages drawn for fixed replies, embeds and
// buttons, with testdata/*.golden (go test ./adapters/discord -run Golden
// -update rewrites them; review the diff).
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  renderOptions
	}{
		{"answer", renderOptions{ReplyID: "0123456789abcdef"}},
		{"conflict", renderOptions{ReplyID: "0123456789abcdef"}},
		{"declined", renderOptions{}},
		{"private_answer", renderOptions{ReplyID: "0123456789abcdef", Shareable: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg := render(fixed[tc.name], tc.opt)
			if len(msg.Embeds) != 1 {
				t.Fatalf("render: %d embeds", len(msg.Embeds))
			}
			checkLimits(t, msg.Embeds[0])
			checkComponents(t, msg.Components)
			checkGolden(t, tc.name, msg)
		})
	}
	t.Run("context", func(t *testing.T) {
		msg := renderContext(fixed["conflict"])
		checkLimits(t, msg.Embeds[0])
		checkGolden(t, "context", msg)
	})
}

func checkGolden(t *testing.T, name string, msg message) {
	t.Helper()
	got, err := json.MarshalIndent(msg, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name+".golden")
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
		t.Errorf("the message differs from %s (if the change is intended, run go test ./adapters/discord -run Golden -update and review the diff):\ngot:\n%s", path, got)
	}
}

// checkComponents fails when buttons break Discord's limits.
func checkComponents(t *testing.T, rows []discordgo.MessageComponent) {
	t.Helper()
	if len(rows) > 5 {
		t.Errorf("%d action rows", len(rows))
	}
	for _, c := range rows {
		row := c.(discordgo.ActionsRow)
		if len(row.Components) > maxRowButtons {
			t.Errorf("%d buttons in a row", len(row.Components))
		}
		for _, b := range row.Components {
			btn := b.(discordgo.Button)
			if len(btn.CustomID) > maxCustomID || btn.CustomID == "" || textLen(btn.Label) > maxButtonLabel || btn.Label == "" && btn.Emoji == nil {
				t.Errorf("button %+v", btn)
			}
		}
	}
}

// TestFaithfulQuotes: each quote is the article's, character for character
// once markdown's escapes are read; citations are numbered by source and
// tied to the list of sources; no internal id is shown.
func TestFaithfulQuotes(t *testing.T) {
	e := render(fixed["conflict"], renderOptions{}).Embeds[0]
	var names []string
	for _, f := range e.Fields {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, " | "); got != "[1] The National | [2] UNODC statement | [1] The National | Sources" {
		t.Errorf("fields %q", got)
	}
	want := "“The five\u2011day operation\u2019s \u201cscale\u201d was *huge* & _wide_ | said [officials]”"
	if got := unescape(e.Fields[0].Value); got != want {
		t.Errorf("quote shown as %q, want %q", got, want)
	}
	raw, _ := json.Marshal(e)
	for _, id := range []string{"op-duration", "the-national", "unodc", "fact "} {
		if strings.Contains(string(raw), id) {
			t.Errorf("the embed shows %q: %s", id, raw)
		}
	}
	if !strings.Contains(e.Fields[3].Value, "[2] UNODC statement (outlet not named): UNODC supported the operation (our description; no headline)") {
		t.Errorf("sources: %q", e.Fields[3].Value)
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
			msg := render(r, renderOptions{})
			if len(msg.Embeds) != 1 || msg.Embeds[0].Description == "" {
				t.Fatalf("render(%s) = %+v", q, msg)
			}
			checkLimits(t, msg.Embeds[0])
		})
	}
	t.Run("throttled", func(t *testing.T) {
		if msg := render(bot.Reply{Kind: bot.KindThrottled}, renderOptions{}); msg.Content != "" || msg.Embeds != nil {
			t.Errorf("throttled renders %+v, want nothing", msg)
		}
	})
	t.Run("slow down", func(t *testing.T) {
		msg := render(bot.Reply{Kind: bot.KindSlowDown, Text: bot.SlowDownText, Visibility: bot.Private}, renderOptions{})
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
	e := render(r, renderOptions{}).Embeds[0]
	checkLimits(t, e)
	if !strings.HasSuffix(e.Title, "…") || !strings.HasSuffix(e.Description, "…") {
		t.Errorf("cut title/description should end in …: %q / …%q", e.Title[len(e.Title)-10:], e.Description[len(e.Description)-10:])
	}
	if len(e.Fields) == 0 || !strings.Contains(e.Fields[len(e.Fields)-1].Value, "(https://example.com/a)") {
		t.Errorf("the list of sources lost its link: %+v", e.Fields[len(e.Fields)-1])
	}
	got := render(bot.Reply{Kind: bot.KindInvalid, Text: strings.Repeat("x ", 3000)}, renderOptions{})
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
		e := render(r, renderOptions{}).Embeds[0]
		shown := e.Title
		if e.Footer != nil {
			shown += e.Footer.Text
		}
		if strings.ContainsAny(shown, "\u200b\u202e\u2067") || !strings.Contains(shown, "who is Chatzis?") {
			t.Errorf("%s: echo %q", r.Kind, shown)
		}
	}
}
