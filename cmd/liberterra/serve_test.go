package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
)

// testWait bounds every wait in these tests; it is a deadline against
// hangs, never a timing assertion.
const testWait = 20 * time.Second

// syncBuffer is a bytes.Buffer safe for the logger's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// fakeAdapter is a front end that asks the bot what the test tells it to,
// through adapterEnv's queue and bot, as the Slack and Discord adapters do.
type fakeAdapter struct {
	env       adapterEnv
	connected atomic.Bool
	asks      chan fakeAsk
}

type fakeAsk struct {
	q     bot.Question
	reply chan fakeReply
}

type fakeReply struct {
	r   bot.Reply
	err error
}

func (a *fakeAdapter) Name() string    { return "fake" }
func (a *fakeAdapter) Connected() bool { return a.connected.Load() }

// Run queues a job for each question; the job answers it and hands the
// reply back, as a real front end posts it.
func (a *fakeAdapter) Run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			a.connected.Store(false)
			return nil
		case ask := <-a.asks:
			err := a.env.Queue.Submit(func(ctx context.Context) error {
				r, err := a.env.Bot.Answer(ctx, ask.q)
				ask.reply <- fakeReply{r, err}
				return err
			})
			if err != nil {
				ask.reply <- fakeReply{err: err}
			}
		}
	}
}

// send hands a question to the adapter and returns where its reply comes.
func (a *fakeAdapter) send(t *testing.T, text, user string) chan fakeReply {
	t.Helper()
	ch := make(chan fakeReply, 1)
	select {
	case a.asks <- fakeAsk{bot.Question{Text: text, User: user, Frontend: "fake"}, ch}:
	case <-time.After(testWait):
		t.Fatalf("adapter did not take question %q", text)
	}
	return ch
}

func (a *fakeAdapter) ask(t *testing.T, text, user string) bot.Reply {
	t.Helper()
	return waitReply(t, a.send(t, text, user))
}

func waitReply(t *testing.T, ch chan fakeReply) bot.Reply {
	t.Helper()
	select {
	case fr := <-ch:
		if fr.err != nil {
			t.Fatalf("answer: %v", fr.err)
		}
		return fr.r
	case <-time.After(testWait):
		t.Fatal("no reply")
	}
	return bot.Reply{}
}

// server is serve running in-process.
type server struct {
	t        testing.TB
	base     string // http://127.0.0.1:port
	opsBase  string // the metrics address, when separate; else base
	fake     *fakeAdapter
	stderr   *syncBuffer
	cancel   context.CancelFunc
	done     chan int      // serve's exit status, once
	exited   chan struct{} // closed when serve has returned
	reload   chan struct{}
	reloaded chan bool
}

// startServe runs serve with args and env (LIBERTERRA_ADDR is 127.0.0.1:0)
// and the fake adapter, and waits until it listens.
func startServe(t testing.TB, args []string, env map[string]string, wrap func(bot.Answerer) bot.Answerer) *server {
	return startServeWith(t, args, env, wrap, frontEnds(), nil)
}

