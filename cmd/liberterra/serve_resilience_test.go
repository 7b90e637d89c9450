package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/liberterra/liberterra/adapters/slack"
	"github.com/liberterra/liberterra/bot"
)

// slackEnv is the environment of serve with the Slack Events API against
// api, and the metrics on their own address.
func slackEnv(api *fakeSlackAPI) map[string]string {
	return map[string]string{"SLACK_BOT_TOKEN": "xoxb-load-test", "SLACK_SIGNING_SECRET": loadSecret,
		"SLACK_API_URL": api.srv.URL + "/api/", "LIBERTERRA_METRICS_ADDR": "127.0.0.1:0"}
}

// signedPost posts body to serve's path, signed, with the timestamp ts.
func signedPost(t testing.TB, base, path, body string, ts time.Time) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
	now := strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(loadSecret))
	io.WriteString(mac, "v0:"+now+":"+body)
	req.Header.Set("X-Slack-Request-Timestamp", now)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func waitFor(t testing.TB, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(testWait); !ok(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func TestServeMetricsOnTheirOwnAddress(t *testing.T) {
	api := newFakeSlackAPI(t)
	s := startServe(t, []string{"--rate-every", "0"}, slackEnv(api), nil)
	s.fake.connected.Store(true)
	s.waitReady()
	if s.opsBase == s.base {
		t.Fatal("LIBERTERRA_METRICS_ADDR did not give the metrics an address of their own")
	}
	for _, path := range []string{"/metrics", "/healthz", "/readyz"} {
		resp, err := http.Get(s.base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("public %s: %d, want it not served", path, resp.StatusCode)
		}
	}
	for _, sample := range []string{
		`liberterra_adapter_reconnects_total{adapter="slack"}`,
		`liberterra_queue_capacity{adapter="slack"}`,
		`liberterra_deliveries_total{adapter="slack",result="ok"}`,
		`liberterra_dedupe_keys`,
	} {
		if s.metric(sample) == "" {
			t.Errorf("/metrics lacks %s", sample)
		}
	}
	// A bad signature is refused, counted, and logged once however many come.
	for range 20 {
		req, _ := http.NewRequest(http.MethodPost, s.base+"/slack/events", strings.NewReader("{}"))
		req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(time.Now().Unix(), 10))
		req.Header.Set("X-Slack-Signature", "v0="+strings.Repeat("0", 64))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("bad signature: %d", resp.StatusCode)
		}
	}
	if v := s.metric(`liberterra_events_refused_total{adapter="slack",reason="bad_signature"}`); v != "20" {
		t.Errorf("bad signatures counted: %q, want 20", v)
	}
	if n := strings.Count(s.stderr.String(), "bad or missing signature"); n != 1 {
		t.Errorf("bad signatures logged %d times, want once a minute", n)
	}
	s.stop()

	var stderr syncBuffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr, Getenv: func(k string) string {
		return map[string]string{"LIBERTERRA_ADDR": "127.0.0.1:8080", "LIBERTERRA_METRICS_ADDR": "127.0.0.1:8080"}[k]
	}}
	if code := m.Run(context.Background(), []string{"serve", "--metrics-addr", "nonsense"}); code != exitError || !strings.Contains(stderr.String(), `--metrics-addr "nonsense"`) {
		t.Errorf("bad --metrics-addr: %d %s", code, stderr.String())
	}
}

// heapInUse samples the heap in use until stop is closed, and returns the
// highest value seen.
func heapInUse(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		var peak uint64
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				out <- peak
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return out
}

// closedOrAnswered reads from c until the server answers or closes it.
func closedOrAnswered(t *testing.T, c net.Conn) string {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(testWait))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
			t.Fatal("the server kept a slow connection open")
		}
		return "closed"
	}
	resp.Body.Close()
	return strconv.Itoa(resp.StatusCode)
}

