// Package discord serves the bot on Discord: slash commands (/ask, /sources,
// /topics, /help; private unless /ask's public option is set, with a Share
// button), mentions of the bot or of its managed role in channels and
// threads, and direct messages, answered with embeds that quote their
// sources word for word, numbered by source; buttons (message components)
// ask the suggestions and related questions, record 👍 / 👎, show the
// sentences around the quotes and share a private answer. A thread is one
// conversation; elsewhere each user in a channel is one, and a DM is one.
//
// It uses github.com/bwmarrin/discordgo for the gateway connection and the
// REST API, and manages the connection itself: a connection that drops,
// goes silent, or stops acknowledging heartbeats is replaced with capped,
// jittered backoff, and only Discord refusing the token or the intents
// (gateway close 4004 or 4014) ends Run. Each event's answer runs as a job
// on a bounded work queue; when it is full the asker is told to try again
// (Discord does not send gateway events twice). The bot needs no privileged
// intent: Discord delivers the content of messages that mention the bot and
// of DMs without Message Content. Replies never ping anyone: their allowed
// mentions are always empty.
package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/liberterra/liberterra/bot"
)

// Intents are the gateway intents the bot asks for: guilds, guild messages
// and direct messages. Message Content (privileged) is not among them.
const Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages

// Timings. Discord wants an interaction answered within 3 seconds; an
// answer slower than deferAfter is deferred first and edited in later.
const (
	defaultDeferAfter = 2 * time.Second
	interactionWindow = 3 * time.Second
	answerTimeout     = 10 * time.Second
	readyTimeout      = 30 * time.Second
	httpTimeout       = 20 * time.Second
	dialTimeout       = 30 * time.Second
	busyReplyTimeout  = 5 * time.Second
	reconnectSettle   = 250 * time.Millisecond // see Run
	stableAfter       = 30 * time.Second       // a connection this old dropped by chance
	// DefaultIdleTimeout replaces a gateway connection that sends nothing
	// for this long. Discord acknowledges a heartbeat every 41 seconds or
	// so; discordgo itself gives up after five unacknowledged ones.
	DefaultIdleTimeout = 2 * time.Minute
	// DedupeWindow is how long an interaction or message id is remembered.
	DedupeWindow = time.Hour
)

// Replies when the work queue has no room (Discord never sends an event
// twice, so the asker is told).
const (
	BusyText    = bot.BusyText
	RestartText = bot.RestartText
)

// busyReplies bounds the "busy" replies sent outside the queue.
const busyReplies = 4

// session is the part of *discordgo.Session the adapter uses, so that tests
// can hand in a fake.
type session interface {
	AddHandler(handler any) func()
	Open() error
	Close() error
	ApplicationCommandBulkOverwrite(appID, guildID string, cmds []*discordgo.ApplicationCommand, options ...discordgo.RequestOption) ([]*discordgo.ApplicationCommand, error)
	ChannelMessageSendComplex(channelID string, data *discordgo.MessageSend, options ...discordgo.RequestOption) (*discordgo.Message, error)
	InteractionRespond(i *discordgo.Interaction, resp *discordgo.InteractionResponse, options ...discordgo.RequestOption) error
	InteractionResponseEdit(i *discordgo.Interaction, edit *discordgo.WebhookEdit, options ...discordgo.RequestOption) (*discordgo.Message, error)
	InteractionResponseDelete(i *discordgo.Interaction, options ...discordgo.RequestOption) error
	FollowupMessageCreate(i *discordgo.Interaction, wait bool, data *discordgo.WebhookParams, options ...discordgo.RequestOption) (*discordgo.Message, error)
	// UserChannelCreate opens the DM with a user, for private replies to
	// mentions; Channel looks a channel up, to tell threads.
	UserChannelCreate(recipientID string, options ...discordgo.RequestOption) (*discordgo.Channel, error)
	Channel(channelID string, options ...discordgo.RequestOption) (*discordgo.Channel, error)
}

