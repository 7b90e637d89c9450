package bot

import (
	"context"
	"sync"
	"time"
)

// Default rate limit per user, shared by every front end.
const (
	DefaultEvery = 3 * time.Second
	DefaultBurst = 5
)

// SlowDownText is the one reply a flooding user gets.
const SlowDownText = "You're asking faster than I can keep up. Please wait a few seconds and ask again."

// Limiter wraps an Answerer with a per-user rate limit shared by all front
// ends (a user is identified by front end and user id). A user over the limit
// gets one KindSlowDown reply, then KindThrottled (send nothing) until the
// limiter lets them ask again. Questions with no user are never limited.
//
// What the limiter knows of each user lives in a RateStore: in memory by
// default (MemoryRates), or in a store the replicas share (WithRateStore).
type Limiter struct {
	next  Answerer
	every time.Duration
	burst int
	store RateStore
	onErr func(error)
}

// LimiterOption configures a Limiter.
type LimiterOption func(*Limiter)

// WithRateStore keeps the users' allowances in s instead of a MemoryRates
// of the limiter's own.
func WithRateStore(s RateStore) LimiterOption { return func(l *Limiter) { l.store = s } }

// WithRateErrors calls f when the rate store fails; the question is then
// answered, unlimited.
func WithRateErrors(f func(error)) LimiterOption { return func(l *Limiter) { l.onErr = f } }

// NewLimiter limits each user to burst questions at once and one more every
// interval. every <= 0 disables limiting.
func NewLimiter(next Answerer, every time.Duration, burst int, opts ...LimiterOption) *Limiter {
	if burst < 1 {
		burst = 1
	}
	l := &Limiter{next: next, every: every, burst: burst}
	for _, o := range opts {
		o(l)
	}
	if l.store == nil {
		l.store = &MemoryRates{}
	}
	return l
}

// Answer answers q unless its user is over the limit.
func (l *Limiter) Answer(ctx context.Context, q Question) (Reply, error) {
	if l.every <= 0 || q.User == "" {
		return l.next.Answer(ctx, q)
	}
	v, err := l.store.Take(ctx, q.Frontend+"\x00"+q.User, l.every, l.burst)
	if err != nil {
		if l.onErr != nil {
			l.onErr(err)
		}
		v = RateAllowed
	}
	if v != RateAllowed {
		r := Reply{Question: Visible(q.Text), Kind: KindThrottled, Text: ThrottledText, Visibility: Private}
		if v == RateSlowDown {
			r.Kind, r.Text = KindSlowDown, SlowDownText
		}
		return r, nil
	}
	return l.next.Answer(ctx, q)
}

// RateVerdict is a RateStore's decision on one question.
type RateVerdict uint8

// Verdicts of RateStore.Take.
const (
	// RateAllowed: the question is within the user's allowance.
	RateAllowed RateVerdict = iota
	// RateSlowDown: the allowance is spent, and this is the first
	// question refused since the last one allowed: tell the user.
	RateSlowDown
	// RateThrottled: the allowance is spent and the user was told.
	RateThrottled
)

// RateStore keeps each user's allowance for a Limiter: burst questions at
// once, and one more every interval (a token bucket, kept as the generic
// cell rate algorithm's theoretical arrival time), and whether the user
// was told to slow down since their last question allowed.
//
// MemoryRates keeps them in the process; a store shared by replicas
// (Redis) implements the same interface, and the suite in bot/ratetest
// checks any implementation.
type RateStore interface {
	// Take spends one question of key's allowance and says whether it was
	// allowed, or refused for the first time (slow down) or again
	// (throttled). every is more than zero and burst at least 1. An error
	// means the store could not tell; the Limiter then answers.
	Take(ctx context.Context, key string, every time.Duration, burst int) (RateVerdict, error)
}

// gcra is one step of the generic cell rate algorithm, the token bucket
// kept as a single time: tat is when the user's bucket is full again
// (their theoretical arrival time; zero for a user never seen). A question
// at now is allowed when at least one of burst questions is left, that is
// when tat is at most (burst-1)*every after now; it then moves tat on by
// every. It returns the new tat and whether the question was allowed.
// MemoryRates uses it; the Redis store runs the same step in a script.
func gcra(tat, now time.Time, every time.Duration, burst int) (time.Time, bool) {
	if tat.Before(now) {
		tat = now
	}
	if tat.Sub(now) > time.Duration(burst-1)*every {
		return tat, false
	}
	return tat.Add(every), true
}

// maxTrackedUsers bounds a MemoryRates; idle users are forgotten.
const maxTrackedUsers = 10000

// MemoryRates is a RateStore in memory, bounded to 10,000 users: when
// full, users whose allowance has refilled are forgotten (which changes
// nothing), and if none has, everyone is (rather than grow without bound).
// The zero value is ready to use. It is safe for concurrent use.
type MemoryRates struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu    sync.Mutex
	users map[string]*userRate
}

type userRate struct {
	tat    time.Time
	warned bool
}

var _ RateStore = (*MemoryRates)(nil)

// Take implements RateStore. It never fails.
func (m *MemoryRates) Take(_ context.Context, key string, every time.Duration, burst int) (RateVerdict, error) {
	now := time.Now()
	if m.Now != nil {
		now = m.Now()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.users == nil {
		m.users = map[string]*userRate{}
	}
	u := m.users[key]
	if u == nil {
		if len(m.users) >= maxTrackedUsers {
			m.forgetIdle(now)
		}
		u = &userRate{}
		m.users[key] = u
	}
	tat, ok := gcra(u.tat, now, every, burst)
	u.tat = tat
	switch {
	case ok:
		u.warned = false
		return RateAllowed, nil
	case u.warned:
		return RateThrottled, nil
	}
	u.warned = true
	return RateSlowDown, nil
}

// Len returns how many users are tracked.
func (m *MemoryRates) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.users)
}

// forgetIdle drops users whose bucket has refilled: forgetting them changes
// nothing. If all are busy (a flood of distinct ids), it drops everyone
// rather than grow without bound.
func (m *MemoryRates) forgetIdle(now time.Time) {
	for k, u := range m.users {
		if !u.tat.After(now) {
			delete(m.users, k)
		}
	}
	if len(m.users) >= maxTrackedUsers {
		clear(m.users)
	}
}
