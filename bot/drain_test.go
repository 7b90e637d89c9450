package bot_test

import (
	"context"
	"testing"
	"time"

	"github.com/liberterra/liberterra/bot"
)

func TestDrainWaitsForAnswersInFlight(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	d := bot.NewDrain(bot.AnswererFunc(func(ctx context.Context, q bot.Question) (bot.Reply, error) {
		close(entered)
		<-release
		return bot.Reply{Kind: bot.KindAnswer}, nil
	}))
	got := make(chan bot.Reply, 1)
	go func() { r, _ := d.Answer(context.Background(), bot.Question{Text: "q"}); got <- r }()
	<-entered
	waited := make(chan error, 1)
	go func() { waited <- d.Wait(context.Background()) }()
	// Once closed, new questions are refused silently.
	for !d.Closed() {
		time.Sleep(time.Millisecond)
	}
	if r, err := d.Answer(context.Background(), bot.Question{Text: "late"}); err != nil || !r.Silent() {
		t.Errorf("question after Close: %q %v, want a silent reply", r.Kind, err)
	}
	select {
	case <-waited:
		t.Fatal("Wait returned with an answer in flight")
	default:
	}
	close(release)
	if err := <-waited; err != nil {
		t.Fatal(err)
	}
	if r := <-got; r.Kind != bot.KindAnswer {
		t.Errorf("answer in flight: %q", r.Kind)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	stuck := bot.NewDrain(bot.AnswererFunc(func(ctx context.Context, q bot.Question) (bot.Reply, error) {
		select {}
	}))
	go stuck.Answer(context.Background(), bot.Question{})
	for stuck.InFlight() == 0 {
		time.Sleep(time.Millisecond)
	}
	if err := stuck.Wait(ctx); err == nil {
		t.Error("Wait past its deadline returned nil")
	}
}
