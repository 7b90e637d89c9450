package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/liberterra/liberterra/bot"
)

// runGaps reads a gaps log written by serve --gaps and prints the questions
// grouped by nearest topic, most frequent first; then, from the feedback
// log beside it (or --feedback FILE), the answers people marked wrong.
func (m *Main) runGaps(args []string) error {
	fset := m.flagSet("gaps")
	feedback := fset.String("feedback", "", "read the votes from `FILE` (default: "+defaultFeedbackName+" beside the gaps file, when it exists)")
	if err := parse(fset, args); err != nil {
		return err
	}
	if fset.NArg() != 1 {
		return usagef("gaps takes one argument: the file written by serve --gaps FILE")
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
	topics := map[string]string{}
	if base, err := m.loadBase(); err == nil {
		for _, f := range base.Facts {
			topics[f.ID] = f.Topic
		}
	}
	return writeWrongReport(m.Stdout, bot.MarkedWrong(votes), len(votes), badVotes, topics)
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
