package redisstore

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"sync"
	"time"

	"github.com/liberterra/liberterra/bot"
)

// Dedupe is a bot.DedupeStore in Redis: SET NX with the window as expiry,
// so of all replicas exactly one sees a key first. Keys are stored as
// 128-bit hashes. While Redis is unreachable it remembers keys in the
// process (a retry reaching another replica may then be answered again),
// and writes them to Redis when it is back.
type Dedupe struct {
	c *Client

	mu      sync.Mutex
	local   *bot.MemoryDedupe
	pending []pendingKey // seen in the process, to write back
}

type pendingKey struct {
	key     string // the Redis key
	expires time.Time
}

var _ bot.DedupeStore = (*Dedupe)(nil)

// Dedupe returns the client's dedupe store.
func (c *Client) Dedupe() *Dedupe {
	d := &Dedupe{c: c, local: &bot.MemoryDedupe{}}
	c.onRecover(d.writeBack)
	return d
}

// FirstSeen implements bot.DedupeStore. It never fails: while Redis is
// unreachable it answers from the process.
func (d *Dedupe) FirstSeen(ctx context.Context, key string, window time.Duration) (bool, error) {
	if window <= 0 {
		return true, nil
	}
	rk := d.redisKey(key)
	var first bool
	err := d.c.call(ctx, func(ctx context.Context) error {
		var err error
		first, err = d.c.rdb.SetNX(ctx, rk, "1", window).Result()
		return err
	})
	if err == nil {
		return first, nil
	}
	d.c.fellBack(StoreDedupe)
	d.mu.Lock()
	defer d.mu.Unlock()
	first, _ = d.local.FirstSeen(ctx, key, window)
	if first && len(d.pending) < bot.DefaultDedupeKeys {
		d.pending = append(d.pending, pendingKey{rk, time.Now().Add(window)})
	}
	return first, nil
}

func (d *Dedupe) redisKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return d.c.key("dedupe:" + base64.RawURLEncoding.EncodeToString(sum[:16]))
}

// writeBack sets in Redis the keys first seen in the process while it was
// unreachable, for the rest of their windows. Once they are all written,
// the process forgets its own keys.
func (d *Dedupe) writeBack(ctx context.Context) error {
	d.mu.Lock()
	pending := d.pending
	d.pending = nil
	d.mu.Unlock()
	if len(pending) > 0 {
		now := time.Now()
		pipe := d.c.rdb.Pipeline()
		for _, p := range pending {
			if left := p.expires.Sub(now); left > time.Millisecond {
				pipe.SetNX(ctx, p.key, "1", left)
			}
		}
		if _, err := pipe.Exec(ctx); err != nil {
			d.mu.Lock()
			d.pending = append(pending, d.pending...)
			d.mu.Unlock()
			return err
		}
	}
	d.mu.Lock()
	if len(d.pending) == 0 {
		d.local = &bot.MemoryDedupe{}
	}
	d.mu.Unlock()
	return nil
}

// LocalKeys is how many keys the process remembers itself: those seen
// while Redis was unreachable, until they are written back.
func (d *Dedupe) LocalKeys() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.local.Len()
}
