package bot_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/liberterra/liberterra/bot"
)

func TestZZRotate(t *testing.T) {
	bt := newBot(t)
	var qs []string
	for _, c := range readCases(t, "testdata/test.jsonl") {
		if c.Conversation == "" {
			qs = append(qs, c.Q)
		}
	}
	ctx := context.Background()
	for k := 0; k < 5; k++ {
		st := time.Now()
		for j := 0; j < 50; j++ {
			for _, q := range qs {
				bt.Answer(ctx, bot.Question{Text: q})
			}
		}
		fmt.Println("rotate", time.Since(st)/time.Duration(50*len(qs)))
		st = time.Now()
		for _, q := range qs {
			for j := 0; j < 50; j++ {
				bt.Answer(ctx, bot.Question{Text: q})
			}
		}
		fmt.Println("same", time.Since(st)/time.Duration(50*len(qs)))
	}
}
