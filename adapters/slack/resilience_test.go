package slack

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/liberterra/liberterra/bot"
)

// testWait bounds every wait below: a guard against hangs, never a timing
// assertion.
const testWait = 10 * time.Second

// observer counts what the adapter reports.
type observer struct {
	mu          sync.Mutex
	reconnects  int
	refused     map[string]int
	duplicates  int
	panics      int
	reconnected chan struct{}
}

func newObserver() *observer {
	return &observer{refused: map[string]int{}, reconnected: make(chan struct{}, 10)}
}

func (o *observer) Reconnected(string) {
	o.mu.Lock()
	o.reconnects++
	o.mu.Unlock()
	o.reconnected <- struct{}{}
}
func (o *observer) Refused(_, reason string) { o.mu.Lock(); o.refused[reason]++; o.mu.Unlock() }
func (o *observer) Duplicate(string)         { o.mu.Lock(); o.duplicates++; o.mu.Unlock() }
func (o *observer) Panicked(string)          { o.mu.Lock(); o.panics++; o.mu.Unlock() }

func (o *observer) count(what string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	switch what {
	case "duplicates":
		return o.duplicates
	case "panics":
		return o.panics
	case "reconnects":
		return o.reconnects
	}
	return o.refused[what]
}

// gate is a bot that holds every question until released.
type gate struct {
	next    bot.Answerer
	entered chan string
	release chan struct{}
}

func newGate(t *testing.T) *gate {
	return &gate{next: realBot(t), entered: make(chan string, 100), release: make(chan struct{})}
}

func (g *gate) Answer(ctx context.Context, q bot.Question) (bot.Reply, error) {
	g.entered <- q.Text
	select {
	case <-g.release:
	case <-ctx.Done():
		return bot.Reply{}, ctx.Err()
	}
	return g.next.Answer(ctx, q)
}

// httpSlack is an adapter in Events API mode behind a local HTTP server.
type httpSlack struct {
	a   *Adapter
	f   *fakeSlack
	url string
}

func startHTTP(t *testing.T, answerer bot.Answerer, opts Options) *httpSlack {
	t.Helper()
	f := newFakeSlack(t, nil)
	mux := http.NewServeMux()
	hs := httptest.NewServer(mux)
	t.Cleanup(hs.Close)
	opts.Mux = mux
	a, err := New(Config{BotToken: "xoxb-test", SigningSecret: testSecret, APIURL: f.srv.GetAPIURL()}, answerer, opts)
	if err != nil {
		t.Fatal(err)
	}
	start(t, a)
	return &httpSlack{a: a, f: f, url: hs.URL}
}

// send posts a signed body to path and returns the status and body.
func (h *httpSlack) send(t *testing.T, path, body string, header ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.url+path, strings.NewReader(body))
	sign(req, body, time.Now(), testSecret)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// rawRequest opens a connection and sends request headers with the body
// length declared, signed with a well-formed signature for the headers
// checks, and returns the connection for the test to send (or not) the body.
func rawRequest(t *testing.T, base, path string, length int, signed bool) net.Conn {
	t.Helper()
	u, _ := url.Parse(base)
	c, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n", path, u.Host, length)
	if signed {
		fmt.Fprintf(c, "X-Slack-Request-Timestamp: %d\r\nX-Slack-Signature: v0=%s\r\n", time.Now().Unix(), strings.Repeat("ab", 32))
	}
	io.WriteString(c, "\r\n")
	return c
}

