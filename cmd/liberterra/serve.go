package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/liberterra/liberterra/adapters/slack"
	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/cmd/liberterra/internal/ops"
	"github.com/liberterra/liberterra/facts"
)

// adapterEnv is what an adapter needs to start: its configuration from the
// environment, the core to ask, a logger, the HTTP mux for front ends that
// receive webhooks (served on LIBERTERRA_ADDR), the work queue its answers
// go through, the store that recognises replays, and the observer that
// counts what happens.
type adapterEnv struct {
	Getenv   func(string) string
	Bot      bot.Answerer
	Log      *slog.Logger
	Mux      *http.ServeMux
	Queue    *bot.Queue
	Dedupe   bot.DedupeStore
	Observer bot.Observer
	// SlackLimits bound HTTP clients of the Events API endpoints.
	SlackLimits slack.Limits
	// Feedback records the 👍 / 👎 people give answers.
	Feedback bot.FeedbackRecorder
	// Sources lists the articles of the fact base being served.
	Sources func() []*facts.Source
}

// adapterFactory builds one front end from the environment. It returns
// nil, nil when the front end's variables are not set at all, and an error
// naming the variable to fix when they are set wrongly.
type adapterFactory func(env adapterEnv) (bot.Adapter, error)

// frontEnds lists every front end serve can start, in the order it starts
// them. Main.factories replaces the list in tests.
func frontEnds() []adapterFactory {
	return []adapterFactory{newSlackAdapter, newDiscordAdapter}
}

// defaultAddr is where serve listens for webhooks when LIBERTERRA_ADDR is unset.
const defaultAddr = ":8080"

// Shutdown: the drain gets --shutdown-timeout, by default sized to the
// queue (a full queue posted at perPost a post per worker, plus margin);
// then the HTTP servers and the front ends get a few seconds each.
const (
	perPost          = time.Second
	drainMargin      = 5 * time.Second
	minDrain         = 10 * time.Second
	adapterStopLimit = 5 * time.Second
)

// restart spaces the restarts of a front end whose Run failed.
var restart = bot.Backoff{Min: time.Second, Max: time.Minute}

// secretVars are the variables whose values never appear in logs or error
// messages: serve redacts them wherever they would be printed.
var secretVars = []string{"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_BOT_TOKEN", redisVar}

// serveHooks let tests observe and steer serve in-process; nil in production.
type serveHooks struct {
	listening func(addr, opsAddr string)      // called with the bound addresses ("" when not separate)
	reload    <-chan struct{}                 // each receive reloads like SIGHUP
	reloaded  func(ok bool)                   // called after each reload
	wrap      func(bot.Answerer) bot.Answerer // wraps the bot (before metrics)
	limits    *httpLimits                     // replaces defaultHTTPLimits
	restart   *bot.Backoff                    // replaces restart
}

// serveConfig is serve's flags.
type serveConfig struct {
	logFormat       string
	rateBurst       int
	rateEvery       time.Duration
	gapsFile        string
	feedbackFile    string
	gapsUsers       bool
	gapsBelow       float64
	shutdownTimeout time.Duration
	metricsAddr     string
	queue           int
	workers         int
	redisURL        string
}

func (m *Main) serveFlags(c *serveConfig) *flag.FlagSet {
	fs := m.flagSet("serve")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	fs.IntVar(&c.rateBurst, "rate-burst", bot.DefaultBurst, "questions a user may ask at once")
	fs.DurationVar(&c.rateEvery, "rate-every", bot.DefaultEvery, "one more question per this interval for each user (0 disables the limit)")
	fs.StringVar(&c.gapsFile, "gaps", "", "append declined and low-confidence questions to `FILE` (JSON lines), or to the Redis stream with \"redis\"")
	fs.StringVar(&c.feedbackFile, "feedback", "", "append the votes people give answers to `FILE` (JSON lines; default "+defaultFeedbackName+" beside --gaps, the Redis stream with --gaps redis), or to the Redis stream with \"redis\"")
	fs.BoolVar(&c.gapsUsers, "gaps-users", false, "record the asker's user id in the gaps and feedback logs too")
	fs.Float64Var(&c.gapsBelow, "gaps-below", bot.DefaultGapsBelow, "log answers with confidence below this as gaps")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 0, "how long to finish acknowledged answers on shutdown (default: sized to the queue)")
	fs.StringVar(&c.metricsAddr, "metrics-addr", "", "serve /metrics, /healthz and /readyz on this internal `ADDR` (default $LIBERTERRA_METRICS_ADDR)")
	fs.IntVar(&c.queue, "queue", bot.DefaultQueueCapacity, "answers each front end may have waiting to be posted")
	fs.IntVar(&c.workers, "workers", bot.DefaultQueueWorkers, "answers each front end posts at once")
	fs.StringVar(&c.redisURL, "redis-url", "", "keep the state replicas share in the Redis at `URL` (default $LIBERTERRA_REDIS_URL; unset: in the process)")
	return fs
}