// startServeWith is startServe with the front ends given (the fake is
// added) and, if not nil, other HTTP limits.
func startServeWith(t testing.TB, args []string, env map[string]string, wrap func(bot.Answerer) bot.Answerer, factories []adapterFactory, limits *httpLimits) *server {
	t.Helper()
	if env == nil {
		env = map[string]string{}
	}
	if env["LIBERTERRA_ADDR"] == "" {
		env["LIBERTERRA_ADDR"] = "127.0.0.1:0"
	}
	s := &server{t: t, stderr: &syncBuffer{}, done: make(chan int, 1), exited: make(chan struct{}),
		reload: make(chan struct{}), reloaded: make(chan bool, 4)}
	addrs := make(chan [2]string, 1)
	s.fake = &fakeAdapter{asks: make(chan fakeAsk)}
	fake := func(e adapterEnv) (bot.Adapter, error) {
		s.fake.env = e
		return s.fake, nil
	}
	hooks := &serveHooks{
		listening: func(addr, opsAddr string) { addrs <- [2]string{addr, opsAddr} },
		limits:    limits,
		restart:   &bot.Backoff{Min: time.Millisecond, Max: 10 * time.Millisecond},
		reload:    s.reload,
		reloaded:  func(ok bool) { s.reloaded <- ok },
		wrap:      wrap,
	}
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: s.stderr,
		Getenv: func(k string) string { return env[k] }, hooks: hooks,
		factories: append(append([]adapterFactory(nil), factories...), fake)}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	go func() {
		s.done <- m.Run(ctx, append([]string{"serve"}, args...))
		close(s.exited)
	}()
	select {
	case a := <-addrs:
		s.base, s.opsBase = "http://"+a[0], "http://"+a[0]
		if a[1] != "" {
			s.opsBase = "http://" + a[1]
		}
	case code := <-s.done:
		cancel()
		t.Fatalf("serve exited with %d before listening:\n%s", code, s.stderr)
	case <-time.After(testWait):
		cancel()
		t.Fatal("serve did not start")
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.exited:
		case <-time.After(testWait):
		}
	})
	return s
}

// stop cancels serve's context, as SIGTERM does, and returns its status.
func (s *server) stop() int {
	s.t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		return code
	case <-time.After(testWait):
		s.t.Fatalf("serve did not stop:\n%s", s.stderr)
	}
	return -1
}

// get fetches path from the metrics address (the public one unless
// LIBERTERRA_METRICS_ADDR is set).
func (s *server) get(path string) (int, string) {
	s.t.Helper()
	resp, err := http.Get(s.opsBase + path)
	if err != nil {
		s.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// metric returns the value of one sample line in /metrics, e.g.
// `liberterra_questions_total{frontend="fake",outcome="answered"}`, or "".
func (s *server) metric(sample string) string {
	s.t.Helper()
	_, body := s.get("/metrics")
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, sample+" "); ok {
			return v
		}
	}
	return ""
}

func (s *server) waitReload(want bool) {
	s.t.Helper()
	select {
	case ok := <-s.reloaded:
		if ok != want {
			s.t.Fatalf("reload ok = %v, want %v; log:\n%s", ok, want, s.stderr)
		}
	case <-time.After(testWait):
		s.t.Fatal("no reload")
	}
}

func TestServeHealthReadyMetrics(t *testing.T) {
	s := startServe(t, nil, nil, nil)
	if code, body := s.get("/healthz"); code != 200 || !strings.Contains(body, "ok") {
		t.Errorf("/healthz = %d %q", code, body)
	}
	code, body := s.get("/readyz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "fake not connected") {
		t.Errorf("/readyz before connecting = %d %q, want 503 naming the adapter", code, body)
	}
	if v := s.metric(`liberterra_adapter_connected{adapter="fake"}`); v != "0" {
		t.Errorf("adapter_connected before connecting = %q, want 0", v)
	}
	s.fake.connected.Store(true)
	if code, body := s.get("/readyz"); code != 200 {
		t.Errorf("/readyz after connecting = %d %q", code, body)
	}

	answered := `liberterra_questions_total{frontend="fake",outcome="answered"}`
	declined := `liberterra_questions_total{frontend="fake",outcome="declined"}`
	if v := s.metric(answered); v != "" {
		t.Errorf("answered before any question = %q", v)
	}
	if r := s.fake.ask(t, "How many victims were rescued?", "U1"); r.Kind != bot.KindAnswer {
		t.Fatalf("reply kind %q, want answer: %q", r.Kind, r.Text)
	}
	if r := s.fake.ask(t, "What is the capital of Senegal?", "U1"); r.Kind != bot.KindDeclined {
		t.Fatalf("reply kind %q, want declined: %q", r.Kind, r.Text)
	}
	for sample, want := range map[string]string{
		answered: "1",
		declined: "1",
		`liberterra_answer_duration_seconds_count{frontend="fake"}`: "2",
		`liberterra_adapter_connected{adapter="fake"}`:              "1",
		`liberterra_answers_in_flight`:                              "0",
	} {
		if v := s.metric(sample); v != want {
			t.Errorf("%s = %q, want %s", sample, v, want)
		}
	}
	base, _ := facts.Embedded()
	if v := s.metric("liberterra_fact_base_facts"); v != fmt.Sprint(len(base.Facts)) {
		t.Errorf("fact_base_facts = %q, want %d", v, len(base.Facts))
	}
	if v := s.metric("liberterra_fact_base_load_seconds"); v == "" || v == "0" {
		t.Errorf("fact_base_load_seconds = %q", v)
	}
	if code := s.stop(); code != 0 {
		t.Fatalf("exit status %d after shutdown:\n%s", code, s.stderr)
	}
}

