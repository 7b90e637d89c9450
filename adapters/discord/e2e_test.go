package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"
	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
)

// The fake Discord's ids.
const (
	fakeBotID   = "100"
	fakeGuildID = "300"
	fakeToken   = "test-token-not-a-secret"
)

// api is where discordgo's REST paths start.
var api = "/api/v" + discordgo.APIVersion

// recorded is one REST request that reached the fake Discord.
type recorded struct {
	Method, Path, Auth string
	Body               json.RawMessage
}

// fakeDiscord is a local Discord: REST and gateway discovery over HTTP, and
// a gateway websocket that says HELLO, answers IDENTIFY with READY, acks
// heartbeats and dispatches the events written to its dispatch channel.
type fakeDiscord struct {
	t        *testing.T
	srv      *httptest.Server
	dispatch chan fakeEvent

	mu         sync.Mutex
	reqs       []recorded
	identify   json.RawMessage
	plans      []gatewayPlan    // for the next connections, in order
	otherwise  gatewayPlan      // for connections past the plans
	conns      int              // gateway connections so far
	resumes    int              // RESUMEs received
	restFaults map[string][]int // by path suffix: status codes for the next calls
	connected  chan int         // each connection's number, once READY or RESUMED is sent
}

// gatewayPlan is how the fake gateway treats one connection.
type gatewayPlan struct {
	silent    bool // send nothing at all, not even HELLO, and keep the connection open
	closeCode int  // close with this code instead of READY (4004, 4014, 4000)
	noAcks    bool // never acknowledge a heartbeat (and send nothing else)
	heartbeat int  // the heartbeat interval in ms; 0 means 45000
}

// plan sets how the next gateway connections behave.
func (f *fakeDiscord) plan(p ...gatewayPlan) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.plans = append(f.plans, p...)
}

// failREST makes the next calls to paths ending in suffix answer these
// status codes.
func (f *fakeDiscord) failREST(suffix string, codes ...int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.restFaults[suffix] = append(f.restFaults[suffix], codes...)
}

func (f *fakeDiscord) ready(conn int) {
	select {
	case f.connected <- conn:
	default:
	}
}

// waitConnected waits until connection n (1, 2, …) is READY or RESUMED.
func (f *fakeDiscord) waitConnected(n int) {
	f.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case c := <-f.connected:
			if c >= n {
				return
			}
		case <-deadline:
			f.t.Fatalf("gateway connection %d never became ready", n)
		}
	}
}

type fakeEvent struct {
	Type string
	Data any
}

func (r recorded) String() string { return r.Method + " " + r.Path + " " + string(r.Body) }

