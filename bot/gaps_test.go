package bot_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/liberterra/liberterra/bot"
)

func reply(kind bot.ReplyKind, conf float64) bot.Answerer {
	return bot.AnswererFunc(func(_ context.Context, q bot.Question) (bot.Reply, error) {
		return bot.Reply{Question: q.Text, Kind: kind, Confidence: conf, Topic: "Arrests", Suggestions: []string{"Arrests"}}, nil
	})
}

func TestGapsLogsDeclinedAndUnsure(t *testing.T) {
	var buf bytes.Buffer
	now := func() time.Time { return time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC) }
	ask := func(next bot.Answerer, users bool) {
		g := &bot.Gaps{Next: next, Log: &bot.FileJournal{W: &buf}, Below: 0.6, Users: users, Now: now}
		g.Answer(context.Background(), bot.Question{Text: "q", User: "U9", Frontend: "slack"})
	}
	ask(reply(bot.KindAnswer, 0.9), false)  // sure: not a gap
	ask(reply(bot.KindHelp, 0), false)      // a command: not a gap
	ask(reply(bot.KindSmalltalk, 0), false) // small talk: never a gap
	ask(reply(bot.KindDeclined, 0.2), false)
	ask(reply(bot.KindAnswer, 0.55), true)
	want := `{"time":"2026-11-27T09:00:00Z","frontend":"slack","question":"q","kind":"declined","confidence":0.2,"suggestions":["Arrests"]}
{"time":"2026-11-27T09:00:00Z","frontend":"slack","question":"q","kind":"answer","confidence":0.55,"topic":"Arrests","suggestions":["Arrests"],"user":"U9"}
`
	if buf.String() != want {
		t.Errorf("gaps log:\n%s\nwant:\n%s", buf.String(), want)
	}
	gaps, bad, err := bot.ReadGaps(strings.NewReader(buf.String() + "{broken\n"))
	if err != nil || bad != 1 || len(gaps) != 2 {
		t.Fatalf("ReadGaps: %d gaps, %d bad, %v", len(gaps), bad, err)
	}
	groups := bot.GroupGaps(gaps)
	if len(groups) != 1 || groups[0].Topic != "Arrests" || groups[0].Count != 2 || len(groups[0].Questions) != 1 {
		t.Errorf("GroupGaps = %+v", groups)
	}
}

func TestNormalizeQuestion(t *testing.T) {
	for in, want := range map[string]string{
		"  How many PPL were detained?!": "how many ppl were detained",
		"who's kavanagh":                 "who's kavanagh",
		"?!":                             "",
	} {
		if got := bot.NormalizeQuestion(in); got != want {
			t.Errorf("NormalizeQuestion(%q) = %q, want %q", in, got, want)
		}
	}
}
