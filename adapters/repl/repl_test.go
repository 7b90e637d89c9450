package repl_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/liberterra/liberterra/adapters/repl"
	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
)

func newBot(t *testing.T) *bot.Bot {
	t.Helper()
	base, err := facts.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return bot.New(base)
}

func TestSession(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		wants    []string
		replies  int // prompts answered
	}{
		{"answers and cites", "how many flights were monitored\n", []string{"24,000", "  [1] "}, 1},
		{"quit ends the session", "quit\nhow many flights\n", nil, 0},
		{"last line without newline", "who is rick jones", []string{"Deputy Director"}, 1},
		{"CRLF line endings", "who is rick jones\r\n", []string{"Deputy Director"}, 1},
		{"a 2 MB line is refused, the next is read", strings.Repeat("a", 2<<20) + "\nwho is rick jones\n", []string{"too long", "Deputy Director"}, 2},
		{"declined with suggestions", "what is the gdp of nigeria\n", []string{"articles don't say", "You could ask about:"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			s := &repl.Session{Bot: newBot(t), In: repl.NewLineReader(strings.NewReader(tc.in)), Out: &out, Prompt: "> "}
			if err := s.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.wants {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			if got := strings.Count(out.String(), "> ") - 1; got != tc.replies && tc.replies > 0 {
				t.Errorf("%d replies, want %d", got, tc.replies)
			}
		})
	}
}

func TestRenderThrottledIsSilent(t *testing.T) {
	if got := repl.Render(bot.Reply{Kind: bot.KindThrottled}, 80); got != "" {
		t.Errorf("Render(throttled) = %q, want nothing", got)
	}
}
