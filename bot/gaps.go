package bot

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"sort"
	"strings"
	"time"
	"unicode"
)

// DefaultGapsBelow is the confidence under which an answered question is
// logged as a gap too: the bot answered, but was not sure.
const DefaultGapsBelow = 0.6

// Gap is one line of the gaps log: a question the bot declined, or answered
// with low confidence. User is set only when the operator asks for it.
type Gap struct {
	Time        time.Time `json:"time"`
	Frontend    string    `json:"frontend"`
	Question    string    `json:"question"`
	Kind        string    `json:"kind"`
	Confidence  float64   `json:"confidence"`
	Topic       string    `json:"topic,omitempty"` // the topic answered, for low-confidence answers
	Suggestions []string  `json:"suggestions"`
	User        string    `json:"user,omitempty"`
}

// Gaps is an Answerer middleware that appends a Gap to Log for every
// declined question, every detail the articles don't give, and every answer
// whose confidence is below Below. Small talk is never a gap. Writing never
// fails a question: errors go to OnError.
type Gaps struct {
	Next    Answerer
	Log     Journal
	Below   float64
	Users   bool             // record the asker's user id too
	OnError func(err error)  // may be nil
	Now     func() time.Time // nil means time.Now
}

// Answer asks Next and logs the reply if it is a gap.
func (g *Gaps) Answer(ctx context.Context, q Question) (Reply, error) {
	r, err := g.Next.Answer(ctx, q)
	if err != nil || !g.isGap(r) {
		return r, err
	}
	now := time.Now
	if g.Now != nil {
		now = g.Now
	}
	rec := Gap{
		Time: now().UTC(), Frontend: q.Frontend, Question: r.Question, Kind: string(r.Kind),
		Confidence: r.Confidence, Suggestions: r.Suggestions,
	}
	if rec.Suggestions == nil {
		rec.Suggestions = []string{}
	}
	if r.Kind == KindAnswer || r.Kind == KindNotGiven {
		rec.Topic = r.Topic
	}
	if g.Users {
		rec.User = q.User
	}
	if werr := g.Log.Append(ctx, rec); werr != nil && g.OnError != nil {
		g.OnError(werr)
	}
	return r, err
}

func (g *Gaps) isGap(r Reply) bool {
	switch r.Kind {
	case KindDeclined, KindNotGiven:
		return r.Question != ""
	case KindAnswer:
		return r.Confidence < g.Below
	}
	return false
}

// GapGroup is the gaps near one topic, for the curator.
type GapGroup struct {
	Topic     string          // the topic answered or first suggested; NoTopic when none
	Count     int             // gaps in the group
	Questions []QuestionCount // distinct normalised questions, most asked first
}

// QuestionCount is one normalised question and how often it was asked.
type QuestionCount struct {
	Question string
	Count    int
}

// NoTopic heads the questions the bot could suggest nothing for.
const NoTopic = "(no nearby topic)"

// ReadGaps reads a gaps log. Lines that don't parse are counted in bad and
// skipped, so a log cut short by a crash still reads.
func ReadGaps(r io.Reader) (gaps []Gap, bad int, err error) {
	return readJSONLines(r, func(g Gap) bool { return g.Question != "" })
}

// readJSONLines reads a log of one JSON object a line (the gaps and
// feedback logs): entries that don't parse or that valid refuses are
// counted in bad and skipped, so a log cut short by a crash still reads.
func readJSONLines[T any](r io.Reader, valid func(T) bool) (entries []T, bad int, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var e T
		if json.Unmarshal([]byte(line), &e) != nil || !valid(e) {
			bad++
			continue
		}
		entries = append(entries, e)
	}
	return entries, bad, sc.Err()
}

// GroupGaps groups gaps by their nearest topic (the topic a low-confidence
// answer gave, else the first topic the bot suggested), and within a topic
// by normalised question. Groups and questions come most frequent first,
// ties in alphabetical order.
func GroupGaps(gaps []Gap) []GapGroup {
	byTopic := map[string]map[string]int{}
	for _, g := range gaps {
		topic := g.Topic
		if topic == "" && len(g.Suggestions) > 0 {
			topic = g.Suggestions[0]
		}
		if topic == "" {
			topic = NoTopic
		}
		q := NormalizeQuestion(g.Question)
		if q == "" {
			continue
		}
		if byTopic[topic] == nil {
			byTopic[topic] = map[string]int{}
		}
		byTopic[topic][q]++
	}
	groups := make([]GapGroup, 0, len(byTopic))
	for topic, qs := range byTopic {
		gg := GapGroup{Topic: topic}
		for q, n := range qs {
			gg.Count += n
			gg.Questions = append(gg.Questions, QuestionCount{q, n})
		}
		sort.Slice(gg.Questions, func(i, j int) bool {
			a, b := gg.Questions[i], gg.Questions[j]
			if a.Count != b.Count {
				return a.Count > b.Count
			}
			return a.Question < b.Question
		})
		groups = append(groups, gg)
	}
	sort.Slice(groups, func(i, j int) bool {
		a, b := groups[i], groups[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Topic < b.Topic
	})
	return groups
}

// NormalizeQuestion folds case, punctuation and spacing so that the same
// question typed differently counts once: "How many ppl?!" and "how many
// ppl" are one question.
func NormalizeQuestion(q string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(q) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}
