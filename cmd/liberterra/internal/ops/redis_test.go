package ops_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/cmd/liberterra/internal/ops"
)

func TestRedactorWith(t *testing.T) {
	r := ops.NewRedactor("xoxb-token-123").With("redis://:pass-word-1@cache:6379/0", "pass-word-1")
	got := r.String("xoxb-token-123 redis://:pass-word-1@cache:6379/0 auth pass-word-1")
	if strings.Contains(got, "xoxb-token-123") || strings.Contains(got, "pass-word-1") {
		t.Errorf("not redacted: %q", got)
	}
	var nilRedactor *ops.Redactor
	if got := nilRedactor.With("secret-value").String("a secret-value"); got != "a [redacted]" {
		t.Errorf("With on nil: %q", got)
	}
}

// A degraded process stays ready, and says why it is degraded.
func TestReadyButDegraded(t *testing.T) {
	holder := bot.NewHolder(nil)
	degraded := "redis unreachable at cache:6379"
	h := &ops.Health{Holder: holder, Degraded: func() string { return degraded }}
	mux := http.NewServeMux()
	h.Register(mux)
	get := func() (int, string) {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest("GET", "/readyz", nil))
		return w.Code, w.Body.String()
	}
	if code, body := get(); code != 503 || !strings.Contains(body, "fact base not loaded") || !strings.Contains(body, degraded) {
		t.Errorf("not ready and degraded: %d %q", code, body)
	}
	degraded = ""
	if code, body := get(); code != 503 || strings.Contains(body, "degraded") {
		t.Errorf("not ready: %d %q", code, body)
	}
}