func newFakeDiscord(t *testing.T) *fakeDiscord {
	f := &fakeDiscord{t: t, dispatch: make(chan fakeEvent, 16), restFaults: map[string][]int{}, connected: make(chan int, 64)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeDiscord) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/ws") {
		f.gateway(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	rec := recorded{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization"), Body: json.RawMessage(body)}
	f.mu.Lock()
	f.reqs = append(f.reqs, rec)
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	p := r.URL.Path
	f.mu.Lock()
	code := 0
	for suffix, codes := range f.restFaults {
		if strings.HasSuffix(p, suffix) && len(codes) > 0 {
			code, f.restFaults[suffix] = codes[0], codes[1:]
			break
		}
	}
	f.mu.Unlock()
	if code != 0 {
		w.WriteHeader(code)
		fmt.Fprintf(w, `{"message":"fault %d","code":0}`, code)
		return
	}
	switch {
	case r.Method == "GET" && (strings.HasSuffix(p, "/gateway") || strings.HasSuffix(p, "/gateway/bot")):
		fmt.Fprintf(w, `{"url":"ws://%s/ws","shards":1,"session_start_limit":{"total":1000,"remaining":999,"reset_after":0,"max_concurrency":1}}`, r.Host)
	case r.Method == "PUT" && strings.HasSuffix(p, "/commands"):
		w.Write(body) // the commands as registered
	case r.Method == "POST" && strings.Contains(p, "/channels/") && strings.HasSuffix(p, "/messages"):
		fmt.Fprintf(w, `{"id":"999","channel_id":"x","content":"","timestamp":"2026-11-27T10:00:00Z"}`)
	case r.Method == "POST" && strings.HasSuffix(p, "/callback"):
		w.WriteHeader(http.StatusNoContent)
	case r.Method == "GET" && strings.Contains(p, "/channels/"):
		id := p[strings.LastIndex(p, "/")+1:]
		typ := 0
		if strings.HasPrefix(id, "9") { // the fake's threads: ids starting with 9
			typ = 11
		}
		fmt.Fprintf(w, `{"id":%q,"type":%d,"guild_id":%q}`, id, typ, fakeGuildID)
	case r.Method == "POST" && strings.HasSuffix(p, "/users/@me/channels"):
		var req struct {
			RecipientID string `json:"recipient_id"`
		}
		json.Unmarshal(body, &req)
		fmt.Fprintf(w, `{"id":"dm%s","type":1}`, req.RecipientID)
	case r.Method == "POST" && strings.Contains(p, "/webhooks/"):
		fmt.Fprintf(w, `{"id":"997","channel_id":"x","content":"","timestamp":"2026-11-27T10:00:00Z"}`)
	case r.Method == "PATCH" && strings.Contains(p, "/webhooks/"):
		fmt.Fprintf(w, `{"id":"998","channel_id":"x","content":"","timestamp":"2026-11-27T10:00:00Z"}`)
	case r.Method == "DELETE":
		w.WriteHeader(http.StatusNoContent)
	default:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"message":"Unknown route","code":0}`)
	}
}

func (f *fakeDiscord) gateway(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{}
	c, err := up.Upgrade(w, r, nil)
	if err != nil {
		f.t.Errorf("gateway upgrade: %v", err)
		return
	}
	defer c.Close()
	f.mu.Lock()
	f.conns++
	conn := f.conns
	plan := f.otherwise
	if len(f.plans) > 0 {
		plan, f.plans = f.plans[0], f.plans[1:]
	}
	f.mu.Unlock()
	if plan.silent {
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	}
	if plan.heartbeat == 0 {
		plan.heartbeat = 45000
	}
	var wmu sync.Mutex
	seq := 0
	send := func(op int, t string, d any) error {
		wmu.Lock()
		defer wmu.Unlock()
		msg := map[string]any{"op": op, "d": d}
		if op == 0 {
			seq++
			msg["s"], msg["t"] = seq, t
		}
		return c.WriteJSON(msg)
	}
	if err := send(10, "", map[string]any{"heartbeat_interval": plan.heartbeat}); err != nil {
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			_, data, err := c.ReadMessage()
			if err != nil {
				return
			}
			var p struct {
				Op int             `json:"op"`
				D  json.RawMessage `json:"d"`
			}
			if json.Unmarshal(data, &p) != nil {
				continue
			}
			switch p.Op {
			case 1:
				if !plan.noAcks {
					send(11, "", nil)
				}
			case 6:
				f.mu.Lock()
				f.resumes++
				f.mu.Unlock()
				send(0, "RESUMED", map[string]any{})
				f.ready(conn)
			case 2:
				f.mu.Lock()
				f.identify = p.D
				f.mu.Unlock()
				if plan.closeCode != 0 {
					wmu.Lock()
					c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(plan.closeCode, "planned"))
					wmu.Unlock()
					return
				}
				send(0, "READY", map[string]any{
					"v":                  10,
					"user":               map[string]any{"id": fakeBotID, "username": "liberterra", "bot": true},
					"session_id":         "session-1",
					"resume_gateway_url": "ws://" + r.Host + "/ws",
					"application":        map[string]any{"id": fakeBotID, "flags": 0},
					"guilds":             []any{map[string]any{"id": fakeGuildID, "unavailable": true}},
				})
				f.ready(conn)
			}
		}
	}()
	for {
		select {
		case <-done:
			return
		case ev := <-f.dispatch:
			select {
			case <-done: // this connection is gone: leave the event to the next
				f.dispatch <- ev
				return
			default:
			}
			if err := send(0, ev.Type, ev.Data); err != nil {
				f.dispatch <- ev
				return
			}
		}
	}
}

func (f *fakeDiscord) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.reqs...)
}

// waitFor polls until ok holds of the requests so far, or fails the test.
func (f *fakeDiscord) waitFor(what string, ok func([]recorded) bool) []recorded {
	f.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if reqs := f.requests(); ok(reqs) {
			return reqs
		}
		time.Sleep(10 * time.Millisecond)
	}
	f.t.Fatalf("timed out waiting for %s; requests: %v", what, f.requests())
	return nil
}

// newE2EAdapter builds the adapter from env as serve does, with short
// backoffs for the tests.
func newE2EAdapter(t *testing.T, env map[string]string, b bot.Answerer, opts Options) *Adapter {
	t.Helper()
	cfg, ok, err := ConfigFromEnv(func(k string) string { return env[k] })
	if !ok || err != nil {
		t.Fatalf("config: %v %v", ok, err)
	}
	a, err := New(cfg, b, opts)
	if err != nil {
		t.Fatal(err)
	}
	a.retry.Backoff = bot.Backoff{Min: time.Millisecond, Max: 20 * time.Millisecond}
	return a
}

func find(reqs []recorded, method, path string) *recorded {
	for i := range reqs {
		if reqs[i].Method == method && reqs[i].Path == path {
			return &reqs[i]
		}
	}
	return nil
}

func has(method, path string) func([]recorded) bool {
	return func(reqs []recorded) bool { return find(reqs, method, path) != nil }
}

func messageEvent(id, channel, guild string, author map[string]any, content string, mentions ...map[string]any) map[string]any {
	m := map[string]any{
		"id": id, "channel_id": channel, "author": author, "content": content,
		"timestamp": "2026-11-27T10:00:00Z", "mentions": mentions, "type": 0,
	}
	if guild != "" {
		m["guild_id"] = guild
	}
	return m
}

func askInteraction(id, token, question string, public bool) map[string]any {
	return map[string]any{
		"id": id, "application_id": fakeBotID, "type": 2, "token": token, "version": 1,
		"channel_id": "500", "guild_id": fakeGuildID,
		"member": map[string]any{"user": map[string]any{"id": "200", "username": "alice"}},
		"data": map[string]any{"id": "700", "name": "ask", "type": 1, "options": []any{
			map[string]any{"name": "question", "type": 3, "value": question},
			map[string]any{"name": "public", "type": 5, "value": public},
		}},
	}
}

// slowQuestion is answered slowly in the end-to-end test, to make the
// adapter defer the interaction response and edit it in later.
const slowQuestion = "how many victims were rescued"

func TestEndToEnd(t *testing.T) {
	fake := newFakeDiscord(t)
	base, err := facts.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(base)
	slow := bot.AnswererFunc(func(ctx context.Context, q bot.Question) (bot.Reply, error) {
		if q.Text == slowQuestion {
			time.Sleep(300 * time.Millisecond)
		}
		return b.Answer(ctx, q)
	})
	env := map[string]string{
		EnvToken:   fakeToken,
		EnvAPIURL:  fake.srv.URL,
		EnvGuildID: fakeGuildID,
	}
	a := newE2EAdapter(t, env, slow, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a.deferAfter = 100 * time.Millisecond

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runErr := make(chan error, 1)
	go func() { runErr <- a.Run(ctx) }()

	// Registration: a bulk overwrite in the guild.
	regPath := api + "/applications/" + fakeBotID + "/guilds/" + fakeGuildID + "/commands"
	reqs := fake.waitFor("command registration", has("PUT", regPath))
	for deadline := time.Now().Add(10 * time.Second); !a.Connected(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("Connected() = false after READY and registration")
		}
	}
	if find(reqs, "GET", api+"/gateway") == nil && find(reqs, "GET", api+"/gateway/bot") == nil {
		t.Error("gateway discovery did not reach the fake")
	}
	var cmds []struct {
		Name    string `json:"name"`
		Options []struct {
			Name string `json:"name"`
			Type int    `json:"type"`
		} `json:"options"`
	}
	reg := find(reqs, "PUT", regPath)
	if err := json.Unmarshal(reg.Body, &cmds); err != nil {
		t.Fatalf("registration body: %v", err)
	}
	var names []string
	for _, c := range cmds {
		names = append(names, c.Name)
	}
	if got := strings.Join(names, ","); got != "ask,sources,topics,help" {
		t.Errorf("registered commands %s, want ask,sources,topics,help", got)
	}
	if len(cmds) > 0 && (len(cmds[0].Options) != 2 || cmds[0].Options[0].Name != "question" || cmds[0].Options[1].Name != "public") {
		t.Errorf("/ask options = %+v", cmds[0].Options)
	}
	for _, r := range reqs {
		if r.Auth != "Bot "+fakeToken {
			t.Errorf("%s %s: Authorization %q", r.Method, r.Path, r.Auth)
		}
	}
	fake.mu.Lock()
	ident := fake.identify
	fake.mu.Unlock()
	var id struct {
		Token   string `json:"token"`
		Intents int    `json:"intents"`
	}
	if err := json.Unmarshal(ident, &id); err != nil {
		t.Fatalf("identify: %v", err)
	}
	if id.Token != "Bot "+fakeToken || id.Intents != int(Intents) {
		t.Errorf("identify: token ok %v, intents %d, want %d", id.Token == "Bot "+fakeToken, id.Intents, Intents)
	}

	me := map[string]any{"id": fakeBotID, "username": "liberterra", "bot": true}
	alice := map[string]any{"id": "200", "username": "alice"}
	otherBot := map[string]any{"id": "201", "username": "otherbot", "bot": true}
	// Ignored first, so that by the time the answers arrive they have been handled.
	fake.dispatch <- fakeEvent{"MESSAGE_CREATE", messageEvent("m3", "500", fakeGuildID, me, "<@"+fakeBotID+"> who is Ilias Chatzis?", me)}
	fake.dispatch <- fakeEvent{"MESSAGE_CREATE", messageEvent("m4", "501", fakeGuildID, otherBot, "<@"+fakeBotID+"> who is Ilias Chatzis?", me)}
	fake.dispatch <- fakeEvent{"MESSAGE_CREATE", messageEvent("m5", "502", fakeGuildID, alice, "who is Ilias Chatzis? nobody mentioned the bot")}
	fake.dispatch <- fakeEvent{"MESSAGE_CREATE", messageEvent("m1", "500", fakeGuildID, alice, "<@!"+fakeBotID+"> who is Ilias Chatzis? @everyone", me)}
	fake.dispatch <- fakeEvent{"MESSAGE_CREATE", messageEvent("m2", "600", "", alice, "what is the capital of France")}
	fake.dispatch <- fakeEvent{"INTERACTION_CREATE", askInteraction("800", "itoken", "how long did the operation last", false)}
	fake.dispatch <- fakeEvent{"INTERACTION_CREATE", askInteraction("801", "itoken2", slowQuestion, true)}

	editPath := api + "/webhooks/" + fakeBotID + "/itoken2/messages/@original"
	reqs = fake.waitFor("every reply", func(reqs []recorded) bool {
		return has("POST", api+"/channels/500/messages")(reqs) &&
			has("POST", api+"/channels/600/messages")(reqs) &&
			has("POST", api+"/interactions/800/itoken/callback")(reqs) &&
			has("PATCH", editPath)(reqs)
	})
	time.Sleep(100 * time.Millisecond)
	reqs = fake.requests()

	// Exactly the two replies: none to the bot's own message, another bot's, or a message without a mention.
	var posts []string
	for _, r := range reqs {
		if r.Method == "POST" && strings.Contains(r.Path, "/channels/") {
			posts = append(posts, r.Path)
		}
	}
	if len(posts) != 2 {
		t.Errorf("channel messages sent: %v, want one to 500 and one to 600", posts)
	}

	type embed struct {
		Title       string `json:"title"`
		Description string `json:"description"`
		Fields      []struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"fields"`
	}
	type msgBody struct {
		Content         string          `json:"content"`
		Embeds          []embed         `json:"embeds"`
		AllowedMentions json.RawMessage `json:"allowed_mentions"`
		Reference       *struct {
			MessageID string `json:"message_id"`
			ChannelID string `json:"channel_id"`
		} `json:"message_reference"`
		Flags int `json:"flags"`
	}
	checkNoPings := func(where string, raw json.RawMessage) {
		t.Helper()
		var am struct {
			Parse       *[]string `json:"parse"`
			RepliedUser bool      `json:"replied_user"`
		}
		if err := json.Unmarshal(raw, &am); err != nil || am.Parse == nil || len(*am.Parse) != 0 || am.RepliedUser {
			t.Errorf("%s: allowed_mentions = %s, want {\"parse\": []} and no replied_user", where, raw)
		}
	}

	// The mention in a guild channel.
	var mention msgBody
	if err := json.Unmarshal(find(reqs, "POST", api+"/channels/500/messages").Body, &mention); err != nil {
		t.Fatal(err)
	}
	checkNoPings("mention reply", mention.AllowedMentions)
	if mention.Reference == nil || mention.Reference.MessageID != "m1" {
		t.Errorf("mention reply: message_reference = %+v, want m1", mention.Reference)
	}
	if len(mention.Embeds) != 1 || !strings.Contains(mention.Embeds[0].Description, "Chief of the UNODC") || len(mention.Embeds[0].Fields) == 0 {
		t.Errorf("mention reply: embeds = %+v", mention.Embeds)
	} else if strings.Contains(mention.Embeds[0].Title, "<@") {
		t.Errorf("mention reply: title keeps the mention: %q", mention.Embeds[0].Title)
	}

	// The DM: declined, with suggestions.
	var dm msgBody
	if err := json.Unmarshal(find(reqs, "POST", api+"/channels/600/messages").Body, &dm); err != nil {
		t.Fatal(err)
	}
	checkNoPings("DM reply", dm.AllowedMentions)
	if dm.Reference == nil || dm.Reference.MessageID != "m2" {
		t.Errorf("DM reply: message_reference = %+v, want m2", dm.Reference)
	}
	if len(dm.Embeds) != 1 || dm.Embeds[0].Title != "what is the capital of France" || !strings.Contains(dm.Embeds[0].Description, "You could ask about") {
		t.Errorf("DM reply: embeds = %+v", dm.Embeds)
	}

	// The quick /ask: answered directly, ephemeral, conflict flagged.
	var cb struct {
		Type int     `json:"type"`
		Data msgBody `json:"data"`
	}
	if err := json.Unmarshal(find(reqs, "POST", api+"/interactions/800/itoken/callback").Body, &cb); err != nil {
		t.Fatal(err)
	}
	if cb.Type != 4 || cb.Data.Flags&64 == 0 {
		t.Errorf("/ask callback: type %d flags %d, want 4 (message) with the ephemeral flag 64", cb.Type, cb.Data.Flags)
	}
	checkNoPings("/ask callback", cb.Data.AllowedMentions)
	if len(cb.Data.Embeds) != 1 || !strings.Contains(cb.Data.Embeds[0].Description, "The sources disagree") {
		t.Errorf("/ask callback: embeds = %+v", cb.Data.Embeds)
	}

	// The slow /ask: deferred, then edited in.
	cb2 := find(reqs, "POST", api+"/interactions/801/itoken2/callback")
	if cb2 == nil {
		t.Fatal("slow /ask: no deferred callback")
	}
	var deferred struct {
		Type int `json:"type"`
		Data struct {
			Flags int `json:"flags"`
		} `json:"data"`
	}
	json.Unmarshal(cb2.Body, &deferred)
	if deferred.Type != 5 || deferred.Data.Flags&64 != 0 {
		t.Errorf("slow /ask: callback type %d flags %d, want 5 (deferred), not ephemeral", deferred.Type, deferred.Data.Flags)
	}
	var edit msgBody
	if err := json.Unmarshal(find(reqs, "PATCH", editPath).Body, &edit); err != nil {
		t.Fatal(err)
	}
	checkNoPings("slow /ask edit", edit.AllowedMentions)
	if len(edit.Embeds) != 1 || !strings.Contains(edit.Embeds[0].Description, "3,222") {
		t.Errorf("slow /ask edit: embeds = %+v", edit.Embeds)
	}

	cancel()
	select {
	case err := <-runErr:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if a.Connected() {
		t.Error("Connected() = true after Run returned")
	}
}
