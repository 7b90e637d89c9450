package bot

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"sort"
	"sync"
)

// Stage 3 of 5: retrieve. The analysed question's terms are looked up in
// the posting lists and every fact that shares one is scored: a BM25F score
// to rank by, and how much of the question the fact covers, to decide by.

// Candidate is one fact the question may be about.
type Candidate struct {
	fact int32
	// Score ranks candidates (BM25F over the fact's fields, with the
	// question's terms weighted).
	Score float64
	// Coverage is the share of the question's weight the fact covers, in
	// [0, 1]: entities, words and numbers it has, by their weight.
	Coverage float64
	// Missing are the question's terms the fact lacks, most telling first.
	Missing []*qterm // into the Analysis's Terms
	// missingMust says the fact lacks the word a "what is the X of"
	// question asks for; roleMismatch that it names a place the question
	// asks about only as where people came from or went.
	missingMust  bool
	roleMismatch string
	missingAsked bool
}

// Retrieval is the retrieve stage's result: the candidates, best first.
type Retrieval struct {
	Candidates []Candidate
	// total is the question's whole weight, the denominator of Coverage.
	total float64
	buf   *retrievalBuf // the arrays, for release
}

// retrievalBuf holds the arrays of a Retrieval, reused across questions:
// they were a fifth of the bytes an answer allocated.
type retrievalBuf struct {
	candidates []Candidate
	missing    []*qterm
}

var retrievalPool sync.Pool

// release hands the retrieval's arrays back for reuse: the caller no
// longer reads r or its candidates.
func (r *Retrieval) release() {
	if r.buf == nil {
		return
	}
	clear(r.buf.candidates) // hold on to no question's terms
	clear(r.buf.missing)
	retrievalPool.Put(r.buf)
	*r = Retrieval{}
}

// maxCandidates is how many of the top-scored facts the later stages look
// at closely.
const maxCandidates = 12

// scratch holds the per-question accumulators, reused across questions.
type scratch struct {
	acc  []accumulator // by fact
	seen []int32       // facts touched, to reset
}

// accumulator is what the question's terms add up to in one fact.
type accumulator struct {
	score, cover float64
	// matched has a bit for each of the question's first 63 terms the
	// fact has, so inspect need not look them up again, and bit 63 for
	// any later term: it is never 0 once the fact is touched.
	matched uint64
}

// termBits is how many terms have a bit of their own in matched.
const termBits = 63

// termBit is the bit of the i-th term in matched.
func termBit(i int) uint64 {
	if i < termBits {
		return 1 << i
	}
	return 1 << termBits
}

var scratchPool sync.Pool

func (ix *index) scratch() *scratch {
	s, _ := scratchPool.Get().(*scratch)
	if s == nil || len(s.acc) != len(ix.facts) {
		s = &scratch{acc: make([]accumulator, len(ix.facts))}
	}
	return s
}

func (ix *index) release(s *scratch) {
	for _, f := range s.seen {
		s.acc[f] = accumulator{}
	}
	s.seen = s.seen[:0]
	scratchPool.Put(s)
}

