package bot_test

import (
	"bytes"
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/bot/conversationtest"
	"github.com/liberterra/liberterra/bot/journaltest"
	"github.com/liberterra/liberterra/bot/ratetest"
)

// The in-memory stores pass the conformance suites that the Redis stores
// (bot/redisstore) pass too.

func TestMemoryRatesSuite(t *testing.T) {
	ratetest.Run(t, func(t *testing.T) ratetest.Store {
		clock := newFakeClock()
		return ratetest.Store{RateStore: &bot.MemoryRates{Now: clock.Now}, Advance: clock.Advance}
	})
}

func TestMemoryConversationsIdle(t *testing.T) {
	conversationtest.RunIdle(t, func(t *testing.T) conversationtest.Expiring {
		clock := newFakeClock()
		s := bot.NewMemoryConversations(time.Minute, 100)
		bot.SetClock(s, clock.Now)
		return conversationtest.Expiring{ConversationStore: s, Idle: time.Minute, Advance: clock.Advance}
	})
}

// lockedBuffer is a file stand-in that many goroutines may write.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func TestFileJournalSuite(t *testing.T) {
	journaltest.Run(t, func(t *testing.T) journaltest.Journal {
		var buf lockedBuffer
		return journaltest.Journal{Journal: &bot.FileJournal{W: &buf}, Read: func() ([][]byte, error) {
			buf.mu.Lock()
			defer buf.mu.Unlock()
			var out [][]byte
			for _, line := range bytes.Split(buf.b.Bytes(), []byte("\n")) {
				if len(line) > 0 {
					out = append(out, append([]byte(nil), line...))
				}
			}
			return out, nil
		}}
	})
}

// A Limiter whose store fails answers anyway and says why.
func TestLimiterStoreFails(t *testing.T) {
	var errs []error
	lim := bot.NewLimiter(bot.AnswererFunc(func(ctx context.Context, q bot.Question) (bot.Reply, error) {
		return bot.Reply{Kind: bot.KindAnswer, Text: "yes"}, nil
	}), time.Hour, 1, bot.WithRateStore(failingRates{}), bot.WithRateErrors(func(err error) { errs = append(errs, err) }))
	for range 3 {
		r, err := lim.Answer(context.Background(), bot.Question{Text: "q", User: "U1", Frontend: "test"})
		if err != nil || r.Kind != bot.KindAnswer {
			t.Fatalf("with a failing store: %q, %v; want an answer", r.Kind, err)
		}
	}
	if len(errs) != 3 {
		t.Errorf("%d store errors reported, want 3", len(errs))
	}
}

type failingRates struct{}

func (failingRates) Take(context.Context, string, time.Duration, int) (bot.RateVerdict, error) {
	return 0, context.DeadlineExceeded
}

// MemoryRates stays bounded under a flood of distinct users.
func TestMemoryRatesBounded(t *testing.T) {
	clock := newFakeClock()
	m := &bot.MemoryRates{Now: clock.Now}
	ctx := context.Background()
	for i := range 25_000 {
		m.Take(ctx, strconv.Itoa(i), time.Hour, 5)
	}
	if n := m.Len(); n > 10_000 {
		t.Errorf("%d users tracked, want at most 10,000", n)
	}
}
