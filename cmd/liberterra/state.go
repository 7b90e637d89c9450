package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/bot/redisstore"
	"github.com/liberterra/liberterra/cmd/liberterra/internal/ops"
)

// redisVar is the variable that points serve (and gaps) at Redis.
const redisVar = "LIBERTERRA_REDIS_URL"

// gapsInRedis is the value of --gaps (or of another log's flag) that
// logs to a Redis stream rather than a file.
const gapsInRedis = "redis"

// The streams, under the key prefix, of the gaps and feedback logs.
const (
	gapsStream     = "gaps"
	feedbackStream = "feedback"
)

// sharedState is where serve keeps what replicas share: the dedupe keys,
// the rate limits and the conversations. Without Redis, all of it is in
// the process, as one process needs; with Redis, in Redis (and in the
// process only while Redis is unreachable).
type sharedState struct {
	dedupe bot.DedupeStore
	rates  bot.RateStore
	convs  bot.ConversationStore
	redis  *redisstore.Client // nil without Redis
}

// memoryState is the state of one self-contained process.
func memoryState(metrics *ops.Metrics) *sharedState {
	d := &bot.MemoryDedupe{}
	metrics.WatchDedupe(d)
	return &sharedState{dedupe: d, rates: &bot.MemoryRates{}, convs: bot.NewMemoryConversations(0, 0)}
}

// redisState opens the Redis at rawURL (from names where the URL came
// from, for messages). Redis being unreachable is no error: serve answers
// with state in the process, says so once in the log, on /readyz and in
// /metrics, and uses Redis again when it is back. The errors are
// credentials Redis refuses; the URL was checked by redisProblem.
func redisState(ctx context.Context, rawURL, from string, log *slog.Logger, metrics *ops.Metrics) (*sharedState, error) {
	redisstore.SetLibraryLogger(log.With("component", "go-redis"))
	opt, err := redisstore.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", from, err)
	}
	addr := opt.Addr
	var mu sync.Mutex
	var downSince time.Time
	var client atomic.Pointer[redisstore.Client]
	metrics.WatchRedis(func() bool { c := client.Load(); return c != nil && c.Up() },
		redisstore.StoreDedupe, redisstore.StoreRate, redisstore.StoreConversations, redisstore.StoreJournal)
	c, err := redisstore.Open(ctx, rawURL, redisstore.Options{
		OnStateChange: func(up bool, err error) {
			mu.Lock()
			defer mu.Unlock()
			if up {
				log.Info("redis reachable again: shared state back in redis", "addr", addr,
					"down_for", time.Since(downSince).Round(time.Millisecond).String())
				return
			}
			downSince = time.Now()
			metrics.RedisDown()
			log.Error("redis unreachable: answering with state kept in this process until it is back "+
				"(a retry reaching another replica may be answered twice, a follow-up may lose its context)",
				"addr", addr, "err", err)
		},
		OnFallback: metrics.RedisFallback,
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", from, err)
	}
	client.Store(c)
	return &sharedState{dedupe: c.Dedupe(), rates: c.Rates(), convs: c.Conversations(), redis: c}, nil
}

// openJournal opens a curators' log (the gaps log, a feedback log) named by
// its flag's value: a FILE of JSON lines (mode 0600, returned too, so that
// SIGHUP can reopen it and shutdown close it), or "redis" for the capped
// stream named stream in Redis, shared by the replicas.
func openJournal(target, stream string, state *sharedState) (bot.Journal, *gapsFile, error) {
	if target == gapsInRedis {
		if state.redis == nil {
			return nil, nil, fmt.Errorf("needs --redis-url or %s", redisVar)
		}
		return state.redis.Journal(stream), nil, nil
	}
	f, err := openGapsFile(target)
	if err != nil {
		return nil, nil, err
	}
	return &bot.FileJournal{W: f}, f, nil
}

// redisProblem checks a Redis URL, naming where it came from.
func redisProblem(rawURL, from string) string {
	if _, err := redisstore.ParseURL(rawURL); err != nil {
		return fmt.Sprintf("%s: %v", from, err)
	}
	return ""
}

// degraded says, for /readyz, that Redis is unreachable.
func (s *sharedState) degraded() string {
	if s.redis == nil || s.redis.Up() {
		return ""
	}
	return "redis unreachable at " + s.redis.Addr() + ", shared state kept in this process"
}

// close closes the connections to Redis.
func (s *sharedState) close() {
	if s.redis != nil {
		s.redis.Close()
	}
}

// redisSecrets are the forms of a Redis URL's secret that logs must not
// show: the URL itself and its password.
func redisSecrets(rawURL string) []string {
	out := []string{rawURL}
	if u, err := url.Parse(rawURL); err == nil && u.User != nil {
		if p, ok := u.User.Password(); ok {
			out = append(out, p)
		}
	}
	return out
}
