package bot

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"github.com/liberterra/liberterra/facts"
)

// A snapshot is a bot ready to answer, written to bytes: the checked fact
// base (facts.Base.EncodeSnapshot) followed by the index built from it,
// then a trailer giving where the index starts. Read back, it spares the
// YAML parsing, the quote check and the index building that dominate
// start-up; what is cheap to make (the lexicon's maps, the cleaner) is made
// afresh. See `liberterra facts compile`.
//
// The two parts are apart so that Open can read each into its own buffer:
// the base's strings (articles, answers, quotes) stay parts of its buffer,
// not copies, while the index is decoded into structures of its own and
// its buffer, a sixth of a large snapshot, is dropped.

// indexLayout opens the index part of a snapshot; the number is raised
// whenever what is written changes. The index also depends on the code
// that builds it (weights, the lexicon's reading): the embedded snapshot is
// checked against a fresh build by TestEmbeddedSnapshotIsFresh.
const indexLayout = "index 2"

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
	return readSnapshot(data[:indexAt], func() (string, error) { return index, nil }, fingerprint, opts...)
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
// part, read by readIndex once the base is decoded: the index part may be
// a buffer of its own, which nothing decoded from it keeps.
func readSnapshot(basePart string, readIndex func() (string, error), fingerprint uint64, opts ...Option) (*Bot, error) {
	d := facts.NewDecoder(basePart)
	base, err := facts.DecodeSnapshot(d, fingerprint)
	if err != nil {
		return nil, err
	}
	if !d.Done() {
		return nil, errors.New("snapshot corrupt: bytes between its base and its index")
	}
	indexPart, err := readIndex()
	if err != nil {
		return nil, err
	}
	// The lexicon's reading is made while the index is read: start-up
	// nearly halves on two cores.
	langc := make(chan *lang, 1)
	go func() { langc <- newLang(base) }()
	d = facts.NewDecoder(indexPart)
	ix := decodeIndex(d, base)
	l := <-langc
	if err := d.Err(); err != nil {
		return nil, err
	}
	if !d.Done() {
		return nil, errors.New("snapshot corrupt: bytes after its index")
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
	ix.termText = cloneStrings(d.Strings())
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
	words := make([]string, d.Len())
	counts := make([]int, len(words))
	for i := range words {
		words[i], counts[i] = d.String(), int(d.Uint())
	}
	cloneStrings(words)
	ix.vocab = make(map[string]int, len(words))
	for i, w := range words {
		ix.vocab[w] = counts[i]
	}
	return ix
}

// cloneStrings copies the strings into one new backing array, in place,
// so that they no longer keep alive the buffer they were read from.
func cloneStrings(ss []string) []string {
	n := 0
	for _, s := range ss {
		n += len(s)
	}
	var sb strings.Builder
	sb.Grow(n)
	for _, s := range ss {
		sb.WriteString(s)
	}
	all := sb.String()
	for i, s := range ss {
		ss[i], all = all[:len(s)], all[len(s):]
	}
	return ss
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
		} else {
			id = strings.Clone(id) // not the index part's buffer
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
