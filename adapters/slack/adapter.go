// Package slack serves the bot on Slack: mentions in channels (answered in a
// thread under the question), direct messages, the /liberterra slash
// command (answered privately, with a button to share the answer), button
// clicks and the App Home tab. It receives events over Socket Mode
// (SLACK_APP_TOKEN, the default) or as signed HTTP requests from the Events
// API (SLACK_SIGNING_SECRET, at POST /slack/events, /slack/commands and
// /slack/interactive), and posts answers with the Web API as Block Kit
// messages: quotes word for word, numbered by source, with 👍 / 👎, Show
// source, and the suggestions and related questions as buttons.
//
// Each thread is a conversation (a DM outside a thread is one), so that a
// follow-up is read in its light; a user's slash commands in a channel are
// theirs.
//
// Delivery is at least once for what the adapter acknowledges: an event is
// acknowledged (HTTP 200, or a Socket Mode ack) only once its job is in the
// work queue, and the job answers and posts, retrying Slack's transient
// failures. When the queue is full or closed for shutdown the event is not
// acknowledged (HTTP 503, no ack), so Slack sends it again later. Retries
// and replays are recognised by a DedupeStore and answered once.
package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
)

// Paths of the HTTP endpoints in Events API mode.
const (
	EventsPath      = "/slack/events"
	CommandsPath    = "/slack/commands"
	InteractivePath = "/slack/interactive" // button clicks (block_actions)
)

// answerTimeout bounds answering one question; past it the asker gets
// bot.ErrorReply.
const answerTimeout = 10 * time.Second

// DefaultPingInterval is how long Socket Mode waits for a ping from Slack
// before it takes the connection for dead and opens a new one. Slack pings
// every few seconds.
const DefaultPingInterval = 30 * time.Second

// maxSocketMessage bounds one Socket Mode message read into memory; Slack's
// envelopes are far smaller.
const maxSocketMessage = 1 << 20

// ackTimeout bounds queueing a Socket Mode ack: while the connection is
// being replaced no ack can be written, and the event will come again.
const ackTimeout = 2 * time.Second

// Options are the adapter's collaborators. Every field is optional.
type Options struct {
	// Log receives the adapter's log lines; nil discards them.
	Log *slog.Logger
	// Mux gets the /slack/events and /slack/commands handlers when a
	// signing secret is set; it is required then.
	Mux *http.ServeMux
	// HTTPClient makes the adapter's calls to Slack; nil means a client
	// with a 30-second timeout.
	HTTPClient *http.Client
	// Queue runs the jobs between acknowledging an event and posting its
	// answer; nil means a queue of the adapter's own with default sizes.
	Queue *bot.Queue
	// Dedupe recognises retried and replayed events; nil means an
	// in-memory store of the adapter's own.
	Dedupe bot.DedupeStore
	// Observer counts reconnects, refusals, duplicates and panics.
	Observer bot.Observer
	// Limits bounds what HTTP clients may send to the Events API
	// endpoints; zero fields take the defaults.
	Limits Limits
	// PingInterval: in Socket Mode, a connection that gets no ping from
	// Slack for this long is replaced. 0 means DefaultPingInterval.
	PingInterval time.Duration
	// Feedback records the 👍 and 👎 people give answers; nil records
	// nothing (the buttons still thank them).
	Feedback bot.FeedbackRecorder
	// Recent keeps the replies shown, for Show source and Share in
	// channel; nil means a store of the adapter's own.
	Recent *bot.Recent
	// Sources lists the articles for the App Home tab; nil leaves the
	// list out.
	Sources func() []*facts.Source
}

// Adapter serves the bot on Slack. It implements bot.Adapter.
type Adapter struct {
	cfg    Config
	bot    bot.Answerer
	log    *slog.Logger
	api    chatAPI
	retry  bot.Retry
	queue  *bot.Queue
	dedupe bot.DedupeStore
	obs    bot.Observer
	limits Limits
	votes  bot.FeedbackRecorder
	recent *bot.Recent
	srcs   func() []*facts.Source
	reads  chan struct{} // a slot per body being read
	badSig logLimiter

	socket *socketmode.Client // nil in HTTP mode

	running   sync.Mutex // held by Run
	connected atomic.Bool
	serving   atomic.Bool // authenticated and running: events are taken
	sockets   atomic.Int64
	fatal     chan error // a definite credential error found while serving

	mu sync.Mutex
	me self
}