// retrieve scores the facts that share a term with the question. Terms
// that few facts have find the candidates, through their posting lists;
// terms that many facts have ("people", "arrested" in a base of 100,000
// facts) only add to the scores of those candidates, looked up in their
// posting lists by binary search. In a base as small as the curated one
// every term finds candidates but domain words. The best maxCandidates
// are kept in order as they come, not sorted from every fact touched.
func (ix *index) retrieve(an *Analysis) Retrieval {
	var r Retrieval
	for _, t := range an.Terms {
		r.total += t.cover
	}
	if r.total == 0 {
		return r
	}
	s := ix.scratch()
	defer ix.release(s)
	// lookup is one of the question's terms as the index has it, with
	// its weights in the score (BM25's idf and k1+1 folded in) and the
	// coverage.
	type lookup struct {
		id           int32
		score, cover float64
		bit          uint64
	}
	var findBuf, scoreBuf [24]lookup
	finders, scorers := findBuf[:0], scoreBuf[:0]
	common := max(commonFloor, len(ix.facts)/commonShare)
	for i := range an.Terms {
		t := &an.Terms[i]
		for k, term := range [2]string{t.term, t.alt} {
			if term == "" {
				continue
			}
			id := ix.lookup(term)
			if id < 0 {
				continue
			}
			scale := 1.0
			if k == 1 {
				scale = 0.9 // a restricted synonym counts a little less
			}
			l := lookup{id: id, score: scale * t.rank * ix.idf[id] * (bm25K1 + 1), cover: scale * t.cover, bit: termBit(i)}
			// A domain word ("operation", "INTERPOL") says little: like
			// a common term it only adds to the facts others find (a
			// fact sharing nothing else with the question could not
			// answer it; measured: 2 of 843 dev and test replies
			// changed, a decline's confidence by 0.005).
			if len(ix.postings[id]) > common || t.kind == termDomain {
				scorers = append(scorers, l)
			} else {
				finders = append(finders, l)
			}
		}
	}
	if len(finders) == 0 {
		finders, scorers = scorers, nil // only common terms: they must find
	}
	add := func(l *lookup, p posting, a *accumulator) {
		tf := float64(p.tf)
		a.score += l.score * tf / (tf + bm25K1)
		a.cover += l.cover * p.credit()
		a.matched |= l.bit
	}
	for i := range finders {
		l := &finders[i]
		for _, p := range ix.postings[l.id] {
			f := p.fact()
			a := &s.acc[f]
			if a.matched == 0 {
				s.seen = append(s.seen, f)
			}
			add(l, p, a)
		}
	}
	for i := range scorers {
		l := &scorers[i]
		ps := ix.postings[l.id]
		if len(ps) <= len(s.seen)*bits.Len(uint(len(ps))) {
			// A list no longer than the searches would cost is walked:
			// the facts found are those touched (never 0, see matched).
			for _, p := range ps {
				if a := &s.acc[p.fact()]; a.matched != 0 {
					add(l, p, a)
				}
			}
			continue
		}
		for _, f := range s.seen {
			i := sort.Search(len(ps), func(i int) bool { return ps[i].fact() >= f })
			if i < len(ps) && ps[i].fact() == f {
				add(l, ps[i], &s.acc[f])
			}
		}
	}
	var topBuf [maxCandidates]int32
	top := topFacts(topBuf[:0], s.seen, s.acc)
	// The candidates' missing terms share one array, of the size they need.
	var asked uint64 // bits of the terms never missing
	for i := range min(termBits, len(an.Terms)) {
		if an.Terms[i].kind == termAsked {
			asked |= 1 << i
		}
	}
	all := uint64(1)<<min(termBits, len(an.Terms)) - 1
	n := 0
	for _, f := range top {
		n += bits.OnesCount64(all&^asked&^s.acc[f].matched) + max(0, len(an.Terms)-termBits)
	}
	r.buf, _ = retrievalPool.Get().(*retrievalBuf)
	if r.buf == nil {
		r.buf = &retrievalBuf{}
	}
	missing := slices.Grow(r.buf.missing[:0], n)
	r.Candidates = slices.Grow(r.buf.candidates[:0], len(top))
	// The places the question asks about as where something happened
	// ("arrests in Bosnia"): roles constrain places only, and "did the
	// NCA arrest anyone" names who.
	var situatedBuf [4]string
	situated := situatedBuf[:0]
	for _, m := range an.Entities {
		if e := ix.entity(m.entity); m.role.situated() && e != nil && e.IsPlace() {
			situated = append(situated, m.entity)
		}
	}
	// The terms, most telling first, so each candidate's missing terms
	// come in that order.
	var orderBuf [32]int
	order := orderBuf[:0]
	for i := range an.Terms {
		order = append(order, i)
	}
	slices.SortStableFunc(order, func(i, j int) int { return cmp.Compare(an.Terms[j].cover, an.Terms[i].cover) })
	for _, f := range top {
		a := &s.acc[f]
		c := Candidate{fact: f, Score: a.score, Coverage: math.Min(1, a.cover/r.total)}
		missing = ix.inspect(an, order, situated, &c, a.matched, missing)
		r.Candidates = append(r.Candidates, c)
	}
	r.buf.missing, r.buf.candidates = missing, r.Candidates
	return r
}

// A term some commonShare-th of the facts have (and at least commonFloor)
// only scores the candidates other terms find: at 100,000 facts, a term
// in 2,000 of them.
const (
	commonShare = 50
	commonFloor = 1000
)

// topFacts appends to top (of capacity k) the k facts with the highest
// scores, best first (ties by fact order). Each fact is tried against the
// worst kept; the few better ones are inserted in order.
func topFacts(top []int32, facts []int32, acc []accumulator) []int32 {
	better := func(a, b int32) bool {
		if acc[a].score != acc[b].score {
			return acc[a].score > acc[b].score
		}
		return a < b
	}
	k := cap(top)
	worst := 0.0 // the score of top[k-1] once top is full
	for _, f := range facts {
		if sc := acc[f].score; len(top) == k && (sc < worst || sc == worst && f > top[k-1]) {
			continue // most facts: no better than the worst kept
		}
		if len(top) < k {
			top = append(top, f)
		}
		i := len(top) - 1
		for ; i > 0 && better(f, top[i-1]); i-- {
			top[i] = top[i-1]
		}
		top[i] = f
		worst = acc[top[len(top)-1]].score
	}
	return top
}

// inspect fills in what a candidate lacks: the question's terms it does not
// cover, the asked-for noun, a place in the wrong role (one of situated,
// the places the question asks about as where something happened).
// The missing terms, taken in order (most telling first), are appended
// to buf, which is returned.
func (ix *index) inspect(an *Analysis, order []int, situated []string, c *Candidate, matched uint64, buf []*qterm) []*qterm {
	start := len(buf)
	fe := &ix.facts[c.fact]
	for _, i := range order {
		t := &an.Terms[i]
		if t.kind == termAsked {
			continue
		}
		var has bool
		if i < termBits {
			has = matched&(1<<i) != 0
		} else {
			has = ix.has(t.term, c.fact) || t.alt != "" && ix.has(t.alt, c.fact)
		}
		if !has {
			buf = append(buf, t)
			if t.must {
				c.missingMust = true
			}
		}
	}
	if len(buf) > start {
		c.Missing = buf[start:len(buf):len(buf)]
	}
	for _, place := range situated {
		// Only a place the fact names as where people came from or went
		// (or as their nationality) is a mismatch; a bare mention is not.
		if r, ok := fe.roles.get(place); ok && (r == roleOrigin || r == roleDest || r == roleNational) {
			c.roleMismatch = place
		}
	}
	return buf
}

// has reports whether the fact has the term in any field.
func (ix *index) has(term string, fact int32) bool {
	id := ix.lookup(term)
	if id < 0 {
		return false
	}
	ps := ix.postings[id]
	i := sort.Search(len(ps), func(i int) bool { return ps[i].fact() >= fact })
	return i < len(ps) && ps[i].fact() == fact
}
