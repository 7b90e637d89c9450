package ops_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
	"github.com/liberterra/liberterra/ops"
)

func reply(kind bot.ReplyKind, conf float64) bot.Answerer {
	return bot.AnswererFunc(func(_ context.Context, q bot.Question) (bot.Reply, error) {
		return bot.Reply{Question: q.Text, Kind: kind, Confidence: conf, Topic: "Arrests", Suggestions: []string{"Arrests"}}, nil
	})
}

func TestOutcome(t *testing.T) {
	for _, c := range []struct {
		r    bot.Reply
		err  error
		want string
	}{
		{bot.Reply{Kind: bot.KindAnswer}, nil, "answered"},
		{bot.Reply{Kind: bot.KindDeclined}, nil, "declined"},
		{bot.Reply{Kind: bot.KindSlowDown}, nil, "slow_down"},
		{bot.Reply{Kind: bot.KindHelp}, nil, "help"},
		{bot.Reply{}, errors.New("x"), "error"},
		{bot.Reply{}, nil, "error"},
	} {
		if got := ops.Outcome(c.r, c.err); got != c.want {
			t.Errorf("Outcome(%q, %v) = %q, want %q", c.r.Kind, c.err, got, c.want)
		}
	}
}

func TestDrainWaitsForAnswersInFlight(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	d := ops.NewDrain(bot.AnswererFunc(func(ctx context.Context, q bot.Question) (bot.Reply, error) {
		close(entered)
		<-release
		return bot.Reply{Kind: bot.KindAnswer}, nil
	}))
	got := make(chan bot.Reply, 1)
	go func() { r, _ := d.Answer(context.Background(), bot.Question{Text: "q"}); got <- r }()
	<-entered
	waited := make(chan error, 1)
	go func() { waited <- d.Wait(context.Background()) }()
	// Once closed, new questions are refused silently.
	for !d.Closed() {
		time.Sleep(time.Millisecond)
	}
	if r, err := d.Answer(context.Background(), bot.Question{Text: "late"}); err != nil || !r.Silent() {
		t.Errorf("question after Close: %q %v, want a silent reply", r.Kind, err)
	}
	select {
	case <-waited:
		t.Fatal("Wait returned with an answer in flight")
	default:
	}
	close(release)
	if err := <-waited; err != nil {
		t.Fatal(err)
	}
	if r := <-got; r.Kind != bot.KindAnswer {
		t.Errorf("answer in flight: %q", r.Kind)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	stuck := ops.NewDrain(bot.AnswererFunc(func(ctx context.Context, q bot.Question) (bot.Reply, error) {
		select {}
	}))
	go stuck.Answer(context.Background(), bot.Question{})
	for stuck.InFlight() == 0 {
		time.Sleep(time.Millisecond)
	}
	if err := stuck.Wait(ctx); err == nil {
		t.Error("Wait past its deadline returned nil")
	}
}

func TestRedactor(t *testing.T) {
	x := ops.NewRedactor("xoxb-123456789", "", "abc")
	if got := x.String("token xoxb-123456789 abc"); got != "token [redacted] abc" {
		t.Errorf("String = %q", got)
	}
	base := errors.New("bad xoxb-123456789")
	err := x.Error(fmt.Errorf("wrap: %w", base))
	if strings.Contains(err.Error(), "xoxb-123456789") || !errors.Is(err, base) {
		t.Errorf("Error = %v (Is base: %v)", err, errors.Is(err, base))
	}
	var buf bytes.Buffer
	fmt.Fprintf(x.Writer(&buf), "a=%s\n", "xoxb-123456789")
	if buf.String() != "a=[redacted]\n" {
		t.Errorf("Writer wrote %q", buf.String())
	}
	if y := ops.NewRedactor(); y.String("abc") != "abc" || y.Error(nil) != nil {
		t.Error("empty redactor changed its input")
	}
}

type adapter struct{ up bool }

func (a adapter) Name() string              { return "chat" }
func (a adapter) Run(context.Context) error { return nil }
func (a adapter) Connected() bool           { return a.up }

func TestHealth(t *testing.T) {
	h := &ops.Health{Holder: &ops.Holder{}, Adapters: []bot.Adapter{adapter{false}}}
	if got := h.NotReady(); got != "fact base not loaded; chat not connected" {
		t.Errorf("NotReady = %q", got)
	}
	base, err := facts.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	h.Holder.Store(bot.New(base))
	h.Adapters = []bot.Adapter{adapter{true}}
	if got := h.NotReady(); got != "" {
		t.Errorf("NotReady = %q, want ready", got)
	}
	h.Drain = ops.NewDrain(h.Holder)
	h.Drain.Close()
	if got := h.NotReady(); got != "shutting down" {
		t.Errorf("NotReady while draining = %q", got)
	}
}

func TestHolderEmpty(t *testing.T) {
	if _, err := (&ops.Holder{}).Answer(context.Background(), bot.Question{Text: "hi"}); !errors.Is(err, ops.ErrNoBot) {
		t.Errorf("empty holder: %v", err)
	}
}

func TestGapsLogsDeclinedAndUnsure(t *testing.T) {
	var buf bytes.Buffer
	now := func() time.Time { return time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC) }
	ask := func(next bot.Answerer, users bool) {
		g := &ops.Gaps{Next: next, W: &buf, Below: 0.6, Users: users, Now: now}
		g.Answer(context.Background(), bot.Question{Text: "q", User: "U9", Frontend: "slack"})
	}
	ask(reply(bot.KindAnswer, 0.9), false) // sure: not a gap
	ask(reply(bot.KindHelp, 0), false)     // a command: not a gap
	ask(reply(bot.KindDeclined, 0.2), false)
	ask(reply(bot.KindAnswer, 0.55), true)
	want := `{"time":"2026-11-27T09:00:00Z","frontend":"slack","question":"q","kind":"declined","confidence":0.2,"suggestions":["Arrests"]}
{"time":"2026-11-27T09:00:00Z","frontend":"slack","question":"q","kind":"answer","confidence":0.55,"topic":"Arrests","suggestions":["Arrests"],"user":"U9"}
`
	if buf.String() != want {
		t.Errorf("gaps log:\n%s\nwant:\n%s", buf.String(), want)
	}
	gaps, bad, err := ops.ReadGaps(strings.NewReader(buf.String() + "{broken\n"))
	if err != nil || bad != 1 || len(gaps) != 2 {
		t.Fatalf("ReadGaps: %d gaps, %d bad, %v", len(gaps), bad, err)
	}
	groups := ops.GroupGaps(gaps)
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
		if got := ops.NormalizeQuestion(in); got != want {
			t.Errorf("NormalizeQuestion(%q) = %q, want %q", in, got, want)
		}
	}
}