func TestServeRateLimitFlags(t *testing.T) {
	s := startServe(t, []string{"--rate-burst", "1", "--rate-every", "1h"}, nil, nil)
	if r := s.fake.ask(t, "Who is Stephen Kavanagh?", "U1"); r.Kind != bot.KindAnswer {
		t.Fatalf("first question: %q", r.Kind)
	}
	if r := s.fake.ask(t, "Who is Stephen Kavanagh?", "U1"); r.Kind != bot.KindSlowDown {
		t.Fatalf("second question within the hour: %q, want slow_down", r.Kind)
	}
	if r := s.fake.ask(t, "Who is Stephen Kavanagh?", "U2"); r.Kind != bot.KindAnswer {
		t.Fatalf("another user: %q", r.Kind)
	}
	if v := s.metric(`liberterra_questions_total{frontend="fake",outcome="slow_down"}`); v != "1" {
		t.Errorf("slow_down count = %q", v)
	}
	s.stop()
}

// copyFacts copies the built-in fact base to a directory for --facts.
func copyFacts(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "facts")
	if err := os.CopyFS(dir, facts.EmbeddedFS()); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestServeReloadKeepsOldBaseWhenBroken(t *testing.T) {
	dir := copyFacts(t)
	s := startServe(t, []string{"--facts", dir}, nil, nil)
	q := "How many victims were rescued?"
	before := s.fake.ask(t, q, "")
	if before.Kind != bot.KindAnswer {
		t.Fatalf("before reload: %q", before.Kind)
	}

	// Break the base: take away a source article every quote of it fails.
	src := filepath.Join(dir, "sources", "001_95a74a30405a6b6b.txt")
	text, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(src, []byte("This article was replaced by something else.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.reload <- struct{}{}
	s.waitReload(false)
	log := s.stderr.String()
	for _, want := range []string{"fact base rejected", "fact base problem", "quote"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	after := s.fake.ask(t, q, "")
	if after.Kind != bot.KindAnswer || after.FactID != before.FactID {
		t.Errorf("after a rejected reload: %q %q, want the old answer %q", after.Kind, after.FactID, before.FactID)
	}
	if v := s.metric(`liberterra_fact_base_reloads_total{result="rejected"}`); v != "1" {
		t.Errorf("rejected reloads = %q", v)
	}

	// Mend it and reload for real, this time with a real SIGHUP.
	if err := os.WriteFile(src, text, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	s.waitReload(true)
	if v := s.metric(`liberterra_fact_base_reloads_total{result="ok"}`); v != "1" {
		t.Errorf("ok reloads = %q", v)
	}
	if r := s.fake.ask(t, q, ""); r.Kind != bot.KindAnswer {
		t.Errorf("after reload: %q", r.Kind)
	}
	if code := s.stop(); code != 0 {
		t.Fatalf("exit status %d", code)
	}
}

func TestServeShutdownFinishesAnswerInFlight(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	slow := func(next bot.Answerer) bot.Answerer {
		return bot.AnswererFunc(func(ctx context.Context, q bot.Question) (bot.Reply, error) {
			if q.Text == "How many people were arrested?" {
				close(entered)
				<-release
			}
			return next.Answer(ctx, q)
		})
	}
	s := startServe(t, nil, nil, slow)
	s.fake.connected.Store(true)
	pending := s.fake.send(t, "How many people were arrested?", "U1")
	select {
	case <-entered:
	case <-time.After(testWait):
		t.Fatal("question never reached the bot")
	}
	s.cancel() // SIGTERM
	// serve must wait for the answer: release it only once shutdown began.
	deadline := time.Now().Add(testWait)
	for !strings.Contains(s.stderr.String(), "shutting down") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case code := <-s.done:
		t.Fatalf("serve exited (%d) with an answer in flight", code)
	default:
	}
	close(release)
	r := waitReply(t, pending)
	if r.Kind != bot.KindAnswer {
		t.Errorf("answer in flight: kind %q %q", r.Kind, r.Text)
	}
	select {
	case code := <-s.done:
		if code != 0 {
			t.Errorf("exit status %d:\n%s", code, s.stderr)
		}
	case <-time.After(testWait):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(s.stderr.String(), "stopped") {
		t.Errorf("log lacks the stop:\n%s", s.stderr)
	}
}

// The secrets used below are fakes; they must never be printed.
const (
	fakeSlackToken   = "xapp-1-FAKESECRETslack0123456789"
	fakeAppToken     = "xoxb-FAKESECRETapp0123456789"
	fakeSigning      = "FAKESECRETsigning0123456789"
	fakeDiscordToken = "FAKESECRETdiscord.0123456789.abcdef"
)

func TestServeConfigErrorsHideSecrets(t *testing.T) {
	env := map[string]string{
		"SLACK_BOT_TOKEN":      fakeSlackToken, // wrong kind: an xapp- where an xoxb- belongs
		"SLACK_APP_TOKEN":      fakeAppToken,   // and the other way round
		"SLACK_SIGNING_SECRET": fakeSigning,
		"DISCORD_BOT_TOKEN":    fakeDiscordToken,
		"LIBERTERRA_ADDR":      "nonsense",
	}
	leaky := func(e adapterEnv) (bot.Adapter, error) {
		e.Log.Error("leaky adapter", "token", e.Getenv("DISCORD_BOT_TOKEN"))
		return nil, fmt.Errorf("SLACK_BOT_TOKEN %q is not a bot token", e.Getenv("SLACK_BOT_TOKEN"))
	}
	for _, format := range []string{"text", "json"} {
		var stderr syncBuffer
		m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr,
			Getenv: func(k string) string { return env[k] }, factories: []adapterFactory{leaky}}
		code := m.Run(context.Background(), []string{"serve", "--log-format", format, "--rate-burst", "0", "--gaps-below", "2"})
		out := stderr.String()
		if code != exitError {
			t.Errorf("%s: exit status %d, want %d:\n%s", format, code, exitError, out)
		}
		for _, want := range []string{"--rate-burst 0", "--gaps-below 2", "LIBERTERRA_ADDR", "[redacted]"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", format, want, out)
			}
		}
		for _, secret := range []string{fakeSlackToken, fakeAppToken, fakeSigning, fakeDiscordToken, "FAKESECRET"} {
			if strings.Contains(out, secret) {
				t.Errorf("%s: stderr shows a secret %q:\n%s", format, secret, out)
			}
		}
	}
	var stderr syncBuffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr, Getenv: func(string) string { return "" }}
	if code := m.Run(context.Background(), []string{"serve", "--log-format", "xml"}); code != exitError || !strings.Contains(stderr.String(), `--log-format "xml"`) {
		t.Errorf("bad --log-format: %d %s", code, stderr.String())
	}
}

func TestServeLogsHideSecrets(t *testing.T) {
	// Only the fake: the secret below would start the real Discord adapter.
	s := startServeWith(t, []string{"--log-format", "json"}, map[string]string{"DISCORD_BOT_TOKEN": fakeDiscordToken}, nil, nil, nil)
	s.fake.env.Log.Info("connecting", "token", s.fake.env.Getenv("DISCORD_BOT_TOKEN"), "err", errors.New("bad token "+fakeDiscordToken))
	s.stop()
	out := s.stderr.String()
	if strings.Contains(out, "FAKESECRET") || !strings.Contains(out, "[redacted]") {
		t.Errorf("log shows the token or did not redact it:\n%s", out)
	}
	if !strings.HasPrefix(out, "{") {
		t.Errorf("--log-format json wrote non-JSON:\n%s", out)
	}
}

func TestServeUsage(t *testing.T) {
	for _, args := range [][]string{{"serve", "extra"}, {"serve", "--no-such-flag"}, {"gaps"}, {"gaps", "a", "b"}} {
		var stderr bytes.Buffer
		m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr}
		if code := m.Run(context.Background(), args); code != exitUsage {
			t.Errorf("%q: exit status %d, want %d: %s", args, code, exitUsage, stderr.String())
		}
	}
}

