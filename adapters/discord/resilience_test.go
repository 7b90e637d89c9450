package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/liberterra/liberterra/bot"
)

// testWait bounds every wait below: a guard against hangs, never a timing
// assertion.
const testWait = 10 * time.Second

// observer counts what the adapter reports.
type observer struct {
	mu                       sync.Mutex
	reconnects, dups, panics int
	refused                  map[string]int
	reconnected              chan struct{}
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
func (o *observer) Refused(_, r string) { o.mu.Lock(); o.refused[r]++; o.mu.Unlock() }
func (o *observer) Duplicate(string)    { o.mu.Lock(); o.dups++; o.mu.Unlock() }
func (o *observer) Panicked(string)     { o.mu.Lock(); o.panics++; o.mu.Unlock() }

func (o *observer) get(f func(*observer) int) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return f(o)
}

// syncBuffer is a log destination safe for concurrent writes.
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

// runE2E runs a on its own context until the test ends.
func runE2E(t *testing.T, a *Adapter) chan error {
	t.Helper()
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
		case <-time.After(testWait):
			t.Error("Run did not return")
		}
	})
	return done
}

func waitConnected(t *testing.T, a *Adapter, runErr chan error) {
	t.Helper()
	for deadline := time.Now().Add(testWait); !a.Connected(); time.Sleep(5 * time.Millisecond) {
		select {
		case err := <-runErr:
			t.Fatalf("Run returned: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("never connected")
		}
	}
}

func countReqs(reqs []recorded, method, suffix string) int {
	n := 0
	for _, r := range reqs {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) {
			n++
		}
	}
	return n
}

