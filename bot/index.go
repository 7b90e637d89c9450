package bot

import (
	"math"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/liberterra/liberterra/facts"
)

// index is the fact base prepared for matching: every fact's terms with a
// weight saying how central the term is to the fact, the inverse document
// frequency of every term, and the entity aliases to spot in questions.
type index struct {
	base   *facts.Base
	terms  map[string]int32 // term (stem or "#entity") -> id
	idf    []float64        // by term id
	maxIDF float64
	// common is, by term id, the credit a fact gets for a question word it
	// lacks that many facts use: the word hardly tells facts apart.
	common []float64
	facts  []factEntry
	// postings lists, by term id, the facts that have the term.
	postings [][]int32
	// known holds the surface words of the fact base (and the synonym and
	// stop word lists): a question word outside it is a typo or unknown.
	known map[string]bool
	// freq counts how often the fact base uses each word.
	freq map[string]int
	// spell lists, by first letter, the known words of 4+ letters: the
	// candidates for correcting a misspelt question word (typos rarely
	// change the first letter, and the buckets keep the search short).
	spell map[byte][]string
	// corrections caches correct's answers; see correct.
	corrections sync.Map
	cached      atomic.Int64
	// aliases maps an entity alias, as words, to the entity term.
	aliases map[string]string
	// aliasLen maps the first word of every alias to the most words an
	// alias starting with it has.
	aliasLen map[string]int
	// nameParts maps each word of a person's name ("ilias", "kavanagh")
	// to the person's entity term.
	nameParts map[string]string
	// entityName maps an entity term to the entity's display name.
	entityName map[string]string
}

// factEntry is one fact as the matcher sees it.
type factEntry struct {
	fact    *facts.Fact
	weights map[int32]float64 // term id -> weight in (0, 1]
	// paraphrases are the fact's sample questions as term-id sets.
	paraphrases [][]int32
	// paraWeight is, by paraphrase, the sum of its terms' idf.
	paraWeight []float64
}

// Field weights: how strongly a term in each part of a fact says that a
// question containing it asks for this fact.
const (
	weightQuestion = 1.0
	weightKeyword  = 1.0
	weightTopic    = 1.0
	weightAbout    = 1.0
	weightAnswer   = 0.8
	weightQuote    = 0.5
)

// A term used by at least commonShare of the facts is common; a fact
// lacking it still gets commonCredit for it in the non-entity coverage.
const (
	commonShare  = 0.08
	commonCredit = 0.35
)

