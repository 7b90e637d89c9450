package bot

import (
	"sort"
	"strings"

	"github.com/sahilm/fuzzy"
)

// qterm is one term of a question with the weight it carries.
type qterm struct {
	id     int32 // term id, or -1 when the fact base does not know it
	weight float64
	text   string
}

// parsed is a question ready for scoring.
type parsed struct {
	terms    []qterm
	kind     string // "count", "who", "when", "where" or "" (what, why, how)
	entities []string
	unknown  int // terms the fact base does not know
	// counted is the term a "how many" question counts ("arrests"), or
	// -1: a count fact must be about that thing.
	counted int32
}

// Weights of question terms beyond their idf.
const (
	// entityBoost makes a named country, person or organisation dominate:
	// a question about Mali must not be answered with a fact about Iraq.
	entityBoost = 2.0
	// unknownBoost weighs a word the fact base has never seen, relative to
	// the rarest known term: it is likely what the question is really about.
	unknownBoost = 1.0
	// otherPlaceBoost weighs a place the base knows nothing of (Spain).
	otherPlaceBoost = 2.5
	// focusBoost weighs the noun a what/which question asks for.
	focusBoost = 1.5
	// maxQuestionWords bounds the work per question.
	maxQuestionWords = 60
)

// parse turns a question into weighted terms, correcting typos.
func (ix *index) parse(text string) parsed {
	p := parsed{counted: -1}
	words := splitWords(phraseRewrites.Replace(strings.ToLower(text)))
	if len(words) > maxQuestionWords {
		words = words[:maxQuestionWords]
	}
	// Correct misspelt words first, so "wher" still asks where and
	// "macedonai" still names a country.
	for i, w := range words {
		if !otherPlaces[w] && !ix.known[w] && !ix.knownStem(w) {
			if c := ix.correct(w); c != "" {
				words[i] = c
			}
		}
	}
	p.kind = questionKind(words)
	if otherEdition(words) {
		p.unknown++
		p.terms = append(p.terms, qterm{id: -1, weight: ix.maxIDF * otherPlaceBoost, text: "!other-edition"})
	}
	seen := map[string]bool{}
	addTerm := func(t string, boost float64) {
		if t == "" || seen[t] {
			return
		}
		seen[t] = true
		if id, ok := ix.terms[t]; ok {
			p.terms = append(p.terms, qterm{id: id, weight: ix.idf[id] * boost, text: t})
			return
		}
		p.unknown++
		p.terms = append(p.terms, qterm{id: -1, weight: ix.maxIDF * boost, text: t})
	}
	focus := focusWord(words)
	for i := 0; i < len(words); {
		if term, n := ix.entityAt(words[i:]); n > 0 {
			p.entities = append(p.entities, term)
			addTerm(term, ix.entityBoost(term))
			i += n
			continue
		}
		w := words[i]
		i++
		if i-1 == focus && ix.known[w] {
			if t := normTerm(w); t != "" && !seen[t] {
				if _, ok := ix.terms[t]; ok {
					addTerm(t, focusBoost)
					continue
				}
			}
		}
		if !ix.known[w] && len(w) > 5 && strings.HasSuffix(w, "ly") {
			continue // an adverb the facts never use: "ultimately", "usually"
		}
		if term, ok := ix.nameParts[w]; ok {
			// A first name alone ("Ilias") still means the person.
			p.entities = append(p.entities, term)
			addTerm(term, entityBoost)
			continue
		}
		if otherPlaces[w] {
			addTerm("!"+w, otherPlaceBoost*unknownBoost)
			continue
		}
		if t := normTerm(w); t != "" {
			boost := 1.0
			if _, ok := ix.terms[t]; !ok {
				boost = unknownBoost
			}
			addTerm(t, boost)
			if p.kind == "count" && p.counted < 0 && i-1 > 0 && (words[i-2] == "many" || words[i-2] == "much") {
				if id, ok := ix.terms[t]; ok {
					p.counted = id
				}
			}
		}
	}
	return p
}

