package ops_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

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
	h.Drain = bot.NewDrain(h.Holder)
	h.Drain.Close()
	if got := h.NotReady(); got != "shutting down" {
		t.Errorf("NotReady while draining = %q", got)
	}
}