// feedbackPath is --feedback, or feedback.jsonl beside --gaps (the
// feedback stream beside --gaps redis); "" for none.
func (c *serveConfig) feedbackPath() string {
	if c.feedbackFile != "" || c.gapsFile == "" {
		return c.feedbackFile
	}
	if c.gapsFile == gapsInRedis {
		return gapsInRedis
	}
	return filepath.Join(filepath.Dir(c.gapsFile), defaultFeedbackName)
}

// drainTimeout is --shutdown-timeout, or the time to post a full queue.
func (c *serveConfig) drainTimeout() time.Duration {
	if c.shutdownTimeout > 0 {
		return c.shutdownTimeout
	}
	if c.workers < 1 || c.queue < 0 {
		return minDrain
	}
	rounds := (c.queue + c.workers - 1) / c.workers
	return max(minDrain, time.Duration(rounds)*perPost+drainMargin)
}

// problems validates the flags, one message a problem.
func (c *serveConfig) problems() []string {
	var p []string
	if c.logFormat != "text" && c.logFormat != "json" {
		p = append(p, fmt.Sprintf("--log-format %q: want text or json", c.logFormat))
	}
	if c.rateBurst < 1 {
		p = append(p, fmt.Sprintf("--rate-burst %d: want 1 or more", c.rateBurst))
	}
	if c.rateEvery < 0 {
		p = append(p, fmt.Sprintf("--rate-every %v: want 0 (no limit) or more", c.rateEvery))
	}
	if c.gapsBelow < 0 || c.gapsBelow > 1 {
		p = append(p, fmt.Sprintf("--gaps-below %v: want a confidence from 0 to 1", c.gapsBelow))
	}
	if c.gapsUsers && c.gapsFile == "" && c.feedbackFile == "" {
		p = append(p, "--gaps-users needs --gaps FILE or --feedback FILE")
	}
	if c.gapsFile == gapsInRedis && c.redisURL == "" {
		p = append(p, "--gaps redis needs --redis-url or "+redisVar)
	}
	if c.feedbackFile == gapsInRedis && c.redisURL == "" {
		p = append(p, "--feedback redis needs --redis-url or "+redisVar)
	}
	if c.shutdownTimeout < 0 {
		p = append(p, fmt.Sprintf("--shutdown-timeout %v: want more than 0", c.shutdownTimeout))
	}
	if c.queue < 1 || c.queue > 1_000_000 {
		p = append(p, fmt.Sprintf("--queue %d: want from 1 to 1000000", c.queue))
	}
	if c.workers < 1 || c.workers > 1000 {
		p = append(p, fmt.Sprintf("--workers %d: want from 1 to 1000", c.workers))
	}
	return p
}

func (m *Main) runServe(ctx context.Context, args []string) error {
	var secrets []string
	for _, v := range secretVars {
		secrets = append(secrets, m.Getenv(v))
	}
	secrets = append(secrets, redisSecrets(m.Getenv(redisVar))...)
	red := ops.NewRedactor(secrets...)
	return red.Error(m.serve(ctx, args, red))
}

// frontEnd is one adapter being served, with its queue.
type frontEnd struct {
	a bot.Adapter
	q *bot.Queue
}

