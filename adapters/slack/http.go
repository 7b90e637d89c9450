package slack

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/liberterra/liberterra/bot"
)

// Limits bound what HTTP clients may send to the Events API endpoints. Any
// client may connect, so every limit applies before the signature is known
// to be good: memory stays bounded at about MaxConcurrentReads times
// MaxEventBytes whatever clients do.
type Limits struct {
	// MaxEventBytes caps an event's body (default 256 KiB). Slack's
	// largest message is 40,000 characters; an event carries it as text
	// and as blocks, JSON-escaped.
	MaxEventBytes int64
	// MaxCommandBytes caps a slash command's form body (default 64 KiB).
	MaxCommandBytes int64
	// MaxConcurrentReads caps the bodies being read at once (default 32);
	// a request past it is answered 503 at once, unread.
	MaxConcurrentReads int
	// BodyReadTimeout is how long a client has to send a body once its
	// headers are in (default 5 s; Slack sends in milliseconds and wants
	// an answer within 3 s).
	BodyReadTimeout time.Duration
}

// Defaults for Limits.
const (
	DefaultMaxEventBytes      = 256 << 10
	DefaultMaxCommandBytes    = 64 << 10
	DefaultMaxConcurrentReads = 32
	DefaultBodyReadTimeout    = 5 * time.Second
)

func (l Limits) withDefaults() Limits {
	if l.MaxEventBytes <= 0 {
		l.MaxEventBytes = DefaultMaxEventBytes
	}
	if l.MaxCommandBytes <= 0 {
		l.MaxCommandBytes = DefaultMaxCommandBytes
	}
	if l.MaxConcurrentReads <= 0 {
		l.MaxConcurrentReads = DefaultMaxConcurrentReads
	}
	if l.BodyReadTimeout <= 0 {
		l.BodyReadTimeout = DefaultBodyReadTimeout
	}
	return l
}

// maxClockSkew is how far a request's timestamp may be from now: Slack's
// rule against replays.
const maxClockSkew = 5 * time.Minute

// Replies to a slash command the adapter cannot take now. Slack does not
// send a slash command again, so the asker is told instead.
const (
	BusyText     = bot.BusyText
	RestartText  = bot.RestartText
	NotReadyText = bot.NotReadyText
)

