package bot

import (
	"context"
	"errors"
	"sync/atomic"
)

// ErrNoBot is returned when a Holder is asked before a bot is stored.
var ErrNoBot = errors.New("no fact base loaded")

// Holder is an Answerer over a bot that can be swapped while serving:
// a reload stores a new bot, questions in flight finish on the old one and
// every later question goes to the new one. The zero Holder is empty.
type Holder struct {
	p atomic.Pointer[Bot]
}

// NewHolder returns a Holder serving b.
func NewHolder(b *Bot) *Holder {
	h := &Holder{}
	h.Store(b)
	return h
}

// Store makes b the bot that answers from now on.
func (h *Holder) Store(b *Bot) { h.p.Store(b) }

// Bot returns the bot answering now, or nil.
func (h *Holder) Bot() *Bot { return h.p.Load() }

// Answer asks the current
func (h *Holder) Answer(ctx context.Context, q Question) (Reply, error) {
	b := h.p.Load()
	if b == nil {
		return Reply{}, ErrNoBot
	}
	return b.Answer(ctx, q)
}
