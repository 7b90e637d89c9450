// Package conversationtest is the conformance suite every
// bot.ConversationStore must pass, in memory or shared between replicas:
// loads return what was saved, unknown keys are empty, deletes forget,
// saved state is not shared with the caller, and keys are independent.
package conversationtest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/liberterra/liberterra/bot"
)

// Run runs the suite against stores made by newStore (a fresh, empty store
// each call).
func Run(t *testing.T, newStore func(t *testing.T) bot.ConversationStore) {
	ctx := context.Background()
	conv := bot.Conversation{
		Turns: []bot.Turn{{Question: "how many arrests in Turkey?", Fact: "turkey-94-smugglers-arrested",
			Entities: []string{"turkey"}, Terms: []string{"arrest"}, Covers: []float32{0.5}, Want: 2, Place: "turkey"}},
		Shown: []string{"turkey-94-smugglers-arrested"},
	}
	t.Run("unknown key is empty", func(t *testing.T) {
		s := newStore(t)
		c, err := s.Load(ctx, "nobody")
		if err != nil || len(c.Turns) != 0 || len(c.Shown) != 0 {
			t.Fatalf("Load(unknown) = %+v, %v; want empty, nil", c, err)
		}
	})
	t.Run("save then load", func(t *testing.T) {
		s := newStore(t)
		if err := s.Save(ctx, "slack:T1:C1:1700000000.000100", conv); err != nil {
			t.Fatal(err)
		}
		c, err := s.Load(ctx, "slack:T1:C1:1700000000.000100")
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprintf("%+v", c) != fmt.Sprintf("%+v", conv) {
			t.Errorf("Load = %+v\nwant %+v", c, conv)
		}
	})
	t.Run("keys are independent", func(t *testing.T) {
		s := newStore(t)
		if err := s.Save(ctx, "a", conv); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.Load(ctx, "b"); len(c.Turns) != 0 {
			t.Errorf("key b sees key a's conversation: %+v", c)
		}
	})
	t.Run("delete forgets", func(t *testing.T) {
		s := newStore(t)
		if err := s.Save(ctx, "a", conv); err != nil {
			t.Fatal(err)
		}
		if err := s.Delete(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		if c, _ := s.Load(ctx, "a"); len(c.Turns) != 0 {
			t.Errorf("Load after Delete = %+v, want empty", c)
		}
		if err := s.Delete(ctx, "never-saved"); err != nil {
			t.Errorf("Delete of an unknown key: %v", err)
		}
	})
	t.Run("saved state is its own", func(t *testing.T) {
		s := newStore(t)
		c := bot.Conversation{Turns: []bot.Turn{{Question: "q", Entities: []string{"mali"}}}}
		if err := s.Save(ctx, "a", c); err != nil {
			t.Fatal(err)
		}
		c.Turns[0].Entities[0] = "changed"
		got, _ := s.Load(ctx, "a")
		// A caller appends to what Load returns (it never writes an
		// element in place): the store keeps what was saved.
		got.Turns = append(got.Turns, bot.Turn{Question: "appended"})
		got.Turns[0].Entities = append(got.Turns[0].Entities, "appended")
		got.Shown = append(got.Shown, "appended")
		again, _ := s.Load(ctx, "a")
		if len(again.Turns) != 1 || len(again.Turns[0].Entities) != 1 || again.Turns[0].Entities[0] != "mali" || len(again.Shown) != 0 {
			t.Errorf("the store shares memory with its callers: %+v", again)
		}
	})
	t.Run("concurrent use", func(t *testing.T) {
		s := newStore(t)
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				key := fmt.Sprintf("k%d", i)
				for range 50 {
					c, err := s.Load(ctx, key)
					if err != nil {
						t.Error(err)
						return
					}
					c.Shown = append(c.Shown, "x")
					if err := s.Save(ctx, key, c); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		for i := range 8 {
			if c, _ := s.Load(ctx, fmt.Sprintf("k%d", i)); len(c.Shown) != 50 {
				t.Errorf("k%d: %d saves seen, want 50", i, len(c.Shown))
			}
		}
	})
}
