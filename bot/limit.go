package bot

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
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
type Limiter struct {
	next  Answerer
	every time.Duration
	burst int
	now   func() time.Time

	mu    sync.Mutex
	users map[string]*userLimit
}

type userLimit struct {
	lim    *rate.Limiter
	warned bool
	seen   time.Time
}

// NewLimiter limits each user to burst questions at once and one more every
// interval. every <= 0 disables limiting.
func NewLimiter(next Answerer, every time.Duration, burst int) *Limiter {
	if burst < 1 {
		burst = 1
	}
	return &Limiter{next: next, every: every, burst: burst, now: time.Now, users: map[string]*userLimit{}}
}

// Answer answers q unless its user is over the limit.
func (l *Limiter) Answer(ctx context.Context, q Question) (Reply, error) {
	if l.every <= 0 || q.User == "" {
		return l.next.Answer(ctx, q)
	}
	if kind, limited := l.take(q.Frontend + "\x00" + q.User); limited {
		r := Reply{Question: Visible(q.Text), Kind: kind, Text: ThrottledText, Visibility: Private}
		if kind == KindSlowDown {
			r.Text = SlowDownText
		}
		return r, nil
	}
	return l.next.Answer(ctx, q)
}

// take spends one token for key; when none is left it says whether this is
// the first refusal (slow down) or a later one (throttled).
func (l *Limiter) take(key string) (ReplyKind, bool) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	u := l.users[key]
	if u == nil {
		if len(l.users) >= maxTrackedUsers {
			l.forgetIdle(now)
		}
		u = &userLimit{lim: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.users[key] = u
	}
	u.seen = now
	if u.lim.AllowN(now, 1) {
		u.warned = false
		return "", false
	}
	if u.warned {
		return KindThrottled, true
	}
	u.warned = true
	return KindSlowDown, true
}

// maxTrackedUsers bounds the limiter's memory; idle users are forgotten.
const maxTrackedUsers = 10000

// forgetIdle drops users whose bucket has refilled: forgetting them changes
// nothing. If all are busy (a flood of distinct ids), it drops everyone
// rather than grow without bound.
func (l *Limiter) forgetIdle(now time.Time) {
	full := l.every * time.Duration(l.burst)
	for k, u := range l.users {
		if now.Sub(u.seen) > full {
			delete(l.users, k)
		}
	}
	if len(l.users) >= maxTrackedUsers {
		clear(l.users)
	}
}
