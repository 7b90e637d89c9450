package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/bot/redisstore"
	"github.com/liberterra/liberterra/cmd/liberterra/internal/ops"
)

// runGaps reads a gaps log written by serve --gaps and prints the questions
// grouped by nearest topic, most frequent first; then, from the feedback
// log beside it (or --feedback FILE), the answers people marked wrong. With
// --redis-url (or LIBERTERRA_REDIS_URL) and no FILE, it reads both logs
// from their streams in Redis (serve --gaps redis).
func (m *Main) runGaps(args []string) error {
	fset := m.flagSet("gaps")
	feedback := fset.String("feedback", "", "read the votes from `FILE` (default: "+defaultFeedbackName+" beside the gaps file, when it exists)")
	redisURL := fset.String("redis-url", "", "read the gaps and feedback streams of the Redis at `URL` (default $"+redisVar+") instead of files")
	if err := parse(fset, args); err != nil {
		return err
	}
	const want = "gaps takes one argument, the file written by serve --gaps FILE, or --redis-url (or " + redisVar + ") for the streams written by serve --gaps redis"
	if fset.NArg() > 1 || fset.NArg() == 1 && *redisURL != "" || fset.NArg() == 0 && *feedback != "" {
		return usagef(want)
	}
	if fset.NArg() == 0 {
		from := "--redis-url"
		if *redisURL == "" {
			*redisURL, from = m.Getenv(redisVar), redisVar
		}
		if *redisURL == "" {
			return usagef(want)
		}
		if err := m.gapsFromRedis(*redisURL); err != nil {
			return ops.NewRedactor(redisSecrets(*redisURL)...).Error(fmt.Errorf("gaps: %s: %w", from, err))
		}
		return nil
	}
	name := fset.Arg(0)
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("gaps: %w", err)
	}
	defer f.Close()
	gaps, bad, err := bot.ReadGaps(f)
	if err != nil {
		return fmt.Errorf("gaps: reading %s: %w", name, err)
	}
	if err := writeGapReport(m.Stdout, bot.GroupGaps(gaps), len(gaps), bad); err != nil {
		return err
	}
	fbName, explicit := *feedback, *feedback != ""
	if !explicit {
		fbName = filepath.Join(filepath.Dir(name), defaultFeedbackName)
	}
	fb, err := os.Open(fbName)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return nil // no votes yet
	}
	if err != nil {
		return fmt.Errorf("gaps: %w", err)
	}
	defer fb.Close()
	votes, badVotes, err := bot.ReadFeedback(fb)
	if err != nil {
		return fmt.Errorf("gaps: reading %s: %w", fbName, err)
	}
	return writeWrongReport(m.Stdout, bot.MarkedWrong(votes), len(votes), badVotes, m.factTopics())
}

// factTopics maps fact ids to their topics, for the report.
func (m *Main) factTopics() map[string]string {
	topics := map[string]string{}
	if base, err := m.loadBase(); err == nil {
		for _, f := range base.Facts {
			topics[f.ID] = f.Topic
		}
	}
	return topics
}

// gapsFromRedis prints the report from the gaps and feedback streams.
func (m *Main) gapsFromRedis(rawURL string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c, err := redisstore.Open(ctx, rawURL, redisstore.Options{})
	if err != nil {
		return err
	}
	defer c.Close()
	read := func(stream string) (*bytes.Buffer, int, error) {
		var lines bytes.Buffer
		n := 0
		err := c.Journal(stream).Read(ctx, func(_ string, entry []byte) error {
			lines.Write(entry)
			lines.WriteByte('\n')
			n++
			return nil
		})
		if err != nil {
			return nil, 0, fmt.Errorf("redis at %s: %w", c.Addr(), err)
		}
		return &lines, n, nil
	}
	lines, _, err := read(gapsStream)
	if err != nil {
		return err
	}
	gaps, bad, err := bot.ReadGaps(lines)
	if err != nil {
		return err
	}
	if err := writeGapReport(m.Stdout, bot.GroupGaps(gaps), len(gaps), bad); err != nil {
		return err
	}
	lines, n, err := read(feedbackStream)
	if err != nil || n == 0 {
		return err // no votes yet
	}
	votes, badVotes, err := bot.ReadFeedback(lines)
	if err != nil {
		return err
	}
	return writeWrongReport(m.Stdout, bot.MarkedWrong(votes), len(votes), badVotes, m.factTopics())
}

// defaultFeedbackName is the feedback log's name beside the gaps log.
const defaultFeedbackName = "feedback.jsonl"

// writeGapReport writes groups as text: each topic with its count, then its
// questions with theirs.
func writeGapReport(w io.Writer, groups []bot.GapGroup, total, bad int) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%d question(s) the sources did not cover well, near %d topic(s)", total, len(groups))
	if bad > 0 {
		fmt.Fprintf(bw, "; %d unreadable line(s) skipped", bad)
	}
	fmt.Fprintln(bw)
	for _, g := range groups {
		fmt.Fprintf(bw, "\n%5d  %s\n", g.Count, g.Topic)
		for _, q := range g.Questions {
			fmt.Fprintf(bw, "%5d    %s\n", q.Count, q.Question)
		}
	}
	return bw.Flush()
}

// writeWrongReport writes the answers people marked wrong: each fact with
// its 👎 and 👍, then the questions it was marked wrong for.
func writeWrongReport(w io.Writer, wrong []bot.MarkedAnswer, votes, bad int, topics map[string]string) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "\nAnswers people marked wrong (👎), most often first: %d answer(s), from %d vote(s)", len(wrong), votes)
	if bad > 0 {
		fmt.Fprintf(bw, "; %d unreadable line(s) skipped", bad)
	}
	fmt.Fprintln(bw)
	for _, a := range wrong {
		what := a.FactID
		switch {
		case what == "":
			what = "(an answer worked out from several facts)"
		case topics[what] != "":
			what += " (" + topics[what] + ")"
		}
		fmt.Fprintf(bw, "\n%5d  %s", a.Down, what)
		if a.Up > 0 {
			fmt.Fprintf(bw, "; marked right (👍) %d time(s)", a.Up)
		}
		fmt.Fprintln(bw)
		for _, q := range a.Questions {
			fmt.Fprintf(bw, "%5d    %s\n", q.Count, q.Question)
		}
	}
	return bw.Flush()
}
