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

// Fixed replies, written by hand, for the render goldens: the layout is
// tested apart from the fact base, which may change (the fact base's own
// goldens are the transcripts in cmd/liberterra and bot).
var (
	national = &facts.Source{ID: "the-national", Title: "Thousands rescued in Interpol's biggest operation", Publisher: "The National",
		Text: "Thousands were rescued. The five\u2011day operation\u2019s \u201cscale\u201d was *huge* & _wide_, said <officials>. More followed."}
	unnamed = &facts.Source{ID: "unodc", Title: "UNODC supported the operation (statement, outlet not named)", Label: "UNODC statement (outlet not named)",
		Text: "It ran for a week-long stretch in 116 countries."}
	headline = &facts.Source{ID: "migrant-affairs", Title: "Operation Rescues Thousands", Publisher: "Migrant Affairs", Headline: true,
		Date: "2024-11-06", URL: "https://example.org/a?b=1&c=2", Text: "Over 3,222 were rescued."}
)

func cite(s *facts.Source, quote, sentence string) bot.Citation {
	return bot.Citation{Source: s, Quote: quote, Sentence: sentence}
}

var fixed = map[string]bot.Reply{
	"answer": {
		Question: "How many victims were rescued?", Kind: bot.KindAnswer, Confidence: 0.92, FactID: "op-victims-rescued",
		Topic: "Victims rescued", Visibility: bot.Public,
		Text: "Operation Liberterra II rescued 3,222 potential victims of human trafficking.",
		Citations: []bot.Citation{
			cite(headline, "Over 3,222 were rescued", "Over 3,222 were rescued."),
			cite(national, "Thousands were rescued", "Thousands were rescued."),
		},
		Related: []string{"How many victims were rescued in Mali?", "Which countries took part?"},
	},
	"conflict": {
		Question: "How long did the operation last?", Kind: bot.KindAnswer, Confidence: 0.99, FactID: "op-duration",
		Conflict: true, Visibility: bot.Public,
		Text: "The sources differ: The National calls it a five-day operation, the UNODC statement week-long.",
		Citations: []bot.Citation{
			cite(national, "The five-day operation's \"scale\" was *huge* & _wide_, said <officials>", "The five-day operation's \"scale\" was *huge* & _wide_, said <officials>."),
			cite(unnamed, "a week-long stretch", "It ran for a week-long stretch in 116 countries."),
			cite(national, "Thousands were rescued", "Thousands were rescued."),
		},
	},
	"declined": {
		Question: "What is the capital of France?", Kind: bot.KindDeclined, Visibility: bot.Public,
		Text:        "The articles don't say, so I won't guess. I answer questions about INTERPOL's Operation Liberterra II from five news articles; mention me with \"topics\" to see what I know.",
		Suggestions: []string{"Countries taking part", "What Operation Liberterra II is", "Largest-ever INTERPOL operation against trafficking and smuggling"},
	},
	"slash_answer": {
		Question: "How many victims were rescued?", Kind: bot.KindAnswer, Confidence: 0.92, FactID: "op-victims-rescued",
		Visibility: bot.Private,
		Text:       "Operation Liberterra II rescued 3,222 potential victims of human trafficking.",
		Citations:  []bot.Citation{cite(headline, "Over 3,222 were rescued", "Over 3,222 were rescued.")},
	},
}

func TestRenderGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  RenderOptions
	}{
		{"answer", RenderOptions{Conversation: "slack:T1:C1:100.1", ReplyID: "0123456789abcdef"}},
		{"conflict", RenderOptions{Conversation: "slack:T1:C1:100.1", ReplyID: "0123456789abcdef"}},
		{"declined", RenderOptions{Conversation: "slack:T1:C1:100.1"}},
		{"slash_answer", RenderOptions{Echo: true, Conversation: "slack:T1:C1:user:U1", ReplyID: "0123456789abcdef", Shareable: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			msg := Render(fixed[tc.name], tc.opt)
			checkLimits(t, msg)
			checkGolden(t, tc.name, msg)
		})
	}
	t.Run("context", func(t *testing.T) {
		msg := RenderContext(fixed["conflict"])
		checkLimits(t, msg)
		checkGolden(t, "context", msg)
	})
	t.Run("home", func(t *testing.T) {
		view := RenderHome([]*facts.Source{national, unnamed, headline})
		checkGolden(t, "home", view)
	})
}

// checkGolden compares v, as indented JSON, with testdata/name.golden.
func checkGolden(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", name+".golden")
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
}

