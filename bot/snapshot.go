package bot

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/liberterra/liberterra/facts"
)

// A snapshot is a bot ready to answer, written to bytes: the checked fact
// base (facts.Base.EncodeSnapshot), then the index built from it and the
// words of the facts' topics, then a trailer giving where the index
// starts. Read back, it spares the YAML parsing, the quote check and the
// index building that dominate start-up; what is cheap to make (the
// lexicon's maps, the cleaner) is made afresh. See `liberterra facts
// compile`.
//
// The two parts are apart so that Open can read them differently: the
// base part into a buffer that stays, its strings (articles, answers,
// quotes) being parts of it rather than copies; the index part from the
// file a little at a time, into structures of its own, so no buffer of a
// sixth of a large snapshot is made only to be dropped.

// indexLayout opens the index part of a snapshot; the number is raised
// whenever what is written changes. The index also depends on the code
// that builds it (weights, the lexicon's reading): the embedded snapshot is
// checked against a fresh build by TestEmbeddedSnapshotIsFresh.
const indexLayout = "index 3"

// trailerLen is the size of the trailer: where the index part starts, as
// a little-endian uint64.
const trailerLen = 8

// WriteSnapshot writes the bot's fact base and index to w, with the
// fingerprint of the files the base was read from (facts.Fingerprint).
func (b *Bot) WriteSnapshot(w io.Writer, fingerprint uint64) error {
	cw := &countingWriter{w: w}
	e := facts.NewEncoder(cw)
	b.base.EncodeSnapshot(e, fingerprint)
	if err := e.Flush(); err != nil {
		return err
	}
	indexAt := cw.n
	b.ix.encode(e)
	encodeTopicWords(e, b.topicWords, b.topicFacts)
	if err := e.Flush(); err != nil {
		return err
	}
	_, err := cw.Write(binary.LittleEndian.AppendUint64(nil, uint64(indexAt)))
	return err
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// ReadSnapshot makes a bot from a snapshot written by WriteSnapshot. With a
// non-zero fingerprint it refuses, with facts.ErrStaleSnapshot, a snapshot
// made from other files.
func ReadSnapshot(data string, fingerprint uint64, opts ...Option) (*Bot, error) {
	indexAt, err := snapshotIndexAt(data[len(data)-min(len(data), trailerLen):], int64(len(data)))
	if err != nil {
		return nil, err
	}
	index := data[indexAt : len(data)-trailerLen]
	return readSnapshot(data[:indexAt], strings.NewReader(index), int64(len(index)), fingerprint, opts...)
}

// snapshotIndexAt reads the trailer of a snapshot of size bytes: where its
// index part starts.
func snapshotIndexAt(trailer string, size int64) (int64, error) {
	if len(trailer) != trailerLen {
		return 0, errors.New("snapshot cut short: no trailer")
	}
	at := binary.LittleEndian.Uint64([]byte(trailer))
	if at > uint64(size-trailerLen) {
		return 0, errors.New("snapshot cut short or corrupt: its index lies past its end")
	}
	return int64(at), nil
}

// readSnapshot makes a bot from the base part of a snapshot and its index
// part, n bytes read from index once the base is decoded.
func readSnapshot(basePart string, index io.Reader, n int64, fingerprint uint64, opts ...Option) (*Bot, error) {
	d := facts.NewDecoder(basePart)
	base, err := facts.DecodeSnapshot(d, fingerprint)
	if err != nil {
		return nil, err
	}
	if !d.Done() {
		return nil, errors.New("snapshot corrupt: bytes between its base and its index")
	}
	// The lexicon's reading is made while the index is read: start-up
	// nearly halves on two cores.
	langc := make(chan *lang, 1)
	go func() { langc <- newLang(base) }()
	p := newPartReader(index, n)
	ix := decodeIndex(p, base)
	var topics *topicIndex
	if p.Err() == nil {
		topics = decodeTopicWords(p, int32(len(base.Facts)))
	}
	l := <-langc
	if err := p.Err(); err != nil {
		return nil, err
	}
	if !p.Done() {
		return nil, errors.New("snapshot corrupt: bytes after its index")
	}
	return newBot(base, l, ix, topics, opts...), nil
}

// The index part holds, after its layout: the terms; the total of
// postings, then each term's; the total of term ids in the facts' term
// sets; the distinct lists of roles; each fact's entry, naming its lists
// of roles by number; the vocabulary. Totals first let the reader make one
// array for all the postings, one for all the term sets and one for all
// the roles, and hand out parts of them: far fewer, denser allocations
// than one a list. The lists of roles recur (a tenth are distinct), and a
// citation's terms are often those of its quote alone (a flag says so):
// those are shared.

func (ix *index) encode(e *facts.Encoder) {
	e.String(indexLayout)
	e.Strings(ix.termText)
	nPostings := 0
	for _, ps := range ix.postings {
		nPostings += len(ps)
	}
	e.Uint(uint64(nPostings))
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
	nSetIDs := 0
	for i := range ix.facts {
		fe := &ix.facts[i]
		nSetIDs += len(fe.answerTerms)
		for k := range fe.quoteOnly {
			nSetIDs += len(fe.quoteOnly[k])
			if !slices.Equal(fe.quoteTerms[k], fe.quoteOnly[k]) {
				nSetIDs += len(fe.quoteTerms[k])
			}
		}
	}
	e.Uint(uint64(nSetIDs))
	// The distinct lists of roles, numbered from 1 in the order first met
	// (0 is none).
	roleLists := map[string]uint64{}
	var distinct []roleList
	nRoles := 0
	roleRef := func(l roleList) uint64 {
		if len(l) == 0 {
			return 0
		}
		var key strings.Builder
		for _, er := range l {
			key.WriteString(er.entity)
			key.WriteByte(0)
			key.WriteByte(byte(er.role))
		}
		n, ok := roleLists[key.String()]
		if !ok {
			distinct = append(distinct, l)
			nRoles += len(l)
			n = uint64(len(distinct))
			roleLists[key.String()] = n
		}
		return n
	}
	refs := make([]uint64, 0, 2*len(ix.facts))
	for i := range ix.facts {
		refs = append(refs, roleRef(ix.facts[i].roles), roleRef(ix.facts[i].answerRoles))
	}
	e.Uint(uint64(nRoles))
	e.Uint(uint64(len(distinct)))
	for _, l := range distinct {
		e.Uint(uint64(len(l)))
		for _, er := range l {
			e.String(er.entity)
			e.Uint(uint64(er.role))
		}
	}
	for i := range ix.facts {
		fe := &ix.facts[i]
		e.Uint(refs[2*i])
		e.Uint(refs[2*i+1])
		e.Uint(uint64(fe.gives))
		e.Bool(fe.specific)
		e.Uint(uint64(fe.places))
		e.Bool(fe.answerNamesSource)
		encodeTermSet(e, fe.answerTerms)
		e.Uint(uint64(len(fe.quoteOnly)))
		for k := range fe.quoteOnly {
			encodeTermSet(e, fe.quoteOnly[k])
			same := slices.Equal(fe.quoteTerms[k], fe.quoteOnly[k])
			e.Bool(same)
			if !same {
				encodeTermSet(e, fe.quoteTerms[k])
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

func encodeTermSet(e *facts.Encoder, s termSet) {
	e.Uint(uint64(len(s)))
	last := int32(0)
	for _, id := range s {
		e.Uint(uint64(id - last)) // sorted: the gaps are small
		last = id
	}
}

func decodeIndex(d *partReader, base *facts.Base) *index {
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
	all := make([]posting, d.Len()) // every term's postings, in term order
	for id := range ix.postings {
		k := d.Len()
		if k > len(all) {
			d.Fail(errors.New("snapshot corrupt: more postings than it counts"))
			return nil
		}
		ps := all[:k:k]
		all = all[k:]
		last := int32(0)
		for k := range ps {
			gap := d.Uint()
			if gap > uint64(nFacts) || last+int32(gap) >= nFacts {
				d.Fail(errors.New("snapshot corrupt: a posting names no fact"))
				return nil
			}
			last += int32(gap)
			tf := d.Float32()
			ps[k] = newPosting(last, uint8(d.Uint()&(1<<numFields-1)), tf)
		}
		ix.postings[id] = ps
		df := float64(len(ps))
		ix.idf[id] = math.Log(1 + (n-df+0.5)/(df+0.5))
	}
	sets := termSetReader{d: d, ids: make([]int32, d.Len()), nTerms: nTerms}
	roles := decodeRoleLists(d, base)
	if d.Err() != nil {
		return nil
	}
	nextRoles := func() roleList {
		n := d.Uint()
		if n > uint64(len(roles)) {
			d.Fail(fmt.Errorf("snapshot corrupt: list of roles %d of %d", n, len(roles)))
			return nil
		}
		if n == 0 {
			return nil
		}
		return roles[n-1]
	}
	nCitations := 0
	for _, f := range base.Facts {
		nCitations += len(f.Citations)
	}
	quoteSets := make([]termSet, 2*nCitations) // every fact's quoteTerms and quoteOnly
	ix.facts = make([]factEntry, nFacts)
	for i := range ix.facts {
		fe := &ix.facts[i]
		fe.fact = base.Facts[i]
		fe.roles = nextRoles()
		fe.answerRoles = nextRoles()
		fe.gives = gives(d.Uint())
		fe.specific = d.Bool()
		fe.places = int32(min(d.Uint(), math.MaxInt32))
		fe.answerNamesSource = d.Bool()
		fe.answerTerms = sets.next()
		nc := d.Len()
		if nc != len(fe.fact.Citations) {
			d.Fail(fmt.Errorf("snapshot corrupt: fact %s has %d citations and terms for %d", fe.fact.ID, len(fe.fact.Citations), nc))
			return nil
		}
		if nc > 0 {
			fe.quoteTerms, fe.quoteOnly = quoteSets[:nc:nc], quoteSets[nc:2*nc:2*nc]
			quoteSets = quoteSets[2*nc:]
		}
		for k := range nc {
			fe.quoteOnly[k] = sets.next()
			if d.Bool() {
				fe.quoteTerms[k] = fe.quoteOnly[k]
			} else {
				fe.quoteTerms[k] = sets.next()
			}
		}
		if d.Err() != nil {
			return nil
		}
	}
	words := make([]string, d.Len())
	counts := make([]int, len(words))
	for i := range words {
		words[i], counts[i] = d.String(), int(d.Uint())
	}
	ix.vocab = make(map[string]int, len(words))
	for i, w := range words {
		ix.vocab[w] = counts[i]
	}
	return ix
}

// decodeRoleLists reads the distinct lists of roles, all parts of one
// array.
func decodeRoleLists(d *partReader, base *facts.Base) []roleList {
	all := make([]entityRole, d.Len())
	lists := make([]roleList, d.Len())
	for i := range lists {
		n := d.Len()
		if n > len(all) {
			d.Fail(errors.New("snapshot corrupt: more roles than it counts"))
			return nil
		}
		l := all[:n:n]
		all = all[n:]
		for k := range l {
			id, r := d.String(), d.Uint()
			if r >= uint64(len(roleNames)) {
				d.Fail(fmt.Errorf("snapshot corrupt: role %d", r))
				return nil
			}
			if e := base.Entity(id); e != nil {
				id = e.ID // one copy of each id
			}
			l[k] = entityRole{entity: id, role: role(r)}
		}
		lists[i] = l
	}
	return lists
}

// termSetReader reads term sets into parts of one array of term ids.
type termSetReader struct {
	d      *partReader
	ids    []int32
	nTerms int32
}

func (r *termSetReader) next() termSet {
	n := r.d.Len()
	if n == 0 {
		return nil
	}
	if n > len(r.ids) {
		r.d.Fail(errors.New("snapshot corrupt: more term ids than it counts"))
		return nil
	}
	s := termSet(r.ids[:n:n])
	r.ids = r.ids[n:]
	last := int32(0)
	for i := range s {
		gap := r.d.Uint()
		if gap > uint64(r.nTerms) || last+int32(gap) >= r.nTerms {
			r.d.Fail(errors.New("snapshot corrupt: a term set names no term"))
			return nil
		}
		last += int32(gap)
		s[i] = last
	}
	return s
}

// encodeTopicWords writes the words of the facts' topics, by first letter
// and in the order met, each with the facts whose topic has it.
func encodeTopicWords(e *facts.Encoder, words map[byte][]string, facts map[string][]int32) {
	letters := make([]int, 0, len(words))
	nWords, nFacts := 0, 0
	for c, ws := range words {
		letters = append(letters, int(c))
		nWords += len(ws)
		for _, w := range ws {
			nFacts += len(facts[w])
		}
	}
	sort.Ints(letters)
	e.Uint(uint64(nWords))
	e.Uint(uint64(nFacts))
	for _, c := range letters {
		for _, w := range words[byte(c)] {
			e.String(w)
			fs := facts[w]
			e.Uint(uint64(len(fs)))
			last := int32(0)
			for _, f := range fs {
				e.Uint(uint64(f - last)) // in fact order
				last = f
			}
		}
	}
}

// decodeTopicWords reads what encodeTopicWords wrote; the lists of facts
// are parts of one array.
func decodeTopicWords(d *partReader, nFacts int32) *topicIndex {
	nWords := d.Len()
	all := make([]int32, d.Len())
	t := &topicIndex{words: map[byte][]string{}, facts: make(map[string][]int32, nWords)}
	for range nWords {
		w := d.String()
		n := d.Len()
		if w == "" || n > len(all) {
			d.Fail(errors.New("snapshot corrupt: the words of the topics"))
			return nil
		}
		fs := all[:n:n]
		all = all[n:]
		last := int32(0)
		for i := range fs {
			gap := d.Uint()
			if gap > uint64(nFacts) || last+int32(gap) >= nFacts {
				d.Fail(errors.New("snapshot corrupt: a topic word names no fact"))
				return nil
			}
			last += int32(gap)
			fs[i] = last
		}
		t.words[w[0]] = append(t.words[w[0]], w)
		t.facts[w] = fs
	}
	return t
}
