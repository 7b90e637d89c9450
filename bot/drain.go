package bot

import (
	"context"
	"sync"
)

// Drain is an Answerer middleware for graceful shutdown. It counts the
// answers in flight; once Close is called it takes no new question (the
// reply is KindThrottled, which front ends send nothing for) and Wait
// blocks until the answers in flight are done.
type Drain struct {
	next Answerer

	mu       sync.Mutex
	closed   bool
	inflight int
	idle     chan struct{} // closed when closed && inflight == 0
}

// NewDrain wraps next.
func NewDrain(next Answerer) *Drain {
	return &Drain{next: next, idle: make(chan struct{})}
}

// Answer passes q on unless the drain is closed.
func (d *Drain) Answer(ctx context.Context, q Question) (Reply, error) {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return Reply{Question: q.Text, Kind: KindThrottled}, nil
	}
	d.inflight++
	d.mu.Unlock()
	defer d.done()
	return d.next.Answer(ctx, q)
}

func (d *Drain) done() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.inflight--
	if d.closed && d.inflight == 0 {
		close(d.idle)
	}
}

// Close stops taking new questions. It is safe to call more than once.
func (d *Drain) Close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return
	}
	d.closed = true
	if d.inflight == 0 {
		close(d.idle)
	}
}

// Closed reports whether Close was called.
func (d *Drain) Closed() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.closed
}

// InFlight returns how many answers are in progress.
func (d *Drain) InFlight() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.inflight
}

// Wait closes the drain and waits until no answer is in flight or ctx is
// done; it returns ctx's error in the latter case.
func (d *Drain) Wait(ctx context.Context) error {
	d.Close()
	select {
	case <-d.idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
