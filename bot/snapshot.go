package bot

import (
	"errors"
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/liberterra/liberterra/facts"
)

// A snapshot is a bot ready to answer, written to bytes: the checked fact
// base (facts.Base.EncodeSnapshot) followed by the index built from it. Read
// back, it spares the YAML parsing, the quote check and the index building
// that dominate start-up; what is cheap to make (the lexicon's maps, the
// cleaner) is made afresh. See `liberterra facts compile`.

// indexLayout opens the index part of a snapshot; the number is raised
// whenever what is written changes. The index also depends on the code
// that builds it (weights, the lexicon's reading): the embedded snapshot is
// checked against a fresh build by TestEmbeddedSnapshotIsFresh.
const indexLayout = "index 1"

// WriteSnapshot writes the bot's fact base and index to w, with the
// fingerprint of the files the base was read from (facts.Fingerprint).
func (b *Bot) WriteSnapshot(w io.Writer, fingerprint uint64) error {
	e := facts.NewEncoder(w)
	b.base.EncodeSnapshot(e, fingerprint)
	b.ix.encode(e)
	return e.Flush()
}

// ReadSnapshot makes a bot from a snapshot written by WriteSnapshot. With a
// non-zero fingerprint it refuses, with facts.ErrStaleSnapshot, a snapshot
// made from other files.
func ReadSnapshot(data string, fingerprint uint64, opts ...Option) (*Bot, error) {
	d := facts.NewDecoder(data)
	base, err := facts.DecodeSnapshot(d, fingerprint)
	if err != nil {
		return nil, err
	}
	// The lexicon's reading is made while the index is read: start-up
	// nearly halves on two cores.
	langc := make(chan *lang, 1)
	go func() { langc <- newLang(base) }()
	ix := decodeIndex(d, base)
	l := <-langc
	if err := d.Err(); err != nil {
		return nil, err
	}
	if !d.Done() {
		return nil, errors.New("snapshot corrupt: bytes after its end")
	}
	return newBot(base, l, ix, opts...), nil
}

func (ix *index) encode(e *facts.Encoder) {
	e.String(indexLayout)
	e.Strings(ix.termText)
	for _, ps := range ix.postings {
		e.Uint(uint64(len(ps)))
		last := int32(0)
		for _, p := range ps {
			e.Uint(uint64(p.fact() - last)) // in fact order: the gaps are small
			last = p.fact()
			e.Uint(uint64(math.Float32bits(p.tf)))
			e.Uint(uint64(p.fields()))
		}
	}
	for i := range ix.facts {
		fe := &ix.facts[i]
		encodeRoles(e, fe.roles)
		encodeRoles(e, fe.answerRoles)
		e.Uint(uint64(fe.gives))
		e.Bool(fe.specific)
		e.Uint(uint64(fe.places))
		e.Bool(fe.answerNamesSource)
		encodeTermSet(e, fe.answerTerms)
		for _, sets := range [][]termSet{fe.quoteTerms, fe.quoteOnly} {
			e.Uint(uint64(len(sets)))
			for _, s := range sets {
				encodeTermSet(e, s)
			}
		}
	}
	words := make([]string, 0, len(ix.vocab))
	for w := range ix.vocab {
		words = append(words, w)
	}
	sort.Strings(words) // the same index always writes the same bytes
	e.Uint(uint64(len(words)))
	for _, w := range words {
		e.String(w)
		e.Uint(uint64(ix.vocab[w]))
	}
}

func encodeRoles(e *facts.Encoder, l roleList) {
	e.Uint(uint64(len(l)))
	for _, er := range l {
		e.String(er.entity)
		e.Uint(uint64(er.role))
	}
}

func encodeTermSet(e *facts.Encoder, s termSet) {
	e.Uint(uint64(len(s)))
	last := int32(0)
	for _, id := range s {
		e.Uint(uint64(id - last)) // sorted: the gaps are small
		last = id
	}
}

