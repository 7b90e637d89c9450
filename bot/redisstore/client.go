// Package redisstore keeps the state liberterra's replicas share in Redis
// (or Valkey): the dedupe keys of retried events (bot.DedupeStore), the
// users' rate allowances (bot.RateStore), conversations (bot.ConversationStore)
// and the curators' logs as capped streams (bot.Journal). Each implements
// the same interface as its in-memory counterpart in package bot and passes
// the same conformance suite.
//
// Redis being unreachable never fails a question. A Client notices it on
// the first failed command (a refused or dropped connection, a timeout, a
// server that cannot serve: loading, read-only, out of memory, refusing
// our credentials), says so once (Options.OnStateChange), and from then on
// does not wait for Redis: every store serves from a store of its own in
// the process (Options.OnFallback counts each such operation) while the
// Client tries Redis once a second. When a write gets through again, what
// the process kept meanwhile is written back (dedupe keys, conversations
// saved or ended, journal entries) and the stores use Redis again.
//
// Keys, under Options.Prefix ("liberterra:" unless set):
//
//	dedupe:<128-bit hash of the key, base64>   string, expires after the window
//	rate:<front end>%00<user>                  hash {tat, warned}, expires when the allowance is full again
//	conv:<conversation key>                    string (JSON), expires after the idle time
//	gaps, feedback, …                          streams, trimmed to about Options.JournalMax entries
//	probe                                      the health check's write
package redisstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// Defaults of Options.
const (
	DefaultPrefix     = "liberterra:"
	DefaultTimeout    = 500 * time.Millisecond
	DefaultProbeEvery = time.Second
	DefaultJournalMax = 100_000
)

// Store names, for Options.OnFallback.
const (
	StoreDedupe        = "dedupe"
	StoreRate          = "rate"
	StoreConversations = "conversations"
	StoreJournal       = "journal"
)

// ErrUnavailable is the error of an operation not sent because Redis is
// known to be unreachable.
var ErrUnavailable = errors.New("redis unreachable")

// Options tune a Client. The zero value is ready to use.
type Options struct {
	// Prefix starts every key; DefaultPrefix when empty.
	Prefix string
	// Timeout bounds connecting, each read and write, and waiting for a
	// pooled connection, unless the URL sets them (dial_timeout,
	// read_timeout, write_timeout, pool_timeout); DefaultTimeout when 0.
	Timeout time.Duration
	// ProbeEvery is how often Redis is tried while unreachable;
	// DefaultProbeEvery when 0.
	ProbeEvery time.Duration
	// ConversationIdle is how long a conversation is kept after it was
	// last saved; bot.DefaultConversationIdle when 0.
	ConversationIdle time.Duration
	// JournalMax is about how many entries a journal stream keeps (the
	// oldest are trimmed); DefaultJournalMax when 0.
	JournalMax int64
	// OnStateChange is called once each time Redis becomes unreachable
	// (up false, with the error that showed it) and reachable again (up
	// true, nil), from the goroutine that noticed. May be nil.
	OnStateChange func(up bool, err error)
	// OnFallback is called for each operation a store served in the
	// process because Redis was unreachable, with the store's name
	// (StoreDedupe, …). May be nil.
	OnFallback func(store string)
	// Now is the clock of the rate limits; nil means Redis's own (TIME),
	// the same for every replica. Tests set it.
	Now func() time.Time
}

// Client is a connection pool to one Redis database and the health of it,
// shared by the stores made from it. It is safe for concurrent use.
type Client struct {
	rdb  *redis.Client
	o    Options
	addr string

	up         atomic.Bool
	mu         sync.Mutex
	probing    bool
	recoverers []func(ctx context.Context) error
	stop       chan struct{}
	wg         sync.WaitGroup
	closeOnce  sync.Once
}

// ParseURL reads a redis:// or rediss:// (TLS) URL, with a user name and
// password and a database number as usual
// (redis://:password@host:6379/2). Its errors never repeat the URL, which
// may hold a password.
func ParseURL(raw string) (*redis.Options, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("not a URL; want redis://[user:password@]host:port[/db] or rediss://… for TLS")
	}
	if u.Scheme != "redis" && u.Scheme != "rediss" {
		return nil, fmt.Errorf("scheme %q: want redis:// or rediss:// (TLS)", u.Scheme)
	}
	if u.Host == "" {
		return nil, errors.New("no host; want redis://[user:password@]host:port[/db]")
	}
	opt, err := redis.ParseURL(raw)
	if err != nil {
		return nil, fmt.Errorf("want redis://[user:password@]host:port[/db]: %s", redactURLError(err, u))
	}
	return opt, nil
}

// redactURLError takes the password out of a parse error.
func redactURLError(err error, u *url.URL) string {
	msg := err.Error()
	if u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			msg = strings.ReplaceAll(msg, p, "[redacted]")
		}
	}
	return msg
}

// Open connects to the Redis at rawURL (see ParseURL) and checks it with a
// write. Redis being unreachable is no error: the Client starts in the
// unreachable state (calling OnStateChange) and keeps trying. Errors are a
// malformed URL, and Redis refusing the credentials, which retrying cannot
// mend.
func Open(ctx context.Context, rawURL string, o Options) (*Client, error) {
	opt, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	c := newClient(opt, o)
	err = c.probe(ctx)
	switch {
	case err == nil:
		c.up.Store(true)
	case redis.IsAuthError(err) || redis.IsPermissionError(err):
		c.rdb.Close()
		return nil, fmt.Errorf("redis at %s refused the credentials: %w", c.addr, err)
	default:
		c.down(err)
	}
	return c, nil
}

