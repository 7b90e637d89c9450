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
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/cmd/liberterra/internal/ops"
)

// adapterEnv is what an adapter needs to start: its configuration from the
// environment, the core to ask, a logger, and the HTTP mux for front ends
// that receive webhooks (served on LIBERTERRA_ADDR).
type adapterEnv struct {
	Getenv func(string) string
	Bot    bot.Answerer
	Log    *slog.Logger
	Mux    *http.ServeMux
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

// shutdownTimeout bounds how long serve waits for answers in flight.
const shutdownTimeout = 10 * time.Second

// secretVars are the variables whose values never appear in logs or error
// messages: serve redacts them wherever they would be printed.
var secretVars = []string{"SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_BOT_TOKEN"}

// serveHooks let tests observe and steer serve in-process; nil in production.
type serveHooks struct {
	listening func(addr string)               // called with the bound address
	reload    <-chan struct{}                 // each receive reloads like SIGHUP
	reloaded  func(ok bool)                   // called after each reload
	wrap      func(bot.Answerer) bot.Answerer // wraps the bot (before metrics)
}

// serveConfig is serve's flags.
type serveConfig struct {
	logFormat       string
	rateBurst       int
	rateEvery       time.Duration
	gapsFile        string
	gapsUsers       bool
	gapsBelow       float64
	shutdownTimeout time.Duration
}

func (m *Main) serveFlags(c *serveConfig) *flag.FlagSet {
	fs := m.flagSet("serve")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	fs.IntVar(&c.rateBurst, "rate-burst", bot.DefaultBurst, "questions a user may ask at once")
	fs.DurationVar(&c.rateEvery, "rate-every", bot.DefaultEvery, "one more question per this interval for each user (0 disables the limit)")
	fs.StringVar(&c.gapsFile, "gaps", "", "append declined and low-confidence questions to `FILE` (JSON lines)")
	fs.BoolVar(&c.gapsUsers, "gaps-users", false, "record the asker's user id in the gaps file too")
	fs.Float64Var(&c.gapsBelow, "gaps-below", bot.DefaultGapsBelow, "log answers with confidence below this as gaps")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", shutdownTimeout, "how long to wait for answers in flight on shutdown")
	return fs
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
	if c.gapsUsers && c.gapsFile == "" {
		p = append(p, "--gaps-users needs --gaps FILE")
	}
	if c.shutdownTimeout <= 0 {
		p = append(p, fmt.Sprintf("--shutdown-timeout %v: want more than 0", c.shutdownTimeout))
	}
	return p
}

func (m *Main) runServe(ctx context.Context, args []string) error {
	var secrets []string
	for _, v := range secretVars {
		secrets = append(secrets, m.Getenv(v))
	}
	red := ops.NewRedactor(secrets...)
	return red.Error(m.serve(ctx, args, red))
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
	// Catch SIGHUP from the start: its default action would end the process.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	hooks := m.hooks
	if hooks == nil {
		hooks = &serveHooks{}
	}
	problems := cfg.problems()
	addr := m.Getenv("LIBERTERRA_ADDR")
	if addr == "" {
		addr = defaultAddr
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		problems = append(problems, fmt.Sprintf("LIBERTERRA_ADDR %q: want host:port, for example :8080", addr))
	}

	stderr := red.Writer(m.Stderr)
	var handler slog.Handler = slog.NewTextHandler(stderr, nil)
	if cfg.logFormat == "json" {
		handler = slog.NewJSONHandler(stderr, nil)
	}
	log := slog.New(handler)

	metrics := ops.NewMetrics()
	start := time.Now()
	b, err := m.newBot()
	if err != nil {
		return err
	}
	metrics.FactBaseLoaded(len(b.Base().Facts), time.Since(start))
	holder := bot.NewHolder(b)

	// The answerer front ends call: drain (shutdown) > metrics > rate limit
	// > gaps log > the swappable bot.
	var core bot.Answerer = holder
	var gapsFile *os.File
	if cfg.gapsFile != "" && len(problems) == 0 {
		gapsFile, err = os.OpenFile(cfg.gapsFile, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			problems = append(problems, fmt.Sprintf("--gaps %s: %v", cfg.gapsFile, errors.Unwrap(err)))
		} else {
			defer gapsFile.Close()
			var once sync.Once
			core = &bot.Gaps{Next: core, W: gapsFile, Below: cfg.gapsBelow, Users: cfg.gapsUsers,
				OnError: func(err error) {
					once.Do(func() {
						log.Error("writing the gaps file; later errors are not logged", "file", cfg.gapsFile, "err", err)
					})
				}}
		}
	}
	if hooks.wrap != nil {
		core = hooks.wrap(core)
	}
	drain := bot.NewDrain(metrics.Wrap(bot.NewLimiter(core, cfg.rateEvery, cfg.rateBurst)))

	mux := http.NewServeMux()
	env := adapterEnv{Getenv: m.Getenv, Bot: drain, Log: log, Mux: mux}
	var adapters []bot.Adapter
	factories := m.factories
	if factories == nil {
		factories = frontEnds()
	}
	for _, newAdapter := range factories {
		a, err := newAdapter(env)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if a != nil {
			adapters = append(adapters, a)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("serve: configuration problems:\n  %s", strings.Join(problems, "\n  "))
	}
	if len(adapters) == 0 {
		return errors.New("serve: no front end is configured. Set SLACK_BOT_TOKEN with SLACK_APP_TOKEN (Slack Socket Mode) " +
			"or with SLACK_SIGNING_SECRET (Slack Events API), and/or DISCORD_BOT_TOKEN; see docs/operations.md")
	}
	names := make([]string, len(adapters))
	for i, a := range adapters {
		names[i] = a.Name()
		if err := metrics.WatchAdapter(a.Name(), a.Connected); err != nil {
			return fmt.Errorf("serve: two front ends named %q", a.Name())
		}
	}
	health := &ops.Health{Holder: holder, Adapters: adapters, Drain: drain}
	health.Register(mux)
	mux.Handle("GET /metrics", metrics.Handler())

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve: LIBERTERRA_ADDR %q: %w", addr, errors.Unwrap(err))
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(handler, slog.LevelWarn)}
	log.Info("serving", "adapters", strings.Join(names, ","), "addr", ln.Addr().String(),
		"facts", len(b.Base().Facts), "rate_burst", cfg.rateBurst, "rate_every", cfg.rateEvery.String(),
		"gaps", cfg.gapsFile != "")

	// Adapters run on their own context, cancelled only after the answers
	// in flight are done, so those answers can still be posted.
	runCtx, stopAdapters := context.WithCancel(context.Background())
	defer stopAdapters()
	errs := make(chan error, len(adapters)+1)
	var wg sync.WaitGroup
	for _, a := range adapters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := a.Run(runCtx); err != nil && runCtx.Err() == nil {
				errs <- fmt.Errorf("%s: %w", a.Name(), err)
			}
		}()
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs <- fmt.Errorf("http: %w", err)
		}
	}()
	if hooks.listening != nil {
		hooks.listening(ln.Addr().String())
	}

	var failed error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case failed = <-errs:
			log.Error("front end failed; shutting down", "err", failed)
			break loop
		case <-hup:
			m.reloadFacts(log, holder, metrics, hooks)
		case <-hooks.reload:
			m.reloadFacts(log, holder, metrics, hooks)
		}
	}

	// Graceful shutdown: take no new questions or webhooks, finish the
	// answers in flight, then close the front ends' connections.
	log.Info("shutting down", "in_flight", drain.InFlight(), "timeout", cfg.shutdownTimeout.String())
	sctx, scancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer scancel()
	drain.Close()
	if err := srv.Shutdown(sctx); err != nil {
		log.Warn("http server did not stop in time", "err", err)
	}
	if err := drain.Wait(sctx); err != nil {
		log.Warn("answers still in flight at the shutdown timeout", "in_flight", drain.InFlight())
	}
	stopAdapters()
	stopped := make(chan struct{})
	go func() { wg.Wait(); close(stopped) }()
	select {
	case <-stopped:
	case <-sctx.Done():
		log.Warn("front ends did not stop in time")
	}
	log.Info("stopped")
	return failed
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
