package bot

import (
	"fmt"
	"log/slog"
)

// ConfigError is a front end's definite credential or configuration error,
// such as a token the platform refuses: retrying cannot help, an operator
// must fix Var. A front end's Run returns it (wrapped or not) and serve
// stops with its message; every other failure is retried.
type ConfigError struct {
	Var string // the environment variable to fix, e.g. SLACK_BOT_TOKEN
	Msg string // what is wrong and how to fix it; it names Var
	Err error  // the platform's error, if any
}

func (e *ConfigError) Error() string {
	if e.Err != nil {
		return e.Msg + " (" + e.Err.Error() + ")"
	}
	return e.Msg
}

func (e *ConfigError) Unwrap() error { return e.Err }

// Observer is told what happens in a front end, for metrics. The front
// end's name ("slack", "discord") comes first. Implementations must be safe
// for concurrent use and quick.
type Observer interface {
	// Reconnected counts a connection to the platform replaced by a new
	// one: after a drop, a silence, or at the platform's request.
	Reconnected(frontend string)
	// Refused counts an event or request not taken, and why: one of the
	// Refused* reasons.
	Refused(frontend, reason string)
	// Duplicate counts a retry or replay recognised and not answered again.
	Duplicate(frontend string)
	// Panicked counts a panic on platform input, recovered.
	Panicked(frontend string)
}

// Reasons for Observer.Refused.
const (
	RefusedQueueFull    = "queue_full"    // no room in the work queue: the platform will retry
	RefusedShuttingDown = "shutting_down" // the process is draining
	RefusedNotReady     = "not_ready"     // not connected to the platform yet
	RefusedBadSignature = "bad_signature" // unsigned, wrongly signed or stale
	RefusedTooLarge     = "too_large"     // a body over the size limit
	RefusedSlowBody     = "slow_body"     // a body not sent within the read deadline
	RefusedBusy         = "busy"          // too many bodies being read at once
	RefusedMalformed    = "malformed"     // input that does not parse or has wrong types
)

// NopObserver observes nothing.
type NopObserver struct{}

func (NopObserver) Reconnected(string)     {}
func (NopObserver) Refused(string, string) {}
func (NopObserver) Duplicate(string)       {}
func (NopObserver) Panicked(string)        {}

// RecoveringQueue is the queue a front end makes when serve gives it none:
// a panic in a job is counted (obs.Panicked) and logged with its stack, and
// the worker carries on.
func RecoveringQueue(frontend string, obs Observer, log *slog.Logger) *Queue {
	return NewQueue(QueueConfig{OnPanic: func(v any, stack []byte) {
		obs.Panicked(frontend)
		log.Error("recovered from a panic in a job", "panic", fmt.Sprint(v), "stack", string(stack))
	}})
}
