package slack

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slacktest"

	"github.com/liberterra/liberterra/bot"
)

const (
	testBotUser = "UBOT"
	testBotID   = "BBOT"
	testSecret  = "test-signing-secret"
)

// post is one message the adapter sent to the fake Slack.
type post struct {
	Path         string // chat.postMessage, chat.postEphemeral, respond
	Channel      string
	User         string
	ThreadTS     string
	Text         string
	Blocks       string
	ResponseType string
}

// fakeSlack is slacktest's server with recording handlers for the calls the
// adapter makes, and a socket mode websocket served by ws (if any).
type fakeSlack struct {
	srv   *slacktest.Server
	posts chan post

	mu     sync.Mutex
	faults map[string][]string // by method: the next calls' faults, in order
	calls  map[string]int      // calls that reached each method
}

// inject makes the next calls to method fail, one fault a call:
// "429" (with Retry-After: 0), "429-bare" (without), "500", "drop" (the
// connection closed without an answer), or a Slack error such as
// "invalid_auth" (HTTP 200, ok false).
func (f *fakeSlack) inject(method string, faults ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults[method] = append(f.faults[method], faults...)
}

// fault counts a call to method and plays its next fault, if any; it
// reports whether it answered the call.
func (f *fakeSlack) fault(w http.ResponseWriter, method string) bool {
	f.mu.Lock()
	f.calls[method]++
	var fault string
	if q := f.faults[method]; len(q) > 0 {
		fault, f.faults[method] = q[0], q[1:]
	}
	f.mu.Unlock()
	switch fault {
	case "":
		return false
	case "429":
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
	case "429-bare":
		w.WriteHeader(http.StatusTooManyRequests)
	case "500":
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, "<html>oops</html>")
	case "drop":
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	default:
		fmt.Fprintf(w, `{"ok":false,"error":%q}`, fault)
	}
	return true
}

func (f *fakeSlack) callsTo(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

func newFakeSlack(t *testing.T, wsURL func() string) *fakeSlack {
	f := &fakeSlack{posts: make(chan post, 100), faults: map[string][]string{}, calls: map[string]int{}}
	form := func(path string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if f.fault(w, path) {
				return
			}
			if err := r.ParseForm(); err != nil {
				t.Errorf("%s: %v", path, err)
			}
			f.posts <- post{Path: path, Channel: r.Form.Get("channel"), User: r.Form.Get("user"), ThreadTS: r.Form.Get("thread_ts"),
				Text: r.Form.Get("text"), Blocks: r.Form.Get("blocks")}
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"1700000000.000100"}`, r.Form.Get("channel"))
		}
	}
	f.srv = slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/auth.test", func(w http.ResponseWriter, _ *http.Request) {
			if f.fault(w, "auth.test") {
				return
			}
			fmt.Fprintf(w, `{"ok":true,"team":"T","user":"liberterra","team_id":"T1","user_id":%q,"bot_id":%q}`, testBotUser, testBotID)
		})
		c.Handle("/chat.postMessage", form("chat.postMessage"))
		c.Handle("/chat.postEphemeral", form("chat.postEphemeral"))
		c.Handle("/views.publish", func(w http.ResponseWriter, r *http.Request) {
			if f.fault(w, "views.publish") {
				return
			}
			var m struct {
				UserID string          `json:"user_id"`
				View   json.RawMessage `json:"view"`
			}
			if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
				t.Errorf("views.publish: %v", err)
			}
			f.posts <- post{Path: "views.publish", User: m.UserID, Blocks: string(m.View)}
			io.WriteString(w, `{"ok":true,"view":{"id":"V1"}}`)
		})
		c.Handle("/respond", func(w http.ResponseWriter, r *http.Request) {
			if f.fault(w, "respond") {
				return
			}
			var m struct {
				Text         string          `json:"text"`
				Blocks       json.RawMessage `json:"blocks"`
				ResponseType string          `json:"response_type"`
			}
			if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
				t.Errorf("respond: %v", err)
			}
			f.posts <- post{Path: "respond", Text: m.Text, Blocks: string(m.Blocks), ResponseType: m.ResponseType}
			io.WriteString(w, "ok")
		})
		if wsURL != nil {
			c.Handle("/apps.connections.open", func(w http.ResponseWriter, r *http.Request) {
				if f.fault(w, "apps.connections.open") {
					return
				}
				if got := r.Header.Get("Authorization"); got != "Bearer xapp-1-test" {
					t.Errorf("apps.connections.open with %q, want the app token", got)
				}
				fmt.Fprintf(w, `{"ok":true,"url":%q}`, wsURL())
			})
		}
	})
	f.srv.Start()
	t.Cleanup(f.srv.Stop)
	return f
}

// next waits for the next post.
func (f *fakeSlack) next(t *testing.T) post {
	t.Helper()
	select {
	case p := <-f.posts:
		return p
	case <-time.After(5 * time.Second):
		t.Fatal("timed out waiting for a post")
	}
	return post{}
}

// none checks nothing more was posted.
func (f *fakeSlack) none(t *testing.T) {
	t.Helper()
	select {
	case p := <-f.posts:
		t.Errorf("unexpected post %+v", p)
	case <-time.After(50 * time.Millisecond):
	}
}

// start runs a until the test ends and waits until it is connected.
func start(t *testing.T, a *Adapter) {
	t.Helper()
	a.retry.Backoff = bot.Backoff{Min: time.Millisecond, Max: 10 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Run did not return after cancel")
		}
	})
	for deadline := time.Now().Add(5 * time.Second); !a.Connected(); {
		if time.Now().After(deadline) {
			t.Fatal("adapter did not connect")
		}
		select {
		case err := <-done:
			t.Fatalf("Run returned early: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func checkAnswer(t *testing.T, p post, channel, threadTS string) {
	t.Helper()
	if p.Path != "chat.postMessage" || p.Channel != channel || p.ThreadTS != threadTS {
		t.Errorf("posted %s to %q thread %q, want chat.postMessage to %q thread %q", p.Path, p.Channel, p.ThreadTS, channel, threadTS)
	}
	if !strings.Contains(p.Text, "3,222") {
		t.Errorf("text %q doesn't answer the question", p.Text)
	}
	if !strings.Contains(p.Blocks, `"type":"context"`) || !strings.Contains(p.Blocks, "George Allison:") || !strings.Contains(p.Blocks, `"type":"plain_text","text":"“`) {
		t.Errorf("blocks lack the citations: %.300s", p.Blocks)
	}
}

