// Package slack serves the bot on Slack: mentions in channels (answered in a
// thread under the question), direct messages, and the /liberterra slash
// command. It receives events over Socket Mode (SLACK_APP_TOKEN, the
// default) or as signed HTTP requests from the Events API
// (SLACK_SIGNING_SECRET, at POST /slack/events and POST /slack/commands),
// and posts answers with the Web API as Block Kit messages with their
// citations.
package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/liberterra/liberterra/bot"
)

// Defaults for Options.
const (
	DefaultMaxInFlight = 16
	// MaxBodyBytes caps the body of an HTTP request from Slack.
	MaxBodyBytes = 1 << 20
)

// Paths of the HTTP endpoints in Events API mode.
const (
	EventsPath   = "/slack/events"
	CommandsPath = "/slack/commands"
)

// Options are the adapter's collaborators.
type Options struct {
	// Log receives the adapter's log lines; nil discards them.
	Log *slog.Logger
	// Mux gets the /slack/events and /slack/commands handlers when a
	// signing secret is set; it is required then.
	Mux *http.ServeMux
	// HTTPClient makes the adapter's calls to Slack; nil means a client
	// with a 30-second timeout.
	HTTPClient *http.Client
	// MaxInFlight bounds the answers being worked on at once.
	MaxInFlight int
}

// Adapter serves the bot on Slack. It implements bot.Adapter.
type Adapter struct {
	cfg   Config
	bot   bot.Answerer
	log   *slog.Logger
	api   chatAPI
	retry retrier

	socket *socketmode.Client // nil in HTTP mode

	sem       chan struct{}
	seen      *dedupe
	connected atomic.Bool
	wg        sync.WaitGroup

	mu  sync.Mutex
	me  self
	ctx context.Context // Run's, for answers to HTTP requests; nil when not running

	now func() time.Time
}

var _ bot.Adapter = (*Adapter)(nil)

// New builds an adapter from a validated config; it connects in Run.
func New(cfg Config, answerer bot.Answerer, opts Options) (*Adapter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.SigningSecret != "" && opts.Mux == nil {
		return nil, errors.New("slack: an HTTP mux is needed for the Events API (SLACK_SIGNING_SECRET)")
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	sdkOpts := []slack.Option{slack.OptionAPIURL(cfg.apiURL()), slack.OptionHTTPClient(hc)}
	if cfg.AppToken != "" {
		sdkOpts = append(sdkOpts, slack.OptionAppLevelToken(cfg.AppToken))
	}
	client := slack.New(cfg.BotToken, sdkOpts...)
	a := newAdapter(cfg, answerer, opts, sdkClient{Client: client, http: hc})
	if cfg.Mode() == ModeSocket {
		a.socket = socketmode.New(client)
	}
	if cfg.SigningSecret != "" {
		opts.Mux.Handle("POST "+EventsPath, http.HandlerFunc(a.serveEvents))
		opts.Mux.Handle("POST "+CommandsPath, http.HandlerFunc(a.serveCommands))
	}
	return a, nil
}

// newAdapter builds an adapter around any chatAPI; tests use it with a fake.
func newAdapter(cfg Config, answerer bot.Answerer, opts Options, api chatAPI) *Adapter {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	n := opts.MaxInFlight
	if n <= 0 {
		n = DefaultMaxInFlight
	}
	return &Adapter{
		cfg: cfg, bot: answerer, log: log.With("adapter", "slack"), api: api, retry: defaultRetrier,
		sem: make(chan struct{}, n), seen: newDedupe(10000, time.Hour), now: time.Now,
	}
}

// Name is "slack".
func (a *Adapter) Name() string { return "slack" }

// Connected reports whether the adapter is connected: in Socket Mode while
// the websocket is up, in HTTP mode once the bot token is verified.
func (a *Adapter) Connected() bool { return a.connected.Load() }

// Run checks the bot token, then serves until ctx is done and waits for the
// answers in flight. It returns nil after a clean shutdown.
func (a *Adapter) Run(ctx context.Context) error {
	var auth *slack.AuthTestResponse
	err := a.retry.do(ctx, func() (err error) {
		auth, err = a.api.AuthTestContext(ctx)
		return err
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("slack: checking SLACK_BOT_TOKEN with auth.test: %w", err)
	}
	a.mu.Lock()
	a.me = self{UserID: auth.UserID, BotID: auth.BotID}
	a.ctx = ctx
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		a.ctx = nil
		a.mu.Unlock()
		a.connected.Store(false)
		a.wg.Wait()
	}()
	a.log.Info("slack: authenticated", "team", auth.Team, "bot_user", auth.UserID, "mode", string(a.cfg.Mode()))
	if a.socket == nil {
		a.connected.Store(true)
		<-ctx.Done()
		return nil
	}
	return a.runSocket(ctx)
}

// runSocket serves Socket Mode: the SDK connects (and reconnects when Slack
// says disconnect) while this loop acks each envelope at once and answers
// after.
func (a *Adapter) runSocket(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- a.socket.RunContext(ctx) }()
	for {
		select {
		case err := <-done:
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("slack: socket mode: %w", err)
		case evt := <-a.socket.Events:
			a.handleSocketEvent(ctx, evt)
		}
	}
}