// TestServeSlowClientsCutOffWithMemoryBounded is the outside probe of
// issue 10 on loopback: 200 uploads of 200 KiB that stall one byte short,
// 50 that trickle a byte at a time, slow headers and idle keep-alive
// connections. Every one is cut off (or refused at once) and the heap
// stays far below what the bodies would take (40 MB).
func TestServeSlowClientsCutOffWithMemoryBounded(t *testing.T) {
	api := newFakeSlackAPI(t)
	limits := defaultHTTPLimits
	limits.readHeader, limits.idle = 300*time.Millisecond, 300*time.Millisecond
	limits.slack = slack.Limits{MaxConcurrentReads: 8, BodyReadTimeout: 300 * time.Millisecond}
	s := startServeWith(t, []string{"--rate-every", "0"}, slackEnv(api), nil, frontEnds(), &limits)
	s.fake.connected.Store(true)
	s.waitReady()
	host := strings.TrimPrefix(s.base, "http://")
	dial := func() net.Conn {
		c, err := net.Dial("tcp", host)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	headers := func(c net.Conn, length int) {
		fmt.Fprintf(c, "POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\nX-Slack-Request-Timestamp: %d\r\nX-Slack-Signature: v0=%s\r\n\r\n",
			length, time.Now().Unix(), strings.Repeat("ab", 32))
	}

	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	stop := make(chan struct{})
	peak := heapInUse(stop)

	const n, size = 200, 200 << 10
	body := bytes.Repeat([]byte("x"), size-1)
	var wg sync.WaitGroup
	results := make(chan string, n+100)
	for range n {
		c := dial()
		wg.Add(1)
		go func() {
			defer wg.Done()
			headers(c, size)
			c.Write(body) // one byte short; then nothing
			results <- closedOrAnswered(t, c)
		}()
	}
	for range 50 {
		c := dial()
		wg.Add(1)
		go func() {
			defer wg.Done()
			headers(c, 1000)
			go func() {
				for {
					if _, err := c.Write([]byte("x")); err != nil {
						return
					}
					time.Sleep(20 * time.Millisecond)
				}
			}()
			results <- closedOrAnswered(t, c)
		}()
	}
	slowHeaders := dial()
	io.WriteString(slowHeaders, "POST /slack/events HTTP/1.1\r\nHost: x\r\n")
	idle := dial()
	io.WriteString(idle, "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n")
	wg.Wait()
	close(stop)
	grew := int64(<-peak) - int64(base.HeapInuse)

	counts := map[string]int{}
	for range n + 50 {
		counts[<-results]++
	}
	t.Logf("outcomes %v; heap grew by at most %.1f MiB", counts, float64(grew)/(1<<20))
	if counts["200"] > 0 {
		t.Errorf("an unsigned upload was acknowledged: %v", counts)
	}
	if grew > 48<<20 {
		t.Errorf("the heap grew by %.0f MiB under slow uploads, want it bounded (8 reads at once of at most 256 KiB)", float64(grew)/(1<<20))
	}
	if got := closedOrAnswered(t, slowHeaders); got != "closed" && got != "408" {
		t.Errorf("slow headers: %s, want the connection closed", got)
	}
	r := bufio.NewReader(idle)
	idle.SetReadDeadline(time.Now().Add(testWait))
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	if _, err := r.ReadByte(); err == nil || isTimeout(err) {
		t.Errorf("an idle keep-alive connection was not closed: %v", err)
	}
	if v := s.metric(`liberterra_events_refused_total{adapter="slack",reason="busy"}`); v == "" {
		t.Error("no upload was refused for want of a read slot")
	}
	// Still serving.
	if code := s.stop(); code != 0 {
		t.Errorf("exit status %d", code)
	}
}

func isTimeout(err error) bool {
	ne, ok := errors.AsType[net.Error](err)
	return ok && ne.Timeout()
}

// TestServeShutdownWithAStalledUploadAndAnAnswerInFlight: an upload that
// stalls (with a body deadline of an hour) must not hold up shutdown, and
// the answer acknowledged before SIGTERM is still posted.
func TestServeShutdownWithAStalledUploadAndAnAnswerInFlight(t *testing.T) {
	api := newFakeSlackAPI(t)
	limits := defaultHTTPLimits
	limits.read = time.Hour
	limits.shutdown = 500 * time.Millisecond
	limits.slack = slack.Limits{BodyReadTimeout: time.Hour}
	s := startServeWith(t, []string{"--rate-every", "0"}, slackEnv(api), nil, frontEnds(), &limits)
	s.fake.connected.Store(true)
	s.waitReady()
	api.hold.Store(true) // the post waits

	if code, _ := slackEvent(http.DefaultClient, s.base, 1); code != 200 {
		t.Fatalf("event: %d", code)
	}
	c, err := net.Dial("tcp", strings.TrimPrefix(s.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nX-Slack-Request-Timestamp: %d\r\nX-Slack-Signature: v0=%s\r\n\r\n{",
		time.Now().Unix(), strings.Repeat("ab", 32))
	waitFor(t, "the post to be held", func() bool { return s.metric(`liberterra_queue_running{adapter="slack"}`) == "1" })

	s.cancel() // SIGTERM
	waitFor(t, "shutdown to begin", func() bool { return strings.Contains(s.stderr.String(), "shutting down") })
	if code, body := s.get("/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "shutting down") {
		t.Errorf("/readyz while draining: %d %q", code, body)
	}
	if code, _ := slackEvent(http.DefaultClient, s.base, 2); code != http.StatusServiceUnavailable {
		t.Errorf("an event while draining: %d, want 503 so Slack sends it again", code)
	}
	select {
	case code := <-s.done:
		t.Fatalf("serve exited (%d) before posting the acknowledged answer", code)
	default:
	}
	api.hold.Store(false)
	close(api.release)
	select {
	case code := <-s.done:
		if code != 0 {
			t.Errorf("exit status %d:\n%s", code, s.stderr)
		}
	case <-time.After(testWait):
		t.Fatal("serve did not stop: the stalled upload held it")
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	if len(api.posts) != 1 || api.posts["1000.000001"] != 1 {
		t.Errorf("posts %v, want the acknowledged event's answer once", api.posts)
	}
}

// TestServeSIGTERMUnderLoad sends events from 20 clients to serve with a
// slow Slack API (50 ms a post), and SIGTERM in the middle: every event
// acknowledged with 200 is answered exactly once, none that was refused is
// answered, and serve exits 0.
func TestServeSIGTERMUnderLoad(t *testing.T) {
	api := newFakeSlackAPI(t)
	api.delay = 50 * time.Millisecond
	s := startServe(t, []string{"--rate-every", "0", "--queue", "64", "--workers", "4", "--shutdown-timeout", "60s"}, slackEnv(api), nil)
	s.fake.connected.Store(true)
	s.waitReady()

	var mu sync.Mutex
	acked := map[string]bool{}
	var next, nacked atomic.Int64
	var wg sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 20}, Timeout: testWait}
	defer client.CloseIdleConnections()
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1))
				code, err := slackEvent(client, s.base, i)
				if err != nil {
					return // serve has closed
				}
				if code == http.StatusOK {
					mu.Lock()
					acked[fmt.Sprintf("1000.%06d", i)] = true
					mu.Unlock()
					nacked.Add(1)
				} else {
					time.Sleep(10 * time.Millisecond) // refused: Slack would come back later
				}
				select {
				case <-s.exited:
					return
				default:
				}
			}
		}()
	}
	waitFor(t, "300 acknowledged events", func() bool { return nacked.Load() >= 300 })
	s.cancel() // SIGTERM
	var code int
	select {
	case code = <-s.done:
	case <-time.After(3 * testWait):
		t.Fatal("serve did not stop")
	}
	wg.Wait()
	if code != 0 {
		t.Fatalf("exit status %d:\n%s", code, s.stderr)
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	mu.Lock()
	defer mu.Unlock()
	for ts := range acked {
		if api.posts[ts] != 1 {
			t.Errorf("acknowledged event %s answered %d times, want once", ts, api.posts[ts])
		}
	}
	for ts, k := range api.posts {
		if !acked[ts] {
			t.Errorf("event %s answered %d times but never acknowledged", ts, k)
		}
	}
	t.Logf("%d events acknowledged and answered, %d sent in all", len(acked), next.Load())
}

