// Package dedupetest is a conformance suite for implementations of
// bot.DedupeStore: the in-memory store runs it in bot's tests, and a store
// shared between replicas (Redis, say) runs the same suite in its own.
package dedupetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/liberterra/liberterra/bot"
)

// Store is a store under test and a way to move its clock.
type Store struct {
	bot.DedupeStore
	// Advance moves the store's time forward by d: a fake clock's step for
	// an in-memory store, a sleep or a server's fast-forward for a real one.
	// The suite advances by a few seconds in all.
	Advance func(d time.Duration)
}

// Run runs the suite. newStore makes a new, empty store for each subtest.
func Run(t *testing.T, newStore func(t *testing.T) Store) {
	ctx := context.Background()
	seen := func(t *testing.T, s Store, key string, window time.Duration, want bool) {
		t.Helper()
		got, err := s.FirstSeen(ctx, key, window)
		if err != nil {
			t.Fatalf("FirstSeen(%q, %v): %v", key, window, err)
		}
		if got != want {
			t.Fatalf("FirstSeen(%q, %v) = %v, want %v", key, window, got, want)
		}
	}

	t.Run("first then repeats", func(t *testing.T) {
		s := newStore(t)
		seen(t, s, "slack:event:Ev1", time.Hour, true)
		seen(t, s, "slack:event:Ev1", time.Hour, false)
		seen(t, s, "slack:event:Ev1", time.Hour, false)
		seen(t, s, "slack:event:Ev2", time.Hour, true)
	})

	t.Run("keys are compared whole", func(t *testing.T) {
		s := newStore(t)
		long := strings.Repeat("k", 10_000)
		for _, k := range []string{"", "a", "A", "a ", "ab", "\x00", "\x00\xff", "é", long, long + "x", "slack:e", "discord:e"} {
			seen(t, s, k, time.Hour, true)
		}
		for _, k := range []string{"", "a", "\x00\xff", long} {
			seen(t, s, k, time.Hour, false)
		}
	})

	t.Run("window measured from the first sighting", func(t *testing.T) {
		s := newStore(t)
		seen(t, s, "k", 2*time.Second, true)
		s.Advance(1500 * time.Millisecond)
		seen(t, s, "k", 2*time.Second, false) // a repeat does not extend the window
		s.Advance(1 * time.Second)
		seen(t, s, "k", 2*time.Second, true) // 2.5 s after the first: new again
		seen(t, s, "k", 2*time.Second, false)
	})

	t.Run("each key has its own window", func(t *testing.T) {
		s := newStore(t)
		seen(t, s, "long", 3*time.Second, true)
		seen(t, s, "short", time.Second, true)
		s.Advance(2 * time.Second)
		seen(t, s, "short", time.Second, true)
		seen(t, s, "long", 3*time.Second, false)
	})

	t.Run("no window remembers nothing", func(t *testing.T) {
		s := newStore(t)
		seen(t, s, "k", 0, true)
		seen(t, s, "k", 0, true)
		seen(t, s, "k", -time.Second, true)
	})

	t.Run("concurrent sightings: exactly one first", func(t *testing.T) {
		s := newStore(t)
		const n = 50
		var firsts atomic.Int64
		var wg sync.WaitGroup
		errs := make(chan error, 2*n)
		for i := range n {
			wg.Add(2)
			go func() {
				defer wg.Done()
				first, err := s.FirstSeen(ctx, "same", time.Hour)
				if err != nil {
					errs <- err
				}
				if first {
					firsts.Add(1)
				}
			}()
			go func() {
				defer wg.Done()
				key := fmt.Sprintf("distinct-%d", i)
				if first, err := s.FirstSeen(ctx, key, time.Hour); err != nil || !first {
					errs <- fmt.Errorf("FirstSeen(%q) = %v, %v; want true", key, first, err)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if got := firsts.Load(); got != 1 {
			t.Errorf("%d of %d concurrent sightings of one key were first, want 1", got, n)
		}
	})
}
