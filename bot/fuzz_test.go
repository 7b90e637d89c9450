package bot_test

import (
	"context"
	"strings"
	"testing"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
)

var validKinds = map[bot.ReplyKind]bool{
	bot.KindAnswer: true, bot.KindDeclined: true, bot.KindHelp: true, bot.KindSources: true,
	bot.KindTopics: true, bot.KindInvalid: true, bot.KindNotGiven: true, bot.KindSmalltalk: true,
}

// FuzzAnswer is a black-box fuzz of the question matcher through
// (*bot.Bot).Answer: any input gets a reply of a valid kind with a
// confidence in [0, 1], an answer cites quotes that stand in their sources,
// and nothing panics. The seed corpus is in testdata/fuzz/FuzzAnswer.
func FuzzAnswer(f *testing.F) {
	base, err := facts.Embedded()
	if err != nil {
		f.Fatal(err)
	}
	b := bot.New(base)
	for _, q := range []string{
		"How many victims were rescued?", "wht happned in algeria", "who's kavanagh", "Jurgen Stock",
		"", " ", "help", "/topics", "sources!", "capital of Senegal", "\x00\xff", "Что случилось?",
		strings.Repeat("arrested ", 200), "how many ppl were detained in the UK and Nottingham",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		r, err := b.Answer(context.Background(), bot.Question{Text: q, User: "fuzz", Frontend: "fuzz"})
		if err != nil {
			t.Fatalf("Answer(%q): %v", q, err)
		}
		if !validKinds[r.Kind] {
			t.Fatalf("Answer(%q): kind %q", q, r.Kind)
		}
		if r.Confidence < 0 || r.Confidence > 1 || r.Confidence != r.Confidence {
			t.Fatalf("Answer(%q): confidence %v", q, r.Confidence)
		}
		if r.Text == "" {
			t.Fatalf("Answer(%q): empty reply text", q)
		}
		if r.Kind == bot.KindAnswer && len(r.Citations) == 0 {
			t.Fatalf("Answer(%q): an answer without citations", q)
		}
		for _, c := range r.Citations {
			if c.Source == nil || !c.Source.QuoteInSource(c.Quote) {
				t.Fatalf("Answer(%q): quote %q does not stand in its source", q, c.Quote)
			}
		}
		if len(r.Suggestions) > 3 {
			t.Fatalf("Answer(%q): %d suggestions", q, len(r.Suggestions))
		}
	})
}