// serveEvents handles POST /slack/events: url_verification and event
// callbacks. An event is acknowledged (200) once its job is queued, and
// refused with 503 when the queue is full or closed, so Slack sends it
// again later.
func (a *Adapter) serveEvents(w http.ResponseWriter, r *http.Request) {
	defer a.recoverHTTP(w, r)
	body, ok := a.readSigned(w, r, a.limits.MaxEventBytes)
	if !ok {
		return
	}
	var outer outerEvent
	if err := json.Unmarshal(body, &outer); err != nil {
		a.obs.Refused("slack", bot.RefusedMalformed)
		http.Error(w, "bad JSON", http.StatusBadRequest)
		return
	}
	switch outer.Type {
	case "url_verification":
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, outer.Challenge)
		return
	case "event_callback":
		if !a.serving.Load() {
			a.obs.Refused("slack", bot.RefusedNotReady)
			unavailable(w, "not ready")
			return
		}
		j, ok, err := a.callbackJob(body)
		if err != nil {
			// Signed by Slack but unreadable: sending it again won't help.
			a.obs.Refused("slack", bot.RefusedMalformed)
			a.log.Warn("a malformed event; acknowledged and dropped", "err", err)
		}
		if ok && !a.enqueue(j) {
			if a.queue.Closed() {
				unavailable(w, "shutting down")
			} else {
				unavailable(w, "busy")
			}
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

// serveCommands handles POST /slack/commands: the slash command. Its answer
// is queued like an event's; a command that cannot be queued is answered
// at once with a message saying so, as Slack never sends it again.
func (a *Adapter) serveCommands(w http.ResponseWriter, r *http.Request) {
	defer a.recoverHTTP(w, r)
	body, ok := a.readSigned(w, r, a.limits.MaxCommandBytes)
	if !ok {
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		a.obs.Refused("slack", bot.RefusedMalformed)
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if !a.serving.Load() {
		a.obs.Refused("slack", bot.RefusedNotReady)
		_ = json.NewEncoder(w).Encode(ephemeral(NotReadyText))
		return
	}
	j := slashJob(form.Get("text"), form.Get("team_id"), form.Get("user_id"), form.Get("channel_id"), form.Get("response_url"))
	// A replay of the same signed request has the same timestamp and body.
	j.Key = "slack:command-sha256:" + hashHex([]byte(r.Header.Get("X-Slack-Request-Timestamp")), body)
	j.Window = CommandWindow
	if !a.enqueue(j) {
		text := BusyText
		if a.queue.Closed() {
			text = RestartText
		}
		_ = json.NewEncoder(w).Encode(ephemeral(text))
		return
	}
	if ack := slashAck(j); ack != nil {
		_ = json.NewEncoder(w).Encode(ack)
	}
}

// serveInteractive handles POST /slack/interactive: clicks on the
// buttons under replies (block_actions). Each click is queued like an event
// and acknowledged with 200 once queued; when the queue is full or closed
// it gets 503, and Slack tells the clicker it failed (it does not send
// clicks again). A replay of the same signed request is handled once.
func (a *Adapter) serveInteractive(w http.ResponseWriter, r *http.Request) {
	defer a.recoverHTTP(w, r)
	body, ok := a.readSigned(w, r, a.limits.MaxEventBytes)
	if !ok {
		return
	}
	form, err := url.ParseQuery(string(body))
	var cb slack.InteractionCallback
	if err == nil {
		err = json.Unmarshal([]byte(form.Get("payload")), &cb)
	}
	if err != nil {
		a.obs.Refused("slack", bot.RefusedMalformed)
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	if !a.serving.Load() {
		a.obs.Refused("slack", bot.RefusedNotReady)
		unavailable(w, "not ready")
		return
	}
	key := "slack:action-sha256:" + hashHex([]byte(r.Header.Get("X-Slack-Request-Timestamp")), body)
	for _, j := range clickJobs(cb, key) {
		if !a.enqueue(j) {
			if a.queue.Closed() {
				unavailable(w, "shutting down")
			} else {
				unavailable(w, "busy")
			}
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

func ephemeral(text string) map[string]any {
	return map[string]any{"response_type": "ephemeral", "text": text}
}

// unavailable answers 503: Slack retries the event later.
func unavailable(w http.ResponseWriter, why string) {
	w.Header().Set("Retry-After", "1")
	http.Error(w, why, http.StatusServiceUnavailable)
}

// readSigned reads a request's body, within the limits, and checks its
// Slack signature. The cheap checks come first: the timestamp and the
// signature header, then the declared length, then a free read slot; only
// then is the body read, against a deadline. On failure it has written the
// response and counted the refusal.
func (a *Adapter) readSigned(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	if why := checkHeaders(r.Header, time.Now()); why != "" {
		a.refuseSignature(w, r, why)
		return nil, false
	}
	if r.ContentLength > limit {
		a.obs.Refused("slack", bot.RefusedTooLarge)
		w.Header().Set("Connection", "close")
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return nil, false
	}
	select {
	case a.reads <- struct{}{}:
	default:
		a.obs.Refused("slack", bot.RefusedBusy)
		w.Header().Set("Connection", "close")
		unavailable(w, "busy")
		return nil, false
	}
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(a.limits.BodyReadTimeout))
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	<-a.reads
	if err != nil {
		w.Header().Set("Connection", "close")
		switch {
		case isMaxBytes(err):
			a.obs.Refused("slack", bot.RefusedTooLarge)
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		case isTimeout(err):
			a.obs.Refused("slack", bot.RefusedSlowBody)
			http.Error(w, "request body too slow", http.StatusRequestTimeout)
		default:
			http.Error(w, "bad request", http.StatusBadRequest)
		}
		return nil, false
	}
	_ = rc.SetReadDeadline(time.Time{})
	sv, err := slack.NewSecretsVerifier(r.Header, a.cfg.SigningSecret)
	if err == nil {
		_, _ = sv.Write(body)
		err = sv.Ensure()
	}
	if err != nil {
		a.refuseSignature(w, r, err.Error())
		return nil, false
	}
	return body, true
}

func isMaxBytes(err error) bool {
	_, ok := errors.AsType[*http.MaxBytesError](err)
	return ok
}

func isTimeout(err error) bool {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return true
	}
	ne, ok := errors.AsType[net.Error](err)
	return ok && ne.Timeout()
}

// checkHeaders looks at the signature headers before any body is read: a
// request without them, or with a timestamp outside Slack's five minutes,
// is refused unread.
func checkHeaders(h http.Header, now time.Time) string {
	ts, sig := h.Get("X-Slack-Request-Timestamp"), h.Get("X-Slack-Signature")
	if ts == "" || sig == "" {
		return "unsigned request"
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return "malformed timestamp"
	}
	if d := now.Sub(time.Unix(sec, 0)); d > maxClockSkew || d < -maxClockSkew {
		return "timestamp outside the 5-minute window"
	}
	if !strings.HasPrefix(sig, "v0=") || len(sig) != len("v0=")+64 {
		return "malformed signature"
	}
	return ""
}

// refuseSignature answers 401. Anyone can send bad signatures, so the log
// says so at most once a minute, with a count.
func (a *Adapter) refuseSignature(w http.ResponseWriter, r *http.Request, why string) {
	a.obs.Refused("slack", bot.RefusedBadSignature)
	if ok, suppressed := a.badSig.allow(time.Now()); ok {
		a.log.Warn("rejected a request with a bad or missing signature (logged at most once a minute)",
			"path", r.URL.Path, "reason", why, "not_logged_since_last", suppressed)
	}
	w.Header().Set("Connection", "close")
	http.Error(w, "invalid signature", http.StatusUnauthorized)
}

// recoverHTTP, deferred in a handler, turns a panic into a 500 (Slack
// retries) and a log line, and lets the server carry on.
func (a *Adapter) recoverHTTP(w http.ResponseWriter, r *http.Request) {
	if v := recover(); v != nil {
		if v == http.ErrAbortHandler {
			panic(v)
		}
		a.obs.Panicked("slack")
		a.log.Error("recovered from a panic", "in", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// logLimiter lets a log line through at most once per every, and counts
// the ones held back.
type logLimiter struct {
	every time.Duration

	mu         sync.Mutex
	next       time.Time
	suppressed int
}

// allow reports whether to log now, and how many lines were held back
// since the last one let through.
func (l *logLimiter) allow(now time.Time) (bool, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Before(l.next) {
		l.suppressed++
		return false, 0
	}
	n := l.suppressed
	l.suppressed = 0
	l.next = now.Add(l.every)
	return true, n
}
