package bot_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
	"github.com/liberterra/liberterra/internal/synth"
)

func TestZZScratch(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SYN_N"))
	if n == 0 {
		t.Skip()
	}
	dir := t.TempDir()
	t0 := time.Now()
	sb, _ := synth.Build(n, 1)
	sb.Write(dir)
	t1 := time.Now()
	base, err := facts.Open(os.DirFS(dir), dir)
	if err != nil {
		t.Fatal(err)
	}
	t2 := time.Now()
	bt := bot.New(base)
	t3 := time.Now()
	fmt.Println("gen", t1.Sub(t0), "open", t2.Sub(t1), "new", t3.Sub(t2))
	qs := sb.Questions(500, 3)
	right := map[string][2]int{}
	for _, q := range qs {
		r, _ := bt.Answer(context.Background(), bot.Question{Text: q.Text})
		k := q.How
		if q.FactID != "" { k = q.FactID[:0] + q.How }
		c := right[k]
		c[1]++
		if answeredRight(q, r) {
			c[0]++
		} else if os.Getenv("SYN_V") != "" {
			fmt.Printf("WRONG %q (%s) want %s -> %s %s %.2f\n   want: %s\n   got: %s\n", q.Text, q.How, q.FactID, r.Kind, r.FactID, r.Confidence, sb.Fact(q.FactID), r.Text)
		}
		right[k] = c
	}
	tot := [2]int{}
	for k, c := range right {
		fmt.Printf("%-30s %d/%d\n", k, c[0], c[1])
		tot[0] += c[0]; tot[1] += c[1]
	}
	fmt.Println("total", tot)
}
