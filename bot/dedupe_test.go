package bot_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/bot/dedupetest"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestMemoryDedupeSuite(t *testing.T) {
	dedupetest.Run(t, func(t *testing.T) dedupetest.Store {
		clock := newFakeClock()
		return dedupetest.Store{DedupeStore: &bot.MemoryDedupe{Now: clock.Now}, Advance: clock.Advance}
	})
}

func TestMemoryDedupeBounded(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	d := &bot.MemoryDedupe{MaxKeys: 100, Now: clock.Now}
	for i := range 1000 {
		if first, _ := d.FirstSeen(ctx, fmt.Sprint("k", i), time.Hour); !first {
			t.Fatalf("k%d not first", i)
		}
		if d.Len() > 100 {
			t.Fatalf("%d keys held, want at most 100", d.Len())
		}
	}
	if d.Evicted() != 900 {
		t.Errorf("evicted %d, want 900", d.Evicted())
	}
	// The newest 100 are remembered; the oldest were forgotten first.
	if first, _ := d.FirstSeen(ctx, "k999", time.Hour); first {
		t.Error("the newest key was forgotten")
	}
	if first, _ := d.FirstSeen(ctx, "k0", time.Hour); !first {
		t.Error("the oldest key is still remembered in a full store")
	}
}

func TestMemoryDedupeForgetsExpiredKeys(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	d := &bot.MemoryDedupe{Now: clock.Now}
	for i := range 500 {
		d.FirstSeen(ctx, fmt.Sprint("k", i), time.Minute)
	}
	clock.Advance(2 * time.Minute)
	d.FirstSeen(ctx, "late", time.Minute)
	if d.Len() != 1 || d.Evicted() != 0 {
		t.Errorf("after the window: %d keys held, %d evicted; want 1 and 0", d.Len(), d.Evicted())
	}
	// A key seen again after its window gets a new one; its old entry in
	// the queue must not forget it early.
	d.FirstSeen(ctx, "k", time.Minute)
	clock.Advance(2 * time.Minute)
	d.FirstSeen(ctx, "k", time.Hour)
	clock.Advance(30 * time.Minute)
	if first, _ := d.FirstSeen(ctx, "k", time.Hour); first {
		t.Error("a key seen again was forgotten with its first window")
	}
}
