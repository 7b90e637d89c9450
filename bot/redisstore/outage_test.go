package redisstore_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/bot/redisstore"
	"github.com/liberterra/liberterra/bot/redisstore/redistest"
)

// events records what a client reports.
type events struct {
	mu        sync.Mutex
	changes   []bool
	fallbacks map[string]int
}

func (e *events) options(prefix string) redisstore.Options {
	e.fallbacks = map[string]int{}
	return redisstore.Options{Prefix: prefix, ProbeEvery: 20 * time.Millisecond,
		OnStateChange: func(up bool, err error) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.changes = append(e.changes, up)
		},
		OnFallback: func(store string) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.fallbacks[store]++
		}}
}

func (e *events) snapshot() ([]bool, map[string]int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	f := map[string]int{}
	for k, v := range e.fallbacks {
		f[k] = v
	}
	return append([]bool(nil), e.changes...), f
}

// waitUp waits until c reaches Redis again.
func waitUp(t *testing.T, c *redisstore.Client) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !c.Up() {
		if time.Now().After(deadline) {
			t.Fatal("the client never found Redis again")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Redis stopped: every store goes on in the process, the outage is told
// once; Redis back: the client finds it by itself, tells it once, and what
// the process kept is in Redis for the other replicas.
func TestOutageAndRecovery(t *testing.T) {
	srv := redistest.Start(t)
	var ev events
	c := open(t, srv, ev.options("outage:"))
	other := open(t, srv, redisstore.Options{Prefix: "outage:"}) // another replica, checked after recovery
	ctx := context.Background()
	dedupe, rates, convs, gaps := c.Dedupe(), c.Rates(), c.Conversations(), c.Journal("gaps")

	before := bot.Conversation{Turns: []bot.Turn{{Question: "what happened in algeria", Fact: "algeria-money-laundering"}}}
	if err := convs.Save(ctx, "kept", before); err != nil {
		t.Fatal(err)
	}
	gaps.Append(ctx, map[string]int{"n": 0})

	srv.Stop()
	// Dedupe: answered from the process, retries still recognised there.
	for i, want := range []bool{true, false, false} {
		first, err := dedupe.FirstSeen(ctx, "slack:event:EvDown", time.Hour)
		if err != nil || first != want {
			t.Fatalf("sighting %d while down: %v, %v; want %v, nil", i, first, err, want)
		}
	}
	// Rates: limited in the process.
	var verdicts []bot.RateVerdict
	for range 3 {
		v, err := rates.Take(ctx, "slack\x00U1", time.Hour, 1)
		if err != nil {
			t.Fatal(err)
		}
		verdicts = append(verdicts, v)
	}
	if verdicts[0] != bot.RateAllowed || verdicts[1] != bot.RateSlowDown || verdicts[2] != bot.RateThrottled {
		t.Errorf("rate verdicts while down: %v", verdicts)
	}
	// Conversations: what is in Redis is out of reach; new ones are kept.
	if got, err := convs.Load(ctx, "kept"); err != nil || len(got.Turns) != 0 {
		t.Errorf("Load while down = %+v, %v; want empty", got, err)
	}
	during := bot.Conversation{Turns: []bot.Turn{{Question: "and in serbia?", Place: "serbia"}}}
	if err := convs.Save(ctx, "new", during); err != nil {
		t.Fatal(err)
	}
	if got, _ := convs.Load(ctx, "new"); len(got.Turns) != 1 {
		t.Errorf("a conversation saved while down was not kept: %+v", got)
	}
	if err := convs.Delete(ctx, "kept"); err != nil { // "start over" while down
		t.Fatal(err)
	}
	// Journal: entries wait.
	for i := 1; i <= 3; i++ {
		if err := gaps.Append(ctx, map[string]int{"n": i}); err != nil {
			t.Fatal(err)
		}
	}
	if gaps.Backlog() != 3 {
		t.Errorf("backlog %d, want 3", gaps.Backlog())
	}
	changes, fallbacks := ev.snapshot()
	if len(changes) != 1 || changes[0] {
		t.Errorf("state changes while down: %v, want one: down", changes)
	}
	for _, s := range []string{redisstore.StoreDedupe, redisstore.StoreRate, redisstore.StoreConversations, redisstore.StoreJournal} {
		if fallbacks[s] == 0 {
			t.Errorf("no fallback counted for %s: %v", s, fallbacks)
		}
	}

	srv.Start()
	waitUp(t, c)
	changes, _ = ev.snapshot()
	if len(changes) != 2 || !changes[1] {
		t.Errorf("state changes after recovery: %v, want down, up", changes)
	}
	// Written back: the other replica sees what this one kept.
	if first, _ := other.Dedupe().FirstSeen(ctx, "slack:event:EvDown", time.Hour); first {
		t.Error("a key seen while down was not written back")
	}
	if got, _ := other.Conversations().Load(ctx, "new"); len(got.Turns) != 1 || got.Turns[0].Place != "serbia" {
		t.Errorf("conversation saved while down, after recovery: %+v", got)
	}
	if got, _ := other.Conversations().Load(ctx, "kept"); len(got.Turns) != 0 {
		t.Errorf("conversation ended while down still in Redis: %+v", got)
	}
	var ns []int
	other.Journal("gaps").Read(ctx, func(_ string, e []byte) error {
		var v struct{ N int }
		json.Unmarshal(e, &v)
		ns = append(ns, v.N)
		return nil
	})
	if len(ns) != 4 || ns[0] != 0 || ns[3] != 3 {
		t.Errorf("stream after recovery: %v, want [0 1 2 3]", ns)
	}
	if gaps.Backlog() != 0 || dedupe.LocalKeys() != 0 {
		t.Errorf("left in the process after recovery: %d entries, %d keys", gaps.Backlog(), dedupe.LocalKeys())
	}
	// And Redis is used again.
	if first, _ := dedupe.FirstSeen(ctx, "slack:event:EvUp", time.Hour); !first {
		t.Error("new key after recovery not first")
	}
	if first, _ := other.Dedupe().FirstSeen(ctx, "slack:event:EvUp", time.Hour); first {
		t.Error("after recovery, keys are not shared again")
	}
}

// A Redis that hangs (a host gone silent) costs one timeout, not one per
// question: then the stores answer from the process at once.
func TestFrozenRedis(t *testing.T) {
	srv := redistest.Start(t)
	var ev events
	o := ev.options("frozen:")
	o.Timeout = 100 * time.Millisecond
	c := open(t, srv, o)
	d := c.Dedupe()
	ctx := context.Background()
	srv.Pause()
	defer srv.Resume()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 100 {
			if first, err := d.FirstSeen(ctx, "k", time.Hour); err != nil || first != (i == 0) {
				t.Errorf("sighting %d: %v, %v", i, first, err)
				return
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(wait):
		t.Fatal("questions wait on a frozen Redis")
	}
	if changes, _ := ev.snapshot(); len(changes) != 1 || changes[0] {
		t.Errorf("state changes: %v, want one: down", changes)
	}
	srv.Resume()
	waitUp(t, c)
}

// Redis unreachable at start: Open succeeds, in the unreachable state, and
// the client finds Redis when it comes.
func TestOpenWhileDown(t *testing.T) {
	srv := redistest.Start(t)
	srv.Stop()
	var ev events
	c, err := redisstore.Open(context.Background(), srv.URL(), ev.options("late:"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Up() {
		t.Fatal("up with Redis stopped")
	}
	if first, err := c.Dedupe().FirstSeen(context.Background(), "k", time.Hour); !first || err != nil {
		t.Errorf("FirstSeen while down: %v, %v", first, err)
	}
	srv.Start()
	waitUp(t, c)
	if changes, _ := ev.snapshot(); len(changes) != 2 || changes[0] || !changes[1] {
		t.Errorf("state changes: %v, want down, up", changes)
	}
}
