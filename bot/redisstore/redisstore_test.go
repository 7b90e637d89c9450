package redisstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/bot/conversationtest"
	"github.com/liberterra/liberterra/bot/dedupetest"
	"github.com/liberterra/liberterra/bot/journaltest"
	"github.com/liberterra/liberterra/bot/ratetest"
	"github.com/liberterra/liberterra/bot/redisstore"
	"github.com/liberterra/liberterra/bot/redisstore/redistest"
)

// wait bounds every wait in these tests; it is a deadline against hangs,
// never a timing assertion.
const wait = 20 * time.Second

var prefixes atomic.Int64

// open opens a client on srv with a prefix of its own, so that subtests
// sharing a server start empty; it is closed when t ends.
func open(t *testing.T, srv *redistest.Server, o redisstore.Options) *redisstore.Client {
	t.Helper()
	if o.Prefix == "" {
		o.Prefix = fmt.Sprintf("test%d:", prefixes.Add(1))
	}
	c, err := redisstore.Open(context.Background(), srv.URL(), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if !c.Up() {
		t.Fatalf("redis at %s not reachable", srv.Addr())
	}
	return c
}

// fastForward moves the expiry of every key under prefix d closer, as if
// d had passed: the way the suites advance a real server's clock.
func fastForward(t *testing.T, c *redisstore.Client, prefix string, d time.Duration) {
	t.Helper()
	ctx := context.Background()
	rdb := c.Redis()
	iter := rdb.Scan(ctx, 0, prefix+"*", 100).Iterator()
	for iter.Next(ctx) {
		k := iter.Val()
		ttl, err := rdb.PTTL(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		if ttl < 0 { // no expiry, or gone
			continue
		}
		if left := ttl - d; left <= 0 {
			rdb.Del(ctx, k)
		} else {
			rdb.PExpire(ctx, k, left)
		}
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
}

// clock is a fake clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestDedupeSuite(t *testing.T) {
	srv := redistest.Start(t)
	dedupetest.Run(t, func(t *testing.T) dedupetest.Store {
		c := open(t, srv, redisstore.Options{})
		return dedupetest.Store{DedupeStore: c.Dedupe(), Advance: func(dt time.Duration) { fastForward(t, c, c.Prefix(), dt) }}
	})
}

func TestRatesSuite(t *testing.T) {
	srv := redistest.Start(t)
	ratetest.Run(t, func(t *testing.T) ratetest.Store {
		clk := &clock{t: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
		c := open(t, srv, redisstore.Options{Now: clk.Now})
		return ratetest.Store{RateStore: c.Rates(), Advance: func(d time.Duration) {
			clk.Advance(d)
			fastForward(t, c, c.Prefix(), d)
		}}
	})
}

// On Redis's own clock, as in production: the burst, the slow-down, and
// the allowance coming back as time passes.
func TestRatesServerClock(t *testing.T) {
	srv := redistest.Start(t)
	r := open(t, srv, redisstore.Options{}).Rates()
	ctx := context.Background()
	var got []bot.RateVerdict
	for range 4 {
		v, err := r.Take(ctx, "slack\x00U1", time.Hour, 2)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	if fmt.Sprint(got) != fmt.Sprint([]bot.RateVerdict{bot.RateAllowed, bot.RateAllowed, bot.RateSlowDown, bot.RateThrottled}) {
		t.Errorf("verdicts %v, want allowed, allowed, slow-down, throttled", got)
	}
	if v, _ := r.Take(ctx, "fast", 20*time.Millisecond, 1); v != bot.RateAllowed {
		t.Fatalf("first question: %v", v)
	}
	deadline := time.Now().Add(wait)
	for {
		v, err := r.Take(ctx, "fast", 20*time.Millisecond, 1)
		if err != nil {
			t.Fatal(err)
		}
		if v == bot.RateAllowed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the allowance never came back")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestConversationsSuite(t *testing.T) {
	srv := redistest.Start(t)
	conversationtest.Run(t, func(t *testing.T) bot.ConversationStore {
		return open(t, srv, redisstore.Options{}).Conversations()
	})
	conversationtest.RunIdle(t, func(t *testing.T) conversationtest.Expiring {
		c := open(t, srv, redisstore.Options{ConversationIdle: time.Minute})
		return conversationtest.Expiring{ConversationStore: c.Conversations(), Idle: time.Minute,
			Advance: func(d time.Duration) { fastForward(t, c, c.Prefix(), d) }}
	})
}

func TestJournalSuite(t *testing.T) {
	srv := redistest.Start(t)
	journaltest.Run(t, func(t *testing.T) journaltest.Journal {
		j := open(t, srv, redisstore.Options{}).Journal("gaps")
		return journaltest.Journal{Journal: j, Read: func() ([][]byte, error) {
			var out [][]byte
			err := j.Read(context.Background(), func(_ string, e []byte) error {
				out = append(out, e)
				return nil
			})
			return out, err
		}}
	})
}

// The stream keeps about JournalMax entries, the newest.
func TestJournalCapped(t *testing.T) {
	srv := redistest.Start(t)
	const max = 200
	j := open(t, srv, redisstore.Options{JournalMax: max}).Journal("gaps")
	ctx := context.Background()
	for i := range 2000 {
		if err := j.Append(ctx, map[string]int{"i": i}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := j.Len(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// MAXLEN ~ trims whole stream nodes (100 entries each by default).
	if n < max || n > max+100 {
		t.Errorf("stream holds %d entries, want about %d", n, max)
	}
	var last int
	j.Read(ctx, func(_ string, e []byte) error {
		var v struct{ I int }
		json.Unmarshal(e, &v)
		last = v.I
		return nil
	})
	if last != 1999 {
		t.Errorf("newest entry %d, want 1999", last)
	}
}

// Two clients, as two replicas: what one records, the other sees.
func TestSharedBetweenClients(t *testing.T) {
	srv := redistest.Start(t)
	a := open(t, srv, redisstore.Options{Prefix: "shared:"})
	b := open(t, srv, redisstore.Options{Prefix: "shared:"})
	ctx := context.Background()

	if first, _ := a.Dedupe().FirstSeen(ctx, "slack:event:Ev1", time.Hour); !first {
		t.Error("replica A: first sighting not first")
	}
	if first, _ := b.Dedupe().FirstSeen(ctx, "slack:event:Ev1", time.Hour); first {
		t.Error("replica B: a retry of what A saw counted as first")
	}

	ra, rb := a.Rates(), b.Rates()
	var allowed int
	for i := range 10 {
		r := ra
		if i%2 == 1 {
			r = rb
		}
		if v, _ := r.Take(ctx, "slack\x00U1", time.Hour, 5); v == bot.RateAllowed {
			allowed++
		}
	}
	if allowed != 5 {
		t.Errorf("%d of 10 questions over two replicas allowed, want the burst of 5", allowed)
	}

	conv := bot.Conversation{Turns: []bot.Turn{{Question: "what happened in algeria", Fact: "algeria-money-laundering", Place: "algeria"}}}
	if err := a.Conversations().Save(ctx, "slack:T1:C1:1.1", conv); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.Conversations().Load(ctx, "slack:T1:C1:1.1"); len(got.Turns) != 1 || got.Turns[0].Place != "algeria" {
		t.Errorf("replica B loads %+v", got)
	}
	// Process-own keys stay in the process.
	a.Conversations().Save(ctx, "\x00message-1", conv)
	if got, _ := b.Conversations().Load(ctx, "\x00message-1"); len(got.Turns) != 0 {
		t.Errorf("a process-own conversation reached another replica: %+v", got)
	}

	a.Journal("gaps").Append(ctx, map[string]string{"from": "a"})
	b.Journal("gaps").Append(ctx, map[string]string{"from": "b"})
	if n, _ := a.Journal("gaps").Len(ctx); n != 2 {
		t.Errorf("shared stream holds %d entries, want 2", n)
	}
}

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		url  string
		addr string
		db   int
		user string
		pass string
		tls  bool
	}{
		{"redis://localhost", "localhost:6379", 0, "", "", false},
		{"redis://:s3cret@redis.example:6380/2", "redis.example:6380", 2, "", "s3cret", false},
		{"rediss://bot:s3cret@cache.example:6379/0", "cache.example:6379", 0, "bot", "s3cret", true},
	} {
		o, err := redisstore.ParseURL(tc.url)
		if err != nil {
			t.Errorf("%s: %v", tc.url, err)
			continue
		}
		if o.Addr != tc.addr || o.DB != tc.db || o.Username != tc.user || o.Password != tc.pass || (o.TLSConfig != nil) != tc.tls {
			t.Errorf("%s: addr %s db %d user %q password %q tls %v", tc.url, o.Addr, o.DB, o.Username, o.Password, o.TLSConfig != nil)
		}
	}
	for _, bad := range []string{"localhost:6379", "http://:s3cret@host", "redis://:s3cret@host/two", "redis://:s3cret@host:port/0", "redis://", "redis://:s3cret@host/1/2"} {
		_, err := redisstore.ParseURL(bad)
		if err == nil {
			t.Errorf("%s: no error", bad)
			continue
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%s: the error shows the password: %v", bad, err)
		}
	}
}

// A password and a database number, as a managed Redis has them; wrong
// credentials are an error at once.
func TestPasswordAndDatabase(t *testing.T) {
	srv := redistest.Start(t, "--requirepass", "s3cret-pw")
	ctx := context.Background()
	if _, err := redisstore.Open(ctx, "redis://:wrong-pw@"+srv.Addr()+"/0", redisstore.Options{}); err == nil || !strings.Contains(err.Error(), "credentials") {
		t.Errorf("wrong password: %v, want an error about the credentials", err)
	} else if strings.Contains(err.Error(), "wrong-pw") {
		t.Errorf("the error shows the password: %v", err)
	}
	c, err := redisstore.Open(ctx, "redis://:s3cret-pw@"+srv.Addr()+"/3", redisstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if !c.Up() {
		t.Fatal("not up with the right password")
	}
	c.Dedupe().FirstSeen(ctx, "k", time.Hour)
	db3 := redis.NewClient(&redis.Options{Addr: srv.Addr(), Password: "s3cret-pw", DB: 3})
	defer db3.Close()
	if n, _ := db3.DBSize(ctx).Result(); n == 0 {
		t.Error("nothing written to database 3")
	}
}

// rediss://: TLS to the server.
func TestTLS(t *testing.T) {
	srv := redistest.StartTLS(t)
	c := open(t, srv, redisstore.Options{})
	ctx := context.Background()
	if first, _ := c.Dedupe().FirstSeen(ctx, "k", time.Hour); !first {
		t.Error("first sighting not first")
	}
	if first, _ := c.Dedupe().FirstSeen(ctx, "k", time.Hour); first {
		t.Error("repeat counted as first")
	}
	if c2, err := redisstore.Open(ctx, strings.TrimSuffix(srv.URL(), "?skip_verify=true"), redisstore.Options{}); err != nil {
		t.Errorf("unverified certificate: %v, want a client that is down", err)
	} else {
		if c2.Up() {
			t.Error("a certificate from an unknown authority was accepted")
		}
		c2.Close()
	}
}
