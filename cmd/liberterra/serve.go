package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/liberterra/liberterra/bot"
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

// adapterFactories lists every front end serve can start.
var adapterFactories []adapterFactory

// defaultAddr is where serve listens for webhooks when LIBERTERRA_ADDR is unset.
const defaultAddr = ":8080"

// shutdownTimeout bounds how long serve waits for answers in flight.
const shutdownTimeout = 10 * time.Second

func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := m.flagSet("serve")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("serve takes no arguments; it is configured by environment variables")
	}
	log := slog.New(slog.NewTextHandler(m.Stderr, nil))
	b, err := m.newBot()
	if err != nil {
		return err
	}
	answerer := bot.NewLimiter(b, bot.DefaultEvery, bot.DefaultBurst)
	mux := http.NewServeMux()
	env := adapterEnv{Getenv: m.Getenv, Bot: answerer, Log: log, Mux: mux}
	var adapters []bot.Adapter
	var problems []string
	for _, make := range adapterFactories {
		a, err := make(env)
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
			"or with SLACK_SIGNING_SECRET (Slack Events API), and/or DISCORD_BOT_TOKEN; see README.md")
	}
	names := make([]string, len(adapters))
	for i, a := range adapters {
		names[i] = a.Name()
	}
	log.Info("serving", "adapters", strings.Join(names, ","), "facts", len(b.Base().Facts))

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, len(adapters)+1)
	var wg sync.WaitGroup
	for _, a := range adapters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := a.Run(ctx); err != nil {
				errs <- fmt.Errorf("%s: %w", a.Name(), err)
				cancel()
			}
		}()
	}
	addr := m.Getenv("LIBERTERRA_ADDR")
	if addr == "" {
		addr = defaultAddr
	}
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		cancel()
		wg.Wait()
		return fmt.Errorf("serve: LIBERTERRA_ADDR %q: %w", addr, err)
	}
	log.Info("listening", "addr", ln.Addr().String())
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs <- fmt.Errorf("http: %w", err)
			cancel()
		}
	}()
	<-ctx.Done()
	log.Info("shutting down")
	sctx, scancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer scancel()
	srv.Shutdown(sctx)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}