// Options are the adapter's collaborators. Every field is optional.
type Options struct {
	// Log receives the adapter's log lines, and discordgo's own; nil
	// discards them.
	Log *slog.Logger
	// Queue runs the answers; nil means a queue of the adapter's own.
	Queue *bot.Queue
	// Dedupe recognises an interaction or message seen before (after a
	// gateway resume); nil means an in-memory store of the adapter's own.
	Dedupe bot.DedupeStore
	// Observer counts reconnects, refusals, duplicates and panics.
	Observer bot.Observer
	// IdleTimeout replaces a gateway connection silent for this long; 0
	// means DefaultIdleTimeout.
	IdleTimeout time.Duration
	// Feedback records the 👍 and 👎 people give answers; nil records
	// nothing (the buttons still thank them).
	Feedback bot.FeedbackRecorder
	// Recent keeps the replies shown, for Show source and Share; nil
	// means a store of the adapter's own.
	Recent *bot.Recent
}

// Adapter serves the bot on Discord. It implements bot.Adapter.
type Adapter struct {
	cfg        Config
	s          session
	bot        bot.Answerer
	log        *slog.Logger
	deferAfter time.Duration
	retry      bot.Retry
	queue      *bot.Queue
	dedupe     bot.DedupeStore
	obs        bot.Observer
	busy       chan struct{} // a slot per "busy" reply in flight
	votes      bot.FeedbackRecorder
	recent     *bot.Recent
	places     places // threads and the bot's roles, learned from the gateway

	running    sync.Mutex // held by Run
	gatewayUp  atomic.Bool
	registered atomic.Bool
	stopping   atomic.Bool
	opened     atomic.Int64  // gateway connections opened
	dropped    chan struct{} // the gateway connection went away

	mu    sync.Mutex
	botID string        // the bot's user id, from READY
	appID string        // the application id, from READY
	ready chan struct{} // closed by the first READY of a Run
}

var _ bot.Adapter = (*Adapter)(nil)

// New builds the adapter on a discordgo session from a configuration read
// by ConfigFromEnv. It does not connect: Run does.
func New(cfg Config, b bot.Answerer, opts Options) (*Adapter, error) {
	if cfg.Token == "" {
		return nil, fmt.Errorf("%s is empty", EnvToken)
	}
	s, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, err
	}
	s.Identify.Intents = Intents
	if cfg.ShardCount > 0 {
		s.ShardID, s.ShardCount = cfg.ShardID, cfg.ShardCount
	}
	// The adapter reconnects and retries itself, with backoff and a
	// context; handlers run on the gateway's goroutine and only queue work.
	s.ShouldReconnectOnError = false
	s.ShouldRetryOnRateLimit = false
	s.SyncEvents = true
	s.LogLevel = discordgo.LogWarning
	s.Client = newHTTPClient(cfg.APIURL)
	idle := opts.IdleTimeout
	if idle <= 0 {
		idle = DefaultIdleTimeout
	}
	s.Dialer = newDialer(idle)
	if opts.Log != nil {
		routeLogs(opts.Log)
	}
	return newAdapter(cfg, s, b, opts), nil
}

// newHTTPClient is the client for every REST call and gateway discovery.
// With api set, it sends each request to api's scheme, host and port.
// discordgo builds its endpoints from https://discord.com/ when the package
// loads, so the client's transport is the one place to redirect them all.
// The websocket needs no redirect: its URL comes from gateway discovery.
func newHTTPClient(api *url.URL) *http.Client {
	c := &http.Client{Timeout: httpTimeout}
	if api != nil {
		c.Transport = &rewriteTransport{base: api, next: http.DefaultTransport}
	}
	return c
}

// rewriteTransport sends requests to another scheme, host and port.
type rewriteTransport struct {
	base *url.URL
	next http.RoundTripper
}

// RoundTrip sends a copy of req to t.base, path and query unchanged.
func (t *rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host, r.Host = t.base.Scheme, t.base.Host, ""
	return t.next.RoundTrip(r)
}

