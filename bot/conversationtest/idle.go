package conversationtest

import (
	"context"
	"testing"
	"time"

	"github.com/liberterra/liberterra/bot"
)

// Expiring is a store under test that forgets conversations idle for
// Idle, and a way to move its clock.
type Expiring struct {
	bot.ConversationStore
	Idle time.Duration
	// Advance moves the store's time forward by d; the suite advances by
	// about three times Idle in all.
	Advance func(d time.Duration)
}

// RunIdle checks a store's idle expiry: a conversation is kept while
// saved at least every Idle, and forgotten once Idle passes without a save.
func RunIdle(t *testing.T, newStore func(t *testing.T) Expiring) {
	ctx := context.Background()
	conv := bot.Conversation{Turns: []bot.Turn{{Question: "what happened in algeria", Fact: "algeria-money-laundering"}}}
	load := func(t *testing.T, s Expiring, key string) int {
		t.Helper()
		c, err := s.Load(ctx, key)
		if err != nil {
			t.Fatalf("Load(%q): %v", key, err)
		}
		return len(c.Turns)
	}
	save := func(t *testing.T, s Expiring, key string) {
		t.Helper()
		if err := s.Save(ctx, key, conv); err != nil {
			t.Fatalf("Save(%q): %v", key, err)
		}
	}

	t.Run("a save keeps the conversation for another idle period", func(t *testing.T) {
		s := newStore(t)
		save(t, s, "a")
		for range 3 {
			s.Advance(s.Idle * 3 / 4)
			if load(t, s, "a") != 1 {
				t.Fatal("forgotten before the idle time passed")
			}
			save(t, s, "a")
		}
	})

	t.Run("forgotten once idle", func(t *testing.T) {
		s := newStore(t)
		save(t, s, "a")
		save(t, s, "b")
		s.Advance(s.Idle / 2)
		save(t, s, "b")
		s.Advance(s.Idle/2 + s.Idle/10)
		if load(t, s, "a") != 0 {
			t.Error("a conversation idle for longer than the idle time was kept")
		}
		if load(t, s, "b") != 1 {
			t.Error("a conversation saved within the idle time was forgotten")
		}
	})
}
