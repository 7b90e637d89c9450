package slack

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var (
	botOnce sync.Once
	theBot  *bot.Bot
	botErr  error
)

// realBot is the bot on the embedded fact base.
func realBot(t *testing.T) *bot.Bot {
	t.Helper()
	botOnce.Do(func() {
		var base *facts.Base
		base, botErr = facts.Embedded()
		if botErr == nil {
			theBot = bot.New(base)
		}
	})
	if botErr != nil {
		t.Fatal(botErr)
	}
	return theBot
}

func ask(t *testing.T, q string) bot.Reply {
	t.Helper()
	r, err := realBot(t).Answer(context.Background(), bot.Question{Text: q, Frontend: "slack"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRenderGolden(t *testing.T) {
	for _, tc := range []struct {
		name, question string
		kind           bot.ReplyKind
		conflict       bool
		echo           bool
	}{
		{"answer", "How many victims were rescued?", bot.KindAnswer, false, false},
		{"conflict", "How many irregular migrants were identified?", bot.KindAnswer, true, false},
		{"declined", "What is the capital of France?", bot.KindDeclined, false, false},
		{"slash_answer", "How many victims were rescued?", bot.KindAnswer, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ask(t, tc.question)
			if r.Kind != tc.kind || r.Conflict != tc.conflict {
				t.Fatalf("%q: got kind %s conflict %v, want %s %v (has the fact base changed?)", tc.question, r.Kind, r.Conflict, tc.kind, tc.conflict)
			}
			msg := Render(r, RenderOptions{Echo: tc.echo})
			checkLimits(t, msg)
			got, err := json.MarshalIndent(msg, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", tc.name+".golden")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./adapters/slack -run TestRenderGolden -update)", err)
			}
			if string(got) != string(want) {
				t.Errorf("%s differs from the golden file; if the change is intended, run with -update.\ngot:\n%s", path, got)
			}
			switch {
			case tc.conflict && !strings.Contains(string(got), ":warning: *The sources disagree.*"):
				t.Error("conflict not flagged")
			case tc.kind == bot.KindDeclined && !strings.Contains(string(got), "You could ask about:"):
				t.Error("no suggestions")
			case tc.kind == bot.KindAnswer && !strings.Contains(string(got), `"type": "context"`):
				t.Error("no citation context block")
			}
		})
	}
}

// checkLimits fails when a message breaks Slack's limits.
func checkLimits(t *testing.T, msg Message) {
	t.Helper()
	if len(msg.Blocks) > MaxBlocks {
		t.Errorf("%d blocks", len(msg.Blocks))
	}
	raw, _ := json.Marshal(msg.Blocks)
	var blocks []struct {
		Type     string `json:"type"`
		Text     *struct{ Text string }
		Elements []struct{ Text string }
	}
	if err := json.Unmarshal(raw, &blocks); err != nil {
		t.Fatal(err)
	}
	for i, b := range blocks {
		if b.Text != nil && utf8.RuneCountInString(b.Text.Text) > MaxSectionText {
			t.Errorf("block %d: section text of %d characters", i, utf8.RuneCountInString(b.Text.Text))
		}
		for _, e := range b.Elements {
			if utf8.RuneCountInString(e.Text) > MaxContextText {
				t.Errorf("block %d: context text of %d characters", i, utf8.RuneCountInString(e.Text))
			}
		}
	}
	if utf8.RuneCountInString(msg.Text) > MaxFallback {
		t.Errorf("fallback of %d characters", utf8.RuneCountInString(msg.Text))
	}
}

func TestRenderEveryKind(t *testing.T) {
	for _, q := range []string{"help", "sources", "topics", "", "How many victims were rescued?", "Who won the 2022 World Cup?"} {
		t.Run(q, func(t *testing.T) {
			msg := Render(ask(t, q), RenderOptions{Echo: true})
			if len(msg.Blocks) == 0 || msg.Text == "" {
				t.Fatalf("empty message: %+v", msg)
			}
			checkLimits(t, msg)
		})
	}
	t.Run("throttled", func(t *testing.T) {
		if msg := Render(bot.Reply{Kind: bot.KindThrottled}, RenderOptions{}); msg.Text != "" || msg.Blocks != nil {
			t.Errorf("throttled rendered %+v", msg)
		}
	})
	t.Run("slow down", func(t *testing.T) {
		msg := Render(bot.Reply{Kind: bot.KindSlowDown, Text: bot.SlowDownText}, RenderOptions{})
		if msg.Text != bot.SlowDownText || len(msg.Blocks) != 1 {
			t.Errorf("slow down rendered %+v", msg)
		}
	})
}

func TestRenderEscapesAndLimits(t *testing.T) {
	src := &facts.Source{ID: "x", Title: "A <b> & c_d", Publisher: "Pub *One*", URL: "https://example.org/a?b=1&c=2"}
	r := bot.Reply{
		Question: "<!channel> hi",
		Kind:     bot.KindAnswer,
		Text:     strings.Repeat("word <@U1> & more ", 400),
		Citations: []bot.Citation{
			{Source: src, Quote: "he said *loudly* that_x <!here>"},
			{Source: &facts.Source{Title: "No link"}, Quote: strings.Repeat("long quote ", 500)},
		},
	}
	for range 60 {
		r.Citations = append(r.Citations, bot.Citation{Source: src, Quote: "again"})
	}
	msg := Render(r, RenderOptions{Echo: true})
	checkLimits(t, msg)
	raw, _ := json.Marshal(msg)
	s := string(raw)
	for _, bad := range []string{"<!channel>", "<!here>", "<@U1>", "<b>", "*loudly*", "that_x"} {
		if strings.Contains(s, bad) {
			t.Errorf("unescaped %q in %s", bad, s[:200])
		}
	}
	if !strings.Contains(s, `\u003chttps://example.org/a?b=1\u0026amp;c=2|A \u0026lt;b\u0026gt; \u0026amp; cˍd\u003e`) {
		t.Errorf("link not drawn as <url|title>: %s", s)
	}
	if !strings.Contains(s, "more not shown") {
		t.Error("no note of blocks left out")
	}
}

func TestCut(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		max      int
		mrkdwn   bool
		want     string
	}{
		{"short", "hello world", 20, false, "hello world"},
		{"exact", "hello", 5, false, "hello"},
		{"at word", "hello wonderful world", 12, false, "hello…"},
		{"comma", "one, two three", 8, false, "one…"},
		{"one long word", "abcdefghij", 5, false, "abcd…"},
		{"runes", "ééééé ééééé", 8, false, "ééééé…"},
		{"not in entity", "aaaaaaaaaaaaaaaaaaa &amp;bbbbbbb", 24, true, "aaaaaaaaaaaaaaaaaaa…"},
		{"entity mid word", "aaaaaaaaaaaaaaaaaaaa&amp;bbbbbbb", 24, true, "aaaaaaaaaaaaaaaaaaaa…"},
		{"not in link", "see <https://example.org/long|the title> now", 20, true, "see…"},
		{"zero", "abc", 0, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := cut(tc.in, tc.max, tc.mrkdwn)
			if got != tc.want {
				t.Errorf("cut(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
			if utf8.RuneCountInString(got) > tc.max {
				t.Errorf("%q is longer than %d", got, tc.max)
			}
		})
	}
}

func TestEscape(t *testing.T) {
	for _, tc := range []struct{ name, in, text, plain string }{
		{"mention", "<@U123> <!channel>", "&lt;@U123&gt; &lt;!channel&gt;", "&lt;@U123&gt; &lt;!channel&gt;"},
		{"ampersand", "R&D &amp;", "R&amp;D &amp;amp;", "R&amp;D &amp;amp;"},
		{"formatting", "*bold* _it_ ~s~ `c`", "*bold* _it_ ~s~ `c`", "∗bold∗ ˍitˍ ∼s∼ ˋcˋ"},
		{"plain", "3,222 victims", "3,222 victims", "3,222 victims"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := escapeText(tc.in); got != tc.text {
				t.Errorf("escapeText = %q, want %q", got, tc.text)
			}
			if got := escapePlain(tc.in); got != tc.plain {
				t.Errorf("escapePlain = %q, want %q", got, tc.plain)
			}
		})
	}
}

func TestEchoHidesInvisibleCharacters(t *testing.T) {
	r := bot.Reply{Question: "how\u200b many\u202e arrests\u2066?\ufeff", Kind: bot.KindHelp, Text: "help"}
	b, _ := json.Marshal(Render(r, RenderOptions{Echo: true}).Blocks)
	// JSON escapes U+2028/9 only; the others would appear as themselves.
	for _, c := range []string{"\u200b", "\u202e", "\u2066", "\ufeff"} {
		if strings.Contains(string(b), c) {
			t.Errorf("the echo keeps %U: %s", []rune(c)[0], b)
		}
	}
	if !strings.Contains(string(b), "*Asked:* how many arrests?") {
		t.Errorf("echo: %s", b)
	}
}
