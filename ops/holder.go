package ops

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/liberterra/liberterra/bot"
)

// ErrNoBot is returned when a Holder is asked before a bot is stored.
var ErrNoBot = errors.New("no fact base loaded")

// Holder is a bot.Answerer over a bot that can be swapped while serving:
// a reload stores a new bot, questions in flight finish on the old one and
// every later question goes to the new one. The zero Holder is empty.
type Holder struct {
	p atomic.Pointer[bot.Bot]
}

// NewHolder returns a Holder serving b.
func NewHolder(b *bot.Bot) *Holder {
	h := &Holder{}
	h.Store(b)
	return h
}

// Store makes b the bot that answers from now on.
func (h *Holder) Store(b *bot.Bot) { h.p.Store(b) }

// Bot returns the bot answering now, or nil.
func (h *Holder) Bot() *bot.Bot { return h.p.Load() }

// Answer asks the current bot.
func (h *Holder) Answer(ctx context.Context, q bot.Question) (bot.Reply, error) {
	b := h.p.Load()
	if b == nil {
		return bot.Reply{}, ErrNoBot
	}
	return b.Answer(ctx, q)
}