func (a *Adapter) handleSocketEvent(ctx context.Context, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		a.connected.Store(true)
		a.log.Info("slack: socket mode connected")
	case socketmode.EventTypeConnecting, socketmode.EventTypeDisconnect:
		a.connected.Store(false)
	case socketmode.EventTypeConnectionError, socketmode.EventTypeInvalidAuth:
		a.connected.Store(false)
		a.log.Warn("slack: socket mode connection problem", "event", string(evt.Type))
	case socketmode.EventTypeEventsAPI:
		if evt.Request == nil {
			return
		}
		a.ack(ctx, evt.Request, nil)
		a.handleCallback(evt.Request.Payload, "envelope:"+evt.Request.EnvelopeID)
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if evt.Request == nil || !ok {
			return
		}
		j := slashJob(cmd.Text, cmd.UserID, cmd.ChannelID, cmd.ResponseURL)
		a.ack(ctx, evt.Request, slashAck(j))
		if a.seen.first("envelope:" + evt.Request.EnvelopeID) {
			a.dispatch(j)
		}
	case socketmode.EventTypeInteractive:
		if evt.Request != nil {
			a.ack(ctx, evt.Request, nil)
		}
	}
}

func (a *Adapter) ack(ctx context.Context, req *socketmode.Request, payload any) {
	if err := a.socket.AckCtx(ctx, req.EnvelopeID, payload); err != nil {
		a.log.Warn("slack: ack failed", "envelope", req.EnvelopeID, "err", err)
	}
}

// slashAck is the immediate reply to a slash command: in_channel makes
// Slack show the command to the channel; a private one shows nothing.
func slashAck(j job) map[string]any {
	if j.Ephemeral {
		return nil
	}
	return map[string]any{"response_type": "in_channel"}
}

// handleCallback reads an event_callback and answers it once: an event
// seen before (by event_id, or else by fallbackID) is ignored.
func (a *Adapter) handleCallback(payload []byte, fallbackID string) {
	var outer outerEvent
	if err := json.Unmarshal(payload, &outer); err != nil || outer.Type != "event_callback" {
		return
	}
	id := outer.EventID
	if id == "" {
		id = fallbackID
	}
	var ev innerEvent
	if err := json.Unmarshal(outer.Event, &ev); err != nil {
		a.log.Warn("slack: bad event", "event_id", outer.EventID, "err", err)
		return
	}
	a.mu.Lock()
	me := a.me
	a.mu.Unlock()
	j, ok := questionFrom(ev, me)
	if !ok {
		return
	}
	if !a.seen.first("event:" + id) {
		a.log.Debug("slack: duplicate event ignored", "event_id", id)
		return
	}
	a.dispatch(j)
}

// dispatch answers j in the background, at most MaxInFlight at once.
func (a *Adapter) dispatch(j job) {
	a.mu.Lock()
	ctx := a.ctx
	a.mu.Unlock()
	if ctx == nil {
		return
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		select {
		case a.sem <- struct{}{}:
			defer func() { <-a.sem }()
		case <-ctx.Done():
			return
		}
		a.answer(ctx, j)
	}()
}

