package main

import (
	"context"
	"errors"
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
	s := &repl.Session{Bot: b, Out: m.Stdout, Banner: repl.Banner, Width: m.width()}
	if m.Stdin == os.Stdin && m.interactive() {
		rl, err := readline.NewEx(&readline.Config{
			Prompt:          "liberterra> ",
			HistoryFile:     historyFile(),
			InterruptPrompt: "^C",
			EOFPrompt:       "quit",
			// Home and End as tmux and some terminals send them.
			Stdin: readline.NewCancelableStdin(repl.NewKeyFilter(os.Stdin)),
		})
		if err != nil {
			return err
		}
		defer rl.Close()
		s.In = interruptCancels{rl}
		s.Out = rl.Stdout()
	} else {
		s.In = repl.NewLineReader(m.Stdin)
		s.Prompt = "liberterra> "
	}
	return s.Run(ctx)
}

// interruptCancels makes Ctrl-C drop the line being typed, as shells do;
// Ctrl-D (or "quit") ends the session.
type interruptCancels struct{ rl *readline.Instance }

func (r interruptCancels) Readline() (string, error) {
	line, err := r.rl.Readline()
	if errors.Is(err, readline.ErrInterrupt) {
		return "", repl.ErrCancelled
	}
	return line, err
}

// width is the terminal's width when standard output is one, else
// repl.DefaultWidth.
func (m *Main) width() int {
	if f, ok := m.Stdout.(*os.File); ok {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 20 {
			return w
		}
	}
	return repl.DefaultWidth
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
