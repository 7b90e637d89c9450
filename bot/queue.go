package bot

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// Queue is a bounded work queue with a fixed pool of workers. It sits
// between acknowledging a platform's event and delivering the answer: a
// front end acknowledges an event only once Submit has taken its job, so
// that when the queue is full (or closed for shutdown) the platform is not
// told "received" and delivers the event again later, perhaps to another
// replica. Memory and goroutines stay bounded whatever the load: at most
// Capacity jobs wait and Workers run.
//
// On shutdown, Close stops taking jobs and Wait lets every job already
// taken finish, deliveries included.
type Queue struct {
	cfg QueueConfig

	jobs   chan Job
	ctx    context.Context // jobs run in it; cancelled by Abort
	cancel context.CancelFunc

	mu      sync.Mutex
	closed  bool
	pending sync.WaitGroup // jobs taken and not yet finished

	waiting, running    atomic.Int64
	accepted, succeeded atomic.Int64
	failed, panicked    atomic.Int64
	full, refused       atomic.Int64
	failStreak          atomic.Int64
}

// Job is one piece of work: typically answer a question and post the
// answer. Its error says the delivery failed (after its own retries).
type Job func(ctx context.Context) error

// QueueConfig sizes a Queue. Zero fields take the defaults.
type QueueConfig struct {
	// Capacity is how many jobs may wait for a worker (default 256).
	Capacity int
	// Workers is how many jobs run at once (default 16).
	Workers int
	// JobTimeout bounds each job, its retries included (default 2 minutes).
	JobTimeout time.Duration
	// FailingAfter is how many jobs in a row must fail before Failing
	// reports true (default 5); one success resets the count.
	FailingAfter int
	// OnPanic, when set, is told of a job that panicked (the worker
	// recovers and carries on), with the value and the stack.
	OnPanic func(v any, stack []byte)
}

// Defaults for QueueConfig.
const (
	DefaultQueueCapacity = 256
	DefaultQueueWorkers  = 16
	DefaultJobTimeout    = 2 * time.Minute
	DefaultFailingAfter  = 5
)

// Errors from Submit.
var (
	// ErrQueueFull means every place in the queue is taken: don't
	// acknowledge the event, so the platform sends it again later.
	ErrQueueFull = errors.New("work queue full")
	// ErrQueueClosed means the process is shutting down.
	ErrQueueClosed = errors.New("work queue closed: shutting down")
)

// NewQueue starts a queue's workers.
func NewQueue(cfg QueueConfig) *Queue {
	if cfg.Capacity <= 0 {
		cfg.Capacity = DefaultQueueCapacity
	}
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultQueueWorkers
	}
	if cfg.JobTimeout <= 0 {
		cfg.JobTimeout = DefaultJobTimeout
	}
	if cfg.FailingAfter <= 0 {
		cfg.FailingAfter = DefaultFailingAfter
	}
	q := &Queue{cfg: cfg, jobs: make(chan Job, cfg.Capacity)}
	q.ctx, q.cancel = context.WithCancel(context.Background())
	for range cfg.Workers {
		go q.work()
	}
	return q
}

// Config returns the queue's configuration, defaults filled in.
func (q *Queue) Config() QueueConfig { return q.cfg }

// Submit takes job unless the queue is full (ErrQueueFull) or closed
// (ErrQueueClosed). It never blocks.
func (q *Queue) Submit(job Job) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		q.refused.Add(1)
		return ErrQueueClosed
	}
	// Count the job before a worker can take it (and finish it).
	q.pending.Add(1)
	q.waiting.Add(1)
	q.accepted.Add(1)
	select {
	case q.jobs <- job:
		return nil
	default:
		q.accepted.Add(-1)
		q.waiting.Add(-1)
		q.pending.Done()
		q.full.Add(1)
		return ErrQueueFull
	}
}

func (q *Queue) work() {
	for job := range q.jobs {
		q.waiting.Add(-1)
		q.running.Add(1)
		err := q.run(job)
		q.running.Add(-1)
		if err != nil {
			q.failed.Add(1)
			q.failStreak.Add(1)
		} else {
			q.succeeded.Add(1)
			q.failStreak.Store(0)
		}
		q.pending.Done()
	}
}

func (q *Queue) run(job Job) (err error) {
	ctx, cancel := context.WithTimeout(q.ctx, q.cfg.JobTimeout)
	defer cancel()
	defer func() {
		if v := recover(); v != nil {
			q.panicked.Add(1)
			if q.cfg.OnPanic != nil {
				q.cfg.OnPanic(v, debug.Stack())
			}
			err = fmt.Errorf("job panicked: %v", v)
		}
	}()
	return job(ctx)
}

// Close stops taking jobs; those already taken still run. It is safe to
// call more than once.
func (q *Queue) Close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.closed {
		q.closed = true
		close(q.jobs)
	}
}

// Closed reports whether Close was called.
func (q *Queue) Closed() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.closed
}

// Wait closes the queue and waits until every job taken has finished, or
// ctx is done. In the latter case it cancels the jobs still running or
// waiting (Abort) and returns how many there were, with ctx's error.
func (q *Queue) Wait(ctx context.Context) (unfinished int, err error) {
	q.Close()
	done := make(chan struct{})
	go func() {
		q.pending.Wait()
		close(done)
	}()
	select {
	case <-done:
		return 0, nil
	case <-ctx.Done():
		n := q.Len() + q.Running()
		q.Abort()
		return n, ctx.Err()
	}
}

// Abort cancels the context of every job running or still to run.
func (q *Queue) Abort() { q.cancel() }

// Len returns how many jobs wait for a worker.
func (q *Queue) Len() int { return int(q.waiting.Load()) }

// Running returns how many jobs are running.
func (q *Queue) Running() int { return int(q.running.Load()) }

// Full reports whether a Submit now would find no room.
func (q *Queue) Full() bool { return q.Len() >= q.cfg.Capacity }

// Failing reports whether the last FailingAfter jobs all failed: the
// platform is refusing or dropping deliveries.
func (q *Queue) Failing() bool { return q.failStreak.Load() >= int64(q.cfg.FailingAfter) }

// QueueStats are a queue's counters since it started.
type QueueStats struct {
	Accepted  int64 // jobs taken
	Succeeded int64 // jobs that returned nil
	Failed    int64 // jobs that returned an error or panicked
	Panicked  int64 // of which panicked
	Full      int64 // Submits refused because the queue was full
	Closed    int64 // Submits refused because it was closed
}

// Stats returns the counters.
func (q *Queue) Stats() QueueStats {
	return QueueStats{
		Accepted: q.accepted.Load(), Succeeded: q.succeeded.Load(), Failed: q.failed.Load(),
		Panicked: q.panicked.Load(), Full: q.full.Load(), Closed: q.refused.Load(),
	}
}
