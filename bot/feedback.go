package bot

import (
	"context"
	"io"
	"sort"
	"time"
)

// Vote is a person's verdict on an answer: 👍 or 👎.
type Vote string

// The votes.
const (
	VoteUp   Vote = "up"   // the answer is right
	VoteDown Vote = "down" // the answer is wrong
)

// Feedback is one line of the feedback log: a vote on an answer, with the
// question it answered and the fact it gave. User is set only when the
// operator asks for it (the gaps log's rule).
type Feedback struct {
	Time     time.Time `json:"time"`
	Frontend string    `json:"frontend"`
	Vote     Vote      `json:"vote"`
	Question string    `json:"question"`
	FactID   string    `json:"fact_id,omitempty"`
	User     string    `json:"user,omitempty"`
}

// FeedbackRecorder takes the votes people give answers. Front ends call it
// when someone clicks 👍 or 👎; recording never fails the click.
type FeedbackRecorder interface {
	Record(ctx context.Context, f Feedback)
}

// FeedbackLog is the FeedbackRecorder serve uses: it counts each vote and
// appends it to Log (when there is one), without the user id unless Users.
type FeedbackLog struct {
	Log     Journal                          // nil: count only
	Users   bool                             // keep the voter's user id
	Count   func(frontend string, vote Vote) // may be nil
	OnError func(err error)                  // may be nil
	Now     func() time.Time                 // nil means time.Now
}

// Record counts and logs one vote. Votes other than up and down are
// ignored.
func (l *FeedbackLog) Record(ctx context.Context, f Feedback) {
	if f.Vote != VoteUp && f.Vote != VoteDown {
		return
	}
	if l.Count != nil {
		l.Count(f.Frontend, f.Vote)
	}
	if l.Log == nil {
		return
	}
	if f.Time.IsZero() {
		now := time.Now
		if l.Now != nil {
			now = l.Now
		}
		f.Time = now()
	}
	f.Time = f.Time.UTC()
	if !l.Users {
		f.User = ""
	}
	if err := l.Log.Append(ctx, f); err != nil && l.OnError != nil {
		l.OnError(err)
	}
}

// ReadFeedback reads a feedback log. Lines that don't parse are counted in
// bad and skipped.
func ReadFeedback(r io.Reader) (votes []Feedback, bad int, err error) {
	return readJSONLines(r, func(f Feedback) bool { return f.Vote == VoteUp || f.Vote == VoteDown })
}

// MarkedAnswer is an answer people marked wrong: the fact it gave, the
// votes on it, and the questions it was marked wrong for.
type MarkedAnswer struct {
	FactID    string          // "" for answers worked out from several facts
	Down, Up  int             // votes
	Questions []QuestionCount // the questions of the 👎 votes, most frequent first
}

// MarkedWrong groups the votes by fact and returns the facts marked wrong
// at least once, most 👎 first (ties: fewer 👍 first, then by id).
func MarkedWrong(votes []Feedback) []MarkedAnswer {
	byFact := map[string]*MarkedAnswer{}
	questions := map[string]map[string]int{}
	for _, v := range votes {
		m := byFact[v.FactID]
		if m == nil {
			m = &MarkedAnswer{FactID: v.FactID}
			byFact[v.FactID] = m
			questions[v.FactID] = map[string]int{}
		}
		if v.Vote == VoteUp {
			m.Up++
			continue
		}
		m.Down++
		if q := NormalizeQuestion(v.Question); q != "" {
			questions[v.FactID][q]++
		}
	}
	var out []MarkedAnswer
	for id, m := range byFact {
		if m.Down == 0 {
			continue
		}
		for q, n := range questions[id] {
			m.Questions = append(m.Questions, QuestionCount{q, n})
		}
		sort.Slice(m.Questions, func(i, j int) bool {
			a, b := m.Questions[i], m.Questions[j]
			if a.Count != b.Count {
				return a.Count > b.Count
			}
			return a.Question < b.Question
		})
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Down != b.Down {
			return a.Down > b.Down
		}
		if a.Up != b.Up {
			return a.Up < b.Up
		}
		return a.FactID < b.FactID
	})
	return out
}
