package slack

import (
	"sync"
	"time"
)

// dedupe remembers recently seen ids (Events API event_id, Socket Mode
// envelopes) so Slack's retries are acknowledged but not answered twice.
// It holds at most max ids, each for ttl, forgetting the oldest first.
type dedupe struct {
	ttl time.Duration
	max int
	now func() time.Time

	mu    sync.Mutex
	seen  map[string]time.Time
	order []string // ids in the order first seen; a queue
}

func newDedupe(max int, ttl time.Duration) *dedupe {
	return &dedupe{ttl: ttl, max: max, now: time.Now, seen: map[string]time.Time{}}
}

// first reports whether id is new, and remembers it. An empty id is always new.
func (d *dedupe) first(id string) bool {
	if id == "" {
		return true
	}
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	for len(d.order) > 0 {
		oldest := d.order[0]
		if len(d.order) < d.max && now.Sub(d.seen[oldest]) < d.ttl {
			break
		}
		delete(d.seen, oldest)
		d.order[0] = ""
		d.order = d.order[1:]
	}
	if _, ok := d.seen[id]; ok {
		return false
	}
	d.seen[id] = now
	d.order = append(d.order, id)
	return true
}
