// Package discord serves the bot on Discord: slash commands (/ask, /sources,
// /topics, /help), mentions in channels and direct messages, answered with
// embeds that cite their sources.
//
// It uses github.com/bwmarrin/discordgo for the gateway connection
// (reconnects included) and the REST API (with its retry on rate limits).
// The bot needs no privileged intent: Discord delivers the content of
// messages that mention the bot and of DMs without Message Content.
// Replies never ping anyone: their allowed mentions are always empty.
package discord

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/liberterra/liberterra/bot"
)

// Intents are the gateway intents the bot asks for: guilds, guild messages
// and direct messages. Message Content (privileged) is not among them.
const Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages

// Timings. Discord wants an interaction answered within 3 seconds; an
// answer slower than deferAfter is deferred first and edited in later.
const (
	defaultDeferAfter = 2 * time.Second
	answerTimeout     = 10 * time.Second
	readyTimeout      = 30 * time.Second
	drainTimeout      = 10 * time.Second
	httpTimeout       = 20 * time.Second
)

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
}

// Adapter serves the bot on Discord. It implements bot.Adapter.
type Adapter struct {
	cfg        Config
	s          session
	bot        bot.Answerer
	log        *slog.Logger
	deferAfter time.Duration

	connected atomic.Bool
	running   atomic.Bool

	mu    sync.Mutex
	botID string // the bot's user id, from READY
	appID string // the application id, from READY
	ready chan struct{}

	base context.Context // answers run in it; set by Run

	gate     sync.RWMutex // handlers hold it for reading while they work
	stopping bool         // under gate: Run is shutting down
}

var _ bot.Adapter = (*Adapter)(nil)

// Options are the adapter's collaborators.
type Options struct {
	// Log receives the adapter's log lines; nil discards them.
	Log *slog.Logger
}

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
	s.ShouldRetryOnRateLimit = true
	s.ShouldReconnectOnError = true
	s.Client = newHTTPClient(cfg.APIURL)
	return newAdapter(cfg, s, b, opts.Log), nil
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

func newAdapter(cfg Config, s session, b bot.Answerer, log *slog.Logger) *Adapter {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &Adapter{cfg: cfg, s: s, bot: b, log: log.With("adapter", "discord"), deferAfter: defaultDeferAfter, ready: make(chan struct{}), base: context.Background()}
	s.AddHandler(a.onReady)
	s.AddHandler(a.onConnect)
	s.AddHandler(a.onDisconnect)
	s.AddHandler(a.onResumed)
	s.AddHandler(a.onMessage)
	s.AddHandler(a.onInteraction)
	return a
}

// Name returns "discord".
func (a *Adapter) Name() string { return "discord" }

// Connected reports whether the gateway connection is up.
func (a *Adapter) Connected() bool { return a.connected.Load() }

// Run connects to the gateway, registers the slash commands (bulk
// overwrite, so it is idempotent) and serves until ctx is done. It then
// stops taking events, lets answers in flight finish (for a bounded time)
// and closes the connection. It returns nil after a clean shutdown.
func (a *Adapter) Run(ctx context.Context) error {
	if !a.running.CompareAndSwap(false, true) {
		return errors.New("discord: Run called twice")
	}
	a.base = context.WithoutCancel(ctx)
	a.log.Info("connecting", "config", a.cfg.String())
	if err := a.s.Open(); err != nil {
		return fmt.Errorf("connecting to the Discord gateway: %w", err)
	}
	defer a.close()

	timer := time.NewTimer(readyTimeout)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return nil
	case <-timer.C:
		return fmt.Errorf("the Discord gateway sent no READY within %s", readyTimeout)
	case <-a.ready:
	}
	a.mu.Lock()
	appID := a.appID
	a.mu.Unlock()
	cmds, err := a.s.ApplicationCommandBulkOverwrite(appID, a.cfg.GuildID, Commands())
	if err != nil {
		return fmt.Errorf("registering slash commands: %w", err)
	}
	where := "globally"
	if a.cfg.GuildID != "" {
		where = "in guild " + a.cfg.GuildID
	}
	a.log.Info("slash commands registered", "count", len(cmds), "where", where)
	<-ctx.Done()
	return nil
}

// close stops taking events, waits for the handlers at work, and closes.
func (a *Adapter) close() {
	drained := make(chan struct{})
	go func() {
		a.gate.Lock()
		a.stopping = true
		a.gate.Unlock()
		close(drained)
	}()
	select {
	case <-drained:
	case <-time.After(drainTimeout):
		a.log.Warn("answers still in flight at shutdown")
	}
	if err := a.s.Close(); err != nil {
		a.log.Warn("closing the gateway connection", "err", err)
	}
	a.connected.Store(false)
}

// enter registers a handler at work; it is false once Run is stopping.
func (a *Adapter) enter() bool {
	a.gate.RLock()
	if a.stopping {
		a.gate.RUnlock()
		return false
	}
	return true
}

func (a *Adapter) leave() { a.gate.RUnlock() }

func (a *Adapter) onReady(_ *discordgo.Session, r *discordgo.Ready) {
	if r.User == nil {
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
	a.connected.Store(true)
	a.log.Info("connected", "user", r.User.Username, "id", r.User.ID, "guilds", len(r.Guilds))
}

func (a *Adapter) onConnect(*discordgo.Session, *discordgo.Connect) { a.connected.Store(true) }
func (a *Adapter) onResumed(*discordgo.Session, *discordgo.Resumed) { a.connected.Store(true) }
func (a *Adapter) onDisconnect(*discordgo.Session, *discordgo.Disconnect) {
	a.connected.Store(false)
	a.log.Warn("disconnected from the gateway; discordgo reconnects")
}

func (a *Adapter) self() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.botID
}