func (m *Main) serve(ctx context.Context, args []string, red *ops.Redactor) error {
	var cfg serveConfig
	fs := m.serveFlags(&cfg)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("serve takes no arguments; it is configured by flags and environment variables")
	}
	redisFrom := "--redis-url"
	if cfg.redisURL == "" {
		cfg.redisURL, redisFrom = m.Getenv(redisVar), redisVar
	}
	red = red.With(redisSecrets(cfg.redisURL)...)
	// Catch SIGHUP from the start: its default action would end the process.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	hooks := m.hooks
	if hooks == nil {
		hooks = &serveHooks{}
	}
	limits := defaultHTTPLimits
	if hooks.limits != nil {
		limits = *hooks.limits
	}
	problems := cfg.problems()
	if cfg.redisURL != "" {
		if p := redisProblem(cfg.redisURL, redisFrom); p != "" {
			problems = append(problems, p)
		}
	}
	addr := m.Getenv("LIBERTERRA_ADDR")
	if addr == "" {
		addr = defaultAddr
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		problems = append(problems, fmt.Sprintf("LIBERTERRA_ADDR %q: want host:port, for example :8080", addr))
	}
	opsAddr, opsFrom := cfg.metricsAddr, "--metrics-addr"
	if opsAddr == "" {
		opsAddr, opsFrom = m.Getenv("LIBERTERRA_METRICS_ADDR"), "LIBERTERRA_METRICS_ADDR"
	}
	if opsAddr != "" {
		if _, port, err := net.SplitHostPort(opsAddr); err != nil {
			problems = append(problems, fmt.Sprintf("%s %q: want host:port, for example 127.0.0.1:9090", opsFrom, opsAddr))
		} else if opsAddr == addr && port != "0" {
			problems = append(problems, fmt.Sprintf("%s %q is LIBERTERRA_ADDR too: give the metrics their own port", opsFrom, opsAddr))
		}
	}

	stderr := red.Writer(m.Stderr)
	var handler slog.Handler = slog.NewTextHandler(stderr, nil)
	if cfg.logFormat == "json" {
		handler = slog.NewJSONHandler(stderr, nil)
	}
	log := slog.New(handler)

	metrics := ops.NewMetrics()
	// The state replicas share: in the process, or in Redis.
	var state *sharedState
	if cfg.redisURL != "" && len(problems) == 0 {
		var err error
		if state, err = redisState(ctx, cfg.redisURL, redisFrom, log, metrics); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		defer state.close()
	} else {
		state = memoryState(metrics)
	}
	m.botOpts = []bot.Option{bot.WithConversations(state.convs), bot.WithStoreErrors(func(err error) {
		log.Warn("conversation store failed; answering without the conversation", "err", err)
	})}
	start := time.Now()
	b, err := m.newBot()
	if err != nil {
		return err
	}
	metrics.FactBaseLoaded(len(b.Base().Facts), time.Since(start))
	holder := bot.NewHolder(b)
	limitMemory(log)

	// The answerer front ends call: metrics > rate limit > gaps log > the
	// swappable bot.
	var core bot.Answerer = holder
	var gaps *gapsFile
	var gapsLog bot.Journal
	if cfg.gapsFile != "" && len(problems) == 0 {
		gapsLog, gaps, err = openJournal(cfg.gapsFile, gapsStream, state)
		if err != nil {
			problems = append(problems, fmt.Sprintf("--gaps %s: %v", cfg.gapsFile, err))
		} else if gaps != nil {
			defer gaps.Close()
		}
	}
	if gapsLog != nil {
		var once sync.Once
		core = &bot.Gaps{Next: core, Log: gapsLog, Below: cfg.gapsBelow, Users: cfg.gapsUsers,
			OnError: func(err error) {
				once.Do(func() {
					log.Error("writing the gaps log; later errors are not logged", "gaps", cfg.gapsFile, "err", err)
				})
			}}
	}
	// The feedback log: beside the gaps log unless named; counted in
	// /metrics either way.
	feedback := &bot.FeedbackLog{Users: cfg.gapsUsers, Count: metrics.Feedback}
	var votes *gapsFile
	if name := cfg.feedbackPath(); name != "" && len(problems) == 0 {
		var fbLog bot.Journal
		fbLog, votes, err = openJournal(name, feedbackStream, state)
		if err != nil {
			problems = append(problems, fmt.Sprintf("--feedback %s: %v", name, err))
		} else {
			if votes != nil {
				defer votes.Close()
			}
			var once sync.Once
			feedback.Log = fbLog
			feedback.OnError = func(err error) {
				once.Do(func() {
					log.Error("writing the feedback log; later errors are not logged", "feedback", name, "err", err)
				})
			}
		}
	}
	if hooks.wrap != nil {
		core = hooks.wrap(core)
	}
	answerer := metrics.Wrap(bot.NewLimiter(core, cfg.rateEvery, cfg.rateBurst, bot.WithRateStore(state.rates)))

	mux := http.NewServeMux()
	var fronts []frontEnd
	factories := m.factories
	if factories == nil {
		factories = frontEnds()
	}
	for _, newAdapter := range factories {
		q := bot.NewQueue(bot.QueueConfig{Capacity: cfg.queue, Workers: cfg.workers, OnPanic: func(v any, stack []byte) {
			log.Error("recovered from a panic in a job", "panic", fmt.Sprint(v), "stack", string(stack))
		}})
		a, err := newAdapter(adapterEnv{Getenv: m.Getenv, Bot: answerer, Log: log, Mux: mux,
			Queue: q, Dedupe: state.dedupe, Observer: metrics, SlackLimits: limits.slack,
			Feedback: feedback, Sources: func() []*facts.Source { return holder.Bot().Base().Sources }})
		if err != nil || a == nil {
			q.Close()
			if err != nil {
				problems = append(problems, strings.Split(err.Error(), "\n")...)
			}
			continue
		}
		fronts = append(fronts, frontEnd{a, q})
	}
	if len(problems) > 0 {
		return fmt.Errorf("serve: configuration problems:\n  %s", strings.Join(problems, "\n  "))
	}
	if len(fronts) == 0 {
		return errors.New("serve: no front end is configured. Set SLACK_BOT_TOKEN with SLACK_APP_TOKEN (Slack Socket Mode) " +
			"or with SLACK_SIGNING_SECRET (Slack Events API), and/or DISCORD_BOT_TOKEN; see docs/operations.md")
	}
	var draining atomic.Bool
	health := &ops.Health{Holder: holder, Queues: map[string]*bot.Queue{}, Draining: draining.Load, Degraded: state.degraded}
	names := make([]string, len(fronts))
	for i, f := range fronts {
		names[i] = f.a.Name()
		health.Adapters = append(health.Adapters, f.a)
		health.Queues[f.a.Name()] = f.q
		if err := metrics.WatchFrontEnd(f.a.Name(), f.a.Connected, f.q); err != nil {
			return fmt.Errorf("serve: two front ends named %q", f.a.Name())
		}
	}
	opsMux := mux
	if opsAddr != "" {
		opsMux = http.NewServeMux()
	}
	health.Register(opsMux)
	opsMux.Handle("GET /metrics", metrics.Handler())

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: LIBERTERRA_ADDR %q: %w", addr, errors.Unwrap(err))
	}
	srv := newHTTPServer(mux, limits, handler)
	var opsSrv *http.Server
	var opsLn net.Listener
	if opsAddr != "" {
		opsLn, err = net.Listen("tcp", opsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("serve: %s %q: %w", opsFrom, opsAddr, errors.Unwrap(err))
		}
		opsSrv = newHTTPServer(opsMux, limits, handler)
	}
	drainFor := cfg.drainTimeout()
	attrs := []any{"adapters", strings.Join(names, ","), "addr", ln.Addr().String(),
		"facts", len(b.Base().Facts), "rate_burst", cfg.rateBurst, "rate_every", cfg.rateEvery.String(),
		"queue", cfg.queue, "workers", cfg.workers, "shutdown_timeout", drainFor.String(), "gaps", cfg.gapsFile != ""}
	if state.redis != nil {
		attrs = append(attrs, "state", "redis", "redis_addr", state.redis.Addr(), "redis_up", state.redis.Up())
	} else {
		attrs = append(attrs, "state", "memory")
	}
	if opsLn != nil {
		attrs = append(attrs, "metrics_addr", opsLn.Addr().String())
	}
	log.Info("serving", attrs...)
	if opsLn == nil && m.Getenv("SLACK_SIGNING_SECRET") != "" {
		log.Warn("/metrics, /healthz and /readyz share the public address with the Slack webhooks; " +
			"set LIBERTERRA_METRICS_ADDR (or --metrics-addr) to serve them on an internal one")
	}

	// Front ends run on their own context, cancelled only after the
	// acknowledged answers are posted, so the connections stay up for it.
	runCtx, stopAdapters := context.WithCancel(context.Background())
	defer stopAdapters()
	fatal := make(chan error, len(fronts))
	backoff := restart
	if hooks.restart != nil {
		backoff = *hooks.restart
	}
	var wg sync.WaitGroup
	for _, f := range fronts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			superviseAdapter(runCtx, f.a, log, backoff, fatal)
		}()
	}
	serveHTTP := func(s *http.Server, l net.Listener, n int, what string) {
		go func() {
			if err := s.Serve(limitListener(l, n)); err != nil && !errors.Is(err, http.ErrServerClosed) {
				select {
				case fatal <- fmt.Errorf("%s: %w", what, err):
				default:
				}
			}
		}()
	}
	serveHTTP(srv, ln, limits.maxConns, "http")
	if opsSrv != nil {
		serveHTTP(opsSrv, opsLn, limits.maxConnsOps, "metrics http")
	}
	if hooks.listening != nil {
		o := ""
		if opsLn != nil {
			o = opsLn.Addr().String()
		}
		hooks.listening(ln.Addr().String(), o)
	}

	var failed error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case failed = <-fatal:
			log.Error("stopping: a front end can't go on", "err", failed)
			break loop
		case <-hup:
			m.reload(log, holder, metrics, hooks, gaps, votes)
		case <-hooks.reload:
			m.reload(log, holder, metrics, hooks, gaps, votes)
		}
	}

	// Graceful shutdown. Take no new events: readiness turns 503, webhooks
	// get 503 and Socket Mode no ack, so the platform sends them again
	// (perhaps to another replica). Then post every answer already
	// acknowledged, within the drain timeout; then close the HTTP servers
	// (cutting stalled uploads) and the front ends' connections.
	draining.Store(true)
	waiting := 0
	for _, f := range fronts {
		f.q.Close()
		waiting += f.q.Len() + f.q.Running()
	}
	log.Info("shutting down: posting the answers already acknowledged", "jobs", waiting, "timeout", drainFor.String())
	dctx, dcancel := context.WithTimeout(context.Background(), drainFor)
	var lost int
	for _, f := range fronts {
		if n, err := f.q.Wait(dctx); err != nil {
			lost += n
		}
	}
	dcancel()
	if lost > 0 {
		log.Error("shutdown timeout: acknowledged answers not posted", "jobs", lost, "timeout", drainFor.String())
	}
	hctx, hcancel := context.WithTimeout(context.Background(), limits.shutdown)
	if err := srv.Shutdown(hctx); err != nil {
		srv.Close() // a client still sending (a stalled upload) is cut off
	}
	hcancel()
	stopAdapters()
	stopped := make(chan struct{})
	go func() { wg.Wait(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(adapterStopLimit):
		log.Warn("front ends did not close their connections in time")
	}
	if opsSrv != nil {
		opsSrv.Close()
	}
	log.Info("stopped")
	return failed
}

