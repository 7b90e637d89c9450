package bot

import (
	"maps"
	"strings"
	"sync"
	"sync/atomic"
)

// memo remembers values by string key for readers on many goroutines and
// rare writers: reads look up an immutable map with no lock (a sync.Map
// read cost a fifth of the lexicon look-ups of an answer); writes collect
// under a lock and are published as a new map once enough have gathered,
// or once they are read often, so the copying stays proportional to what
// is written and read.
type memo[V any] struct {
	cur     atomic.Pointer[map[string]V]
	mu      sync.Mutex
	pending map[string]V // written, not yet published
	hits    int          // reads of pending since the last publication
}

// minPublish is the fewest pending values, or reads of them, worth copying
// the map for.
const minPublish = 64

func (m *memo[V]) get(k string) (V, bool) {
	if cur := m.cur.Load(); cur != nil {
		if v, ok := (*cur)[k]; ok {
			return v, true
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.pending[k]
	if ok {
		if m.hits++; m.hits >= minPublish {
			m.publish()
		}
	}
	return v, ok
}

// put remembers v for k. The key is copied, so it never holds on to the
// text it came from.
func (m *memo[V]) put(k string, v V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pending == nil {
		m.pending = map[string]V{}
	}
	m.pending[strings.Clone(k)] = v
	if len(m.pending) >= max(minPublish, m.len()/2) {
		m.publish()
	}
}

func (m *memo[V]) len() int {
	if cur := m.cur.Load(); cur != nil {
		return len(*cur)
	}
	return 0
}

// publish makes the pending values readable without the lock; m.mu held.
func (m *memo[V]) publish() {
	next := make(map[string]V, m.len()+len(m.pending))
	if cur := m.cur.Load(); cur != nil {
		maps.Copy(next, *cur)
	}
	maps.Copy(next, m.pending)
	m.cur.Store(&next)
	m.pending, m.hits = nil, 0
}
