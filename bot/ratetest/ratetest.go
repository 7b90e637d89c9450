// Package ratetest is a conformance suite for implementations of
// bot.RateStore: the in-memory store runs it in bot's tests, and a store
// shared between replicas (Redis) runs the same suite in its own.
package ratetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/liberterra/liberterra/bot"
)

// Store is a store under test and a way to move its clock.
type Store struct {
	bot.RateStore
	// Advance moves the store's time forward by d. The suite advances by
	// a few seconds in all.
	Advance func(d time.Duration)
}

// Verdict names for messages.
func name(v bot.RateVerdict) string {
	switch v {
	case bot.RateAllowed:
		return "allowed"
	case bot.RateSlowDown:
		return "slow-down"
	case bot.RateThrottled:
		return "throttled"
	}
	return fmt.Sprintf("verdict(%d)", v)
}

// Run runs the suite. newStore makes a new, empty store for each subtest.
func Run(t *testing.T, newStore func(t *testing.T) Store) {
	ctx := context.Background()
	const (
		A  = bot.RateAllowed
		SD = bot.RateSlowDown
		T  = bot.RateThrottled
	)
	// takes takes one question per verdict wanted and compares.
	takes := func(t *testing.T, s Store, key string, every time.Duration, burst int, want ...bot.RateVerdict) {
		t.Helper()
		var got []string
		ok := true
		for _, w := range want {
			v, err := s.Take(ctx, key, every, burst)
			if err != nil {
				t.Fatalf("Take(%q): %v", key, err)
			}
			got = append(got, name(v))
			ok = ok && v == w
		}
		if !ok {
			var ws []string
			for _, w := range want {
				ws = append(ws, name(w))
			}
			t.Fatalf("Take(%q, %v, %d) gave %v, want %v", key, every, burst, got, ws)
		}
	}

	t.Run("burst, then one slow-down, then throttled", func(t *testing.T) {
		s := newStore(t)
		takes(t, s, "slack\x00U1", time.Hour, 3, A, A, A, SD, T, T)
	})

	t.Run("burst of one", func(t *testing.T) {
		s := newStore(t)
		takes(t, s, "k", time.Hour, 1, A, SD, T)
	})

	t.Run("one more question every interval", func(t *testing.T) {
		s := newStore(t)
		takes(t, s, "k", time.Second, 2, A, A, SD, T)
		s.Advance(500 * time.Millisecond)
		takes(t, s, "k", time.Second, 2, T) // half an interval: nothing yet
		s.Advance(500 * time.Millisecond)
		takes(t, s, "k", time.Second, 2, A, SD, T) // allowed again, so told again
	})

	t.Run("the whole burst refills", func(t *testing.T) {
		s := newStore(t)
		takes(t, s, "k", time.Second, 2, A, A, SD)
		s.Advance(2 * time.Second)
		takes(t, s, "k", time.Second, 2, A, A, SD)
		s.Advance(10 * time.Millisecond)
		takes(t, s, "k", time.Second, 2, T)
	})

	t.Run("keys are independent and compared whole", func(t *testing.T) {
		s := newStore(t)
		takes(t, s, "slack\x00U1", time.Hour, 1, A, SD)
		for _, k := range []string{"slack\x00U2", "discord\x00U1", "slack\x00U1 ", "slack", "", "é\x00\xff", "slack%00U1", "slack%U1"} {
			takes(t, s, k, time.Hour, 1, A)
		}
		takes(t, s, "slack\x00U1", time.Hour, 1, T)
	})

	t.Run("concurrent questions: exactly the burst allowed, one slow-down", func(t *testing.T) {
		s := newStore(t)
		const n, burst = 60, 10
		var mu sync.Mutex
		count := map[bot.RateVerdict]int{}
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, err := s.Take(ctx, "flood", time.Hour, burst)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				count[v]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		if count[A] != burst || count[SD] != 1 || count[T] != n-burst-1 {
			t.Errorf("%d concurrent questions: %d allowed, %d slow-down, %d throttled; want %d, 1, %d",
				n, count[A], count[SD], count[T], burst, n-burst-1)
		}
	})
}