// superviseAdapter runs a until ctx is done. A definite configuration
// error (bot.ConfigError) goes to fatal: nothing but an operator can fix
// it. Any other failure restarts the front end after a backoff, leaving
// the others serving.
func superviseAdapter(ctx context.Context, a bot.Adapter, log *slog.Logger, b bot.Backoff, fatal chan<- error) {
	for {
		began := time.Now()
		err := a.Run(ctx)
		if ctx.Err() != nil {
			return
		}
		if _, ok := errors.AsType[*bot.ConfigError](err); ok {
			fatal <- fmt.Errorf("%s: %w", a.Name(), err)
			return
		}
		if err == nil {
			err = errors.New("stopped without an error")
		}
		if time.Since(began) > 10*b.Max {
			b.Reset()
		}
		wait := b.Next()
		log.Error("front end failed; starting it again", "adapter", a.Name(), "in", wait.Round(time.Millisecond).String(), "err", err)
		if !bot.Sleep(ctx, wait) {
			return
		}
	}
}

// reload handles SIGHUP: it reopens the gaps and feedback files (for log
// rotation) and loads the fact base again.
func (m *Main) reload(log *slog.Logger, holder *bot.Holder, metrics *ops.Metrics, hooks *serveHooks, files ...*gapsFile) {
	for _, f := range files {
		if f == nil {
			continue
		}
		if err := f.Reopen(); err != nil {
			log.Error("reopening a log file; still writing the old one", "file", f.name, "err", err)
		} else {
			log.Info("log file reopened", "file", f.name)
		}
	}
	m.reloadFacts(log, holder, metrics, hooks)
}

