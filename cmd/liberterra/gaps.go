package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/bot/redisstore"
	"github.com/liberterra/liberterra/cmd/liberterra/internal/ops"
)

// runGaps reads a gaps log written by serve --gaps (a file, or the Redis
// stream) and prints the questions grouped by nearest topic, most frequent
// first.
func (m *Main) runGaps(args []string) error {
	fs := m.flagSet("gaps")
	var redisURL string
	fs.StringVar(&redisURL, "redis-url", "", "read the gaps stream of the Redis at `URL` (default $"+redisVar+") instead of a file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 1 || fs.NArg() == 1 && redisURL != "" {
		return usagef("gaps takes one argument, the file written by serve --gaps FILE, or --redis-url (or %s) for the stream written by serve --gaps redis", redisVar)
	}
	if fs.NArg() == 1 {
		name := fs.Arg(0)
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("gaps: %w", err)
		}
		defer f.Close()
		gaps, bad, err := bot.ReadGaps(f)
		if err != nil {
			return fmt.Errorf("gaps: reading %s: %w", name, err)
		}
		return writeGapReport(m.Stdout, bot.GroupGaps(gaps), len(gaps), bad)
	}
	from := "--redis-url"
	if redisURL == "" {
		redisURL, from = m.Getenv(redisVar), redisVar
	}
	if redisURL == "" {
		return usagef("gaps takes one argument, the file written by serve --gaps FILE, or --redis-url (or %s) for the stream written by serve --gaps redis", redisVar)
	}
	gaps, bad, err := readGapsStream(redisURL)
	if err != nil {
		return ops.NewRedactor(redisSecrets(redisURL)...).Error(fmt.Errorf("gaps: %s: %w", from, err))
	}
	return writeGapReport(m.Stdout, bot.GroupGaps(gaps), len(gaps), bad)
}

// readGapsStream reads the gaps stream from Redis.
func readGapsStream(rawURL string) (gaps []bot.Gap, bad int, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c, err := redisstore.Open(ctx, rawURL, redisstore.Options{})
	if err != nil {
		return nil, 0, err
	}
	defer c.Close()
	var lines bytes.Buffer
	err = c.Journal(gapsStream).Read(ctx, func(_ string, entry []byte) error {
		lines.Write(entry)
		lines.WriteByte('\n')
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("redis at %s: %w", c.Addr(), err)
	}
	return bot.ReadGaps(&lines)
}

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
