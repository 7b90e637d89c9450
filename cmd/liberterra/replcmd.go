package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"

	"github.com/chzyer/readline"
	"golang.org/x/term"

	"github.com/liberterra/liberterra/adapters/repl"
)

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// runREPL starts the interactive session: readline editing and history on a
// terminal, plain line reading otherwise.
func (m *Main) runREPL(ctx context.Context) error {
	b, err := m.newBot()
	if err != nil {
		return err
	}
	s := &repl.Session{Bot: b, Out: m.Stdout, Banner: repl.Banner}
	if m.Stdin == os.Stdin && m.interactive() {
		rl, err := readline.NewEx(&readline.Config{
			Prompt:          "liberterra> ",
			HistoryFile:     historyFile(),
			InterruptPrompt: "^C",
			EOFPrompt:       "quit",
		})
		if err != nil {
			return err
		}
		defer rl.Close()
		s.In = interruptAsEOF{rl}
		s.Out = rl.Stdout()
	} else {
		s.In = repl.NewLineReader(m.Stdin)
		s.Prompt = "liberterra> "
	}
	return s.Run(ctx)
}

// interruptAsEOF ends the session on Ctrl-C, as most REPLs do.
type interruptAsEOF struct{ rl *readline.Instance }

func (r interruptAsEOF) Readline() (string, error) {
	line, err := r.rl.Readline()
	if errors.Is(err, readline.ErrInterrupt) {
		return "", io.EOF
	}
	return line, err
}

// historyFile keeps REPL history in the user's cache directory, or nowhere.
func historyFile() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	dir = filepath.Join(dir, "liberterra")
	if os.MkdirAll(dir, 0o700) != nil {
		return ""
	}
	return filepath.Join(dir, "history")
}
