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
	"sync/atomic"

	"github.com/liberterra/liberterra/bot"
)

// LineReader reads one line of input without its line ending; io.EOF ends
// the session and ErrCancelled drops the line being typed (Ctrl-C). A
// terminal line editor (readline) satisfies it, and so does NewLineReader
// around any io.Reader.
type LineReader interface {
	Readline() (string, error)
}

// ErrCancelled is what a LineReader returns when the user cancels the
// line being typed (Ctrl-C): the session prompts again.
var ErrCancelled = errors.New("line cancelled")

// Session is a REPL: prompt, read a question, answer, repeat.
type Session struct {
	Bot    bot.Answerer
	In     LineReader
	Out    io.Writer
	Prompt string // written before each question; empty for none
	// Banner is written once at the start; empty for none.
	Banner string
	// Width is the terminal's width, for wrapping lists; 0 means
	// DefaultWidth.
	Width int
	// Conversation names the session's one conversation, so follow-ups
	// are read in the light of what came before; empty means a name of
	// its own.
	Conversation string
}

// Banner is the default greeting of an interactive session.
const Banner = "Liberterra bot: ask about INTERPOL's Operation Liberterra II. Type \"help\" for examples, \"quit\" to leave.\n"

// Run serves questions until the input ends, the user types quit or exit,
// or ctx is done. The whole session is one conversation.
func (s *Session) Run(ctx context.Context) error {
	if s.Conversation == "" {
		s.Conversation = fmt.Sprintf("repl:%d", sessions.Add(1))
	}
	width := s.Width
	if width <= 0 {
		width = DefaultWidth
	}
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
		if errors.Is(err, ErrCancelled) {
			continue
		}
		if err != nil {
			return err
		}
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "quit", "exit", "bye", ":q":
			return nil
		}
		q := bot.Question{Text: line, User: "local", Frontend: "repl", Via: bot.ViaTerminal, Conversation: s.Conversation}
		r, err := s.Bot.Answer(ctx, q)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			r = bot.ErrorReply(q)
		}
		if _, err := fmt.Fprintln(s.Out, Render(r, width)); err != nil {
			return err
		}
	}
}

// sessions numbers the sessions of a process, for their conversations.
var sessions atomic.Int64

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