// fakeSlackAPI is just enough of Slack's Web API for the Events API mode:
// auth.test (which can be made to fail), chat.postMessage counted by
// thread (which can be slowed or held), and slash commands' response URLs.
type fakeSlackAPI struct {
	srv      *httptest.Server
	mu       sync.Mutex
	posts    map[string]int // thread_ts -> chat.postMessage calls
	responds int            // posts to /respond
	total    atomic.Int64

	authFails atomic.Bool   // auth.test answers 500 while set
	delay     time.Duration // each post takes this long (set before serving)
	hold      atomic.Bool   // posts wait for release while set
	release   chan struct{}
}

func newFakeSlackAPI(t testing.TB) *fakeSlackAPI {
	f := &fakeSlackAPI{posts: map[string]int{}, release: make(chan struct{})}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/auth.test", func(w http.ResponseWriter, r *http.Request) {
		if f.authFails.Load() {
			http.Error(w, "<html>Service Unavailable</html>", http.StatusInternalServerError)
			return
		}
		io.WriteString(w, `{"ok":true,"url":"https://t.slack.com/","team":"T","user":"liberterra","team_id":"T1","user_id":"UBOT","bot_id":"BBOT"}`)
	})
	wait := func() {
		time.Sleep(f.delay)
		if f.hold.Load() {
			<-f.release
		}
	}
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if strings.HasSuffix(r.URL.Path, "/chat.postMessage") {
			wait()
			f.mu.Lock()
			f.posts[r.Form.Get("thread_ts")]++
			f.mu.Unlock()
			f.total.Add(1)
		}
		io.WriteString(w, `{"ok":true,"channel":"C1","ts":"1.1"}`)
	})
	mux.HandleFunc("/respond", func(w http.ResponseWriter, r *http.Request) {
		wait()
		f.mu.Lock()
		f.responds++
		f.mu.Unlock()
		io.WriteString(w, "ok")
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

const loadSecret = "load-test-signing-secret"

// slackEvent posts one signed app_mention to serve's Events API endpoint
// and returns the status code.
func slackEvent(client *http.Client, base string, i int) (int, error) {
	return slackEventTry(client, base, i, 0)
}

// slackEventTry is slackEvent as Slack retries it: attempt > 0 sends the
// retry headers.
func slackEventTry(client *http.Client, base string, i, attempt int) (int, error) {
	ts := fmt.Sprintf("1000.%06d", i)
	ev, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T1", "event_id": fmt.Sprintf("Ev%06d", i), "event_time": 1,
		"event": map[string]any{"type": "app_mention", "user": fmt.Sprintf("U%d", i%500), "text": "<@UBOT> how many victims were rescued?",
			"ts": ts, "channel": "C1", "event_ts": ts}})
	req, _ := http.NewRequest(http.MethodPost, base+"/slack/events", bytes.NewReader(ev))
	req.Header.Set("Content-Type", "application/json")
	if attempt > 0 {
		req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(attempt))
		req.Header.Set("X-Slack-Retry-Reason", "http_error")
	}
	now := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(loadSecret))
	io.WriteString(mac, "v0:"+now+":"+string(ev))
	req.Header.Set("X-Slack-Request-Timestamp", now)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// startSlackServe runs serve with the real Slack adapter in Events API mode