// newDialer dials the gateway with a deadline on every read and write: a
// connection that sends nothing for idle fails, and discordgo's read loop
// then reports the disconnect the adapter reconnects on. discordgo sets no
// deadline of its own, so a silent gateway would otherwise block forever,
// even inside Open.
func newDialer(idle time.Duration) *websocket.Dialer {
	return &websocket.Dialer{
		Proxy:            http.ProxyFromEnvironment,
		HandshakeTimeout: dialTimeout,
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{Timeout: dialTimeout}).DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &idleConn{Conn: c, idle: idle}, nil
		},
	}
}

// idleConn extends its deadline before every read and write.
type idleConn struct {
	net.Conn
	idle time.Duration
}

func (c *idleConn) Read(p []byte) (int, error) {
	_ = c.Conn.SetReadDeadline(time.Now().Add(c.idle))
	return c.Conn.Read(p)
}

func (c *idleConn) Write(p []byte) (int, error) {
	_ = c.Conn.SetWriteDeadline(time.Now().Add(c.idle))
	return c.Conn.Write(p)
}

// discordgo logs through one package variable; routeLogs points it at a
// slog logger (the last adapter built wins: there is one in a process).
// The variable is set once, before any session runs; the logger it uses
// is swapped atomically.
var (
	dgLog     atomic.Pointer[slog.Logger]
	dgLogOnce sync.Once
)

func routeLogs(log *slog.Logger) {
	dgLog.Store(log.With("adapter", "discord", "from", "discordgo"))
	dgLogOnce.Do(func() { discordgo.Logger = logDiscordgo })
}

func logDiscordgo(level, _ int, format string, a ...any) {
	l := dgLog.Load()
	if l == nil {
		return
	}
	lv := slog.LevelDebug
	switch level {
	case discordgo.LogError:
		lv = slog.LevelError
	case discordgo.LogWarning:
		lv = slog.LevelWarn
	}
	l.Log(context.Background(), lv, fmt.Sprintf(format, a...))
}

func newAdapter(cfg Config, s session, b bot.Answerer, opts Options) *Adapter {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &Adapter{cfg: cfg, s: s, bot: b, log: log.With("adapter", "discord"), deferAfter: defaultDeferAfter,
		retry: defaultRetry, queue: opts.Queue, dedupe: opts.Dedupe, obs: opts.Observer,
		busy: make(chan struct{}, busyReplies), dropped: make(chan struct{}, 1), ready: make(chan struct{}),
		votes: opts.Feedback, recent: opts.Recent}
	a.places.init()
	if a.recent == nil {
		a.recent = bot.NewRecent(0, 0)
	}
	if a.obs == nil {
		a.obs = bot.NopObserver{}
	}
	if a.dedupe == nil {
		a.dedupe = &bot.MemoryDedupe{}
	}
	if a.queue == nil {
		a.queue = bot.RecoveringQueue("discord", a.obs, a.log)
	}
	a.retry.OnRetry = func(err error, attempt int, wait time.Duration) {
		a.log.Warn("call to Discord failed; retrying", "attempt", attempt, "in", wait.Round(time.Millisecond).String(), "err", err)
	}
	s.AddHandler(a.onReady)
	s.AddHandler(a.onConnect)
	s.AddHandler(a.onDisconnect)
	s.AddHandler(a.onResumed)
	s.AddHandler(a.onMessage)
	s.AddHandler(a.onInteraction)
	s.AddHandler(a.onEvent)
	return a
}

// Name returns "discord".
func (a *Adapter) Name() string { return "discord" }

// Connected reports whether the gateway connection is up and the slash
// commands are registered.
func (a *Adapter) Connected() bool { return a.gatewayUp.Load() && a.registered.Load() }

