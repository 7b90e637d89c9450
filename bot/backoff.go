package bot

import (
	"context"
	"math/rand/v2"
	"time"
)

// Backoff is a capped exponential backoff with jitter: each Next doubles
// the wait from Min up to Max, and returns a random time between half that
// wait and all of it, so that many clients retrying at once spread out.
// The zero value waits between 0.5 and 1 second, then up to a minute.
type Backoff struct {
	Min, Max time.Duration
	attempt  int
}

// Next returns the wait before the next attempt.
func (b *Backoff) Next() time.Duration {
	lo, hi := b.Min, b.Max
	if lo <= 0 {
		lo = time.Second
	}
	if hi <= 0 {
		hi = time.Minute
	}
	d := lo
	for i := 0; i < b.attempt && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	b.attempt++
	return d/2 + rand.N(d/2+1)
}

// Reset starts the backoff again from Min, after a success.
func (b *Backoff) Reset() { b.attempt = 0 }

// Sleep waits for d or until ctx is done, and reports whether it waited
// the whole time.
func Sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// Retry is a policy for retrying calls to a platform that fail for a while:
// rate limits, server errors, dropped connections.
type Retry struct {
	// Backoff spaces the attempts; its Min and Max are copied per Do.
	Backoff Backoff
	// Transient reports whether err is worth another attempt, and the
	// least wait the platform asked for (its Retry-After), if any. Nil
	// means every error is transient.
	Transient func(err error) (retry bool, after time.Duration)
	// OnRetry, when set, is told of each failed attempt before the wait.
	OnRetry func(err error, attempt int, wait time.Duration)
}

// Do calls f until it succeeds, fails with an error that is not transient,
// or ctx ends (including when the next wait would end after ctx's
// deadline). It returns f's last error.
func (p Retry) Do(ctx context.Context, f func(ctx context.Context) error) error {
	b := Backoff{Min: p.Backoff.Min, Max: p.Backoff.Max}
	for attempt := 1; ; attempt++ {
		err := f(ctx)
		if err == nil {
			return nil
		}
		retry, after := true, time.Duration(0)
		if p.Transient != nil {
			retry, after = p.Transient(err)
		}
		if !retry || ctx.Err() != nil {
			return err
		}
		wait := max(after, b.Next())
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return err
		}
		if p.OnRetry != nil {
			p.OnRetry(err, attempt, wait)
		}
		if !Sleep(ctx, wait) {
			return err
		}
	}
}