// status reads the response's status code from c, or 0 if the server
// closed the connection without one.
func status(t *testing.T, c net.Conn) int {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(testWait))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return 0
		}
		t.Fatalf("reading the response: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestHTTPLimits(t *testing.T) {
	obs := newObserver()
	h := startHTTP(t, realBot(t), Options{Observer: obs, Limits: Limits{MaxConcurrentReads: 2, BodyReadTimeout: 300 * time.Millisecond}})

	t.Run("unsigned: refused before the body", func(t *testing.T) {
		c := rawRequest(t, h.url, EventsPath, 100_000, false)
		if code := status(t, c); code != http.StatusUnauthorized {
			t.Errorf("got %d, want 401 without reading the body", code)
		}
	})
	t.Run("stale timestamp: refused before the body", func(t *testing.T) {
		u, _ := url.Parse(h.url)
		c, err := net.Dial("tcp", u.Host)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\nX-Slack-Request-Timestamp: %d\r\nX-Slack-Signature: v0=%s\r\n\r\n",
			EventsPath, time.Now().Add(-time.Hour).Unix(), strings.Repeat("ab", 32))
		if code := status(t, c); code != http.StatusUnauthorized {
			t.Errorf("got %d, want 401", code)
		}
	})
	t.Run("declared too large: refused unread", func(t *testing.T) {
		c := rawRequest(t, h.url, EventsPath, DefaultMaxEventBytes+1, true)
		if code := status(t, c); code != http.StatusRequestEntityTooLarge {
			t.Errorf("got %d, want 413", code)
		}
		c = rawRequest(t, h.url, CommandsPath, DefaultMaxCommandBytes+1, true)
		if code := status(t, c); code != http.StatusRequestEntityTooLarge {
			t.Errorf("command: got %d, want 413", code)
		}
	})
	t.Run("stalled upload cut off", func(t *testing.T) {
		c := rawRequest(t, h.url, EventsPath, 10_000, true)
		io.WriteString(c, strings.Repeat("x", 9_999)) // one byte short, then nothing
		if code := status(t, c); code != http.StatusRequestTimeout && code != 0 {
			t.Errorf("got %d, want 408 or a closed connection", code)
		}
	})
	t.Run("trickled upload cut off", func(t *testing.T) {
		c := rawRequest(t, h.url, EventsPath, 10_000, true)
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			for {
				select {
				case <-stop:
					return
				case <-time.After(50 * time.Millisecond):
					if _, err := c.Write([]byte("x")); err != nil {
						return
					}
				}
			}
		}()
		if code := status(t, c); code != http.StatusRequestTimeout && code != 0 {
			t.Errorf("got %d, want 408 or a closed connection", code)
		}
	})
	t.Run("bodies read at once are capped", func(t *testing.T) {
		for range 2 {
			c := rawRequest(t, h.url, EventsPath, 10_000, true)
			io.WriteString(c, "{")
		}
		for deadline := time.Now().Add(testWait); len(h.a.reads) < 2; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the two uploads never started")
			}
		}
		c := rawRequest(t, h.url, EventsPath, 10_000, true)
		if code := status(t, c); code != http.StatusServiceUnavailable {
			t.Errorf("a third upload got %d, want 503 at once", code)
		}
	})
	for _, reason := range []string{bot.RefusedBadSignature, bot.RefusedTooLarge, bot.RefusedSlowBody, bot.RefusedBusy} {
		if obs.count(reason) == 0 {
			t.Errorf("no refusal counted as %s", reason)
		}
	}
	h.f.none(t)
}

func TestHTTPQueueFullThenRedeliveryAnswered(t *testing.T) {
	g := newGate(t)
	obs := newObserver()
	q := bot.NewQueue(bot.QueueConfig{Capacity: 1, Workers: 1})
	h := startHTTP(t, g, Options{Queue: q, Observer: obs})
	ev := func(i int) string {
		ts := fmt.Sprintf("700.%d", i)
		return eventJSON(fmt.Sprint("EvQ", i), mention("<@UBOT> how many victims were rescued?", ts, ""))
	}
	if code, _ := h.send(t, EventsPath, ev(1)); code != 200 {
		t.Fatalf("first: %d", code)
	}
	<-g.entered // the worker holds it
	if code, _ := h.send(t, EventsPath, ev(2)); code != 200 {
		t.Fatalf("second (queued): %d", code)
	}
	code, _ := h.send(t, EventsPath, ev(3))
	if code != http.StatusServiceUnavailable {
		t.Fatalf("third, with the queue full: %d, want 503", code)
	}
	close(g.release)
	checkAnswer(t, h.f.next(t), "C1", "700.1")
	checkAnswer(t, h.f.next(t), "C1", "700.2")
	// Slack sends the refused event again: now it is taken and answered.
	if code, _ := h.send(t, EventsPath, ev(3), "X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_error"); code != 200 {
		t.Fatalf("redelivery: %d", code)
	}
	checkAnswer(t, h.f.next(t), "C1", "700.3")
	h.f.none(t)
	if obs.count(bot.RefusedQueueFull) != 1 {
		t.Errorf("queue_full refusals: %d", obs.count(bot.RefusedQueueFull))
	}
}

