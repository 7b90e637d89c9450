package bot

import (
	"sync"
	"sync/atomic"

	"github.com/liberterra/liberterra/facts"
	"github.com/sahilm/fuzzy"
)

// corrector reads a misspelt word as the word of the fact base (or of the
// question vocabulary) it most likely is: "montenegor" is "montenegro",
// "happned" is "happened". Words of general English the facts don't use are
// never corrected: "capital" is not a typo of anything, and the decide stage
// needs to see it.
type corrector struct {
	vocab   map[string]int                    // word -> how often the facts use it
	byFirst map[byte][]string                 // vocab by first letter, sorted
	skip    func(w string, wi *wordInfo) bool // words never corrected

	cache  sync.Map // misspelling -> correction ("" for none)
	cached atomic.Int64
}

// maxCachedCorrections bounds the correction cache.
const maxCachedCorrections = 50000

// correctableZipf: a word at least this common in general English is a word
// of its own, not a typo.
const correctableZipf = 2.0

func newCorrector(ix *index, l *lang, base *facts.Base) *corrector {
	c := &corrector{vocab: map[string]int{}, byFirst: map[byte][]string{}}
	add := func(w string, n int) {
		if len(w) < 2 || facts.IsNumber(w) {
			return
		}
		if _, ok := c.vocab[w]; !ok {
			c.byFirst[w[0]] = append(c.byFirst[w[0]], w)
		}
		c.vocab[w] += n
	}
	for w, n := range ix.vocab {
		add(w, n)
	}
	for w := range questionWords.words() {
		add(w, 100)
	}
	for w := range questionStarts.words() {
		add(w, 50)
	}
	lex := base.Lexicon
	for _, ws := range [][]facts.Listed{lex.Domain} {
		for _, w := range ws {
			add(w.Word, 20)
		}
	}
	for _, s := range lex.Synonyms {
		for _, w := range append([]string{s.Term}, s.Words...) {
			for _, p := range facts.Words(w) {
				add(p, 5)
			}
		}
	}
	for _, e := range base.Entities {
		for _, a := range e.Aliases {
			for _, p := range facts.Words(a) {
				add(p, 10)
			}
		}
	}
	c.skip = func(w string, wi *wordInfo) bool {
		if len(w) < 4 || len(w) > 20 || facts.IsNumber(w) || wi.stop || wi.elsewhere || wi.zipf >= correctableZipf || wi.language != "" {
			return true
		}
		_, known := c.vocab[w]
		return known
	}
	return c
}

// correct returns the word w (with its info wi) is a misspelling of, or ""
// when w is fine or nothing is close enough.
func (c *corrector) correct(w string, wi *wordInfo) string {
	if c.skip(w, wi) {
		return ""
	}
	if v, ok := c.cache.Load(w); ok {
		return v.(string)
	}
	n := len(w)
	limit := 1
	if n >= 8 {
		limit = 2
	}
	best, bestD := "", limit+1
	// Among equally close words, the one the facts use most wins:
	// "countires" is "countries", not "counties".
	consider := func(k string) {
		d := editDistance(w, k, bestD+1)
		if d < bestD || d == bestD && d <= limit && c.vocab[k] > c.vocab[best] {
			best, bestD = k, d
		}
	}
	// sahilm/fuzzy finds the words w is a subsequence of (letters
	// dropped); the edit distance then says how close each is.
	for _, m := range fuzzy.FindFromNoSort(w, lengthWindow{c.byFirst[w[0]], n - limit, n + limit}) {
		consider(m.Str)
	}
	for _, k := range c.byFirst[w[0]] {
		if abs(len(k)-n) <= limit {
			consider(k)
		}
	}
	if best == "" {
		// A wrong first letter: words of about the right length whose
		// second letter matches.
		for _, ws := range c.byFirst {
			for _, k := range ws {
				if abs(len(k)-n) <= limit && len(k) > 1 && k[1] == w[1] {
					consider(k)
				}
			}
		}
	}
	if c.cached.Add(1) < maxCachedCorrections {
		c.cache.Store(w, best)
	}
	return best
}

// lengthWindow is a fuzzy.Source over the words whose length is within
// [min, max]: a word of another length is more than the edit limit away.
type lengthWindow struct {
	words    []string
	min, max int
}

func (l lengthWindow) Len() int { return len(l.words) }

func (l lengthWindow) String(i int) string {
	if n := len(l.words[i]); n < l.min || n > l.max {
		return "" // fuzzy skips it at once
	}
	return l.words[i]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// editDistance is the optimal-string-alignment distance between a and b
// (insertions, deletions, substitutions, adjacent swaps), or bound when it
// is at least bound.
func editDistance(a, b string, bound int) int {
	if abs(len(a)-len(b)) >= bound {
		return bound
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= bound {
			return bound
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], bound)
}
