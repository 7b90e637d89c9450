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
	"github.com/liberterra/liberterra/cmd/liberterra/internal/ops"
	"github.com/liberterra/liberterra/facts"
)

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

func TestRedactorCatchesTheTokenAsUsed(t *testing.T) {
	const token = "MTAx.secret-token.value"
	for _, env := range []string{"Bot " + token, token + "\n", "  " + token + " \t", "Bearer " + token} {
		x := ops.NewRedactor(env)
		for _, line := range []string{
			"authorization: Bot " + token,
			`{"token":"` + token + `"}`,
			"token=" + token + "\n",
		} {
			if got := x.String(line); strings.Contains(got, "secret-token") {
				t.Errorf("secret %q: %q redacted to %q", env, line, got)
			}
		}
	}
}

type adapter struct{ up bool }

func (a adapter) Name() string              { return "chat" }
func (a adapter) Run(context.Context) error { return nil }
func (a adapter) Connected() bool           { return a.up }

func TestHealth(t *testing.T) {
	h := &ops.Health{Holder: &bot.Holder{}, Adapters: []bot.Adapter{adapter{false}}}
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
	q := bot.NewQueue(bot.QueueConfig{Capacity: 1, Workers: 1, FailingAfter: 2})
	h.Queues = map[string]*bot.Queue{"chat": q}
	hold := make(chan struct{})
	q.Submit(func(context.Context) error { <-hold; return nil })
	for q.Running() == 0 {
		time.Sleep(time.Millisecond)
	}
	q.Submit(func(context.Context) error { return errors.New("post failed") })
	if got := h.NotReady(); got != "chat work queue full" {
		t.Errorf("NotReady with the queue full = %q", got)
	}
	q.Submit(func(context.Context) error { return nil }) // refused: full
	close(hold)
	for q.Len() > 0 {
		time.Sleep(time.Millisecond)
	}
	q.Submit(func(context.Context) error { return errors.New("post failed") })
	q.Submit(func(context.Context) error { return errors.New("post failed") })
	for deadline := time.Now().Add(10 * time.Second); h.NotReady() != "chat answers failing to post"; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("NotReady with posts failing = %q", h.NotReady())
		}
	}
	draining := true
	h.Draining = func() bool { return draining }
	if got := h.NotReady(); got != "shutting down" {
		t.Errorf("NotReady while draining = %q", got)
	}
}
