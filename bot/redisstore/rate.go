package redisstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/liberterra/liberterra/bot"
)

// Rates is a bot.RateStore in Redis, shared by every replica and front
// end: each question is one script run atomically in Redis, a step of the
// generic cell rate algorithm (the token bucket bot.MemoryRates keeps in
// the process) on Redis's own clock. While Redis is unreachable, users are
// limited in each process on its own.
type Rates struct {
	c     *Client
	local bot.MemoryRates
}

var _ bot.RateStore = (*Rates)(nil)

// Rates returns the client's rate store.
func (c *Client) Rates() *Rates { return &Rates{c: c} }

// keyEscaper makes a limiter's key (front end, NUL, user id) readable in
// redis-cli, and keeps distinct keys distinct: slack%00U123.
var keyEscaper = strings.NewReplacer("%", "%25", "\x00", "%00")

// gcraScript takes one question: KEYS[1] is the user's state, a hash of
// tat (when the allowance is full again, in µs) and warned (1 once told to
// slow down); ARGV are the interval in µs, the burst, and the time now in
// µs ("" for Redis's clock). It returns 0 (allowed), 1 (slow down) or 2
// (throttled). The state expires when the allowance is full again, since
// forgetting it then changes nothing.
var gcraScript = redis.NewScript(`
local every = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if now == nil then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local state = redis.call('HMGET', KEYS[1], 'tat', 'warned')
local tat = tonumber(state[1]) or now
if tat < now then tat = now end
if tat - now <= (burst - 1) * every then
  tat = tat + every
  redis.call('HSET', KEYS[1], 'tat', string.format('%.0f', tat), 'warned', '0')
  redis.call('PEXPIRE', KEYS[1], math.ceil((tat - now) / 1000))
  return 0
end
if state[2] == '1' then return 2 end
redis.call('HSET', KEYS[1], 'warned', '1')
return 1
`)

// Take implements bot.RateStore. It never fails: while Redis is
// unreachable it answers from the process.
func (r *Rates) Take(ctx context.Context, key string, every time.Duration, burst int) (bot.RateVerdict, error) {
	now := ""
	if r.c.o.Now != nil {
		now = fmt.Sprint(r.c.o.Now().UnixMicro())
	}
	every = max(every, time.Microsecond)
	var v int64
	err := r.c.call(ctx, func(ctx context.Context) error {
		var err error
		v, err = gcraScript.Run(ctx, r.c.rdb, []string{r.c.key("rate:" + keyEscaper.Replace(key))}, every.Microseconds(), burst, now).Int64()
		return err
	})
	if err == nil && v >= 0 && v <= 2 {
		return bot.RateVerdict(v), nil
	}
	r.c.fellBack(StoreRate)
	return r.local.Take(ctx, key, every, burst)
}