// against a fake Slack API, without a per-user rate limit.
func startSlackServe(t testing.TB) (*server, *fakeSlackAPI) {
	api := newFakeSlackAPI(t)
	env := map[string]string{"SLACK_BOT_TOKEN": "xoxb-load-test", "SLACK_SIGNING_SECRET": loadSecret, "SLACK_API_URL": api.srv.URL + "/api/"}
	s := startServe(t, []string{"--rate-every", "0"}, env, nil)
	s.fake.connected.Store(true)
	s.waitReady()
	return s, api
}

// waitReady waits until /readyz says ready.
func (s *server) waitReady() {
	s.t.Helper()
	deadline := time.Now().Add(testWait)
	for {
		code, body := s.get("/readyz")
		if code == http.StatusOK {
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("never ready: %s\n%s", body, s.stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// runLoad sends n signed events from c concurrent clients and returns the
// ack latencies and the number of 503s. Like Slack, a client sends an
// event refused with 503 (the queue full) again, after a pause; every
// event must be acknowledged with 200 in the end.
func runLoad(t testing.TB, base string, n, c int) ([]time.Duration, int) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c}, Timeout: testWait}
	defer client.CloseIdleConnections()
	lat := make([]time.Duration, n)
	var next, failed, refused atomic.Int64
	var wg sync.WaitGroup
	deadline := time.Now().Add(2 * testWait)
	for range c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				for attempt := 0; ; attempt++ {
					start := time.Now()
					code, err := slackEventTry(client, base, i, attempt)
					lat[i] = time.Since(start)
					if err == nil && code == http.StatusServiceUnavailable && time.Now().Before(deadline) {
						refused.Add(1)
						time.Sleep(20 * time.Millisecond)
						continue
					}
					if err != nil || code != http.StatusOK {
						if failed.Add(1) <= 5 {
							t.Errorf("event %d: %d %v", i, code, err)
						}
					}
					break
				}
			}
		}()
	}
	wg.Wait()
	if f := failed.Load(); f > 0 {
		t.Fatalf("%d of %d events not acknowledged", f, n)
	}
	return lat, int(refused.Load())
}

