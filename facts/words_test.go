package facts_test

import (
	"testing"

	"github.com/liberterra/liberterra/facts"
)

func TestTokens(t *testing.T) {
	for s, want := range map[string]string{
		"Jürgen Stock's “relentless” 3,222 who's": "jurgen stock relentless 3222 who",
		"week-long, 8.5 and U.S. STRASSE straße":  "week long 8.5 and u s strasse strasse",
		"isn’t Chambers' ":                        "isn chambers",
	} {
		var got []string
		for _, tok := range facts.Tokens(s) {
			got = append(got, tok.Word)
			if tok.Start < 0 || tok.End > len(s) || tok.Start >= tok.End {
				t.Errorf("%q: token %q at [%d, %d)", s, tok.Word, tok.Start, tok.End)
			}
		}
		if g := join(got); g != want {
			t.Errorf("Tokens(%q) = %q, want %q", s, g, want)
		}
	}
}

func join(ws []string) string {
	out := ""
	for i, w := range ws {
		if i > 0 {
			out += " "
		}
		out += w
	}
	return out
}

func BenchmarkTokens(b *testing.B) {
	s := "Serbian police arrested 12 suspects linked to two organised criminal groups which enabled the journeys of at least 178 irregular migrants to Bosnia and Herzegovina, a common route for migrants from the Middle East. Jürgen Stock's “relentless” 3,222 who's"
	for b.Loop() {
		facts.Tokens(s)
	}
}