func newClient(opt *redis.Options, o Options) *Client {
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.ProbeEvery <= 0 {
		o.ProbeEvery = DefaultProbeEvery
	}
	if o.JournalMax <= 0 {
		o.JournalMax = DefaultJournalMax
	}
	for _, d := range []*time.Duration{&opt.DialTimeout, &opt.ReadTimeout, &opt.WriteTimeout, &opt.PoolTimeout} {
		if *d == 0 {
			*d = o.Timeout
		}
	}
	// Fail fast: one retry (a pooled connection Redis closed), one dial.
	opt.MaxRetries = 1
	opt.DialerRetries = 1
	opt.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	if opt.ClientName == "" {
		opt.ClientName = "liberterra"
	}
	return &Client{rdb: redis.NewClient(opt), o: o, addr: opt.Addr, stop: make(chan struct{})}
}

// Addr is the host:port of the Redis server, for logs (never the password).
func (c *Client) Addr() string { return c.addr }

// Prefix starts every key the client's stores use.
func (c *Client) Prefix() string { return c.o.Prefix }

// Up reports whether Redis is reachable, as far as the Client knows.
func (c *Client) Up() bool { return c.up.Load() }

// Redis is the underlying go-redis client.
func (c *Client) Redis() *redis.Client { return c.rdb }

// Close stops the health checks and closes the connections. The stores
// made from c must not be used afterwards.
func (c *Client) Close() error {
	var err error
	c.closeOnce.Do(func() {
		close(c.stop)
		c.wg.Wait()
		err = c.rdb.Close()
	})
	return err
}

// key is the Redis key of name.
func (c *Client) key(name string) string { return c.o.Prefix + name }

// call runs f against Redis, unless Redis is known to be unreachable
// (ErrUnavailable). An error that shows Redis can't serve marks it
// unreachable; redis.Nil, errors of the caller's context and the server's
// other error replies don't.
func (c *Client) call(ctx context.Context, f func(ctx context.Context) error) error {
	if !c.up.Load() {
		return ErrUnavailable
	}
	err := f(ctx)
	if err != nil && ctx.Err() == nil && outage(err) {
		c.down(err)
	}
	return err
}

// fellBack counts an operation served in the process.
func (c *Client) fellBack(store string) {
	if c.o.OnFallback != nil {
		c.o.OnFallback(store)
	}
}

// outage reports whether err means Redis cannot serve us now.
func outage(err error) bool {
	if errors.Is(err, redis.Nil) {
		return false
	}
	var reply redis.Error
	if !errors.As(err, &reply) {
		return true // no reply: refused, dropped, timed out, closed
	}
	return redis.IsLoadingError(err) || redis.IsReadOnlyError(err) || redis.IsOOMError(err) ||
		redis.IsAuthError(err) || redis.IsPermissionError(err) || redis.IsMaxClientsError(err) ||
		redis.IsMasterDownError(err) || redis.IsClusterDownError(err) || redis.IsTryAgainError(err) ||
		redis.HasErrorPrefix(err, "BUSY") || redis.HasErrorPrefix(err, "MISCONF")
}

// onRecover registers f to run when Redis is reachable again, before the
// stores use it: it writes back what the process kept meanwhile. An error
// leaves Redis marked unreachable, and f runs again at the next try.
func (c *Client) onRecover(f func(ctx context.Context) error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.recoverers = append(c.recoverers, f)
}

// down marks Redis unreachable (once per outage) and starts trying it.
func (c *Client) down(err error) {
	c.mu.Lock()
	if c.probing {
		c.mu.Unlock()
		return
	}
	c.probing = true
	c.up.Store(false)
	c.mu.Unlock()
	if c.o.OnStateChange != nil {
		c.o.OnStateChange(false, err)
	}
	c.wg.Add(1)
	go c.probeLoop()
}

// probeLoop tries Redis every ProbeEvery until a write gets through and
// the write-backs succeed, then marks it reachable.
func (c *Client) probeLoop() {
	defer c.wg.Done()
	t := time.NewTicker(c.o.ProbeEvery)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
		}
		if c.recover() {
			return
		}
	}
}

// recover makes one attempt: a probe, then the write-backs.
func (c *Client) recover() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 10*c.o.Timeout)
	defer cancel()
	if c.probe(ctx) != nil {
		return false
	}
	c.mu.Lock()
	fs := append([]func(context.Context) error(nil), c.recoverers...)
	c.mu.Unlock()
	for _, f := range fs {
		if f(ctx) != nil {
			return false
		}
	}
	c.mu.Lock()
	c.probing = false
	c.up.Store(true)
	c.mu.Unlock()
	if c.o.OnStateChange != nil {
		c.o.OnStateChange(true, nil)
	}
	return true
}

// probe checks that Redis takes a write (a replica, a full memory or a
// read-only file system would not).
func (c *Client) probe(ctx context.Context) error {
	return c.rdb.Set(ctx, c.key("probe"), "1", 10*time.Second).Err()
}