// TestServeSlackLoad sends 2,000 signed Events API requests from 50
// concurrent clients on loopback, sending again what is refused while the
// queue is full: every one is acknowledged in the end and every question
// answered exactly once, none lost.
func TestServeSlackLoad(t *testing.T) {
	const n, c = 2000, 50
	s, api := startSlackServe(t)
	_, refused := runLoad(t, s.base, n, c)
	t.Logf("%d refusals (503) sent again", refused)
	deadline := time.Now().Add(testWait)
	for api.total.Load() < n && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if v := s.metric(`liberterra_questions_total{frontend="slack",outcome="answered"}`); v != fmt.Sprint(n) {
		t.Errorf("answered = %q, want %d", v, n)
	}
	if code := s.stop(); code != 0 {
		t.Fatalf("exit status %d", code)
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	if len(api.posts) != n {
		t.Errorf("%d threads answered, want %d", len(api.posts), n)
	}
	for ts, k := range api.posts {
		if k != 1 {
			t.Errorf("thread %s answered %d times", ts, k)
		}
	}
}

// BenchmarkServeSlackEvents measures acknowledged Events API requests per
// second through serve with the Slack adapter, 50 clients on loopback, and
// reports the 99th percentile ack latency.
func BenchmarkServeSlackEvents(b *testing.B) {
	s, _ := startSlackServe(b)
	b.ResetTimer()
	start := time.Now()
	lat, refused := runLoad(b, s.base, b.N, 50)
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-ack-µs")
	b.ReportMetric(float64(refused)/float64(b.N), "503s/event")
	s.stop()
}
