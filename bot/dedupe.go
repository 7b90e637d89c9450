package bot

import (
	"context"
	"crypto/sha256"
	"sync"
	"time"
)

// DedupeStore remembers keys for a while so that a platform's retries and
// replays of one event are answered once. Front ends build a key for each
// event (its id, or a hash of what was signed) and answer only when
// FirstSeen says the key is new.
//
// MemoryDedupe keeps the keys in the process; a store shared by replicas
// (Redis, say) implements the same interface, and the suite in package
// bot/dedupetest checks any implementation.
type DedupeStore interface {
	// FirstSeen records key and reports whether it is new: true the first
	// time, false for every repeat until window has passed since that first
	// time (a repeat does not extend the window). A window of zero or less
	// remembers nothing and always reports true. An error means the store
	// could not tell; callers answer rather than drop the event.
	FirstSeen(ctx context.Context, key string, window time.Duration) (bool, error)
}

// DefaultDedupeKeys bounds a MemoryDedupe: about 7 MB of keys. Slack sends
// an app at most 30,000 events an hour per workspace, so an hour's window
// holds more than three workspaces at full rate.
const DefaultDedupeKeys = 100_000

// MemoryDedupe is a DedupeStore in memory, bounded to MaxKeys keys: when
// it is full, the oldest key is forgotten first (and counted in Evicted).
// Keys are kept as 128-bit hashes, so a long key costs no more than a short
// one. The zero value is ready to use. It is safe for concurrent use.
type MemoryDedupe struct {
	// MaxKeys bounds the keys remembered; 0 means DefaultDedupeKeys.
	MaxKeys int
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu      sync.Mutex
	expires map[dedupeKey]int64 // key -> when it is forgotten, Unix ns
	ring    []dedupeEntry       // keys in the order first seen: a circular queue
	head, n int
	evicted int64
}

type dedupeKey [16]byte

type dedupeEntry struct {
	key     dedupeKey
	expires int64
}

var _ DedupeStore = (*MemoryDedupe)(nil)

// FirstSeen implements DedupeStore. It never fails.
func (d *MemoryDedupe) FirstSeen(_ context.Context, key string, window time.Duration) (bool, error) {
	if window <= 0 {
		return true, nil
	}
	sum := sha256.Sum256([]byte(key))
	var k dedupeKey
	copy(k[:], sum[:])
	now := time.Now
	if d.Now != nil {
		now = d.Now
	}
	t := now().UnixNano()

	d.mu.Lock()
	defer d.mu.Unlock()
	if d.expires == nil {
		d.expires = map[dedupeKey]int64{}
	}
	d.forgetExpired(t)
	if exp, ok := d.expires[k]; ok && exp > t {
		return false, nil
	}
	limit := d.MaxKeys
	if limit <= 0 {
		limit = DefaultDedupeKeys
	}
	for d.n >= limit {
		d.pop()
		d.evicted++
	}
	exp := t + int64(window)
	d.expires[k] = exp
	d.push(dedupeEntry{k, exp}, limit)
	return true, nil
}

// Len returns how many keys are remembered now.
func (d *MemoryDedupe) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.expires)
}

// Evicted returns how many keys were forgotten before their window ended
// because the store was full.
func (d *MemoryDedupe) Evicted() int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.evicted
}

// forgetExpired drops keys from the front of the queue while their window
// has passed. A key with a short window behind one with a long window waits
// its turn; FirstSeen checks each key's own expiry, so that only costs
// memory, which MaxKeys bounds.
func (d *MemoryDedupe) forgetExpired(t int64) {
	for d.n > 0 && d.ring[d.head].expires <= t {
		d.pop()
	}
}

// pop removes the oldest entry, and its key unless the key was seen again
// (and so holds a later expiry of its own entry).
func (d *MemoryDedupe) pop() {
	e := d.ring[d.head]
	if d.expires[e.key] == e.expires {
		delete(d.expires, e.key)
	}
	d.ring[d.head] = dedupeEntry{}
	d.head = (d.head + 1) % len(d.ring)
	d.n--
}

// push appends e, growing the ring (up to limit entries) when it is full.
func (d *MemoryDedupe) push(e dedupeEntry, limit int) {
	if d.n == len(d.ring) {
		grown := make([]dedupeEntry, min(limit, max(16, 2*len(d.ring))))
		for i := range d.n {
			grown[i] = d.ring[(d.head+i)%len(d.ring)]
		}
		d.ring, d.head = grown, 0
	}
	d.ring[(d.head+d.n)%len(d.ring)] = e
	d.n++
}