// TestRenderFaithfulQuotes: quotes stand in plain_text elements exactly as
// the article has them (its curly quotes and dashes, *, _ and all), with
// only &, < and > escaped; citations are numbered by source and tied to the
// list of sources; no internal id is shown.
func TestRenderFaithfulQuotes(t *testing.T) {
	msg := Render(fixed["conflict"], RenderOptions{ReplyID: "0123456789abcdef"})
	raw, _ := json.Marshal(msg.Blocks)
	var quotes, heads, actions []string
	for _, b := range blockList(t, msg) {
		for _, e := range b.Elements {
			switch {
			case e.Type == "plain_text" && strings.HasPrefix(e.Text, "\u201c"):
				quotes = append(quotes, e.Text)
			case e.Type == "mrkdwn" && strings.HasPrefix(e.Text, "*["):
				heads = append(heads, e.Text)
			case e.Type == "plain_text" && strings.HasSuffix(e.Text, ":"):
				heads = append(heads, e.Text)
			case e.Type == "button":
				actions = append(actions, e.ActionID)
			}
		}
	}
	want := "\u201cThe five\u2011day operation\u2019s \u201cscale\u201d was *huge* &amp; _wide_, said &lt;officials&gt;\u201d"
	if len(quotes) != 3 || quotes[0] != want {
		t.Errorf("quotes %q, want the first %q", quotes, want)
	}
	if len(heads) < 6 || strings.Join(heads[:6], " ") != "*[1]* The National: *[2]* UNODC statement: *[1]* The National:" {
		t.Errorf("citation heads %q", heads)
	}
	if strings.Join(actions, " ") != "lt_up lt_down lt_src" {
		t.Errorf("actions %v", actions)
	}
	for _, id := range []string{"op-duration", "the-national", "unodc"} {
		if strings.Contains(strings.ReplaceAll(string(raw), `\"f\":\"op-duration\"`, ""), id) {
			t.Errorf("the internal id %q is shown: %s", id, raw)
		}
	}
}

func TestActionValues(t *testing.T) {
	long := strings.Repeat("\"quoted\" ", 400)
	v := actionValue{Q: long, C: "slack:T1:C1:1.1", F: "f"}
	s := v.encode()
	if len(s) > MaxButtonValue {
		t.Errorf("value of %d bytes", len(s))
	}
	got, err := decodeValue(s)
	if err != nil || got.C != v.C || got.F != "f" || !strings.HasPrefix(long, got.Q) {
		t.Errorf("decoded %+v, %v", got, err)
	}
	if s := (actionValue{Q: "a <b> & c"}).encode(); s != `{"q":"a <b> & c"}` {
		t.Errorf("encoded %s", s)
	}
}

// block is what the tests read of a Block Kit block.
type block struct {
	Type     string
	Text     *struct{ Type, Text string }
	Elements []element
}

// element is a context element (a text object) or an actions element (a
// button, whose text is an object: Label).
type element struct {
	Type     string
	Text     string
	Label    struct{ Text string }
	ActionID string `json:"action_id"`
	Value    string
	Style    string
}

func (e *element) UnmarshalJSON(data []byte) error {
	var raw struct {
		Type     string
		Text     json.RawMessage
		ActionID string `json:"action_id"`
		Value    string
		Style    string
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	e.Type, e.ActionID, e.Value, e.Style = raw.Type, raw.ActionID, raw.Value, raw.Style
	if len(raw.Text) > 0 && raw.Text[0] == '{' {
		return json.Unmarshal(raw.Text, &e.Label)
	}
	if len(raw.Text) > 0 {
		return json.Unmarshal(raw.Text, &e.Text)
	}
	return nil
}

// blockList reads a message's blocks back.
func blockList(t *testing.T, msg Message) []block {
	t.Helper()
	raw, _ := json.Marshal(msg.Blocks)
	var blocks []block
	if err := json.Unmarshal(raw, &blocks); err != nil {
		t.Fatal(err)
	}
	return blocks
}

// checkLimits fails when a message breaks Slack's limits.
func checkLimits(t *testing.T, msg Message) {
	t.Helper()
	if len(msg.Blocks) > MaxBlocks {
		t.Errorf("%d blocks", len(msg.Blocks))
	}
	for i, b := range blockList(t, msg) {
		if b.Text != nil && utf8.RuneCountInString(b.Text.Text) > MaxSectionText {
			t.Errorf("block %d: section text of %d characters", i, utf8.RuneCountInString(b.Text.Text))
		}
		if b.Type == "context" && len(b.Elements) > maxContextElts {
			t.Errorf("block %d: %d context elements", i, len(b.Elements))
		}
		for _, e := range b.Elements {
			if e.Type == "button" {
				if n := utf8.RuneCountInString(e.Label.Text); n > MaxButtonText || n == 0 {
					t.Errorf("block %d: a button's text of %d characters", i, n)
				}
				if len(e.Value) > MaxButtonValue {
					t.Errorf("block %d: a button's value of %d bytes", i, len(e.Value))
				}
				continue
			}
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
	for _, bad := range []string{"<!channel>", "<!here>", "<@U1>", "<b>"} {
		if strings.Contains(s, bad) {
			t.Errorf("unescaped %q in %s", bad, s[:200])
		}
	}
	if !strings.Contains(s, `\u003chttps://example.org/a?b=1\u0026amp;c=2|Read the article\u003e`) {
		t.Errorf("link not drawn as <url|title>: %s", s)
	}
	if !strings.Contains(s, "more quotes not shown") {
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
	for _, tc := range []struct{ name, in, text string }{
		{"mention", "<@U123> <!channel>", "&lt;@U123&gt; &lt;!channel&gt;"},
		{"ampersand", "R&D &amp;", "R&amp;D &amp;amp;"},
		{"formatting left as it is", "*bold* _it_ ~s~ `c`", "*bold* _it_ ~s~ `c`"},
		{"plain", "3,222 victims", "3,222 victims"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := escapeText(tc.in); got != tc.text {
				t.Errorf("escapeText = %q, want %q", got, tc.text)
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
	if !strings.Contains(string(b), `"text":"how many arrests?"`) {
		t.Errorf("echo: %s", b)
	}
}