func TestReplaysAnsweredOnce(t *testing.T) {
	obs := newObserver()
	h := startHTTP(t, realBot(t), Options{Observer: obs})
	t.Run("events without event_id", func(t *testing.T) {
		a := eventJSON("", mention("<@UBOT> how many victims were rescued?", "800.1", ""))
		b := eventJSON("", mention("<@UBOT> how many victims were rescued?", "800.2", ""))
		for _, body := range []string{a, b, a, a} {
			if code, _ := h.send(t, EventsPath, body); code != 200 {
				t.Fatalf("got %d", code)
			}
		}
		got := map[string]bool{}
		for range 2 {
			got[h.f.next(t).ThreadTS] = true
		}
		if !got["800.1"] || !got["800.2"] {
			t.Errorf("answered %v, want both events once", got)
		}
		h.f.none(t)
	})
	t.Run("slash command sent three times", func(t *testing.T) {
		form := url.Values{"command": {"/liberterra"}, "text": {"-p how many victims were rescued?"}, "user_id": {"UASKER"},
			"channel_id": {"C1"}, "response_url": {h.f.srv.GetAPIURL() + "respond"}, "trigger_id": {"T1.2.3"}}
		body := form.Encode()
		// One signed request, replayed as is.
		req, _ := http.NewRequest(http.MethodPost, h.url+CommandsPath, strings.NewReader(body))
		sign(req, body, time.Now(), testSecret)
		for range 3 {
			r2, _ := http.NewRequest(http.MethodPost, h.url+CommandsPath, strings.NewReader(body))
			r2.Header = req.Header.Clone()
			resp, err := http.DefaultClient.Do(r2)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("got %d", resp.StatusCode)
			}
		}
		if p := h.f.next(t); p.Path != "respond" || !strings.Contains(p.Text, "3,222") {
			t.Errorf("reply %+v", p)
		}
		h.f.none(t)
	})
	if obs.count("duplicates") < 3 {
		t.Errorf("duplicates counted: %d", obs.count("duplicates"))
	}
}

func TestPostsRetriedThroughWebAPIErrors(t *testing.T) {
	h := startHTTP(t, realBot(t), Options{})
	h.f.inject("chat.postMessage", "500", "drop", "429-bare", "internal_error")
	if code, _ := h.send(t, EventsPath, eventJSON("EvRetry", mention("<@UBOT> how many victims were rescued?", "900.1", ""))); code != 200 {
		t.Fatalf("got %d", code)
	}
	checkAnswer(t, h.f.next(t), "C1", "900.1")
	h.f.none(t)
	if n := h.f.callsTo("chat.postMessage"); n != 5 {
		t.Errorf("%d calls to chat.postMessage, want 4 failures and the post", n)
	}
	// A slash command's response_url too.
	h.f.inject("respond", "500", "drop")
	form := url.Values{"text": {"-p how many victims were rescued?"}, "user_id": {"U1"}, "channel_id": {"C1"},
		"response_url": {h.f.srv.GetAPIURL() + "respond"}}
	h.send(t, CommandsPath, form.Encode())
	if p := h.f.next(t); p.Path != "respond" || !strings.Contains(p.Text, "3,222") {
		t.Errorf("reply %+v", p)
	}
	// A permanent error is not retried.
	h.f.inject("chat.postMessage", "channel_not_found")
	h.send(t, EventsPath, eventJSON("EvGone", mention("<@UBOT> how many victims were rescued?", "900.2", "")))
	for deadline := time.Now().Add(testWait); h.a.queue.Stats().Failed == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the failed post was never counted")
		}
	}
	if n := h.f.callsTo("chat.postMessage"); n != 6 {
		t.Errorf("channel_not_found retried: %d calls, want 6", n)
	}
}

func TestStartupRetriesUntilSlackAnswers(t *testing.T) {
	f := newFakeSlack(t, nil)
	f.inject("auth.test", "500", "drop", "429-bare", "internal_error")
	mux := http.NewServeMux()
	hs := httptest.NewServer(mux)
	defer hs.Close()
	a, err := New(Config{BotToken: "xoxb-test", SigningSecret: testSecret, APIURL: f.srv.GetAPIURL()}, realBot(t), Options{Mux: mux})
	if err != nil {
		t.Fatal(err)
	}
	h := &httpSlack{a: a, f: f, url: hs.URL}
	// Before the token is checked, events are refused so Slack retries them.
	if code, _ := h.send(t, EventsPath, eventJSON("EvEarly", mention("<@UBOT> hi", "1.1", ""))); code != http.StatusServiceUnavailable {
		t.Errorf("event before start-up: %d, want 503", code)
	}
	start(t, a) // waits until Connected
	if n := f.callsTo("auth.test"); n < 5 {
		t.Errorf("auth.test called %d times, want 4 failures then success", n)
	}
	if code, _ := h.send(t, EventsPath, eventJSON("EvEarly", mention("<@UBOT> how many victims were rescued?", "1.1", ""))); code != 200 {
		t.Errorf("event once ready: %d", code)
	}
	checkAnswer(t, f.next(t), "C1", "1.1")
}

