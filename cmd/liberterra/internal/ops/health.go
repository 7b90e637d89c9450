package ops

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/liberterra/liberterra/bot"
)

// Health answers the liveness and readiness probes.
type Health struct {
	Holder   *bot.Holder   // ready only once it holds a bot
	Adapters []bot.Adapter // ready only while every one is connected
	// Queues are the adapters' work queues, by adapter name: not ready
	// while one is full or its deliveries keep failing.
	Queues map[string]*bot.Queue
	// Draining reports shutdown: not ready from then on. May be nil.
	Draining func() bool
	// Degraded says what works less well than it should without taking
	// the process out of rotation (Redis unreachable: answers go on with
	// the state kept in the process), or "". May be nil.
	Degraded func() string
}

// NotReady returns why the process should not get traffic, or "" when it
// is ready: shutting down, no fact base loaded, a front end not connected,
// its work queue full, or its answers failing to post.
func (h *Health) NotReady() string {
	if h.Draining != nil && h.Draining() {
		return "shutting down"
	}
	var why []string
	if h.Holder == nil || h.Holder.Bot() == nil {
		why = append(why, "fact base not loaded")
	}
	for _, a := range h.Adapters {
		if !a.Connected() {
			why = append(why, a.Name()+" not connected")
		}
		q := h.Queues[a.Name()]
		switch {
		case q == nil:
		case q.Failing():
			why = append(why, a.Name()+" answers failing to post")
		case q.Full():
			why = append(why, a.Name()+" work queue full")
		}
	}
	return strings.Join(why, "; ")
}

// Register adds GET /healthz and GET /readyz to mux.
func (h *Health) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		plain(w, http.StatusOK, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		degraded := ""
		if h.Degraded != nil {
			if d := h.Degraded(); d != "" {
				degraded = " (degraded: " + d + ")"
			}
		}
		if why := h.NotReady(); why != "" {
			plain(w, http.StatusServiceUnavailable, "not ready: "+why+degraded)
			return
		}
		plain(w, http.StatusOK, "ready"+degraded)
	})
}

func plain(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	io.WriteString(w, msg)
	fmt.Fprintln(w)
}
