package redisstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/bot/redisstore"
	"github.com/liberterra/liberterra/bot/redisstore/redistest"
	"github.com/liberterra/liberterra/facts"
)

// stores are the four kinds of state an answer touches.
type stores struct {
	dedupe bot.DedupeStore
	rates  bot.RateStore
	convs  bot.ConversationStore
	gaps   bot.Journal
}

func memoryStores() stores {
	return stores{&bot.MemoryDedupe{}, &bot.MemoryRates{}, bot.NewMemoryConversations(0, 0), &bot.FileJournal{W: discard{}}}
}

func redisStores(b *testing.B) stores {
	// Redis's default persistence (no append-only file) rather than the
	// tests' fsync at every write, which would measure the disk.
	srv := redistest.Start(b, "--appendonly", "no")
	c, err := redisstore.Open(context.Background(), srv.URL(), redisstore.Options{})
	if err != nil || !c.Up() {
		b.Fatalf("redis: %v", err)
	}
	b.Cleanup(func() { c.Close() })
	return stores{c.Dedupe(), c.Rates(), c.Conversations(), c.Journal("gaps")}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// BenchmarkAnswerState measures the state one answered Slack event costs,
// in memory and in Redis on loopback: recognising the event (dedupe), the
// user's rate limit, and loading and saving the conversation (four round
// trips); "+gap" adds a gaps-log entry, as a declined question does.
func BenchmarkAnswerState(b *testing.B) {
	conv := bot.Conversation{Turns: []bot.Turn{{Question: "how many arrests in turkey?", Fact: "turkey-94-smugglers-arrested",
		Entities: []string{"turkey"}, Terms: []string{"arrest"}, Covers: []float32{0.5}, Want: 2, Place: "turkey"}},
		Shown: []string{"turkey-94-smugglers-arrested"}}
	gap := bot.Gap{Time: time.Now(), Frontend: "slack", Question: "What is the capital of Senegal?", Kind: "declined",
		Confidence: 0.3, Suggestions: []string{"Senegal's role as a coordination centre"}}
	for _, kind := range []string{"memory", "redis"} {
		for _, withGap := range []bool{false, true} {
			name := kind
			if withGap {
				name += "+gap"
			}
			b.Run(name, func(b *testing.B) {
				s := memoryStores()
				if kind == "redis" {
					s = redisStores(b)
				}
				ctx := context.Background()
				b.ReportAllocs()
				b.ResetTimer()
				for i := range b.N {
					key := fmt.Sprintf("slack:T1:C1:%d", i%1000)
					s.dedupe.FirstSeen(ctx, fmt.Sprintf("slack:event:Ev%d", i), time.Hour)
					s.rates.Take(ctx, fmt.Sprintf("slack\x00U%d", i%1000), time.Millisecond, 5)
					s.convs.Load(ctx, key)
					s.convs.Save(ctx, key, conv)
					if withGap {
						s.gaps.Append(ctx, gap)
					}
				}
			})
		}
	}
}

// BenchmarkAnswer measures a whole answer with its state: the Limiter, the
// bot in its conversation, and the event's dedupe, in memory and in Redis.
func BenchmarkAnswer(b *testing.B) {
	base, err := facts.Embedded()
	if err != nil {
		b.Fatal(err)
	}
	qs := []string{"How many victims were rescued?", "and in Algeria?", "Who is Stephen Kavanagh?", "What is the capital of Senegal?"}
	for _, kind := range []string{"memory", "redis"} {
		b.Run(kind, func(b *testing.B) {
			s := memoryStores()
			if kind == "redis" {
				s = redisStores(b)
			}
			ans := bot.NewLimiter(bot.New(base, bot.WithConversations(s.convs)), time.Millisecond, 5, bot.WithRateStore(s.rates))
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				s.dedupe.FirstSeen(ctx, fmt.Sprintf("slack:event:Ev%d", i), time.Hour)
				ans.Answer(ctx, bot.Question{Text: qs[i%len(qs)], User: fmt.Sprintf("U%d", i%1000), Frontend: "slack",
					Conversation: fmt.Sprintf("slack:T1:C1:%d", i/len(qs))})
			}
		})
	}
}