func TestRefusedTokensStopRun(t *testing.T) {
	for _, c := range []struct {
		name, method, variable string
		socket                 bool
	}{
		{"bot token", "auth.test", EnvBotToken, false},
		{"app token", "apps.connections.open", EnvAppToken, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeSlack(t, func() string { return "ws://127.0.0.1:1/never" })
			f.inject(c.method, "invalid_auth")
			cfg := Config{BotToken: "xoxb-test", SigningSecret: testSecret, APIURL: f.srv.GetAPIURL()}
			if c.socket {
				cfg = Config{BotToken: "xoxb-test", AppToken: "xapp-1-test", APIURL: f.srv.GetAPIURL()}
			}
			a, err := New(cfg, realBot(t), Options{Mux: http.NewServeMux()})
			if err != nil {
				t.Fatal(err)
			}
			a.retry.Backoff = bot.Backoff{Min: time.Millisecond, Max: 10 * time.Millisecond}
			ctx, cancel := context.WithTimeout(context.Background(), testWait)
			defer cancel()
			err = a.Run(ctx)
			ce, ok := errors.AsType[*bot.ConfigError](err)
			if !ok || ce.Var != c.variable || !strings.Contains(err.Error(), c.variable) || !strings.Contains(err.Error(), "invalid_auth") {
				t.Fatalf("Run = %v, want a ConfigError naming %s", err, c.variable)
			}
			if ctx.Err() != nil {
				t.Fatal("Run kept retrying a refused token")
			}
		})
	}
}

func TestPanicInAJobIsRecovered(t *testing.T) {
	obs := newObserver()
	boom := bot.AnswererFunc(func(ctx context.Context, q bot.Question) (bot.Reply, error) {
		if strings.Contains(q.Text, "boom") {
			panic("boom")
		}
		return realBot(t).Answer(ctx, q)
	})
	h := startHTTP(t, boom, Options{Observer: obs})
	h.send(t, EventsPath, eventJSON("EvBoom", mention("<@UBOT> boom", "10.1", "")))
	h.send(t, EventsPath, eventJSON("EvFine", mention("<@UBOT> how many victims were rescued?", "10.2", "")))
	checkAnswer(t, h.f.next(t), "C1", "10.2")
	if obs.count("panics") != 1 {
		t.Errorf("panics counted: %d", obs.count("panics"))
	}
	// Signed but malformed input is refused, not fatal.
	for _, body := range []string{`{"type":"event_callback","event":"not an object"}`, `{"type":`, `[1,2,3]`} {
		if code, _ := h.send(t, EventsPath, body); code >= 500 {
			t.Errorf("%s: got %d", body, code)
		}
	}
}

// socketConn is one Socket Mode connection on the fake Slack.
type socketConn struct {
	c     *websocket.Conn
	acks  chan socketAck
	quiet chan struct{} // closed: stop pinging (a connection gone silent)
	wmu   sync.Mutex
}

type socketAck struct {
	EnvelopeID string         `json:"envelope_id"`
	Payload    map[string]any `json:"payload"`
}

func (sc *socketConn) send(t *testing.T, v any) {
	t.Helper()
	sc.wmu.Lock()
	defer sc.wmu.Unlock()
	if err := sc.c.WriteJSON(v); err != nil {
		t.Errorf("socket write: %v", err)
	}
}

func (sc *socketConn) event(t *testing.T, envelope, eventID, ts string) {
	sc.send(t, map[string]any{"type": "events_api", "envelope_id": envelope,
		"payload": json.RawMessage(eventJSON(eventID, mention("<@UBOT> how many victims were rescued?", ts, "")))})
}

// ack waits for the next ack; none reports that none came in a while.
func (sc *socketConn) ack(t *testing.T) string {
	t.Helper()
	select {
	case a := <-sc.acks:
		return a.EnvelopeID
	case <-time.After(testWait):
		t.Fatal("no ack")
	}
	return ""
}

func (sc *socketConn) none(t *testing.T) {
	t.Helper()
	select {
	case a := <-sc.acks:
		t.Errorf("unexpected ack of %s", a.EnvelopeID)
	case <-time.After(100 * time.Millisecond):
	}
}

// socketServer is Slack's Socket Mode end: each connection says hello,
// pings every 20 ms until told to go quiet, and reports the acks it reads.
type socketServer struct {
	srv   *httptest.Server
	conns chan *socketConn
}