// entityBoost is how much a mention of the entity weighs. The operation
// itself is the subject of nearly every fact, so naming it says little.
func (ix *index) entityBoost(term string) float64 {
	if term == "#operation" {
		return 1
	}
	return entityBoost
}

// knownStem reports whether w stems to a term the facts use: "rescuing" is
// known if "rescued" is.
func (ix *index) knownStem(w string) bool {
	t := normTerm(w)
	if t == "" {
		return true
	}
	_, ok := ix.terms[t]
	return ok
}

// correct returns the known word w is most likely a misspelling of, or ""
// when there is none close enough. sahilm/fuzzy finds words w is a
// subsequence of (dropped letters); an edit-distance scan catches swapped or
// wrong letters.
func (ix *index) correct(w string) string {
	n := len(w)
	if n < 4 || isDigit(rune(w[0])) || n > 20 {
		return ""
	}
	if n == 4 {
		// Short words have too many neighbours ("cook", "took"): only
		// question words are corrected ("wher", "whta").
		for _, q := range questionWords {
			if editDistance(w, q, 2) <= 1 {
				return q
			}
		}
		return ""
	}
	limit := 1
	if n >= 8 {
		limit = 2
	}
	if c, ok := ix.corrections.Load(w); ok {
		return c.(string)
	}
	best, bestD := "", limit+1
	// Among equally close words, the one the facts use most wins:
	// "countires" is "countries", not "counties".
	consider := func(k string) {
		d := editDistance(w, k, bestD+1)
		if d < bestD || d == bestD && d <= limit && ix.freq[k] > ix.freq[best] {
			best, bestD = k, d
		}
	}
	bucket := ix.spell[w[0]]
	for _, m := range fuzzy.FindFromNoSort(w, lengthWindow{bucket, n - limit, n + limit}) {
		consider(m.Str)
	}
	if best == "" {
		// A wrong first letter: scan the words of about the right length
		// whose second letter matches.
		for _, ws := range ix.spell {
			for _, k := range ws {
				if abs(len(k)-n) <= limit && len(k) > 1 && k[1] == w[1] {
					consider(k)
				}
			}
		}
	}
	// The cache only grows with distinct misspellings; bound it all the same.
	if ix.cached.Add(1) < maxCachedCorrections {
		ix.corrections.Store(w, best)
	}
	return best
}

// maxCachedCorrections bounds the correction cache.
const maxCachedCorrections = 50000

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

// focusWord returns the index of the word that names what a "what X" or
// "which X" question asks for ("What scams ...", "Which country ..."), or -1.
func focusWord(words []string) int {
	for i := 0; i+1 < len(words) && i < 3; i++ {
		if words[i] == "what" || words[i] == "which" {
			if w := words[i+1]; !stopWords[w] && !otherPlaces[w] {
				return i + 1
			}
			return -1
		}
	}
	return -1
}

// otherEdition reports whether the question is about another operation of
// the series ("Liberterra I", "the next operation"), which the sources
// don't cover even though it shares every word with them.
func otherEdition(words []string) bool {
	for i, w := range words {
		switch w {
		case "liberterra":
			if i+1 < len(words) {
				switch words[i+1] {
				case "i", "1", "iii", "3", "iv", "4", "one", "three", "iii's":
					return true
				}
			}
			fallthrough
		case "operation", "operations":
			for j := max(0, i-2); j < i; j++ {
				switch words[j] {
				case "first", "previous", "earlier", "next", "third", "upcoming", "future", "last", "prior", "original", "other":
					return true
				}
			}
		}
	}
	return false
}

// questionWords are the short words worth correcting: they set the kind.
var questionWords = []string{"what", "where", "when", "which", "whom", "whose", "many", "much"}

