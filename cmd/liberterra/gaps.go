package main

import (
	"fmt"
	"os"

	"github.com/liberterra/liberterra/ops"
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
	gaps, bad, err := ops.ReadGaps(f)
	if err != nil {
		return fmt.Errorf("gaps: reading %s: %w", name, err)
	}
	return ops.WriteGapReport(m.Stdout, ops.GroupGaps(gaps), len(gaps), bad)
}
