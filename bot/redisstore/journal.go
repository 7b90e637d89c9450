package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/redis/go-redis/v9"

	"github.com/liberterra/liberterra/bot"
)

// Journal is a bot.Journal in a Redis stream shared by every replica:
// each entry is one stream entry whose field "entry" holds the JSON
// object, and the stream is trimmed to about Options.JournalMax entries
// (XADD MAXLEN ~), the oldest first. While Redis is unreachable, entries
// wait in the process (up to MaxBacklog; past it the oldest are dropped
// and Append says so) and are added when it is back.
type Journal struct {
	c      *Client
	stream string

	mu      sync.Mutex
	backlog [][]byte
}

// MaxBacklog bounds the entries a Journal keeps while Redis is
// unreachable.
const MaxBacklog = 10_000

// entryField is the stream field that holds an entry's JSON.
const entryField = "entry"

var _ bot.Journal = (*Journal)(nil)

// Journal returns the journal in the stream named name under the
// client's prefix ("gaps" is the stream liberterra:gaps).
func (c *Client) Journal(name string) *Journal {
	j := &Journal{c: c, stream: c.key(name)}
	c.onRecover(j.writeBack)
	return j
}

// Stream is the Redis key of the journal's stream.
func (j *Journal) Stream() string { return j.stream }

// ErrBacklogFull is Append's error when an entry had to be dropped: Redis
// was unreachable for longer than MaxBacklog entries.
var ErrBacklogFull = errors.New("redis unreachable and the journal's backlog full: oldest entry dropped")

// Append implements bot.Journal.
func (j *Journal) Append(ctx context.Context, entry any) error {
	data, err := json.Marshal(entry)
	if err != nil {
		return err
	}
	err = j.c.call(ctx, func(ctx context.Context) error { return j.add(ctx, j.c.rdb, data).Err() })
	if err == nil {
		return nil
	}
	j.c.fellBack(StoreJournal)
	j.mu.Lock()
	defer j.mu.Unlock()
	j.backlog = append(j.backlog, data)
	if len(j.backlog) > MaxBacklog {
		j.backlog = append(j.backlog[:0], j.backlog[1:]...)
		return ErrBacklogFull
	}
	return nil
}

func (j *Journal) add(ctx context.Context, r redis.Cmdable, data []byte) *redis.StringCmd {
	return r.XAdd(ctx, &redis.XAddArgs{Stream: j.stream, MaxLen: j.c.o.JournalMax, Approx: true,
		Values: []any{entryField, data}})
}

// writeBack adds the entries kept while Redis was unreachable, in order.
func (j *Journal) writeBack(ctx context.Context) error {
	j.mu.Lock()
	backlog := j.backlog
	j.backlog = nil
	j.mu.Unlock()
	if len(backlog) == 0 {
		return nil
	}
	pipe := j.c.rdb.Pipeline()
	for _, data := range backlog {
		j.add(ctx, pipe, data)
	}
	cmds, err := pipe.Exec(ctx)
	if err == nil {
		return nil
	}
	// Keep the entries Redis did not acknowledge, for the next try (an
	// entry added whose reply was lost is then added twice: better than
	// losing it).
	var left [][]byte
	for i, c := range cmds {
		if c.Err() != nil && i < len(backlog) {
			left = append(left, backlog[i])
		}
	}
	j.mu.Lock()
	j.backlog = append(left, j.backlog...)
	j.mu.Unlock()
	return err
}

// Backlog is how many entries wait in the process for Redis.
func (j *Journal) Backlog() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.backlog)
}

// Read calls f with each entry of the stream, oldest first, reading it in
// pages. It talks to Redis even when the client thinks it unreachable, and
// returns its errors.
func (j *Journal) Read(ctx context.Context, f func(id string, entry []byte) error) error {
	const page = 1000
	start := "-"
	for {
		msgs, err := j.c.rdb.XRangeN(ctx, j.stream, start, "+", page).Result()
		if err != nil {
			return fmt.Errorf("reading stream %s: %w", j.stream, err)
		}
		for _, m := range msgs {
			v, _ := m.Values[entryField].(string)
			if err := f(m.ID, []byte(v)); err != nil {
				return err
			}
		}
		if len(msgs) < page {
			return nil
		}
		start = "(" + msgs[len(msgs)-1].ID
	}
}

// Len is how many entries the stream holds.
func (j *Journal) Len(ctx context.Context) (int64, error) {
	return j.c.rdb.XLen(ctx, j.stream).Result()
}