// TestServeStartsAgainstAFailingSlack: while auth.test fails, serve stays
// up (not ready, naming Slack), the other front end answers, and once Slack
// answers serve becomes ready.
func TestServeStartsAgainstAFailingSlack(t *testing.T) {
	api := newFakeSlackAPI(t)
	api.authFails.Store(true)
	s := startServe(t, []string{"--rate-every", "0"}, slackEnv(api), nil)
	s.fake.connected.Store(true)
	waitFor(t, "a retried auth.test", func() bool { return strings.Contains(s.stderr.String(), "auth.test failed; retrying") })
	if code, body := s.get("/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "slack not connected") {
		t.Errorf("/readyz while Slack fails: %d %q", code, body)
	}
	if r := s.fake.ask(t, "Who is Stephen Kavanagh?", "U1"); r.Kind != bot.KindAnswer {
		t.Errorf("the other front end: %q", r.Kind)
	}
	if code, _ := slackEvent(http.DefaultClient, s.base, 1); code != http.StatusServiceUnavailable {
		t.Errorf("an event before Slack is reachable: %d, want 503", code)
	}
	api.authFails.Store(false)
	s.waitReady()
	if code, _ := slackEvent(http.DefaultClient, s.base, 1); code != 200 {
		t.Errorf("the event sent again: %d", code)
	}
	waitFor(t, "the answer", func() bool { return api.total.Load() == 1 })
	if code := s.stop(); code != 0 {
		t.Errorf("exit status %d", code)
	}
}

