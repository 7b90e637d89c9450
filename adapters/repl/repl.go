// Package repl is the terminal front end: it reads questions a line at a
// time and writes each reply as plain text, with its citations.
package repl

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/liberterra/liberterra/bot"
)

// LineReader reads one line of input without its line ending; io.EOF ends
// the session. A terminal line editor (readline) satisfies it, and so does
// NewLineReader around any io.Reader.
type LineReader interface {
	Readline() (string, error)
}

// Session is a REPL: prompt, read a question, answer, repeat.
type Session struct {
	Bot    bot.Answerer
	In     LineReader
	Out    io.Writer
	Prompt string // written before each question; empty for none
	// Banner is written once at the start; empty for none.
	Banner string
}

// Banner is the default greeting of an interactive session.
const Banner = "Liberterra bot: ask about INTERPOL's Operation Liberterra II. Type \"help\" for examples, \"quit\" to leave.\n"

// Run serves questions until the input ends, the user types quit or exit,
// or ctx is done.
func (s *Session) Run(ctx context.Context) error {
	if s.Banner != "" {
		io.WriteString(s.Out, s.Banner)
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil
		}
		if s.Prompt != "" {
			io.WriteString(s.Out, s.Prompt)
		}
		line, err := s.In.Readline()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "quit", "exit", "bye", ":q":
			return nil
		}
		r, err := s.Bot.Answer(ctx, bot.Question{Text: line, User: "local", Frontend: "repl"})
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintln(s.Out, Render(r)); err != nil {
			return err
		}
	}
}

// NewLineReader reads lines from r. Lines may be up to MaxLine bytes; a
// longer line is returned whole to the bot as far as MaxLine (it will say
// the question is too long) and the rest of it skipped, so nothing hangs and
// the next line is still read.
func NewLineReader(r io.Reader) LineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64*1024)}
}

// MaxLine is the longest line NewLineReader keeps.
const MaxLine = 1 << 20

type lineReader struct{ r *bufio.Reader }

func (l *lineReader) Readline() (string, error) {
	var buf []byte
	for {
		chunk, isPrefix, err := l.r.ReadLine()
		if err != nil {
			if len(buf) > 0 && errors.Is(err, io.EOF) {
				return string(buf), nil
			}
			return "", err
		}
		if len(buf) < MaxLine {
			buf = append(buf, chunk[:min(len(chunk), MaxLine-len(buf)+1)]...)
		}
		if !isPrefix {
			return strings.TrimSuffix(string(buf), "\r"), nil
		}
	}
}