func eventJSON(eventID string, event map[string]any) string {
	b, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T1", "event_id": eventID, "event_time": 1, "event": event})
	return string(b)
}

func mention(text, ts, threadTS string) map[string]any {
	return map[string]any{"type": "app_mention", "user": "UASKER", "text": text, "ts": ts, "thread_ts": threadTS, "channel": "C1", "event_ts": ts}
}

func TestSocketModeEndToEnd(t *testing.T) {
	acks := make(chan string, 10)
	conns := make(chan int, 10)
	var n int
	var nmu sync.Mutex
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	ws := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			t.Error(err)
			return
		}
		defer c.Close()
		nmu.Lock()
		n++
		conn := n
		nmu.Unlock()
		conns <- conn
		send := func(v any) {
			if err := c.WriteJSON(v); err != nil {
				t.Errorf("write: %v", err)
			}
		}
		readAck := func() {
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			var ack struct {
				EnvelopeID string         `json:"envelope_id"`
				Payload    map[string]any `json:"payload"`
			}
			if err := c.ReadJSON(&ack); err != nil {
				t.Errorf("reading ack: %v", err)
				return
			}
			if ack.EnvelopeID == "env-slash" && ack.Payload["response_type"] != nil {
				t.Errorf("slash ack payload %v, want none (the reply is private)", ack.Payload)
			}
			acks <- ack.EnvelopeID
		}
		send(map[string]any{"type": "hello", "num_connections": conn})
		if conn == 1 {
			send(map[string]any{"type": "events_api", "envelope_id": "env-1", "accepts_response_payload": false,
				"payload": json.RawMessage(eventJSON("Ev1", mention("<@UBOT> how many victims were rescued?", "100.1", "")))})
			readAck()
			send(map[string]any{"type": "slash_commands", "envelope_id": "env-slash", "accepts_response_payload": true,
				"payload": map[string]any{"command": "/liberterra", "text": "How many victims were rescued?", "user_id": "UASKER",
					"channel_id": "C2", "response_url": "RESPOND"}})
			readAck()
			send(map[string]any{"type": "disconnect", "reason": "refresh_requested"})
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			for {
				if _, _, err := c.ReadMessage(); err != nil {
					return
				}
			}
		}
		// Second connection: a retry of the first event, then a mention in a thread.
		send(map[string]any{"type": "events_api", "envelope_id": "env-2", "retry_attempt": 1,
			"payload": json.RawMessage(eventJSON("Ev1", mention("<@UBOT> how many victims were rescued?", "100.1", "")))})
		readAck()
		send(map[string]any{"type": "events_api", "envelope_id": "env-3",
			"payload": json.RawMessage(eventJSON("Ev2", mention("<@UBOT> how many victims were rescued?", "200.2", "150.5")))})
		readAck()
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	}))
	defer ws.Close()
	wsURL := "ws" + strings.TrimPrefix(ws.URL, "http")
	f := newFakeSlack(t, func() string { return wsURL })

	a, err := New(Config{BotToken: "xoxb-test", AppToken: "xapp-1-test", APIURL: strings.TrimSuffix(f.srv.GetAPIURL(), "/")}, realBot(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The slash command's response URL is on the fake server.
	respondURL := f.srv.GetAPIURL() + "respond"
	a.api = rewriteRespond{a.api, respondURL}
	start(t, a)

	// Answers are posted concurrently, so in any order.
	byKey := map[string]post{}
	for range 3 {
		p := f.next(t)
		byKey[p.Path+" "+p.ThreadTS] = p
	}
	checkAnswer(t, byKey["chat.postMessage 100.1"], "C1", "100.1")
	checkAnswer(t, byKey["chat.postMessage 150.5"], "C1", "150.5")
	p := byKey["respond "]
	if p.Path != "respond" || p.ResponseType != "ephemeral" || !strings.Contains(p.Text, "3,222") || !strings.Contains(p.Blocks, "George Allison") {
		t.Errorf("slash reply %.300v", p)
	}
	if !strings.Contains(p.Blocks, `"text":"How many victims were rescued?"`) || !strings.Contains(p.Blocks, `"action_id":"lt_share"`) {
		t.Errorf("the private slash reply doesn't echo the question or offer to share it: %.300s", p.Blocks)
	}
	f.none(t)
	var got []string
	for range 4 {
		select {
		case id := <-acks:
			got = append(got, id)
		case <-time.After(5 * time.Second):
			t.Fatalf("acks: got %v", got)
		}
	}
	if strings.Join(got, ",") != "env-1,env-slash,env-2,env-3" {
		t.Errorf("acks %v", got)
	}
	if c := <-conns; c != 1 {
		t.Errorf("first connection %d", c)
	}
	if c := <-conns; c != 2 {
		t.Errorf("no reconnection after disconnect")
	}
}

// rewriteRespond points slash command response URLs at the fake server.
type rewriteRespond struct {
	chatAPI
	url string
}

func (r rewriteRespond) PostWebhookContext(ctx context.Context, u string, msg *slack.WebhookMessage) error {
	if u == "RESPOND" {
		u = r.url
	}
	return r.chatAPI.PostWebhookContext(ctx, u, msg)
}

func sign(req *http.Request, body string, ts time.Time, secret string) {
	s := strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	io.WriteString(mac, "v0:"+s+":"+body)
	req.Header.Set("X-Slack-Request-Timestamp", s)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
}

func TestHTTPModeEndToEnd(t *testing.T) {
	f := newFakeSlack(t, nil)
	mux := http.NewServeMux()
	hs := httptest.NewServer(mux)
	defer hs.Close()
	a, err := New(Config{BotToken: "xoxb-test", SigningSecret: testSecret, APIURL: f.srv.GetAPIURL()}, realBot(t), Options{Mux: mux})
	if err != nil {
		t.Fatal(err)
	}
	start(t, a)

	do := func(path, body, contentType string, ts time.Time, secret string, header ...string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, hs.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		sign(req, body, ts, secret)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := hs.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	event := func(body string, header ...string) (int, string) {
		return do(EventsPath, body, "application/json", time.Now(), testSecret, header...)
	}
	now := time.Now()

	t.Run("url_verification", func(t *testing.T) {
		code, body := event(`{"type":"url_verification","token":"x","challenge":"abc123"}`)
		if code != 200 || body != "abc123" {
			t.Errorf("got %d %q", code, body)
		}
	})
	t.Run("bad signatures", func(t *testing.T) {
		ev := eventJSON("EvBad", mention("<@UBOT> how many victims were rescued?", "300.1", ""))
		for name, c := range map[string]struct {
			ts     time.Time
			secret string
		}{
			"wrong secret": {now, "not-the-secret"},
			"stale":        {now.Add(-10 * time.Minute), testSecret},
			"future":       {now.Add(10 * time.Minute), testSecret},
		} {
			if code, _ := do(EventsPath, ev, "application/json", c.ts, c.secret); code != http.StatusUnauthorized {
				t.Errorf("%s: events got %d, want 401", name, code)
			}
			if code, _ := do(CommandsPath, "text=help&user_id=U1&channel_id=C1", "application/x-www-form-urlencoded", c.ts, c.secret); code != http.StatusUnauthorized {
				t.Errorf("%s: commands got %d, want 401", name, code)
			}
		}
		req, _ := http.NewRequest(http.MethodPost, hs.URL+EventsPath, strings.NewReader(ev))
		resp, err := hs.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("unsigned: got %d", resp.StatusCode)
		}
		f.none(t)
	})
	t.Run("too large", func(t *testing.T) {
		if code, _ := event(strings.Repeat("x", DefaultMaxEventBytes+1)); code != http.StatusRequestEntityTooLarge {
			t.Errorf("got %d", code)
		}
	})
	t.Run("retried event answered once, after a 429", func(t *testing.T) {
		f.inject("chat.postMessage", "429")
		ev := eventJSON("EvOnce", mention("<@UBOT> how many victims were rescued?", "400.1", ""))
		if code, _ := event(ev); code != 200 {
			t.Fatalf("got %d", code)
		}
		if code, _ := event(ev, "X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout"); code != 200 {
			t.Fatalf("retry got %d", code)
		}
		checkAnswer(t, f.next(t), "C1", "400.1")
		f.none(t)
	})
	t.Run("ignored messages", func(t *testing.T) {
		for i, ev := range []map[string]any{
			{"type": "message", "channel_type": "im", "channel": "D1", "user": "UBOT", "text": "own", "ts": "1.1"},
			{"type": "message", "channel_type": "im", "channel": "D1", "bot_id": "BOTHER", "user": "UOTHER", "text": "bot", "ts": "1.2"},
			{"type": "message", "channel_type": "im", "channel": "D1", "subtype": "bot_message", "text": "bot", "ts": "1.3"},
			{"type": "message", "channel_type": "im", "channel": "D1", "subtype": "message_changed", "ts": "1.4"},
			{"type": "message", "channel_type": "channel", "channel": "C1", "user": "UASKER", "text": "no mention", "ts": "1.5"},
		} {
			if code, _ := event(eventJSON(fmt.Sprintf("EvIgnore%d", i), ev)); code != 200 {
				t.Errorf("%d: got %d", i, code)
			}
		}
		f.none(t)
	})
	t.Run("direct message", func(t *testing.T) {
		ev := map[string]any{"type": "message", "channel_type": "im", "channel": "D1", "user": "UASKER", "text": "how many victims were rescued?", "ts": "500.1"}
		event(eventJSON("EvDM", ev))
		checkAnswer(t, f.next(t), "D1", "")
	})
	t.Run("slash command -p posts for the channel at once", func(t *testing.T) {
		form := url.Values{"command": {"/liberterra"}, "text": {"-p how many victims were rescued?"}, "user_id": {"UASKER"},
			"channel_id": {"C1"}, "response_url": {f.srv.GetAPIURL() + "respond"}}
		code, body := do(CommandsPath, form.Encode(), "application/x-www-form-urlencoded", time.Now(), testSecret)
		if code != 200 || !strings.Contains(body, "in_channel") {
			t.Errorf("ack %d %q", code, body)
		}
		p := f.next(t)
		if p.Path != "respond" || p.ResponseType != "in_channel" || !strings.Contains(p.Text, "3,222") || strings.Contains(p.Blocks, "lt_share") {
			t.Errorf("reply %.300v", p)
		}
	})
	t.Run("slash command without response_url", func(t *testing.T) {
		form := url.Values{"text": {"topics"}, "user_id": {"UASKER"}, "channel_id": {"C1"}}
		do(CommandsPath, form.Encode(), "application/x-www-form-urlencoded", time.Now(), testSecret)
		p := f.next(t)
		if p.Path != "chat.postEphemeral" || p.User != "UASKER" || p.Channel != "C1" || !strings.Contains(p.Text, "I can answer questions about") {
			t.Errorf("reply %.300v", p)
		}
		form = url.Values{"text": {"-p"}, "user_id": {"UASKER"}, "channel_id": {"C1"}}
		code, body := do(CommandsPath, form.Encode(), "application/x-www-form-urlencoded", time.Now(), testSecret)
		if code != 200 || !strings.Contains(body, `"response_type":"in_channel"`) {
			t.Errorf("ack %d %q", code, body)
		}
		if p := f.next(t); p.Path != "chat.postMessage" || !strings.Contains(p.Text, "Operation Liberterra II") {
			t.Errorf("empty command: %.300v", p)
		}
	})
}