func newSocketServer(t *testing.T) *socketServer {
	s := &socketServer{conns: make(chan *socketConn, 10)}
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }} // the SDK sends Slack's origin
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		sc := &socketConn{c: c, acks: make(chan socketAck, 20), quiet: make(chan struct{})}
		sc.send(t, map[string]any{"type": "hello", "num_connections": 1})
		go func() {
			for {
				select {
				case <-sc.quiet:
					return
				case <-time.After(20 * time.Millisecond):
					if c.WriteControl(websocket.PingMessage, []byte("p"), time.Now().Add(time.Second)) != nil {
						return
					}
				}
			}
		}()
		s.conns <- sc
		for {
			var a socketAck
			if err := c.ReadJSON(&a); err != nil {
				return
			}
			sc.acks <- a
		}
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *socketServer) next(t *testing.T) *socketConn {
	t.Helper()
	select {
	case sc := <-s.conns:
		return sc
	case <-time.After(testWait):
		t.Fatal("no Socket Mode connection")
	}
	return nil
}

func startSocket(t *testing.T, answerer bot.Answerer, opts Options) (*Adapter, *fakeSlack, *socketServer) {
	t.Helper()
	ws := newSocketServer(t)
	wsURL := "ws" + strings.TrimPrefix(ws.srv.URL, "http")
	f := newFakeSlack(t, func() string { return wsURL })
	if opts.PingInterval == 0 {
		opts.PingInterval = 300 * time.Millisecond
	}
	a, err := New(Config{BotToken: "xoxb-test", AppToken: "xapp-1-test", APIURL: f.srv.GetAPIURL()}, answerer, opts)
	if err != nil {
		t.Fatal(err)
	}
	start(t, a)
	return a, f, ws
}

func TestSocketModeReplacesSilentAndClosedConnections(t *testing.T) {
	obs := newObserver()
	_, f, ws := startSocket(t, realBot(t), Options{Observer: obs})
	c1 := ws.next(t)
	c1.event(t, "e1", "EvS1", "50.1")
	if id := c1.ack(t); id != "e1" {
		t.Fatalf("ack %s", id)
	}
	checkAnswer(t, f.next(t), "C1", "50.1")

	// The connection goes silent without closing: no pings, no events.
	close(c1.quiet)
	c2 := ws.next(t)
	select {
	case <-obs.reconnected:
	case <-time.After(testWait):
		t.Fatal("reconnect not counted")
	}
	c2.event(t, "e2", "EvS2", "50.2")
	c2.ack(t)
	checkAnswer(t, f.next(t), "C1", "50.2")

	// Slack asks the client to reconnect.
	c2.send(t, map[string]any{"type": "disconnect", "reason": "refresh_requested"})
	c3 := ws.next(t)
	c3.event(t, "e3", "EvS3", "50.3")
	c3.ack(t)
	checkAnswer(t, f.next(t), "C1", "50.3")
	if n := obs.count("reconnects"); n != 2 {
		t.Errorf("reconnects counted: %d, want 2", n)
	}
}

func TestSocketModeQueueFullIsNotAcked(t *testing.T) {
	g := newGate(t)
	q := bot.NewQueue(bot.QueueConfig{Capacity: 1, Workers: 1})
	_, f, ws := startSocket(t, g, Options{Queue: q})
	c := ws.next(t)
	c.event(t, "e1", "EvF1", "60.1")
	c.ack(t)
	<-g.entered
	c.event(t, "e2", "EvF2", "60.2")
	c.ack(t)
	c.event(t, "e3", "EvF3", "60.3") // no room: not acknowledged
	c.none(t)
	close(g.release)
	checkAnswer(t, f.next(t), "C1", "60.1")
	checkAnswer(t, f.next(t), "C1", "60.2")
	// Slack sends the unacknowledged envelope again.
	c.send(t, map[string]any{"type": "events_api", "envelope_id": "e3-retry", "retry_attempt": 1,
		"payload": json.RawMessage(eventJSON("EvF3", mention("<@UBOT> how many victims were rescued?", "60.3", "")))})
	if id := c.ack(t); id != "e3-retry" {
		t.Errorf("ack %s", id)
	}
	checkAnswer(t, f.next(t), "C1", "60.3")
	f.none(t)
}

func TestLogLimiter(t *testing.T) {
	l := logLimiter{every: time.Minute}
	now := time.Unix(0, 0)
	if ok, _ := l.allow(now); !ok {
		t.Fatal("first line held back")
	}
	for i := range 5 {
		if ok, _ := l.allow(now.Add(time.Duration(i) * time.Second)); ok {
			t.Fatal("a line let through within the minute")
		}
	}
	if ok, n := l.allow(now.Add(time.Minute)); !ok || n != 5 {
		t.Errorf("after a minute: %v with %d held back, want true and 5", ok, n)
	}
}