// limitMemory sets a soft memory limit from the live heap when the base is
// large (bot.LimitMemory): the collector then keeps a long-running serve
// near the bot's own size rather than twice it.
func limitMemory(log *slog.Logger) {
	if limit := bot.LimitMemory(); limit > 0 {
		log.Info("soft memory limit set from the live heap (GOMEMLIMIT overrides)", "limit_mb", limit>>20)
	}
}

// reloadFacts loads the fact base again (from --facts DIR, or the built-in
// one) and swaps it in. A base that fails its check is rejected: every
// problem is logged and the old base keeps serving.
func (m *Main) reloadFacts(log *slog.Logger, holder *bot.Holder, metrics *ops.Metrics, hooks *serveHooks) {
	start := time.Now()
	b, err := m.newBot()
	ok := err == nil
	if ok {
		holder.Store(b)
		took := time.Since(start)
		metrics.FactBaseLoaded(len(b.Base().Facts), took)
		log.Info("fact base reloaded", "facts", len(b.Base().Facts), "took", took.String())
		limitMemory(log)
	} else {
		lines := strings.Split(err.Error(), "\n")
		log.Error("fact base rejected; still serving the previous one", "err", lines[0])
		for _, l := range lines[1:] {
			log.Error("fact base problem", "problem", l)
		}
	}
	metrics.Reloaded(ok)
	if hooks.reloaded != nil {
		hooks.reloaded(ok)
	}
}