// fakeDiscordGateway is a Discord that closes every gateway connection
// with code after IDENTIFY.
func fakeDiscordGateway(t *testing.T, code int) string {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/ws") {
			fmt.Fprintf(w, `{"url":"ws://%s/ws"}`, r.Host)
			return
		}
		c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		c.WriteJSON(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}})
		c.ReadMessage() // IDENTIFY
		c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(code, "Authentication failed."))
		c.ReadMessage()
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestServeStopsOnARefusedDiscordToken: Discord closing the gateway with
// 4004 stops serve with one message naming the variable, after the other
// front end's acknowledged answers are posted.
func TestServeStopsOnARefusedDiscordToken(t *testing.T) {
	api := newFakeSlackAPI(t)
	env := slackEnv(api)
	env["DISCORD_BOT_TOKEN"] = fakeDiscordToken
	env["DISCORD_API_URL"] = fakeDiscordGateway(t, 4004)
	s := startServe(t, nil, env, nil)
	var code int
	select {
	case code = <-s.done:
	case <-time.After(testWait):
		t.Fatal("serve kept running with a refused token")
	}
	out := s.stderr.String()
	if code != exitError {
		t.Errorf("exit status %d, want %d", code, exitError)
	}
	last := strings.TrimSpace(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:])
	if !strings.HasPrefix(last, "liberterra: discord: Discord refused DISCORD_BOT_TOKEN (gateway close 4004") {
		t.Errorf("last line %q, want one message naming DISCORD_BOT_TOKEN", last)
	}
	if strings.Contains(out, "FAKESECRET") || strings.Contains(out, "discord: discord:") {
		t.Errorf("stderr shows the token or a doubled prefix:\n%s", out)
	}
}