// Run connects to the gateway, registers the slash commands (bulk
// overwrite, so it is idempotent) and serves until ctx is done, replacing
// the connection whenever it drops or goes silent. Failures are retried
// with backoff; only a definite credential or configuration error from
// Discord ends Run early, as a *bot.ConfigError naming the variable to
// fix. On return the connection is closed; answers already queued belong
// to the queue, which the caller drains first.
func (a *Adapter) Run(ctx context.Context) error {
	if !a.running.TryLock() {
		return errors.New("Run called while already running")
	}
	defer a.running.Unlock()
	a.stopping.Store(false)
	a.mu.Lock()
	a.ready = make(chan struct{})
	ready := a.ready
	a.mu.Unlock()
	for len(a.dropped) > 0 {
		<-a.dropped
	}
	defer a.close()

	a.log.Info("connecting", "config", a.cfg.String())
	b := bot.Backoff{Min: a.retry.Backoff.Min, Max: a.retry.Backoff.Max}
	for {
		if err := a.open(ctx, &b); err != nil || ctx.Err() != nil {
			return err
		}
		timer := time.NewTimer(readyTimeout)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-ready:
			timer.Stop()
		case <-timer.C:
			// Connected, but no READY: take the connection for broken.
			a.log.Warn("the gateway sent no READY; reconnecting", "waited", readyTimeout.String())
			_ = a.s.Close()
			for len(a.dropped) > 0 {
				<-a.dropped
			}
			continue
		}
		break
	}
	openedAt := time.Now()
	if err := a.register(ctx); err != nil || ctx.Err() != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-a.dropped:
			if a.gatewayUp.Load() {
				continue // a late notice about a connection already replaced
			}
			// discordgo's goroutines for the old connection may still be
			// closing it (its heartbeat calls Close after a failed write,
			// and would close a connection opened meanwhile): let them
			// finish first. A connection that dropped soon after it opened
			// waits out the backoff too, so a flapping gateway is not
			// hammered.
			wait := reconnectSettle
			if time.Since(openedAt) < stableAfter {
				wait = max(wait, b.Next())
			} else {
				b.Reset()
			}
			if !bot.Sleep(ctx, wait) {
				return nil
			}
			for len(a.dropped) > 0 {
				<-a.dropped
			}
			if err := a.open(ctx, &b); err != nil || ctx.Err() != nil {
				return err
			}
			openedAt = time.Now()
			a.obs.Reconnected("discord")
			a.log.Info("reconnected to the gateway", "connections", a.opened.Load())
		}
	}
}

// open opens a gateway connection, retrying with backoff until it opens,
// ctx ends, or Discord refuses the configuration for good.
func (a *Adapter) open(ctx context.Context, b *bot.Backoff) error {
	for attempt := 1; ; attempt++ {
		opened := make(chan error, 1)
		go func() { opened <- a.s.Open() }()
		var err error
		select {
		case err = <-opened:
		case <-ctx.Done():
			return nil
		}
		if err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen) {
			// discordgo's Connect event (or READY, RESUMED) marks the
			// gateway up; a Disconnect after it, down again.
			a.opened.Add(1)
			return nil
		}
		if ce := configError(a.cfg, err); ce != nil {
			return ce
		}
		wait := b.Next()
		a.log.Warn("connecting to the gateway failed; retrying", "attempt", attempt, "in", wait.Round(time.Millisecond).String(), "err", err)
		if !bot.Sleep(ctx, wait) {
			return nil
		}
	}
}

// register overwrites the slash commands, retrying while Discord fails.
func (a *Adapter) register(ctx context.Context) error {
	a.mu.Lock()
	appID := a.appID
	a.mu.Unlock()
	var cmds []*discordgo.ApplicationCommand
	err := a.retry.Do(ctx, func(ctx context.Context) (err error) {
		cmds, err = a.s.ApplicationCommandBulkOverwrite(appID, a.cfg.GuildID, Commands(), discordgo.WithContext(ctx))
		return err
	})
	switch {
	case ctx.Err() != nil:
		return nil
	case err != nil:
		if ce := configError(a.cfg, err); ce != nil {
			return ce
		}
		// Discord refused the commands themselves: mentions and DMs still
		// work, and commands registered before stay.
		a.log.Error("registering slash commands failed; serving mentions and DMs", "err", err)
	default:
		where := "globally"
		if a.cfg.GuildID != "" {
			where = "in guild " + a.cfg.GuildID
		}
		a.log.Info("slash commands registered", "count", len(cmds), "where", where)
	}
	a.registered.Store(true)
	return nil
}

