package bot_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
)

func TestCitedNumbersSourcesInOrder(t *testing.T) {
	a, b := &facts.Source{ID: "a"}, &facts.Source{ID: "b"}
	r := bot.Reply{Citations: []bot.Citation{{Source: b, Quote: "one"}, {Source: a, Quote: "two"}, {Source: b, Quote: "three"}, {Quote: "no source"}}}
	got := r.Cited()
	if len(got) != 2 || got[0].N != 1 || got[0].Source != b || len(got[0].Cites) != 2 || got[1].N != 2 || got[1].Source != a {
		t.Fatalf("Cited() = %+v", got)
	}
	if got[0].Cites[1].Quote != "three" {
		t.Errorf("citations out of order: %+v", got[0].Cites)
	}
}

func TestSourceNameAndTitle(t *testing.T) {
	base, err := facts.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		id, name, title string
		headline        bool
	}{
		{"allison", "George Allison", "INTERPOL reveals preliminary results of Operation Liberterra II; NCA arrests nine in the UK", false},
		{"glasgow-assembly", "Glasgow General Assembly article", "Yvette Cooper speaks at the 92nd INTERPOL General Assembly in Glasgow after Operation Liberterra II", false},
		{"unodc", "UNODC statement", "UNODC supported INTERPOL's Operation Liberterra II in real time", false},
		{"migrant-affairs", "Migrant Affairs", "Operation Liberterra II Rescues Thousands and Exposes Global Migrant Smuggling Networks", true},
	} {
		s := base.Source(tc.id)
		title, headline := bot.SourceTitle(s)
		if name := bot.SourceName(s); name != tc.name || title != tc.title || headline != tc.headline {
			t.Errorf("%s: name %q title %q headline %v; want %q %q %v", tc.id, name, title, headline, tc.name, tc.title, tc.headline)
		}
	}
}

func TestCitationShownAsTheArticleHasIt(t *testing.T) {
	s := &facts.Source{Text: "The NCA\u2019s unit arrested nine. Then it stopped."}
	c := bot.Citation{Source: s, Quote: "The NCA's unit arrested nine", Sentence: "The NCA's unit arrested nine."}
	if got := c.Shown(); got != "The NCA\u2019s unit arrested nine" {
		t.Errorf("Shown() = %q", got)
	}
	if got := c.Context(); got != "The NCA\u2019s unit arrested nine." {
		t.Errorf("Context() = %q", got)
	}
}

type memJournal struct{ entries []any }

func (j *memJournal) Append(_ context.Context, e any) error {
	j.entries = append(j.entries, e)
	return nil
}

func TestFeedbackLogPrivacyAndCounts(t *testing.T) {
	var buf bytes.Buffer
	counts := map[string]int{}
	now := func() time.Time { return time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC) }
	l := &bot.FeedbackLog{Log: &bot.FileJournal{W: &buf}, Now: now, Count: func(fe string, v bot.Vote) { counts[fe+" "+string(v)]++ }}
	l.Record(context.Background(), bot.Feedback{Frontend: "slack", Vote: bot.VoteDown, Question: "How many?", FactID: "f1", User: "U1"})
	l.Record(context.Background(), bot.Feedback{Frontend: "slack", Vote: "maybe", Question: "x"})
	want := `{"time":"2026-11-27T09:00:00Z","frontend":"slack","vote":"down","question":"How many?","fact_id":"f1"}` + "\n"
	if buf.String() != want {
		t.Errorf("logged %q, want %q", buf.String(), want)
	}
	if counts["slack down"] != 1 || len(counts) != 1 {
		t.Errorf("counts %v", counts)
	}
	j := &memJournal{}
	(&bot.FeedbackLog{Log: j, Users: true}).Record(context.Background(), bot.Feedback{Frontend: "discord", Vote: bot.VoteUp, User: "U2"})
	if len(j.entries) != 1 || j.entries[0].(bot.Feedback).User != "U2" {
		t.Errorf("with Users the id is kept: %+v", j.entries)
	}
}

func TestMarkedWrong(t *testing.T) {
	in := `{"vote":"down","question":"How many arrests?","fact_id":"arrests"}
{"vote":"down","question":"how many ARRESTS","fact_id":"arrests"}
{"vote":"up","question":"how many arrests","fact_id":"arrests"}
{"vote":"up","question":"who","fact_id":"people"}
{"vote":"down","question":"when","fact_id":"dates"}
not json
`
	votes, bad, err := bot.ReadFeedback(strings.NewReader(in))
	if err != nil || bad != 1 || len(votes) != 5 {
		t.Fatalf("ReadFeedback: %d votes, %d bad, %v", len(votes), bad, err)
	}
	got := bot.MarkedWrong(votes)
	if len(got) != 2 || got[0].FactID != "arrests" || got[0].Down != 2 || got[0].Up != 1 || got[1].FactID != "dates" {
		t.Fatalf("MarkedWrong = %+v", got)
	}
	if len(got[0].Questions) != 1 || got[0].Questions[0] != (bot.QuestionCount{Question: "how many arrests", Count: 2}) {
		t.Errorf("questions %+v", got[0].Questions)
	}
}

func TestRecentBounded(t *testing.T) {
	s := bot.NewRecent(2, time.Hour)
	a := s.Put(bot.Reply{Text: "a"})
	b := s.Put(bot.Reply{Text: "b"})
	c := s.Put(bot.Reply{Text: "c"})
	if _, ok := s.Get(a); ok {
		t.Error("the oldest reply is still kept past the capacity")
	}
	if r, ok := s.Get(b); !ok || r.Text != "b" {
		t.Errorf("Get(b) = %+v %v", r, ok)
	}
	if r, ok := s.Get(c); !ok || r.Text != "c" || len(c) != 16 || s.Len() != 2 {
		t.Errorf("Get(c) = %+v %v, id %q, len %d", r, ok, c, s.Len())
	}
	if _, ok := s.Get("nope"); ok {
		t.Error("an unknown id found a reply")
	}
}
