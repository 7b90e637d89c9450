package facts_test

import (
	"strings"
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

// TestTokensOfCapitals: words of a text with capitals are its words lower
// cased, at the same places, accented or not.
func TestTokensOfCapitals(t *testing.T) {
	for _, s := range []string{"How many people?", "ÉLAN and Élan in Türkiye", "NCA's 3,222 ARRESTS", "İstanbul", "Montenegro's police"} {
		toks := facts.Tokens(s)
		for _, tok := range toks {
			if got := facts.Tokens(s[tok.Start:tok.End]); len(got) != 1 || got[0].Word != tok.Word {
				t.Errorf("%q: token %q at [%d:%d] reads alone as %v", s, tok.Word, tok.Start, tok.End, got)
			}
			if tok.Word != strings.ToLower(tok.Word) && !strings.ContainsAny(tok.Word, "ß") {
				t.Errorf("%q: token %q is not lower case", s, tok.Word)
			}
		}
	}
}