// configError says whether err is Discord refusing the configuration for
// good, and which variable to fix.
func configError(cfg Config, err error) *bot.ConfigError {
	if ce, ok := errors.AsType[*websocket.CloseError](err); ok {
		switch ce.Code {
		case 4004:
			return &bot.ConfigError{Var: EnvToken, Err: err, Msg: fmt.Sprintf(
				"Discord refused %s (gateway close 4004, authentication failed): set it to the token on the Bot page of the developer portal", EnvToken)}
		case 4014:
			return &bot.ConfigError{Var: EnvToken, Err: err, Msg: fmt.Sprintf(
				"Discord refused the gateway intents of the bot whose token is in %s (close 4014, disallowed intents): "+
					"the bot needs no privileged intent, so check that the token belongs to this bot", EnvToken)}
		case 4010:
			return &bot.ConfigError{Var: EnvShardID, Err: err, Msg: fmt.Sprintf(
				"Discord refused the shard (gateway close 4010, invalid shard): check %s and %s", EnvShardID, EnvShardCount)}
		case 4011:
			return &bot.ConfigError{Var: EnvShardCount, Err: err, Msg: fmt.Sprintf(
				"Discord requires sharding for this bot (gateway close 4011): set %s and %s", EnvShardCount, EnvShardID)}
		}
		return nil
	}
	re, ok := errors.AsType[*discordgo.RESTError](err)
	if !ok || re.Response == nil {
		return nil
	}
	switch code := re.Response.StatusCode; {
	case code == http.StatusUnauthorized:
		return &bot.ConfigError{Var: EnvToken, Err: err, Msg: fmt.Sprintf(
			"Discord refused %s (401 Unauthorized): set it to the token on the Bot page of the developer portal", EnvToken)}
	case (code == http.StatusForbidden || code == http.StatusNotFound) && cfg.GuildID != "":
		return &bot.ConfigError{Var: EnvGuildID, Err: err, Msg: fmt.Sprintf(
			"Discord refused the slash commands for guild %s (%d): check %s, and that the bot was invited there with the applications.commands scope",
			cfg.GuildID, code, EnvGuildID)}
	}
	return nil
}

// defaultRetry retries REST calls while Discord fails for a while: rate
// limits, 5xx answers, dropped connections and timeouts.
var defaultRetry = bot.Retry{Backoff: bot.Backoff{Min: time.Second, Max: time.Minute}, Transient: transient}

func transient(err error) (bool, time.Duration) {
	if errors.Is(err, context.Canceled) {
		return false, 0
	}
	if rl, ok := errors.AsType[*discordgo.RateLimitError](err); ok && rl.RateLimit != nil && rl.TooManyRequests != nil {
		return true, rl.RetryAfter
	}
	if re, ok := errors.AsType[*discordgo.RESTError](err); ok && re.Response != nil {
		code := re.Response.StatusCode
		return code == http.StatusTooManyRequests || code >= 500, 0
	}
	return true, 0 // a dropped connection, a timeout, a 429 without a readable body
}

// close stops taking events and closes the gateway connection.
func (a *Adapter) close() {
	a.stopping.Store(true)
	if err := a.s.Close(); err != nil {
		a.log.Warn("closing the gateway connection", "err", err)
	}
	a.gatewayUp.Store(false)
	a.registered.Store(false)
}

// drop asks Run's loop to replace the connection.
func (a *Adapter) drop() {
	select {
	case a.dropped <- struct{}{}:
	default:
	}
}

