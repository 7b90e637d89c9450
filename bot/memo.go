package bot

import (
	"maps"
	"strings"
	"sync"
	"sync/atomic"
)

// memo remembers values by key for readers on many goroutines and
// rare writers: reads look up an immutable map with no lock (a sync.Map
// read cost a fifth of the lexicon look-ups of an answer); writes collect
// under a lock and are published as a new map once enough have gathered,
// or once they are read often, so the copying stays proportional to what
// is written and read.
type memo[K comparable, V any] struct {
	cur     atomic.Pointer[map[K]V]
	mu      sync.Mutex
	pending map[K]V // written, not yet published
	hits    int     // reads of pending since the last publication
}

// minPublish is the fewest pending values, or reads of them, worth copying
// the map for.
const minPublish = 64

func (m *memo[K, V]) get(k K) (V, bool) {
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

// put remembers v for k. A string key is copied, so it never holds on to
// the text it came from.
func (m *memo[K, V]) put(k K, v V) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.pending == nil {
		m.pending = map[K]V{}
	}
	if s, ok := any(k).(string); ok {
		k = any(strings.Clone(s)).(K)
	}
	m.pending[k] = v
	if len(m.pending) >= max(minPublish, m.len()/2) {
		m.publish()
	}
}

func (m *memo[K, V]) len() int {
	if cur := m.cur.Load(); cur != nil {
		return len(*cur)
	}
	return 0
}

// publish makes the pending values readable without the lock; m.mu held.
func (m *memo[K, V]) publish() {
	next := make(map[K]V, m.len()+len(m.pending))
	if cur := m.cur.Load(); cur != nil {
		maps.Copy(next, *cur)
	}
	maps.Copy(next, m.pending)
	m.cur.Store(&next)
	m.pending, m.hits = nil, 0
}