// noMentions lets a message ping no one: no @everyone, roles or users, and
// no ping of the author of the message replied to.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// answer asks the bot, bounded by answerTimeout. An error (the bot only
// fails when its context does) becomes an apology.
func (a *Adapter) answer(q bot.Question) bot.Reply {
	ctx, cancel := context.WithTimeout(a.base, answerTimeout)
	defer cancel()
	r, err := a.bot.Answer(ctx, q)
	if err != nil {
		a.log.Error("answering", "err", err)
		return bot.Reply{Question: q.Text, Kind: bot.KindInvalid, Text: "Sorry, I couldn't answer that just now. Please try again."}
	}
	return r
}

// onMessage answers a mention in a channel, or any message in a DM, with a
// reply to that message. It ignores its own messages and other bots'.
func (a *Adapter) onMessage(_ *discordgo.Session, m *discordgo.MessageCreate) {
	if m == nil || m.Message == nil || m.Author == nil || m.Author.Bot || m.Author.System {
		return
	}
	botID := a.self()
	if botID == "" || m.Author.ID == botID {
		return
	}
	if m.GuildID != "" && !mentions(m.Message, botID) {
		return
	}
	if !a.enter() {
		return
	}
	defer a.leave()
	text := questionText(m.Content, botID, m.Mentions)
	if text == "" {
		text = "help"
	}
	r := a.answer(bot.Question{Text: text, User: m.Author.ID, Frontend: "discord"})
	if r.Silent() {
		return
	}
	msg := render(r)
	send := &discordgo.MessageSend{
		Content:         msg.Content,
		Embeds:          msg.Embeds,
		Reference:       m.SoftReference(),
		AllowedMentions: noMentions(),
	}
	if _, err := a.s.ChannelMessageSendComplex(m.ChannelID, send); err != nil {
		a.log.Error("replying to a message", "channel", m.ChannelID, "err", err)
	}
}

// Commands are the slash commands the adapter registers.
func Commands() []*discordgo.ApplicationCommand {
	return []*discordgo.ApplicationCommand{
		{
			Name:        "ask",
			Description: "Ask about Operation Liberterra II; the answer quotes its sources",
			Options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: "question", Description: "Your question, in plain words", Required: true, MaxLength: bot.MaxQuestionLen},
				{Type: discordgo.ApplicationCommandOptionBoolean, Name: "ephemeral", Description: "Show the answer to you alone"},
			},
		},
		{Name: "sources", Description: "List the articles the answers come from"},
		{Name: "topics", Description: "List what the bot can answer about"},
		{Name: "help", Description: "How to ask the bot"},
	}
}

// onInteraction answers a slash command: directly when the answer is
// quick, else deferred first (within Discord's 3 seconds) and edited in.
func (a *Adapter) onInteraction(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
	if ic == nil || ic.Interaction == nil || ic.Type != discordgo.InteractionApplicationCommand {
		return
	}
	i := ic.Interaction
	data := i.ApplicationCommandData()
	var text string
	ephemeral := false
	switch data.Name {
	case "ask":
		for _, o := range data.Options {
			switch o.Name {
			case "question":
				if o.Type == discordgo.ApplicationCommandOptionString {
					text = o.StringValue()
				}
			case "ephemeral":
				if o.Type == discordgo.ApplicationCommandOptionBoolean {
					ephemeral = o.BoolValue()
				}
			}
		}
	case "sources", "topics", "help":
		text, ephemeral = data.Name, true
	default:
		return
	}
	if !a.enter() {
		return
	}
	defer a.leave()
	user := ""
	switch {
	case i.Member != nil && i.Member.User != nil:
		user = i.Member.User.ID
	case i.User != nil:
		user = i.User.ID
	}
	a.respond(i, bot.Question{Text: text, User: user, Frontend: "discord"}, ephemeral)
}

func (a *Adapter) respond(i *discordgo.Interaction, q bot.Question, ephemeral bool) {
	done := make(chan bot.Reply, 1)
	go func() { done <- a.answer(q) }()
	timer := time.NewTimer(a.deferAfter)
	defer timer.Stop()
	var r bot.Reply
	deferred := false
	select {
	case r = <-done:
	case <-timer.C:
		resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource, Data: &discordgo.InteractionResponseData{}}
		if ephemeral {
			resp.Data.Flags = discordgo.MessageFlagsEphemeral
		}
		if err := a.s.InteractionRespond(i, resp); err != nil {
			a.log.Error("deferring an interaction response", "command", q.Text, "err", err)
			return
		}
		deferred = true
		r = <-done // answer is bounded by answerTimeout
	}
	if r.Silent() {
		if deferred {
			if err := a.s.InteractionResponseDelete(i); err != nil {
				a.log.Error("deleting a deferred response", "err", err)
			}
		}
		return
	}
	msg := render(r)
	if !deferred {
		data := &discordgo.InteractionResponseData{Content: msg.Content, Embeds: msg.Embeds, AllowedMentions: noMentions()}
		if ephemeral || msg.Private {
			data.Flags = discordgo.MessageFlagsEphemeral
		}
		if err := a.s.InteractionRespond(i, &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: data}); err != nil {
			a.log.Error("responding to an interaction", "err", err)
		}
		return
	}
	embeds := msg.Embeds
	if embeds == nil {
		embeds = []*discordgo.MessageEmbed{}
	}
	edit := &discordgo.WebhookEdit{Content: &msg.Content, Embeds: &embeds, AllowedMentions: noMentions()}
	if _, err := a.s.InteractionResponseEdit(i, edit); err != nil {
		a.log.Error("editing a deferred response", "err", err)
	}
}
