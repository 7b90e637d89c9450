// Command synth writes a synthetic fact base for load and speed tests (see
// package facts/synth):
//
//	go run ./facts/synth/cmd/synth -n 100000 -out /tmp/base100k -questions 1000
//	go run ./cmd/liberterra --facts /tmp/base100k facts check
//	go run ./cmd/liberterra --facts /tmp/base100k ask --json < /tmp/base100k.questions.txt
//
// With -questions N it also writes N questions with the ids of the facts
// that answer them to OUT.questions.jsonl, and the questions alone, one a
// line, to OUT.questions.txt.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/liberterra/liberterra/facts/synth"
)

func main() {
	n := flag.Int("n", 10000, "number of facts")
	seed := flag.Int64("seed", 1, "random seed (the same n and seed give the same files)")
	out := flag.String("out", "", "directory to write the base into (required)")
	questions := flag.Int("questions", 0, "also write this many questions with their expected fact ids")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: synth -n FACTS -out DIR [-seed N] [-questions N]")
		os.Exit(2)
	}
	start := time.Now()
	b, err := synth.Build(*n, *seed)
	if err == nil {
		err = b.Write(*out)
	}
	if err == nil && *questions > 0 {
		err = writeQuestions(strings.TrimRight(*out, "/"), b.Questions(*questions, *seed))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "synth:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "synth: %d facts in %s (%v)\n", b.Facts(), *out, time.Since(start).Round(time.Millisecond))
}

func writeQuestions(prefix string, qs []synth.Question) error {
	jf, err := os.Create(prefix + ".questions.jsonl")
	if err != nil {
		return err
	}
	defer jf.Close()
	tf, err := os.Create(prefix + ".questions.txt")
	if err != nil {
		return err
	}
	defer tf.Close()
	jw, tw := bufio.NewWriter(jf), bufio.NewWriter(tf)
	enc := json.NewEncoder(jw)
	for _, q := range qs {
		if err := enc.Encode(q); err != nil {
			return err
		}
		fmt.Fprintln(tw, q.Text)
	}
	if err := jw.Flush(); err != nil {
		return err
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := jf.Close(); err != nil {
		return err
	}
	return tf.Close()
}
