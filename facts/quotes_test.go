package facts

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestAhoCorasickAgreesWithContains checks the one-pass matcher against
// strings.Contains on random texts and patterns over a small alphabet, where
// patterns overlap, nest and share prefixes and suffixes.
func TestAhoCorasickAgreesWithContains(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	word := func(alphabet string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	var ac ahoCorasick // reused across builds, as findQuotes does
	for round := 0; round < 300; round++ {
		alphabet := "ab"
		if round%3 == 1 {
			alphabet = "abc "
		} else if round%3 == 2 {
			alphabet = "the quick brown fox\u00e9"
		}
		text := word(alphabet, r.IntN(200))
		seen := map[string]bool{}
		var patterns []string
		for len(patterns) < 1+r.IntN(30) {
			var p string
			if len(text) > 0 && r.IntN(2) == 0 {
				i := r.IntN(len(text))
				p = text[i:min(len(text), i+1+r.IntN(12))]
			} else {
				p = word(alphabet, 1+r.IntN(8))
			}
			if !seen[p] {
				seen[p] = true
				patterns = append(patterns, p)
			}
		}
		ac.build(patterns)
		got := make([]int, len(patterns))
		ac.scan(text, func(p int32) { got[p]++ })
		for i, p := range patterns {
			if want := strings.Count(text, p); (got[i] > 0) != (want > 0) {
				t.Fatalf("text %q, pattern %q: found %d times, strings.Count says %d", text, p, got[i], want)
			}
		}
	}
}

// TestFindQuotes checks the quotes found in one pass are those QuoteInSource
// finds one by one, on the embedded base.
func TestFindQuotes(t *testing.T) {
	b, err := Load(EmbeddedFS())
	if err != nil {
		t.Fatal(err)
	}
	// A quote that stands only outside the body, one in no text, and one
	// too short to look for.
	f := &Fact{Citations: []Citation{
		{Source: "allison", Quote: "George has a degree"},
		{Source: "allison", Quote: "words that stand in no article at all"},
		{Source: "allison", Quote: "the NCA"},
	}}
	b.Facts = append(b.Facts, f)
	found := b.findQuotes()
	n := 0
	for _, f := range b.Facts {
		for _, c := range f.Citations {
			s := b.Source(c.Source)
			if got, want := found.has(s, Normalize(c.Quote)), s.QuoteInSource(c.Quote); got != want {
				t.Errorf("%s: quote %q found %v, QuoteInSource says %v", c.Source, c.Quote, got, want)
			}
			n++
		}
		for _, fig := range f.Figures {
			s := b.Source(fig.Source)
			if got, want := found.has(s, Normalize(fig.Quote)), s.QuoteInSource(fig.Quote); got != want {
				t.Errorf("%s: figure quote %q found %v, QuoteInSource says %v", fig.Source, fig.Quote, got, want)
			}
			n++
		}
	}
	if n < 200 {
		t.Errorf("only %d quotes checked", n)
	}
}

// TestNormalizeFastPath checks Normalize's shortcut for text with nothing
// to fold gives what the full folding gives.
func TestNormalizeFastPath(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	pieces := []string{"a", "Bc", " ", "  ", "\t", "\n", "\u00a0", "\u201c", "\u2014", "-", "'", "é", "x y", "\r\n", "\u0085"}
	for i := 0; i < 5000; i++ {
		var b strings.Builder
		for j := r.IntN(8); j >= 0; j-- {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := b.String()
		want := strings.Join(strings.Fields(quoteFolder.Replace(s)), " ")
		if got := Normalize(s); got != want {
			t.Fatalf("Normalize(%q) = %q, want %q", s, got, want)
		}
	}
}

// manyQuotes is a base of one long article cited by k quotes.
func manyQuotes(k int) *Base {
	r := rand.New(rand.NewPCG(5, 6))
	words := strings.Fields("the police arrested rescued migrants victims near border checks said were in of after weeks officers found workers")
	var sents []string
	for len(sents) < 3000 {
		var b strings.Builder
		b.WriteString("In Place")
		for j := 0; j < 12; j++ {
			b.WriteString(" " + words[r.IntN(len(words))])
		}
		fmt.Fprintf(&b, " %d.", len(sents))
		sents = append(sents, b.String())
	}
	s := &Source{ID: "a", Text: strings.Join(sents, " ")}
	s.body = Normalize(s.Text)
	b := &Base{Sources: []*Source{s}, sourceByID: map[string]*Source{"a": s}}
	for i := 0; i < k; i++ {
		sent := sents[r.IntN(len(sents))]
		b.Facts = append(b.Facts, &Fact{Citations: []Citation{{Source: "a", Quote: sent[3:]}}})
	}
	return b
}

// BenchmarkQuotesOnePass and BenchmarkQuotesOneByOne compare finding k
// quotes in one article of 3,000 sentences (about 250 kB): one pass costs
// the article plus the quotes, one search per quote the article k times.
func BenchmarkQuotesOnePass(b *testing.B) {
	for _, k := range []int{100, 1000, 10000} {
		base := manyQuotes(k)
		b.Run(fmt.Sprint(k), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				base.findQuotes()
			}
		})
	}
}

func BenchmarkQuotesOneByOne(b *testing.B) {
	for _, k := range []int{100, 1000, 10000} {
		base := manyQuotes(k)
		b.Run(fmt.Sprint(k), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				for _, f := range base.Facts {
					base.Sources[0].QuoteInSource(f.Citations[0].Quote)
				}
			}
		})
	}
}