var _ bot.Adapter = (*Adapter)(nil)

// New builds an adapter from a configuration read by ConfigFromEnv; it
// connects in Run.
func New(cfg Config, answerer bot.Answerer, opts Options) (*Adapter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.SigningSecret != "" && opts.Mux == nil {
		return nil, errors.New("an HTTP mux is needed for the Events API (SLACK_SIGNING_SECRET)")
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	sdkLog := slog.NewLogLogger(log.Handler(), slog.LevelDebug)
	sdkOpts := []slack.Option{slack.OptionAPIURL(cfg.apiURL()), slack.OptionHTTPClient(hc),
		slack.OptionRetryConfig(sdkRetry()), slack.OptionLog(sdkLog)}
	if cfg.AppToken != "" {
		sdkOpts = append(sdkOpts, slack.OptionAppLevelToken(cfg.AppToken))
	}
	client := slack.New(cfg.BotToken, sdkOpts...)
	opts.Log = log
	a := newAdapter(cfg, answerer, opts, sdkClient{Client: client, http: hc})
	if cfg.Mode() == ModeSocket {
		ping := opts.PingInterval
		if ping <= 0 {
			ping = DefaultPingInterval
		}
		a.socket = socketmode.New(client, socketmode.OptionPingInterval(ping),
			socketmode.OptionReadLimit(maxSocketMessage), socketmode.OptionLog(sdkLog))
	}
	if cfg.SigningSecret != "" {
		opts.Mux.Handle("POST "+EventsPath, http.HandlerFunc(a.serveEvents))
		opts.Mux.Handle("POST "+CommandsPath, http.HandlerFunc(a.serveCommands))
		opts.Mux.Handle("POST "+InteractivePath, http.HandlerFunc(a.serveInteractive))
	}
	return a, nil
}

// newAdapter builds an adapter around any chatAPI; tests use it with a fake.
func newAdapter(cfg Config, answerer bot.Answerer, opts Options, api chatAPI) *Adapter {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("adapter", "slack")
	a := &Adapter{
		cfg: cfg, bot: answerer, log: log, api: api, retry: defaultRetry,
		queue: opts.Queue, dedupe: opts.Dedupe, obs: opts.Observer, limits: opts.Limits.withDefaults(),
		votes: opts.Feedback, recent: opts.Recent, srcs: opts.Sources, fatal: make(chan error, 1),
	}
	if a.recent == nil {
		a.recent = bot.NewRecent(0, 0)
	}
	a.reads = make(chan struct{}, a.limits.MaxConcurrentReads)
	a.badSig = logLimiter{every: time.Minute}
	if a.obs == nil {
		a.obs = bot.NopObserver{}
	}
	if a.dedupe == nil {
		a.dedupe = &bot.MemoryDedupe{}
	}
	if a.queue == nil {
		a.queue = bot.RecoveringQueue("slack", a.obs, a.log)
	}
	a.retry.OnRetry = func(err error, attempt int, wait time.Duration) {
		a.log.Warn("call to Slack failed; retrying", "attempt", attempt, "in", wait.Round(time.Millisecond).String(), "err", describeErr(err))
	}
	return a
}

// Name is "slack".
func (a *Adapter) Name() string { return "slack" }

// Connected reports whether the adapter is connected: in Socket Mode while
// the websocket is up, in HTTP mode once the bot token is verified.
func (a *Adapter) Connected() bool { return a.connected.Load() }

// Run checks the bot token with auth.test, retrying while Slack is
// unreachable or failing, then serves until ctx is done. It returns nil
// after a clean shutdown, and a *bot.ConfigError when Slack refuses a
// token: the only error that ends it. The jobs already queued belong to
// the queue, which the caller drains.
func (a *Adapter) Run(ctx context.Context) error {
	if !a.running.TryLock() {
		return errors.New("Run called while already running")
	}
	defer a.running.Unlock()
	defer func() {
		a.serving.Store(false)
		a.connected.Store(false)
	}()
	auth, err := a.authenticate(ctx)
	if err != nil || ctx.Err() != nil {
		return err
	}
	a.mu.Lock()
	a.me = self{UserID: auth.UserID, BotID: auth.BotID}
	a.mu.Unlock()
	a.log.Info("authenticated", "team", auth.Team, "bot_user", auth.UserID, "mode", string(a.cfg.Mode()))
	a.serving.Store(true)
	if a.socket == nil {
		a.connected.Store(true)
		select {
		case <-ctx.Done():
			return nil
		case err := <-a.fatal:
			return err
		}
	}
	return a.runSocket(ctx)
}

// authenticate calls auth.test until it answers, with backoff. Slack
// refusing the token is definite; everything else (5xx, 429, no network)
// is retried for as long as ctx lasts.
func (a *Adapter) authenticate(ctx context.Context) (*slack.AuthTestResponse, error) {
	b := a.retry.Backoff
	for attempt := 1; ; attempt++ {
		auth, err := a.api.AuthTestContext(ctx)
		if err == nil {
			return auth, nil
		}
		if ctx.Err() != nil {
			return nil, nil
		}
		if badToken(err) {
			return nil, tokenError(EnvBotToken, err)
		}
		wait := b.Next()
		if _, after := transient(err); after > wait {
			wait = after
		}
		a.log.Warn("auth.test failed; retrying", "attempt", attempt, "in", wait.Round(time.Millisecond).String(), "err", describeErr(err))
		if !bot.Sleep(ctx, wait) {
			return nil, nil
		}
	}
}

// runSocket serves Socket Mode. The SDK connects, reconnects when Slack
// says disconnect, and replaces a connection Slack stops pinging; this loop
// queues each event's job, acks it once queued, and starts the SDK again
// after any failure but a refused app token.
func (a *Adapter) runSocket(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	start := func() { go func() { done <- a.socket.RunContext(ctx) }() }
	start()
	var b bot.Backoff
	b.Min, b.Max = a.retry.Backoff.Min, a.retry.Backoff.Max
	var restart <-chan time.Time
	for {
		select {
		case err := <-done:
			a.connected.Store(false)
			if ctx.Err() != nil {
				return nil
			}
			if err != nil && (badToken(err) || isTokenWord(err.Error())) {
				return tokenError(EnvAppToken, err)
			}
			wait := b.Next()
			a.log.Warn("socket mode stopped; starting again", "in", wait.Round(time.Millisecond).String(), "err", fmt.Sprint(err))
			restart = time.After(wait)
		case <-restart:
			restart = nil
			start()
		case err := <-a.fatal:
			return err
		case evt := <-a.socket.Events:
			if evt.Type == socketmode.EventTypeConnected {
				b.Reset()
			}
			a.handleSocketEvent(ctx, evt)
		}
	}
}

// isTokenWord reports whether msg is one of the errors the Socket Mode SDK
// returns as plain strings when Slack refuses the app token.
func isTokenWord(msg string) bool {
	switch msg {
	case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type":
		return true
	}
	return false
}

func (a *Adapter) handleSocketEvent(ctx context.Context, evt socketmode.Event) {
	defer a.recoverPanic("socket mode event")
	switch evt.Type {
	case socketmode.EventTypeConnected:
		n := a.sockets.Add(1)
		a.connected.Store(true)
		if n > 1 {
			a.obs.Reconnected("slack")
			a.log.Info("socket mode reconnected", "connections", n)
		} else {
			a.log.Info("socket mode connected")
		}
	case socketmode.EventTypeConnecting:
		a.connected.Store(false)
	case socketmode.EventTypeConnectionError, socketmode.EventTypeInvalidAuth:
		a.connected.Store(false)
		var detail any = evt.Data
		if ce, ok := evt.Data.(*slack.ConnectionErrorEvent); ok {
			detail = describeErr(ce.ErrorObj)
		}
		a.log.Warn("socket mode connection failed; the SDK retries", "event", string(evt.Type), "detail", fmt.Sprint(detail))
	case socketmode.EventTypeErrorBadMessage:
		a.obs.Refused("slack", bot.RefusedMalformed)
		a.log.Warn("socket mode: a message that does not parse; not acknowledged")
	case socketmode.EventTypeEventsAPI:
		if evt.Request == nil {
			return
		}
		j, ok, err := a.callbackJob(evt.Request.Payload)
		if err != nil {
			a.obs.Refused("slack", bot.RefusedMalformed)
			a.log.Warn("socket mode: a malformed event; acknowledged and dropped", "envelope", evt.Request.EnvelopeID, "err", err)
		}
		if ok && !a.enqueue(j) {
			return // no ack: Slack sends it again
		}
		a.ack(ctx, evt.Request, nil)
	case socketmode.EventTypeSlashCommand:
		cmd, ok := evt.Data.(slack.SlashCommand)
		if evt.Request == nil || !ok {
			return
		}
		j := slashJob(cmd.Text, cmd.TeamID, cmd.UserID, cmd.ChannelID, cmd.ResponseURL)
		j.Key, j.Window = "slack:command-sha256:"+hashHex(evt.Request.Payload), EventWindow
		if !a.enqueue(j) {
			// Slack never sends a slash command again: say why instead.
			text := BusyText
			if a.queue.Closed() {
				text = RestartText
			}
			a.ack(ctx, evt.Request, ephemeral(text))
			return
		}
		a.ack(ctx, evt.Request, slashAck(j))
	case socketmode.EventTypeInteractive:
		if evt.Request == nil {
			return
		}
		cb, ok := evt.Data.(slack.InteractionCallback)
		if !ok {
			a.obs.Refused("slack", bot.RefusedMalformed)
			a.ack(ctx, evt.Request, nil)
			return
		}
		for _, j := range clickJobs(cb, "slack:action-sha256:"+hashHex(evt.Request.Payload)) {
			if !a.enqueue(j) {
				return // no ack: Slack shows the click failed
			}
		}
		a.ack(ctx, evt.Request, nil)
	}
}

func (a *Adapter) ack(ctx context.Context, req *socketmode.Request, payload any) {
	ctx, cancel := context.WithTimeout(ctx, ackTimeout)
	defer cancel()
	if err := a.socket.AckCtx(ctx, req.EnvelopeID, payload); err != nil {
		a.log.Warn("ack failed; Slack will send the event again", "envelope", req.EnvelopeID, "err", err)
	}
}

// slashAck is the immediate reply to a slash command: in_channel (for a
// command shared at once, -p) makes Slack show the command to the
// channel; a private one shows nothing.
func slashAck(j job) map[string]any {
	if !j.Share {
		return nil
	}
	return map[string]any{"response_type": "in_channel"}
}

// callbackJob reads an event_callback payload: ok is false when it holds
// no question for the bot (another type, its own message, an edit), err
// when it does not parse.
func (a *Adapter) callbackJob(payload []byte) (j job, ok bool, err error) {
	var outer outerEvent
	if err := json.Unmarshal(payload, &outer); err != nil {
		return job{}, false, err
	}
	if outer.Type != "event_callback" {
		return job{}, false, nil
	}
	var ev innerEvent
	if err := json.Unmarshal(outer.Event, &ev); err != nil {
		return job{}, false, fmt.Errorf("event %s: %w", outer.EventID, err)
	}
	a.mu.Lock()
	me := a.me
	a.mu.Unlock()
	j, ok = questionFrom(outer.TeamID, ev, me)
	if !ok {
		return job{}, false, nil
	}
	j.Key, j.Window = eventKey(outer), EventWindow
	return j, true, nil
}

// enqueue queues j's delivery. It reports false, having logged and counted
// the refusal, when the queue is full or closed: the caller must not
// acknowledge the event then.
func (a *Adapter) enqueue(j job) bool {
	err := a.queue.Submit(func(ctx context.Context) (err error) {
		defer func() {
			if v := recover(); v != nil {
				a.obs.Panicked("slack")
				a.log.Error("recovered from a panic in a job", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				err = fmt.Errorf("panic: %v", v)
			}
		}()
		return a.deliver(ctx, j)
	})
	switch {
	case err == nil:
		return true
	case errors.Is(err, bot.ErrQueueClosed):
		a.obs.Refused("slack", bot.RefusedShuttingDown)
	default:
		a.obs.Refused("slack", bot.RefusedQueueFull)
		a.log.Warn("work queue full; event not acknowledged, Slack will send it again")
	}
	return false
}

// recoverPanic, deferred in a handler of platform input, logs and counts a
// panic and lets the adapter carry on.
func (a *Adapter) recoverPanic(where string) {
	if v := recover(); v != nil {
		a.obs.Panicked("slack")
		a.log.Error("recovered from a panic", "in", where, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
	}
}