// questionKind reads the question word: how many, who, when, where.
func questionKind(words []string) string {
	for i, w := range words {
		if i > 3 {
			break
		}
		switch w {
		case "who", "whom", "whose":
			return "who"
		case "when":
			return "when"
		case "what", "which":
			if i+1 < len(words) && (words[i+1] == "time" || words[i+1] == "year" || words[i+1] == "date" || words[i+1] == "dates" || words[i+1] == "day" || words[i+1] == "month") {
				return "when"
			}
			return "what"
		case "where":
			return "where"
		case "how":
			if i+1 < len(words) && (words[i+1] == "many" || words[i+1] == "much") {
				return "count"
			}
		case "dates":
			return "when"
		case "number", "count", "tally":
			return "count"
		}
	}
	return ""
}

// scored is a fact with its match score.
type scored struct {
	fact  int
	score float64
}

// Score mix: coverage of the question by the fact's terms, and similarity
// to the best of the fact's sample questions.
const (
	coverageShare   = 0.65
	paraphraseShare = 0.35
	// kindMismatch scales a fact of another kind than the question asks
	// (a "how many" question and a fact that is no count).
	kindMismatch = 0.75
	// uncounted scales a fact that does not mention what a "how many"
	// question counts.
	uncounted = 0.7
	// countForOther scales a count fact for a question that asks no count.
	countForOther = 0.9
	// restMin is the share of the non-entity words a fact must cover to
	// keep its full score; below it the score falls in proportion.
	restMin = 0.5
)

func isEntityTerm(t string) bool { return strings.HasPrefix(t, "#") }

// rank scores every fact sharing a term with the question, best first.
func (ix *index) rank(p parsed) []scored {
	var total float64
	for _, t := range p.terms {
		total += t.weight
	}
	if total == 0 {
		return nil
	}
	cand := map[int32]bool{}
	for _, t := range p.terms {
		if t.id >= 0 {
			for _, f := range ix.postings[t.id] {
				cand[f] = true
			}
		}
	}
	// The words besides the named entities must be covered too: "the
	// capital of Senegal" names a country the base knows, but asks what it
	// does not.
	var restTotal float64
	for _, t := range p.terms {
		if !isEntityTerm(t.text) {
			restTotal += t.weight
		}
	}
	out := make([]scored, 0, len(cand))
	for fi := range cand {
		fe := &ix.facts[fi]
		var cov, rest float64
		for _, t := range p.terms {
			if t.id >= 0 {
				c := t.weight * fe.weights[t.id]
				cov += c
				if !isEntityTerm(t.text) {
					// A common word of the domain ("victims") that the fact
					// lacks is no sign the question is about something else.
					rest += max(c, t.weight*ix.common[t.id])
				}
			}
		}
		cov /= total
		var para float64
		for j, ph := range fe.paraphrases {
			para = max(para, ix.similarity(p.terms, total, ph, fe.paraWeight[j]))
		}
		s := coverageShare*cov + paraphraseShare*para
		if restTotal > 0 && rest/restTotal < restMin {
			s *= rest / restTotal / restMin
		}
		switch {
		case p.kind != "" && p.kind != "what" && string(fe.fact.Kind) != p.kind:
			s *= kindMismatch
		case p.kind == "what" && fe.fact.Kind == "count":
			s *= countForOther // a count rarely answers "what scams..."
		}
		if p.counted >= 0 && fe.weights[p.counted] < weightAnswer {
			s *= uncounted // "how many arrests" and a fact that counts no arrests
		}
		out = append(out, scored{fact: int(fi), score: s})
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].score != out[b].score {
			return out[a].score > out[b].score
		}
		return out[a].fact < out[b].fact // stable across runs
	})
	return out
}

// similarity is the weighted Jaccard overlap of the question's terms and a
// sample question's terms.
// phTotal is the sample question's idf sum, computed once at start-up.
func (ix *index) similarity(q []qterm, qTotal float64, ph []int32, phTotal float64) float64 {
	var inter float64
	for _, t := range q {
		if t.id < 0 {
			continue
		}
		i := sort.Search(len(ph), func(i int) bool { return ph[i] >= t.id })
		if i < len(ph) && ph[i] == t.id {
			inter += t.weight
			phTotal -= ix.idf[t.id]
		}
	}
	union := qTotal + phTotal
	if union == 0 {
		return 0
	}
	return inter / union
}
