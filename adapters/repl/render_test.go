package repl

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
)

// A fixed reply, written by hand: the renderer's layout is tested apart
// from the fact base, which may change.
var (
	national = &facts.Source{ID: "n", Title: "Thousands rescued in Interpol's biggest operation", Publisher: "The National",
		Text: "Thousands were rescued. The five\u2011day operation\u2019s \u201cscale\u201d *was* _huge_. More."}
	unnamed = &facts.Source{ID: "u", Title: "UNODC supported the operation (statement, outlet not named)", Label: "UNODC statement (outlet not named)",
		Text: "It ran for a week-long stretch."}
	headline = &facts.Source{ID: "m", Title: "Operation Rescues Thousands", Publisher: "Migrant Affairs", Headline: true,
		Date: "2024-11-06", URL: "https://example.org/a", Text: "Over 3,222 were rescued."}
)

func fixedAnswer() bot.Reply {
	return bot.Reply{
		Question: "how long?", Kind: bot.KindAnswer, Confidence: 0.9, Conflict: true, FactID: "duration",
		Text: "The sources differ: five-day or week-long.",
		Citations: []bot.Citation{
			{Source: national, Quote: "The five-day operation's \"scale\" *was* _huge_"},
			{Source: unnamed, Quote: "a week-long stretch"},
			{Source: national, Quote: "Thousands were rescued"},
			{Source: headline, Quote: "Over 3,222 were rescued"},
		},
		Related: []string{"How many victims were rescued?", "Who led it?"},
	}
}

const fixedAnswerText = `The sources differ: five-day or week-long.
The sources disagree; each version is cited below.
  [1] The National: “The five‑day operation’s “scale” *was* _huge_”
  [2] UNODC statement: “a week-long stretch”
  [1] The National: “Thousands were rescued”
  [3] Migrant Affairs: “Over 3,222 were rescued”
  Sources:
  [1] The National: Thousands rescued in Interpol's biggest operation
      (our description; no headline)
  [2] UNODC statement (outlet not named): UNODC supported the operation
      (our description; no headline)
  [3] Migrant Affairs, “Operation Rescues Thousands”, 2024-11-06
      <https://example.org/a>
  Confidence 0.90
Related questions: How many victims were rescued?; Who led it?
`

func TestRenderFixedAnswer(t *testing.T) {
	if got := Render(fixedAnswer(), 72); got != fixedAnswerText {
		t.Errorf("got:\n%s\nwant:\n%s", got, fixedAnswerText)
	}
}

func TestRenderTopicsFitTheWidth(t *testing.T) {
	r := bot.Reply{Kind: bot.KindTopics, Text: "I can answer questions about:", Topics: []bot.TopicGroup{
		{Title: "Countries", Topics: strings.Fields(strings.Repeat("Algeria Argentina Brazil ", 30))},
	}}
	got := Render(r, 40)
	for _, line := range strings.Split(strings.TrimSuffix(got, "\n"), "\n") {
		if n := len([]rune(line)); n > 40 {
			t.Errorf("a line of %d characters: %q", n, line)
		}
	}
	if !strings.Contains(got, "\n    Argentina") && !strings.Contains(got, "\n    Algeria") && !strings.Contains(got, "\n    Brazil") {
		t.Errorf("continuation lines are not indented:\n%s", got)
	}
	if strings.Count(Render(r, 0), "\n") != 2 {
		t.Error("width 0 wrapped")
	}
}

func TestRenderDeclined(t *testing.T) {
	r := bot.Reply{Kind: bot.KindDeclined, Text: "The articles don't say.", Suggestions: []string{"Arrests", "Rescues"}}
	if got, want := Render(r, 80), "The articles don't say.\nYou could ask about: Arrests; Rescues.\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestKeyFilterTranslatesHomeAndEnd(t *testing.T) {
	in := "a\x1b[1~b\x1b[4~c\x1b[7~\x1b[8~\x1b[3~\x1b[1;5C\x1b"
	want := "a\x1b[Hb\x1b[Fc\x1b[H\x1b[F\x1b[3~\x1b[1;5C\x1b"
	for _, r := range []io.Reader{strings.NewReader(in), iotest.OneByteReader(strings.NewReader(in))} {
		got, err := io.ReadAll(NewKeyFilter(r))
		if err != nil || string(got) != want {
			t.Errorf("got %q (%v), want %q", got, err, want)
		}
	}
}

type lines struct {
	items []string
	errs  []error
}

func (l *lines) Readline() (string, error) {
	if len(l.items) == 0 {
		return "", io.EOF
	}
	s, err := l.items[0], l.errs[0]
	l.items, l.errs = l.items[1:], l.errs[1:]
	return s, err
}

func TestCtrlCCancelsTheLineOnly(t *testing.T) {
	var asked []bot.Question
	b := bot.AnswererFunc(func(_ context.Context, q bot.Question) (bot.Reply, error) {
		asked = append(asked, q)
		return bot.Reply{Kind: bot.KindSmalltalk, Text: "ok"}, nil
	})
	in := &lines{items: []string{"half a quest", "hello", "again"}, errs: []error{ErrCancelled, nil, nil}}
	var out bytes.Buffer
	if err := (&Session{Bot: b, In: in, Out: &out}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(asked) != 2 || asked[0].Text != "hello" || asked[0].Conversation == "" || asked[1].Conversation != asked[0].Conversation {
		t.Errorf("asked %+v: want hello and again, in one conversation", asked)
	}
}
