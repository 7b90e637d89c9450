package facts_test

import (
	"strings"
	"testing"

	"github.com/liberterra/liberterra/facts"
)

func TestVerbatim(t *testing.T) {
	s := &facts.Source{ID: "s", Text: "Menu\u00a0Home\nStart. The NCA\u2019s unit \u2014 in  Kent \u2014\narrested \u201cnine\u201d people.\nEnd of page: The NCA's unit", BodyFrom: "Start.", BodyTo: "End of page"}
	for _, tc := range []struct{ in, want string }{
		{"The NCA's unit - in Kent - arrested \"nine\" people.", "The NCA\u2019s unit \u2014 in Kent \u2014 arrested \u201cnine\u201d people."},
		{"NCA's unit", "NCA\u2019s unit"},            // the body's, not the clutter's after BodyTo
		{"not in the article", "not in the article"}, // as it was
		{"", ""},
	} {
		if got := s.Verbatim(tc.in); got != tc.want {
			t.Errorf("Verbatim(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestVerbatimEveryQuote: every quote of the embedded base is found, and
// shown with nothing but the characters Normalize folds changed.
func TestVerbatimEveryQuote(t *testing.T) {
	base, err := facts.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for _, f := range base.Facts {
		for _, c := range f.Citations {
			s := base.Source(c.Source)
			v := s.Verbatim(c.Quote)
			if facts.Normalize(v) != facts.Normalize(c.Quote) {
				t.Errorf("fact %s: Verbatim(%q) = %q", f.ID, c.Quote, v)
			}
			if v != c.Quote {
				changed++
			}
			if sent := s.Sentence(c.Quote); sent != "" && !strings.Contains(facts.Normalize(s.Verbatim(sent)), facts.Normalize(c.Quote)) {
				t.Errorf("fact %s: the sentence around %q lost it", f.ID, c.Quote)
			}
		}
	}
	if changed == 0 {
		t.Error("no quote differs from its article's characters: expected some straight apostrophes")
	}
}
