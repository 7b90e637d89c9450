package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/liberterra/liberterra/bot"
)

// runGaps reads a gaps log written by serve --gaps and prints the questions
// grouped by nearest topic, most frequent first.
func (m *Main) runGaps(args []string) error {
	fs := m.flagSet("gaps")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("gaps takes one argument: the file written by serve --gaps FILE")
	}
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
