package bot_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/liberterra/liberterra/bot"
)

// wait bounds every wait in these tests: a guard against hangs, never a
// timing assertion.
const wait = 10 * time.Second

func recv(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(wait):
		t.Fatalf("timed out waiting for %s", what)
	}
}

func TestQueueFullThenClosed(t *testing.T) {
	q := bot.NewQueue(bot.QueueConfig{Capacity: 2, Workers: 1})
	started, release := make(chan struct{}, 10), make(chan struct{})
	var done atomic.Int64
	job := func(ctx context.Context) error {
		started <- struct{}{}
		<-release
		done.Add(1)
		return nil
	}
	if err := q.Submit(job); err != nil {
		t.Fatal(err)
	}
	recv(t, started, "the first job")
	for i := range 2 { // the worker is busy: two may wait
		if err := q.Submit(job); err != nil {
			t.Fatalf("submit %d: %v", i, err)
		}
	}
	if err := q.Submit(job); !errors.Is(err, bot.ErrQueueFull) {
		t.Fatalf("submit past capacity: %v, want ErrQueueFull", err)
	}
	if !q.Full() || q.Len() != 2 || q.Running() != 1 {
		t.Errorf("Full %v, Len %d, Running %d", q.Full(), q.Len(), q.Running())
	}
	q.Close()
	if err := q.Submit(job); !errors.Is(err, bot.ErrQueueClosed) {
		t.Fatalf("submit after Close: %v, want ErrQueueClosed", err)
	}
	waited := make(chan struct{})
	go func() {
		if n, err := q.Wait(context.Background()); n != 0 || err != nil {
			t.Errorf("Wait = %d, %v", n, err)
		}
		close(waited)
	}()
	select {
	case <-waited:
		t.Fatal("Wait returned before the jobs taken had run")
	case <-time.After(20 * time.Millisecond):
	}
	close(release)
	recv(t, waited, "Wait")
	if done.Load() != 3 {
		t.Errorf("%d jobs done, want every job taken (3)", done.Load())
	}
	st := q.Stats()
	if st.Accepted != 3 || st.Succeeded != 3 || st.Full != 1 || st.Closed != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestQueueWaitDeadlineAbortsJobs(t *testing.T) {
	q := bot.NewQueue(bot.QueueConfig{Capacity: 4, Workers: 1})
	started := make(chan struct{})
	cancelled := make(chan struct{})
	q.Submit(func(ctx context.Context) error {
		close(started)
		<-ctx.Done()
		close(cancelled)
		return ctx.Err()
	})
	q.Submit(func(ctx context.Context) error { return ctx.Err() })
	recv(t, started, "the job")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	n, err := q.Wait(ctx)
	if err == nil || n != 2 {
		t.Errorf("Wait past its deadline = %d, %v; want 2 unfinished and an error", n, err)
	}
	recv(t, cancelled, "the running job's context to be cancelled")
}

func TestQueueRecoversPanicsAndReportsFailing(t *testing.T) {
	panics := make(chan any, 1)
	q := bot.NewQueue(bot.QueueConfig{Capacity: 10, Workers: 1, FailingAfter: 3, OnPanic: func(v any, stack []byte) {
		if len(stack) == 0 {
			t.Error("no stack")
		}
		panics <- v
	}})
	fail := func(context.Context) error { return errors.New("post failed") }
	q.Submit(func(context.Context) error { panic("boom") })
	q.Submit(fail)
	q.Submit(fail)
	ran := make(chan struct{})
	q.Submit(func(context.Context) error { close(ran); return errors.New("again") })
	recv(t, ran, "the job after a panic")
	if v := <-panics; v != "boom" {
		t.Errorf("OnPanic got %v", v)
	}
	for deadline := time.Now().Add(wait); !q.Failing(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("not failing after 4 failures: %+v", q.Stats())
		}
	}
	ok := make(chan struct{})
	q.Submit(func(context.Context) error { close(ok); return nil })
	recv(t, ok, "a job that succeeds")
	q.Wait(context.Background())
	if q.Failing() {
		t.Error("still failing after a success")
	}
	if st := q.Stats(); st.Panicked != 1 || st.Failed != 4 || st.Succeeded != 1 {
		t.Errorf("stats %+v", st)
	}
}

func TestQueueJobTimeout(t *testing.T) {
	q := bot.NewQueue(bot.QueueConfig{JobTimeout: 10 * time.Millisecond})
	got := make(chan error, 1)
	q.Submit(func(ctx context.Context) error {
		<-ctx.Done()
		got <- ctx.Err()
		return ctx.Err()
	})
	select {
	case err := <-got:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("job context ended with %v", err)
		}
	case <-time.After(wait):
		t.Fatal("job timeout not enforced")
	}
}

func TestBackoff(t *testing.T) {
	b := bot.Backoff{Min: 100 * time.Millisecond, Max: time.Second}
	for i, ceiling := range []time.Duration{100, 200, 400, 800, 1000, 1000, 1000} {
		ceiling *= time.Millisecond
		d := b.Next()
		if d < ceiling/2 || d > ceiling {
			t.Errorf("attempt %d: wait %v, want between %v and %v", i, d, ceiling/2, ceiling)
		}
	}
	b.Reset()
	if d := b.Next(); d > 100*time.Millisecond {
		t.Errorf("after Reset: %v", d)
	}
}

func TestRetry(t *testing.T) {
	transient := errors.New("503")
	permanent := errors.New("channel_not_found")
	var retried []time.Duration
	p := bot.Retry{
		Backoff: bot.Backoff{Min: time.Millisecond, Max: 2 * time.Millisecond},
		Transient: func(err error) (bool, time.Duration) {
			if err == transient {
				return true, 5 * time.Millisecond // as if Retry-After said so
			}
			return false, 0
		},
		OnRetry: func(_ error, _ int, wait time.Duration) { retried = append(retried, wait) },
	}
	calls := 0
	err := p.Do(context.Background(), func(context.Context) error {
		calls++
		if calls < 3 {
			return transient
		}
		return nil
	})
	if err != nil || calls != 3 || len(retried) != 2 {
		t.Fatalf("Do = %v after %d calls, %d retries", err, calls, len(retried))
	}
	for _, w := range retried {
		if w < 5*time.Millisecond {
			t.Errorf("waited %v, less than the platform asked (5ms)", w)
		}
	}
	calls = 0
	if err := p.Do(context.Background(), func(context.Context) error { calls++; return permanent }); err != permanent || calls != 1 {
		t.Errorf("permanent error: %v after %d calls", err, calls)
	}
	// A wait that would outlast the deadline is not waited.
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	p.Transient = func(error) (bool, time.Duration) { return true, time.Hour }
	calls = 0
	if err := p.Do(ctx, func(context.Context) error { calls++; return transient }); err != transient || calls != 1 {
		t.Errorf("deadline: %v after %d calls", err, calls)
	}
}