func TestServeReplayedSlashCommandAnsweredOnce(t *testing.T) {
	api := newFakeSlackAPI(t)
	s := startServe(t, []string{"--rate-every", "0"}, slackEnv(api), nil)
	s.fake.connected.Store(true)
	s.waitReady()
	form := url.Values{"command": {"/liberterra"}, "text": {"how many victims were rescued?"}, "user_id": {"U1"},
		"channel_id": {"C1"}, "response_url": {api.srv.URL + "/respond"}, "trigger_id": {"1.2.3"}}
	ts := time.Now()
	for range 3 {
		if code, body := signedPost(t, s.base, "/slack/commands", form.Encode(), ts); code != 200 {
			t.Fatalf("slash command: %d %s", code, body)
		}
	}
	waitFor(t, "the answer", func() bool { api.mu.Lock(); defer api.mu.Unlock(); return api.responds > 0 })
	waitFor(t, "the replays to be recognised", func() bool { return s.metric(`liberterra_duplicates_total{adapter="slack"}`) == "2" })
	if code := s.stop(); code != 0 {
		t.Errorf("exit status %d", code)
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	if api.responds != 1 {
		t.Errorf("answered %d times, want once", api.responds)
	}
}

func TestServeGapsFilePrivateAndReopenedOnSIGHUP(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "gaps.jsonl")
	if err := os.WriteFile(name, []byte(`{"question":"older","kind":"declined"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, []string{"--gaps", name}, nil, nil)
	if st, _ := os.Stat(name); st.Mode().Perm() != 0o600 {
		t.Errorf("existing gaps file mode %v, want 0600", st.Mode().Perm())
	}
	s.fake.ask(t, "What is the capital of Senegal?", "U1")
	rotated := name + ".1"
	if err := os.Rename(name, rotated); err != nil {
		t.Fatal(err)
	}
	s.reload <- struct{}{} // SIGHUP
	s.waitReload(true)
	s.fake.ask(t, "What is the weather in Glasgow?", "U1")
	if code := s.stop(); code != 0 {
		t.Fatalf("exit status %d", code)
	}
	old, _ := os.ReadFile(rotated)
	cur, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("no new gaps file after SIGHUP: %v", err)
	}
	if !strings.Contains(string(old), "Senegal") || strings.Contains(string(old), "Glasgow") || !strings.Contains(string(cur), "Glasgow") {
		t.Errorf("rotated file:\n%s\nnew file:\n%s", old, cur)
	}
	if st, _ := os.Stat(name); st.Mode().Perm() != 0o600 {
		t.Errorf("new gaps file mode %v", st.Mode().Perm())
	}
	var g map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(cur), &g); err != nil || g["question"] != "What is the weather in Glasgow?" {
		t.Errorf("new gaps file: %s (%v)", cur, err)
	}
}

func TestDrainTimeoutSizedToTheQueue(t *testing.T) {
	for _, c := range []struct {
		cfg  serveConfig
		want time.Duration
	}{
		{serveConfig{queue: 256, workers: 16}, 21 * time.Second}, // 16 rounds of posts, plus margin
		{serveConfig{queue: 1000, workers: 4}, 255 * time.Second},
		{serveConfig{queue: 10, workers: 16}, 10 * time.Second}, // never under 10 s
		{serveConfig{queue: 256, workers: 16, shutdownTimeout: time.Minute}, time.Minute},
	} {
		if got := c.cfg.drainTimeout(); got != c.want {
			t.Errorf("queue %d, workers %d, --shutdown-timeout %v: drain %v, want %v", c.cfg.queue, c.cfg.workers, c.cfg.shutdownTimeout, got, c.want)
		}
	}
	var stderr syncBuffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr, Getenv: func(string) string { return "" }}
	if code := m.Run(context.Background(), []string{"serve", "--queue", "0", "--workers", "-1"}); code != exitError ||
		!strings.Contains(stderr.String(), "--queue 0") || !strings.Contains(stderr.String(), "--workers -1") {
		t.Errorf("bad --queue and --workers: %d %s", code, stderr.String())
	}
}

// TestServeFeedbackInLogMetricsAndGaps: a 👎 clicked in Slack lands in the
// feedback log beside the gaps log (without the user id), in /metrics, and
// in `liberterra gaps` as an answer people marked wrong.
func TestServeFeedbackInLogMetricsAndGaps(t *testing.T) {
	api := newFakeSlackAPI(t)
	dir := t.TempDir()
	gaps := filepath.Join(dir, "gaps.jsonl")
	s := startServe(t, []string{"--gaps", gaps}, slackEnv(api), nil)
	s.fake.connected.Store(true)
	s.waitReady()
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "team": map[string]any{"id": "T1"}, "user": map[string]any{"id": "UVOTER"},
		"channel": map[string]any{"id": "C1"}, "response_url": api.srv.URL + "/respond",
		"container": map[string]any{"type": "message", "message_ts": "5.5", "thread_ts": "5.1", "channel_id": "C1"},
		"actions": []any{map[string]any{"type": "button", "action_id": slack.ActionVoteDown, "block_id": "b1",
			"value": `{"q":"How many victims were rescued?","f":"op-victims-rescued"}`}},
	})
	if code, body := signedPost(t, s.base, slack.InteractivePath, url.Values{"payload": {string(payload)}}.Encode(), time.Now()); code != 200 {
		t.Fatalf("click: %d %s", code, body)
	}
	waitFor(t, "the vote counted", func() bool { return s.metric(`liberterra_feedback_total{frontend="slack",vote="down"}`) == "1" })
	waitFor(t, "the thanks", func() bool { api.mu.Lock(); defer api.mu.Unlock(); return api.responds == 1 })
	if code := s.stop(); code != 0 {
		t.Fatalf("exit status %d", code)
	}
	data, err := os.ReadFile(filepath.Join(dir, "feedback.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	line := string(data)
	for _, w := range []string{`"frontend":"slack"`, `"vote":"down"`, `"question":"How many victims were rescued?"`, `"fact_id":"op-victims-rescued"`} {
		if !strings.Contains(line, w) {
			t.Errorf("feedback log %q lacks %s", line, w)
		}
	}
	if strings.Contains(line, "UVOTER") {
		t.Errorf("the feedback log has the user id without --gaps-users: %q", line)
	}
	if st, err := os.Stat(filepath.Join(dir, "feedback.jsonl")); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("feedback log mode %v, %v; want 0600", st.Mode().Perm(), err)
	}
	out, errOut, code := run(t, "", "gaps", gaps)
	if code != 0 || !strings.Contains(out, "Answers people marked wrong") || !strings.Contains(out, "op-victims-rescued (Potential trafficking victims rescued)") ||
		!strings.Contains(out, "how many victims were rescued") {
		t.Errorf("gaps: exit %d, %s\n%s", code, errOut, out)
	}
}
