// Package journaltest is a conformance suite for implementations of
// bot.Journal: the file journal runs it in bot's tests, and a journal
// shared between replicas (a Redis stream) runs the same suite in its own.
package journaltest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liberterra/liberterra/bot"
)

// Journal is a journal under test and a way to read back what it holds.
type Journal struct {
	bot.Journal
	// Read returns every entry appended so far, oldest first, as the JSON
	// object each was stored as.
	Read func() ([][]byte, error)
}

// Run runs the suite. newJournal makes a new, empty journal for each
// subtest.
func Run(t *testing.T, newJournal func(t *testing.T) Journal) {
	ctx := context.Background()
	read := func(t *testing.T, j Journal) [][]byte {
		t.Helper()
		entries, err := j.Read()
		if err != nil {
			t.Fatalf("reading the journal: %v", err)
		}
		return entries
	}
	gap := bot.Gap{Time: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), Frontend: "slack",
		Question: `How many "arrests" in Côte d'Ivoire? <@U1> & \n`, Kind: "declined", Confidence: 0.25,
		Suggestions: []string{"Arrests", "Headline figures"}}

	t.Run("entries read back in order, whole", func(t *testing.T) {
		j := newJournal(t)
		if got := read(t, j); len(got) != 0 {
			t.Fatalf("a new journal holds %d entries", len(got))
		}
		for i := range 3 {
			g := gap
			g.Question = fmt.Sprintf("%s %d", gap.Question, i)
			if err := j.Append(ctx, g); err != nil {
				t.Fatalf("Append: %v", err)
			}
		}
		got := read(t, j)
		if len(got) != 3 {
			t.Fatalf("%d entries read back, want 3", len(got))
		}
		for i, raw := range got {
			var g bot.Gap
			if err := json.Unmarshal(raw, &g); err != nil {
				t.Fatalf("entry %d %q: %v", i, raw, err)
			}
			want := gap
			want.Question = fmt.Sprintf("%s %d", gap.Question, i)
			if fmt.Sprintf("%+v", g) != fmt.Sprintf("%+v", want) {
				t.Errorf("entry %d = %+v\nwant %+v", i, g, want)
			}
		}
	})

	t.Run("any JSON object", func(t *testing.T) {
		j := newJournal(t)
		entry := map[string]any{"kind": "feedback", "vote": "down", "fact": "turkey-94-smugglers-arrested"}
		if err := j.Append(ctx, entry); err != nil {
			t.Fatal(err)
		}
		got := read(t, j)
		want, _ := json.Marshal(entry)
		if len(got) != 1 || !bytes.Equal(bytes.TrimSpace(got[0]), want) {
			t.Errorf("read back %q, want [%s]", got, want)
		}
	})

	t.Run("an entry that is not JSON is refused", func(t *testing.T) {
		j := newJournal(t)
		if err := j.Append(ctx, map[string]any{"f": func() {}}); err == nil {
			t.Error("Append of a func: no error")
		}
		if got := read(t, j); len(got) != 0 {
			t.Errorf("the refused entry left %q", got)
		}
	})

	t.Run("concurrent appends stay whole", func(t *testing.T) {
		j := newJournal(t)
		const writers, each = 8, 40
		long := strings.Repeat("x", 8<<10) // longer than a pipe's atomic write
		var wg sync.WaitGroup
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					if err := j.Append(ctx, map[string]any{"w": w, "i": i, "pad": long}); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		got := read(t, j)
		if len(got) != writers*each {
			t.Fatalf("%d entries, want %d", len(got), writers*each)
		}
		next := make([]int, writers)
		for k, raw := range got {
			var e struct {
				W, I int
				Pad  string
			}
			if err := json.Unmarshal(raw, &e); err != nil || e.Pad != long {
				t.Fatalf("entry %d is not whole (%v): %.80q", k, err, raw)
			}
			if e.I != next[e.W] {
				t.Fatalf("writer %d: entry %d came after %d", e.W, e.I, next[e.W]-1)
			}
			next[e.W]++
		}
	})
}