func (a *Adapter) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	defer a.recoverPanic("READY")
	if r == nil || r.User == nil {
		a.log.Error("READY without the bot's user")
		return
	}
	a.mu.Lock()
	a.botID = r.User.ID
	a.appID = r.User.ID // a bot's user id is its application's id
	if r.Application != nil && r.Application.ID != "" {
		a.appID = r.Application.ID
	}
	select {
	case <-a.ready:
	default:
		close(a.ready)
	}
	a.mu.Unlock()
	a.gatewayUp.Store(true)
	a.log.Info("connected", "user", r.User.Username, "id", r.User.ID, "guilds", len(r.Guilds))
}

func (a *Adapter) onConnect(*discordgo.Session, *discordgo.Connect) { a.gatewayUp.Store(true) }
func (a *Adapter) onResumed(*discordgo.Session, *discordgo.Resumed) { a.gatewayUp.Store(true) }

func (a *Adapter) onDisconnect(*discordgo.Session, *discordgo.Disconnect) {
	a.gatewayUp.Store(false)
	if a.stopping.Load() {
		return
	}
	a.log.Warn("disconnected from the gateway; reconnecting")
	a.drop()
}

func (a *Adapter) self() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.botID
}

// recoverPanic, deferred in a handler of platform input, logs and counts a
// panic and lets the adapter carry on.
func (a *Adapter) recoverPanic(where string) {
	if v := recover(); v != nil {
		a.obs.Panicked("discord")
		a.log.Error("recovered from a panic", "in", where, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
	}
}

// noMentions lets a message ping no one: no @everyone, roles or users, and
// no ping of the author of the message replied to.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// answer asks the bot, bounded by answerTimeout. A failure or a timeout
// becomes bot.ErrorReply: an apology to the asker alone.
func (a *Adapter) answer(ctx context.Context, q bot.Question) bot.Reply {
	ctx, cancel := context.WithTimeout(ctx, answerTimeout)
	defer cancel()
	r, err := a.bot.Answer(ctx, q)
	if err != nil {
		a.log.Error("answering failed; apologising to the asker", "err", err)
		return bot.ErrorReply(q)
	}
	return r
}

// seen reports whether key was delivered before (and so is skipped).
func (a *Adapter) seen(ctx context.Context, key string) bool {
	first, err := a.dedupe.FirstSeen(ctx, key, DedupeWindow)
	if err != nil {
		a.log.Warn("dedupe store failed; answering anyway", "err", err)
		return false
	}
	if !first {
		a.obs.Duplicate("discord")
	}
	return !first
}

// submit queues job. When the queue has no room it counts the refusal and
// has tell send the asker a short notice, outside the queue but bounded.
func (a *Adapter) submit(job bot.Job, tell func(ctx context.Context, text string) error) {
	err := a.queue.Submit(func(ctx context.Context) (err error) {
		defer func() {
			if v := recover(); v != nil {
				a.obs.Panicked("discord")
				a.log.Error("recovered from a panic in a job", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				err = fmt.Errorf("panic: %v", v)
			}
		}()
		return job(ctx)
	})
	if err == nil {
		return
	}
	text := BusyText
	if errors.Is(err, bot.ErrQueueClosed) {
		text = RestartText
		a.obs.Refused("discord", bot.RefusedShuttingDown)
	} else {
		a.obs.Refused("discord", bot.RefusedQueueFull)
		a.log.Warn("work queue full; telling the asker to try again")
	}
	select {
	case a.busy <- struct{}{}:
	default:
		return // even the notices are backed up: say nothing
	}
	go func() {
		defer func() { <-a.busy }()
		defer a.recoverPanic("busy reply")
		ctx, cancel := context.WithTimeout(context.Background(), busyReplyTimeout)
		defer cancel()
		if err := tell(ctx, text); err != nil {
			a.log.Warn("telling the asker to try again failed", "err", err)
		}
	}()
}