func newIndex(b *facts.Base) *index {
	ix := &index{
		base:       b,
		terms:      map[string]int32{},
		known:      map[string]bool{},
		freq:       map[string]int{},
		aliases:    map[string]string{},
		entityName: map[string]string{},
		nameParts:  map[string]string{},
		spell:      map[byte][]string{},
		aliasLen:   map[string]int{},
	}
	for _, e := range b.Entities {
		term := "#" + e.ID
		ix.entityName[term] = e.Name
		for _, a := range append([]string{e.Name}, e.Aliases...) {
			ws := splitWords(a)
			if e.Kind == "person" && len(ws) == 2 {
				for _, w := range ws {
					ix.nameParts[w] = term
				}
			}
			if len(ws) == 0 {
				continue
			}
			ix.aliases[strings.Join(ws, " ")] = term
			ix.aliasLen[ws[0]] = max(ix.aliasLen[ws[0]], len(ws))
			for _, w := range ws {
				ix.known[w] = true
			}
		}
	}
	for w := range stopWords {
		ix.known[w] = true
	}
	for w, to := range synonyms {
		ix.known[w] = true
		ix.known[to] = true
	}

	for _, f := range b.Facts {
		fe := factEntry{fact: f, weights: map[int32]float64{}}
		add := func(text string, weight float64) []int32 {
			var ids []int32
			for _, t := range ix.analyze(text, true) {
				if weight == weightQuote && t == "say" {
					continue // "said Jurgen Stock" attributes; it is not what a fact is about
				}
				id := ix.termID(t)
				fe.weights[id] = max(fe.weights[id], weight)
				ids = append(ids, id)
			}
			return ids
		}
		for _, id := range f.About {
			tid := ix.termID("#" + id)
			fe.weights[tid] = max(fe.weights[tid], weightAbout)
		}
		add(f.Topic, weightTopic)
		add(strings.Join(f.Keywords, " "), weightKeyword)
		add(f.Answer, weightAnswer)
		for _, c := range f.Citations {
			add(c.Quote, weightQuote)
		}
		for _, q := range f.Questions {
			fe.paraphrases = append(fe.paraphrases, dedupe(add(q, weightQuestion)))
		}
		ix.facts = append(ix.facts, fe)
	}

	// Inverse document frequency over facts, smoothed.
	df := make([]int, len(ix.terms))
	ix.postings = make([][]int32, len(ix.terms))
	for i, fe := range ix.facts {
		for id := range fe.weights {
			df[id]++
			ix.postings[id] = append(ix.postings[id], int32(i))
		}
	}
	for _, p := range ix.postings {
		sort.Slice(p, func(a, b int) bool { return p[a] < p[b] })
	}
	n := float64(len(ix.facts))
	ix.idf = make([]float64, len(ix.terms))
	ix.common = make([]float64, len(ix.terms))
	for id, d := range df {
		ix.idf[id] = math.Log(1 + n/float64(max(d, 1)))
		if float64(d) >= commonShare*n {
			ix.common[id] = commonCredit
		}
		ix.maxIDF = max(ix.maxIDF, ix.idf[id])
	}
	for i := range ix.facts {
		fe := &ix.facts[i]
		for _, ph := range fe.paraphrases {
			var total float64
			for _, id := range ph {
				total += ix.idf[id]
			}
			fe.paraWeight = append(fe.paraWeight, total)
		}
	}
	for w := range ix.known {
		if len(w) >= 4 && !isDigit(rune(w[0])) {
			ix.spell[w[0]] = append(ix.spell[w[0]], w)
		}
	}
	for _, ws := range ix.spell {
		sort.Strings(ws)
	}
	return ix
}

func (ix *index) termID(t string) int32 {
	id, ok := ix.terms[t]
	if !ok {
		id = int32(len(ix.terms))
		ix.terms[t] = id
	}
	return id
}

func dedupe(ids []int32) []int32 {
	sort.Slice(ids, func(a, b int) bool { return ids[a] < ids[b] })
	out := ids[:0]
	for i, id := range ids {
		if i == 0 || id != ids[i-1] {
			out = append(out, id)
		}
	}
	return out
}

// analyze turns text into terms: entity mentions become "#id" terms, other
// words are mapped through synonyms, stemmed, and stop words dropped. With
// learn set (building the index) it records the surface words as known.
func (ix *index) analyze(text string, learn bool) []string {
	words := splitWords(phraseRewrites.Replace(strings.ToLower(text)))
	var out []string
	for i := 0; i < len(words); {
		if term, n := ix.entityAt(words[i:]); n > 0 {
			out = append(out, term)
			i += n
			continue
		}
		w := words[i]
		i++
		if learn {
			ix.known[w] = true
			ix.freq[w]++
		}
		if t := normTerm(w); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// normTerm maps one word to its term, or "" for a stop word.
func normTerm(w string) string {
	if stopWords[w] {
		return ""
	}
	if to, ok := synonyms[w]; ok {
		w = to
		if stopWords[w] {
			return ""
		}
	}
	return stem(w)
}

// entityAt reports the entity alias that starts words, longest first, and
// how many words it spans.
func (ix *index) entityAt(words []string) (string, int) {
	for n := min(ix.aliasLen[words[0]], len(words)); n > 0; n-- {
		key := words[0]
		if n > 1 {
			key = strings.Join(words[:n], " ")
		}
		if term, ok := ix.aliases[key]; ok {
			return term, n
		}
	}
	return "", 0
}
