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
	Drain    *bot.Drain    // not ready once shutting down; may be nil
}

// NotReady returns why the process should not get traffic, or "" when it
// is ready: no fact base loaded, an adapter not connected, shutting down.
func (h *Health) NotReady() string {
	var why []string
	if h.Drain != nil && h.Drain.Closed() {
		return "shutting down"
	}
	if h.Holder == nil || h.Holder.Bot() == nil {
		why = append(why, "fact base not loaded")
	}
	for _, a := range h.Adapters {
		if !a.Connected() {
			why = append(why, a.Name()+" not connected")
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
		if why := h.NotReady(); why != "" {
			plain(w, http.StatusServiceUnavailable, "not ready: "+why)
			return
		}
		plain(w, http.StatusOK, "ready")
	})
}

func plain(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	io.WriteString(w, msg)
	fmt.Fprintln(w)
}
