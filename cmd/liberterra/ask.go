package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"

	"github.com/liberterra/liberterra/adapters/repl"
	"github.com/liberterra/liberterra/bot"
)

// jsonReply is the JSON form of a reply, one object a line. Other tools
// depend on these fields: add, never rename or remove.
type jsonReply struct {
	Question    string       `json:"question"`
	Answered    bool         `json:"answered"`
	Answer      string       `json:"answer"`
	Confidence  float64      `json:"confidence"`
	FactID      string       `json:"fact_id"`
	Conflict    bool         `json:"conflict"`
	Suggestions []string     `json:"suggestions"`
	Sources     []jsonSource `json:"sources"`
	Kind        string       `json:"kind"`
}

type jsonSource struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Publisher string `json:"publisher"`
	URL       string `json:"url"`
	Quote     string `json:"quote"`
}

func toJSON(r bot.Reply) jsonReply {
	j := jsonReply{
		Question: r.Question, Answered: r.Answered(), Answer: r.Text,
		Confidence: float64(int(r.Confidence*1000+0.5)) / 1000, FactID: r.FactID,
		Conflict: r.Conflict, Suggestions: r.Suggestions, Sources: []jsonSource{}, Kind: string(r.Kind),
	}
	if j.Suggestions == nil {
		j.Suggestions = []string{}
	}
	for _, c := range r.Citations {
		j.Sources = append(j.Sources, jsonSource{ID: c.Source.ID, Title: c.Source.Title,
			Publisher: c.Source.PublishedBy(), URL: c.Source.URL, Quote: c.Quote})
	}
	for _, s := range r.Sources { // the sources command
		j.Sources = append(j.Sources, jsonSource{ID: s.ID, Title: s.Title, Publisher: s.PublishedBy(), URL: s.URL})
	}
	if r.Kind == bot.KindTopics || r.Kind == bot.KindSources {
		j.Answer = strings.TrimSpace(repl.Render(r, 0))
	}
	return j
}

// runAsk answers the question in args, or, with none, every line of stdin,
// writing one reply per question in order and flushing each.
func (m *Main) runAsk(ctx context.Context, args []string) error {
	fs := m.flagSet("ask")
	asJSON := fs.Bool("json", false, "print each reply as one JSON object a line")
	explain := fs.Bool("explain", false, "show how each question was matched (for curators)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 && m.interactive() {
		// Nothing to read but the keyboard: say how to ask rather than wait.
		return usagef("ask needs a question: liberterra ask \"who is Ilias Chatzis?\", or questions one a line on standard input (liberterra ask --json < questions.txt)")
	}
	b, err := m.newBot()
	if err != nil {
		return err
	}
	out := bufio.NewWriter(m.Stdout)
	width := m.width()
	write := func(r bot.Reply) error {
		if *asJSON {
			data, err := json.Marshal(toJSON(r))
			if err != nil {
				return err
			}
			out.Write(data)
			out.WriteByte('\n')
		} else {
			out.WriteString(repl.Render(r, width))
			if fs.NArg() == 0 {
				out.WriteByte('\n') // a blank line between replies
			}
		}
		return out.Flush()
	}
	ask := func(text string) error {
		q := bot.Question{Text: text, Frontend: "cli", Via: bot.ViaTerminal}
		if line, ok := jsonQuestion(text); ok {
			q.Text, q.Conversation = line.Question, line.Conversation
		}
		if *explain {
			// One pass: the explanation is of the reply printed.
			r, why := b.Explain(ctx, q, 5)
			if err := ctx.Err(); err != nil {
				return err
			}
			out.WriteString(why)
			return write(r)
		}
		r, err := b.Answer(ctx, q)
		if err != nil {
			return err
		}
		return write(r)
	}
	if fs.NArg() > 0 {
		return ask(strings.Join(fs.Args(), " "))
	}
	in := repl.NewLineReader(m.Stdin)
	for {
		line, err := in.Readline()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := ask(line); err != nil {
			return err
		}
	}
}

// questionLine is an input line that is a JSON object: the question and
// the conversation it belongs to, so a follow-up is read in its light.
type questionLine struct {
	Question     string `json:"question"`
	Conversation string `json:"conversation"`
}

// jsonQuestion reads a line that is a JSON object with a question; any
// other line is a question as it stands.
func jsonQuestion(line string) (questionLine, bool) {
	t := strings.TrimSpace(line)
	if !strings.HasPrefix(t, "{") || !strings.HasSuffix(t, "}") {
		return questionLine{}, false
	}
	var q questionLine
	if err := json.Unmarshal([]byte(t), &q); err != nil || q.Question == "" && q.Conversation == "" {
		return questionLine{}, false
	}
	return q, true
}
