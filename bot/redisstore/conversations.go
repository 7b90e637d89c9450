package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/liberterra/liberterra/bot"
)

// Conversations is a bot.ConversationStore in Redis: each conversation is
// a JSON string that expires when it has not been saved for the idle time
// (so a follow-up answered by any replica is read in its light). While
// Redis is unreachable, conversations are kept in the process (a follow-up
// whose conversation is in Redis loses its context); the ones saved or
// ended meanwhile are written to Redis when it is back.
//
// Keys that start with a NUL byte are the process's own (the bot numbers
// the conversation of a message that asks several questions with a
// per-process counter): they are kept in the process, never in Redis.
type Conversations struct {
	c    *Client
	idle time.Duration
	own  *bot.MemoryConversations

	mu       sync.Mutex
	fallback *bot.MemoryConversations
	touched  map[string]int64 // saved or deleted in the process, to write back: key -> change number
	changes  int64
}

var _ bot.ConversationStore = (*Conversations)(nil)

// Conversations returns the client's conversation store.
func (c *Client) Conversations() *Conversations {
	idle := c.o.ConversationIdle
	if idle <= 0 {
		idle = bot.DefaultConversationIdle
	}
	s := &Conversations{c: c, idle: idle, own: bot.NewMemoryConversations(idle, 0),
		fallback: bot.NewMemoryConversations(idle, 0), touched: map[string]int64{}}
	c.onRecover(s.writeBack)
	return s
}

func processOwn(key string) bool { return strings.HasPrefix(key, "\x00") }

// Load implements bot.ConversationStore.
func (s *Conversations) Load(ctx context.Context, key string) (bot.Conversation, error) {
	if processOwn(key) {
		return s.own.Load(ctx, key)
	}
	var data []byte
	err := s.c.call(ctx, func(ctx context.Context) error {
		var err error
		data, err = s.c.rdb.Get(ctx, s.c.key("conv:"+key)).Bytes()
		return err
	})
	switch {
	case errors.Is(err, redis.Nil):
		return bot.Conversation{}, nil
	case err != nil:
		s.c.fellBack(StoreConversations)
		return s.local().Load(ctx, key)
	}
	var conv bot.Conversation
	if err := json.Unmarshal(data, &conv); err != nil {
		return bot.Conversation{}, err
	}
	return conv, nil
}

// Save implements bot.ConversationStore.
func (s *Conversations) Save(ctx context.Context, key string, conv bot.Conversation) error {
	if processOwn(key) {
		return s.own.Save(ctx, key, conv)
	}
	data, err := json.Marshal(conv)
	if err != nil {
		return err
	}
	err = s.c.call(ctx, func(ctx context.Context) error {
		return s.c.rdb.Set(ctx, s.c.key("conv:"+key), data, s.idle).Err()
	})
	if err == nil {
		return nil
	}
	s.c.fellBack(StoreConversations)
	s.touch(key)
	return s.local().Save(ctx, key, conv)
}

// Delete implements bot.ConversationStore.
func (s *Conversations) Delete(ctx context.Context, key string) error {
	if processOwn(key) {
		return s.own.Delete(ctx, key)
	}
	err := s.c.call(ctx, func(ctx context.Context) error {
		return s.c.rdb.Del(ctx, s.c.key("conv:"+key)).Err()
	})
	if err == nil {
		return nil
	}
	s.c.fellBack(StoreConversations)
	s.touch(key)
	return s.local().Delete(ctx, key)
}

func (s *Conversations) local() *bot.MemoryConversations {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fallback
}

func (s *Conversations) touch(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.touched[key]; ok || len(s.touched) < bot.DefaultConversationMax {
		s.changes++
		s.touched[key] = s.changes
	}
}

// writeBack writes the conversations saved or ended in the process while
// Redis was unreachable. Once they are all written, the process forgets
// them.
func (s *Conversations) writeBack(ctx context.Context) error {
	s.mu.Lock()
	touched := make(map[string]int64, len(s.touched))
	for k, n := range s.touched {
		touched[k] = n
	}
	local := s.fallback
	s.mu.Unlock()
	if len(touched) > 0 {
		pipe := s.c.rdb.Pipeline()
		for key := range touched {
			conv, _ := local.Load(ctx, key)
			if len(conv.Turns) == 0 && len(conv.Shown) == 0 {
				pipe.Del(ctx, s.c.key("conv:"+key))
				continue
			}
			if data, err := json.Marshal(conv); err == nil {
				pipe.Set(ctx, s.c.key("conv:"+key), data, s.idle)
			}
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return err // all still touched: written at the next try
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, n := range touched {
		if s.touched[k] == n { // not changed again while being written
			delete(s.touched, k)
		}
	}
	if len(s.touched) == 0 {
		s.fallback = bot.NewMemoryConversations(s.idle, 0)
	}
	return nil
}