// TestGatewayAndRegistrationFailuresAreRetried starts against a Discord
// that closes the first connection with 4000, leaves the second silent (not
// even HELLO) and fails command registration twice: the adapter keeps
// trying and becomes ready. Then the gateway stops acknowledging
// heartbeats without closing: the connection is replaced and resumed, the
// reconnect counted, and an interaction on the new connection answered.
func TestGatewayAndRegistrationFailuresAreRetried(t *testing.T) {
	fake := newFakeDiscord(t)
	fake.plan(gatewayPlan{closeCode: 4000}, gatewayPlan{silent: true}, gatewayPlan{heartbeat: 100, noAcks: true})
	fake.otherwise = gatewayPlan{heartbeat: 100} // acknowledged: never idle for the short IdleTimeout below
	fake.failREST("/commands", 500, 502)
	obs := newObserver()
	var logs syncBuffer
	env := map[string]string{EnvToken: fakeToken, EnvAPIURL: fake.srv.URL, EnvGuildID: fakeGuildID}
	a := newE2EAdapter(t, env, newTestBot(t), Options{Observer: obs, IdleTimeout: 300 * time.Millisecond,
		Log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	runErr := runE2E(t, a)
	waitConnected(t, a, runErr)
	if n := countReqs(fake.requests(), "PUT", "/commands"); n != 3 {
		t.Errorf("%d registrations, want 2 failures and a success", n)
	}
	select {
	case <-obs.reconnected:
	case <-time.After(testWait):
		t.Fatalf("the connection without heartbeat ACKs was not replaced; log:\n%s", logs.String())
	}
	fake.waitConnected(4)
	fake.mu.Lock()
	resumes := fake.resumes
	fake.mu.Unlock()
	if resumes != 1 {
		t.Errorf("%d RESUMEs, want the session resumed once", resumes)
	}
	fake.dispatch <- fakeEvent{"INTERACTION_CREATE", askInteraction("900", "tok900", "who is Ilias Chatzis?", false)}
	defer func() {
		if t.Failed() {
			t.Logf("log:\n%s", logs.String())
		}
	}()
	fake.waitFor("the answer on the new connection", has("POST", api+"/interactions/900/tok900/callback"))
	if got := obs.get(func(o *observer) int { return o.reconnects }); got != 1 {
		t.Errorf("%d reconnects counted, want 1 (start-up retries are not reconnects)", got)
	}
	if !strings.Contains(logs.String(), "from=discordgo") {
		t.Errorf("discordgo's own log lines don't go through slog:\n%s", logs.String())
	}
}

func TestGatewayRefusalsStopRun(t *testing.T) {
	for _, c := range []struct {
		code int
		want string
	}{{4004, "DISCORD_BOT_TOKEN"}, {4014, "DISCORD_BOT_TOKEN"}} {
		fake := newFakeDiscord(t)
		fake.plan(gatewayPlan{closeCode: c.code})
		env := map[string]string{EnvToken: fakeToken, EnvAPIURL: fake.srv.URL}
		a := newE2EAdapter(t, env, newTestBot(t), Options{})
		ctx, cancel := context.WithTimeout(context.Background(), testWait)
		err := a.Run(ctx)
		cancel()
		ce, ok := errors.AsType[*bot.ConfigError](err)
		if !ok || ce.Var != c.want || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "close "+itoa(c.code)) {
			t.Errorf("close %d: Run = %v, want a ConfigError naming %s", c.code, err, c.want)
		}
		if a.Connected() {
			t.Errorf("close %d: connected after Run returned", c.code)
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestMalformedInteractions sends interactions whose options have the
// wrong types: each is logged and answered as well as it can be, and the
// adapter carries on.
func TestMalformedInteractions(t *testing.T) {
	fake := newFakeDiscord(t)
	obs := newObserver()
	var logs syncBuffer
	env := map[string]string{EnvToken: fakeToken, EnvAPIURL: fake.srv.URL, EnvGuildID: fakeGuildID}
	a := newE2EAdapter(t, env, newTestBot(t), Options{Observer: obs, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	runErr := runE2E(t, a)
	waitConnected(t, a, runErr)

	number := askInteraction("901", "t901", "", false)
	number["data"].(map[string]any)["options"] = []any{map[string]any{"name": "question", "type": 3, "value": 42}}
	notBool := askInteraction("902", "t902", "who is Ilias Chatzis?", false)
	notBool["data"].(map[string]any)["options"].([]any)[1] = map[string]any{"name": "ephemeral", "type": 5, "value": "yes please"}
	noData := askInteraction("903", "t903", "", false)
	delete(noData, "data")
	for _, ic := range []map[string]any{number, notBool, noData} {
		fake.dispatch <- fakeEvent{"INTERACTION_CREATE", ic}
	}
	fake.dispatch <- fakeEvent{"INTERACTION_CREATE", askInteraction("904", "t904", "who is Ilias Chatzis?", false)}
	reqs := fake.waitFor("answers", func(r []recorded) bool {
		return has("POST", api+"/interactions/901/t901/callback")(r) && has("POST", api+"/interactions/902/t902/callback")(r) &&
			has("POST", api+"/interactions/904/t904/callback")(r)
	})
	var cb struct {
		Data struct {
			Content string `json:"content"`
			Embeds  []struct {
				Description string `json:"description"`
			} `json:"embeds"`
		} `json:"data"`
	}
	json.Unmarshal(find(reqs, "POST", api+"/interactions/902/t902/callback").Body, &cb)
	if len(cb.Data.Embeds) == 0 || !strings.Contains(cb.Data.Embeds[0].Description, "UNODC") {
		t.Errorf("the question with a bad ephemeral option was not answered: %s", find(reqs, "POST", api+"/interactions/902/t902/callback").Body)
	}
	if n := strings.Count(logs.String(), "malformed interaction"); n < 2 {
		t.Errorf("malformed interactions logged %d times, want each:\n%s", n, logs.String())
	}
	if obs.get(func(o *observer) int { return o.refused[bot.RefusedMalformed] }) < 2 {
		t.Error("malformed interactions not counted")
	}
	select {
	case err := <-runErr:
		t.Fatalf("Run returned: %v", err)
	default:
	}
}

func TestQueueFullTellsTheAsker(t *testing.T) {
	entered, release := make(chan struct{}, 10), make(chan struct{})
	held := bot.AnswererFunc(func(ctx context.Context, q bot.Question) (bot.Reply, error) {
		entered <- struct{}{}
		<-release
		return bot.Reply{Question: q.Text, Kind: bot.KindHelp, Text: "help"}, nil
	})
	f := &fakeSession{}
	obs := newObserver()
	a := newAdapter(Config{Token: "x"}, f, held, Options{Observer: obs, Queue: bot.NewQueue(bot.QueueConfig{Capacity: 1, Workers: 1})})
	a.onReady(nil, &discordgo.Ready{User: &discordgo.User{ID: "100"}})
	ask := func(id string) {
		a.onInteraction(nil, &discordgo.InteractionCreate{Interaction: &discordgo.Interaction{
			ID: id, Type: discordgo.InteractionApplicationCommand, User: &discordgo.User{ID: "8"},
			Data: discordgo.ApplicationCommandInteractionData{Name: "help"},
		}})
	}
	ask("1")
	<-entered
	ask("2") // waits in the queue
	ask("3") // no room: told to ask again
	for deadline := time.Now().Add(testWait); ; time.Sleep(time.Millisecond) {
		f.mu.Lock()
		n := len(f.respond)
		f.mu.Unlock()
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no busy reply")
		}
	}
	f.mu.Lock()
	r := f.respond[0]
	f.mu.Unlock()
	if r.Data.Content != BusyText || r.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("busy reply %+v, want an ephemeral %q", r.Data, BusyText)
	}
	close(release)
	settle(t, a)
	if len(f.respond) != 3 {
		t.Errorf("%d responses, want the busy notice and two answers", len(f.respond))
	}
	if obs.get(func(o *observer) int { return o.refused[bot.RefusedQueueFull] }) != 1 {
		t.Error("refusal not counted")
	}
}

func TestReplayedEventsAnsweredOnceAndPanicsRecovered(t *testing.T) {
	obs := newObserver()
	b := newTestBot(t)
	panicky := bot.AnswererFunc(func(ctx context.Context, q bot.Question) (bot.Reply, error) {
		if q.Text == "boom" {
			panic("boom")
		}
		return b.Answer(ctx, q)
	})
	f := &fakeSession{}
	a := newAdapter(Config{Token: "x"}, f, panicky, Options{Observer: obs, Queue: bot.NewQueue(bot.QueueConfig{Workers: 1})})
	a.onReady(nil, &discordgo.Ready{User: &discordgo.User{ID: "100"}})
	a.onMessage(nil, userMessage("m1", "", "7", "boom", false))
	m := userMessage("m2", "", "7", "who is Ilias Chatzis?", false)
	a.onMessage(nil, m)
	a.onMessage(nil, m) // the same message again, as after a gateway resume
	ic := &discordgo.InteractionCreate{Interaction: &discordgo.Interaction{ID: "i1", Type: discordgo.InteractionApplicationCommand,
		User: &discordgo.User{ID: "8"}, Data: discordgo.ApplicationCommandInteractionData{Name: "topics"}}}
	a.onInteraction(nil, ic)
	a.onInteraction(nil, ic)
	// Handlers survive nonsense too.
	a.onMessage(nil, nil)
	a.onInteraction(nil, &discordgo.InteractionCreate{Interaction: &discordgo.Interaction{Type: discordgo.InteractionApplicationCommand}})
	a.onReady(nil, nil)
	settle(t, a)
	if len(f.sent) != 1 || len(f.respond) != 1 {
		t.Errorf("%d messages and %d interaction responses, want one each", len(f.sent), len(f.respond))
	}
	if got := obs.get(func(o *observer) int { return o.dups }); got != 2 {
		t.Errorf("%d duplicates counted, want 2", got)
	}
	if got := obs.get(func(o *observer) int { return o.panics }); got != 1 {
		t.Errorf("%d panics counted, want 1", got)
	}
}

func TestCommandQuestion(t *testing.T) {
	opt := func(name string, v any) *discordgo.ApplicationCommandInteractionDataOption {
		return &discordgo.ApplicationCommandInteractionDataOption{Name: name, Value: v}
	}
	for _, c := range []struct {
		data    discordgo.ApplicationCommandInteractionData
		text    string
		public  bool
		ok      bool
		problem string
	}{
		{discordgo.ApplicationCommandInteractionData{Name: "ask", Options: []*discordgo.ApplicationCommandInteractionDataOption{opt("question", "q")}}, "q", false, true, ""},
		{discordgo.ApplicationCommandInteractionData{Name: "ask", Options: []*discordgo.ApplicationCommandInteractionDataOption{opt("question", "q"), opt("public", true)}}, "q", true, true, ""},
		{discordgo.ApplicationCommandInteractionData{Name: "ask", Options: []*discordgo.ApplicationCommandInteractionDataOption{opt("question", "q"), opt("ephemeral", true)}}, "q", false, true, ""},
		{discordgo.ApplicationCommandInteractionData{Name: "ask", Options: []*discordgo.ApplicationCommandInteractionDataOption{opt("question", "q"), opt("ephemeral", false)}}, "q", true, true, ""},
		{discordgo.ApplicationCommandInteractionData{Name: "ask", Options: []*discordgo.ApplicationCommandInteractionDataOption{opt("question", 42.0)}}, "", false, true, "question holds float64"},
		{discordgo.ApplicationCommandInteractionData{Name: "ask", Options: []*discordgo.ApplicationCommandInteractionDataOption{opt("question", "q"), opt("ephemeral", "yes")}}, "q", false, true, "ephemeral holds string"},
		{discordgo.ApplicationCommandInteractionData{Name: "ask", Options: []*discordgo.ApplicationCommandInteractionDataOption{nil, opt("question", nil)}}, "", false, true, "question holds <nil>"},
		{discordgo.ApplicationCommandInteractionData{Name: "topics"}, "topics", false, true, ""},
		{discordgo.ApplicationCommandInteractionData{Name: "rm -rf"}, "", false, false, ""},
	} {
		text, public, ok, problem := commandQuestion(c.data)
		if text != c.text || public != c.public || ok != c.ok || !strings.Contains(problem, c.problem) || (c.problem == "") != (problem == "") {
			t.Errorf("%s: got %q %v %v %q, want %q %v %v %q", c.data.Name, text, public, ok, problem, c.text, c.public, c.ok, c.problem)
		}
	}
}