func decodeIndex(d *facts.Decoder, base *facts.Base) *index {
	if layout := d.String(); layout != indexLayout {
		d.Fail(fmt.Errorf("the snapshot's index is of another layout (%q, this binary reads %q): make it again with `liberterra facts compile`", layout, indexLayout))
		return nil
	}
	if len(base.Facts) > maxIndexFacts {
		d.Fail(fmt.Errorf("the snapshot holds %d facts, more than an index holds (%d)", len(base.Facts), maxIndexFacts))
		return nil
	}
	nFacts := int32(len(base.Facts))
	ix := &index{base: base}
	ix.termText = d.Strings()
	ix.terms = make(map[string]int32, len(ix.termText))
	for id, t := range ix.termText {
		ix.terms[t] = int32(id)
	}
	nTerms := int32(len(ix.termText))
	ix.postings = make([][]posting, nTerms)
	ix.idf = make([]float64, nTerms)
	n := float64(nFacts)
	for id := range ix.postings {
		ps := make([]posting, d.Len())
		last := int32(0)
		for k := range ps {
			gap := d.Uint()
			if gap > uint64(nFacts) || last+int32(gap) >= nFacts {
				d.Fail(errors.New("snapshot corrupt: a posting names no fact"))
				return nil
			}
			last += int32(gap)
			tf := math.Float32frombits(uint32(d.Uint()))
			ps[k] = newPosting(last, uint8(d.Uint()&(1<<numFields-1)), tf)
		}
		ix.postings[id] = ps
		df := float64(len(ps))
		ix.idf[id] = math.Log(1 + (n-df+0.5)/(df+0.5))
	}
	ix.facts = make([]factEntry, nFacts)
	for i := range ix.facts {
		fe := &ix.facts[i]
		fe.fact = base.Facts[i]
		fe.roles = decodeRoles(d, base)
		fe.answerRoles = decodeRoles(d, base)
		fe.gives = gives(d.Uint())
		fe.specific = d.Bool()
		fe.places = int(d.Uint())
		fe.answerNamesSource = d.Bool()
		fe.answerTerms = decodeTermSet(d, nTerms)
		for _, sets := range []*[]termSet{&fe.quoteTerms, &fe.quoteOnly} {
			*sets = make([]termSet, d.Len())
			for k := range *sets {
				(*sets)[k] = decodeTermSet(d, nTerms)
			}
		}
		if len(fe.quoteTerms) != len(fe.fact.Citations) || len(fe.quoteOnly) != len(fe.fact.Citations) {
			d.Fail(fmt.Errorf("snapshot corrupt: fact %s has %d citations and terms for %d", fe.fact.ID, len(fe.fact.Citations), len(fe.quoteTerms)))
		}
		if d.Err() != nil {
			return nil
		}
	}
	nWords := d.Len()
	ix.vocab = make(map[string]int, nWords)
	for range nWords {
		w := d.String()
		ix.vocab[w] = int(d.Uint())
	}
	return ix
}

func decodeRoles(d *facts.Decoder, base *facts.Base) roleList {
	n := d.Len()
	if n == 0 {
		return nil
	}
	l := make(roleList, n)
	for i := range l {
		id, r := d.String(), d.Uint()
		if r >= uint64(len(roleNames)) {
			d.Fail(fmt.Errorf("snapshot corrupt: role %d", r))
			return nil
		}
		if e := base.Entity(id); e != nil {
			id = e.ID // one copy of each id
		}
		l[i] = entityRole{entity: id, role: role(r)}
	}
	return l
}

func decodeTermSet(d *facts.Decoder, nTerms int32) termSet {
	n := d.Len()
	if n == 0 {
		return nil
	}
	s := make(termSet, n)
	last := int32(0)
	for i := range s {
		gap := d.Uint()
		if gap > uint64(nTerms) || last+int32(gap) >= nTerms {
			d.Fail(errors.New("snapshot corrupt: a term set names no term"))
			return nil
		}
		last += int32(gap)
		s[i] = last
	}
	return s
}