// answer asks the bot and posts its reply where j says.
func (a *Adapter) answer(ctx context.Context, j job) {
	r, err := a.bot.Answer(ctx, bot.Question{Text: j.Text, User: j.User, Frontend: "slack"})
	if err != nil {
		if ctx.Err() == nil {
			a.log.Error("slack: answering", "err", err)
		}
		return
	}
	if r.Silent() {
		return
	}
	msg := Render(r, RenderOptions{Echo: j.Slash})
	if r.Kind == bot.KindSlowDown && !j.Slash && !isDM(j.Channel, "") {
		j.Ephemeral = true // tell the asker, not the channel
	}
	if err := a.retry.do(ctx, func() error { return a.post(ctx, j, msg) }); err != nil {
		a.log.Error("slack: posting reply", "channel", j.Channel, "kind", string(r.Kind), "err", err)
	}
}

// post sends one message: to a slash command's response URL, or with
// chat.postEphemeral or chat.postMessage.
func (a *Adapter) post(ctx context.Context, j job, msg Message) error {
	if j.ResponseURL != "" {
		typ := slack.ResponseTypeInChannel
		if j.Ephemeral {
			typ = slack.ResponseTypeEphemeral
		}
		return a.api.PostWebhookContext(ctx, j.ResponseURL, &slack.WebhookMessage{
			Text: msg.Text, Blocks: &slack.Blocks{BlockSet: msg.Blocks}, ResponseType: typ,
		})
	}
	opts := []slack.MsgOption{
		slack.MsgOptionText(msg.Text, false),
		slack.MsgOptionBlocks(msg.Blocks...),
		slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionDisableMediaUnfurl(),
	}
	if j.ThreadTS != "" {
		opts = append(opts, slack.MsgOptionTS(j.ThreadTS))
	}
	if j.Ephemeral {
		_, err := a.api.PostEphemeralContext(ctx, j.Channel, j.User, opts...)
		return err
	}
	_, _, err := a.api.PostMessageContext(ctx, j.Channel, opts...)
	return err
}

// verified reads a request's body and checks its Slack signature and
// timestamp. On failure it has written the error response.
func (a *Adapter) verified(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		} else {
			http.Error(w, "bad request", http.StatusBadRequest)
		}
		return nil, false
	}
	sv, err := slack.NewSecretsVerifier(r.Header, a.cfg.SigningSecret)
	if err == nil {
		_, _ = sv.Write(body)
		err = sv.Ensure()
	}
	if err != nil {
		a.log.Warn("slack: rejected a request with a bad signature", "path", r.URL.Path, "err", err)
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return nil, false
	}
	return body, true
}

// running reports whether Run is serving, and answers 503 if not.
func (a *Adapter) running(w http.ResponseWriter) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ctx == nil || a.ctx.Err() != nil {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "not ready", http.StatusServiceUnavailable)
		return false
	}
	return true
}

// serveEvents handles POST /slack/events: url_verification and event callbacks.
func (a *Adapter) serveEvents(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verified(w, r)
	if !ok {
		return
	}
	var outer outerEvent
	if err := json.Unmarshal(body, &outer); err != nil {
		http.Error(w, "bad JSON", http.StatusBadRequest)
		return
	}
	switch outer.Type {
	case "url_verification":
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, outer.Challenge)
		return
	case "event_callback":
		if !a.running(w) {
			return
		}
		a.handleCallback(body, "")
	}
	w.WriteHeader(http.StatusOK)
}

// serveCommands handles POST /slack/commands: the slash command.
func (a *Adapter) serveCommands(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verified(w, r)
	if !ok {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	if !a.running(w) {
		return
	}
	j := slashJob(form.Get("text"), form.Get("user_id"), form.Get("channel_id"), form.Get("response_url"))
	w.Header().Set("Content-Type", "application/json")
	if ack := slashAck(j); ack != nil {
		_ = json.NewEncoder(w).Encode(ack)
	}
	a.dispatch(j)
}
