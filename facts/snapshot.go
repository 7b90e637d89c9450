package facts

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"sort"
	"strings"
)

// A snapshot is a fact base parsed and checked once, written in a compact
// binary form that loads in a fraction of the time the YAML takes (the
// bot appends its index to it). It records a fingerprint of the files it
// was made from: a snapshot whose fingerprint no longer matches its files
// is not used, so a curator's edit never goes unseen.

// Encoder writes a snapshot: numbers as varints, strings with their length.
type Encoder struct {
	w    *bufio.Writer
	buf  [binary.MaxVarintLen64]byte
	err  error
	refs map[string]uint64 // the strings written by Ref, numbered from 1
}

// NewEncoder writes to w; call Flush at the end.
func NewEncoder(w io.Writer) *Encoder { return &Encoder{w: bufio.NewWriterSize(w, 1<<16)} }

// Flush writes what is buffered and returns the first error.
func (e *Encoder) Flush() error {
	if e.err == nil {
		e.err = e.w.Flush()
	}
	return e.err
}

// Uint writes a non-negative number.
func (e *Encoder) Uint(v uint64) {
	if e.err == nil {
		n := binary.PutUvarint(e.buf[:], v)
		_, e.err = e.w.Write(e.buf[:n])
	}
}

// Int writes a number.
func (e *Encoder) Int(v int64) {
	if e.err == nil {
		n := binary.PutVarint(e.buf[:], v)
		_, e.err = e.w.Write(e.buf[:n])
	}
}

// Bool writes a boolean.
func (e *Encoder) Bool(v bool) {
	if v {
		e.Uint(1)
	} else {
		e.Uint(0)
	}
}

// Float writes a float64 exactly.
func (e *Encoder) Float(v float64) { e.Uint(math.Float64bits(v)) }

// String writes a string.
func (e *Encoder) String(s string) {
	e.Uint(uint64(len(s)))
	if e.err == nil {
		_, e.err = e.w.WriteString(s)
	}
}

// Strings writes a list of strings.
func (e *Encoder) Strings(ss []string) {
	e.Uint(uint64(len(ss)))
	for _, s := range ss {
		e.String(s)
	}
}

// Ref writes a string that recurs (an id, a file name): the first time in
// full, then as the number of that first time. Read back with Decoder.Ref,
// every time is the one string.
func (e *Encoder) Ref(s string) {
	if n, ok := e.refs[s]; ok {
		e.Uint(n)
		return
	}
	if e.refs == nil {
		e.refs = map[string]uint64{}
	}
	e.refs[s] = uint64(len(e.refs) + 1)
	e.Uint(0)
	e.String(s)
}

// Refs writes a list of strings with Ref.
func (e *Encoder) Refs(ss []string) {
	e.Uint(uint64(len(ss)))
	for _, s := range ss {
		e.Ref(s)
	}
}

// Decoder reads what an Encoder wrote, from a snapshot held in memory as
// a string: the strings it returns are parts of that string, not copies, so
// a large base is not held twice. The first error sticks.
type Decoder struct {
	data string
	pos  int
	err  error
	refs []string // the strings read by Ref, in order
}

// NewDecoder reads the snapshot data.
func NewDecoder(data string) *Decoder { return &Decoder{data: data} }

// Done reports whether the whole snapshot has been read.
func (d *Decoder) Done() bool { return d.pos == len(d.data) }

// Err is the first error met.
func (d *Decoder) Err() error { return d.err }

// Uint reads a non-negative number.
func (d *Decoder) Uint() uint64 {
	if d.err != nil {
		return 0
	}
	var v uint64
	for shift := uint(0); d.pos < len(d.data) && shift < 64; shift += 7 {
		c := d.data[d.pos]
		d.pos++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
	}
	d.fail(errors.New("snapshot cut short or corrupt: a number runs past its end"))
	return 0
}

// Len reads the length of a list or string, which cannot exceed the bytes
// left (each element takes one at least): a corrupt snapshot must not make
// the reader allocate without bound.
func (d *Decoder) Len() int {
	v := d.Uint()
	if v > uint64(len(d.data)-d.pos) {
		d.fail(fmt.Errorf("snapshot cut short or corrupt: a length of %d with %d bytes left", v, len(d.data)-d.pos))
		return 0
	}
	return int(v)
}

// Int reads a number.
func (d *Decoder) Int() int64 {
	u := d.Uint()
	return int64(u>>1) ^ -int64(u&1) // zig-zag, as binary.PutVarint writes
}

// Bool reads a boolean.
func (d *Decoder) Bool() bool { return d.Uint() == 1 }

// Float reads a float64.
func (d *Decoder) Float() float64 { return math.Float64frombits(d.Uint()) }

// String reads a string.
func (d *Decoder) String() string {
	n := d.Len()
	if d.err != nil {
		return ""
	}
	s := d.data[d.pos : d.pos+n]
	d.pos += n
	return s
}

// Strings reads a list of strings.
func (d *Decoder) Strings() []string {
	n := d.Len()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.String()
	}
	return out
}

// Ref reads a string written by Encoder.Ref.
func (d *Decoder) Ref() string {
	n := d.Uint()
	if n == 0 {
		s := d.String()
		if d.err == nil {
			d.refs = append(d.refs, s)
		}
		return s
	}
	if n > uint64(len(d.refs)) {
		d.fail(fmt.Errorf("snapshot corrupt: string %d of %d", n, len(d.refs)))
		return ""
	}
	return d.refs[n-1]
}

// Refs reads a list written by Encoder.Refs.
func (d *Decoder) Refs() []string {
	n := d.Len()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.Ref()
	}
	return out
}

// Fail records err as the decoder's error unless it has one already: a
// reader that finds the data inconsistent stops there.
func (d *Decoder) Fail(err error) { d.fail(err) }

func (d *Decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

// snapshotMagic opens every snapshot; the number after it is the layout,
// raised whenever what is written changes.
const snapshotMagic = "liberterra snapshot 6\n"

// Fingerprint identifies the files of a fact base: every file under fsys
// except skip and dot files, by path and contents. Files that carry a modification time
// (a directory on disk) are known by their size and time, which is enough
// to notice an edit without reading a large base; files that carry none (the
// base embedded in the binary) by their bytes. A snapshot made from other
// files has another fingerprint.
func Fingerprint(fsys fs.FS, skip string) (uint64, error) {
	var paths []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && p != skip && !strings.HasPrefix(d.Name(), ".") {
			paths = append(paths, p) // dot files are an editor's or a writer's temporaries
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	sort.Strings(paths)
	h := newFingerprintHash()
	for _, p := range paths {
		io.WriteString(h, p+"\x00")
		info, err := fs.Stat(fsys, p)
		if err != nil {
			return 0, err
		}
		if t := info.ModTime(); !t.IsZero() {
			fmt.Fprintf(h, "%d %d\x00", info.Size(), t.UnixNano())
			continue
		}
		f, err := fsys.Open(p)
		if err != nil {
			return 0, err
		}
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return 0, err
		}
		h.Write([]byte{0})
	}
	return h.Sum64(), nil
}

// fingerprintHash is two CRC-32s side by side, Castagnoli's and IEEE's, both
// computed by the processor's own instructions: the embedded base is
// fingerprinted on every start, in a tenth of FNV's time.
type fingerprintHash struct{ c, ieee hash.Hash32 }

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func newFingerprintHash() *fingerprintHash {
	return &fingerprintHash{c: crc32.New(castagnoli), ieee: crc32.NewIEEE()}
}

func (h *fingerprintHash) Write(p []byte) (int, error) {
	h.c.Write(p)
	return h.ieee.Write(p)
}

func (h *fingerprintHash) Sum64() uint64 { return uint64(h.c.Sum32())<<32 | uint64(h.ieee.Sum32()) }

// EncodeSnapshot writes the base, which must have passed its check, with
// the fingerprint of the files it came from.
func (b *Base) EncodeSnapshot(e *Encoder, fingerprint uint64) {
	if e.err == nil {
		_, e.err = e.w.WriteString(snapshotMagic)
	}
	e.Uint(fingerprint)
	e.Uint(uint64(len(b.Sources)))
	for _, s := range b.Sources {
		e.Ref(s.ID)
		for _, v := range []string{s.File, s.Title, s.Publisher, s.Author, s.Date, s.Label, s.URL, s.Note, s.BodyFrom, s.BodyTo, s.Text} {
			e.String(v)
		}
		// The body is most often the text itself, or a part of it: then
		// only where it stands is written, and the two share memory.
		if i := strings.Index(s.Text, s.body); i >= 0 {
			e.Bool(true)
			e.Uint(uint64(i))
			e.Uint(uint64(len(s.body)))
		} else {
			e.Bool(false)
			e.String(s.body)
		}
		e.Bool(s.Headline)
		e.Strings(s.Aliases)
		e.Int(int64(s.line))
	}
	e.Uint(uint64(len(b.Entities)))
	for _, en := range b.Entities {
		e.Ref(en.ID)
		e.Ref(en.Kind)
		for _, v := range []string{en.Name, en.Acronym, en.StandsFor} {
			e.String(v)
		}
		e.Strings(en.Aliases)
		e.Int(int64(en.line))
	}
	e.Uint(uint64(len(b.Facts)))
	// What recurs (ids, kinds, files, keywords, what figures count) is
	// written once, and every quote that stands in its source's text as
	// where it stands there: the strings read back take no room of their
	// own, which for a large base is a tenth of the snapshot.
	for _, f := range b.Facts {
		e.String(f.ID)
		e.String(f.Topic)
		e.Ref(string(f.Kind))
		e.String(f.Answer)
		e.Ref(f.File)
		e.Int(int64(f.Line))
		e.Refs(f.About)
		e.Strings(f.Questions)
		e.Refs(f.Keywords)
		e.Refs(f.Gives)
		e.Bool(f.Conflict)
		e.Uint(uint64(len(f.Citations)))
		for _, c := range f.Citations {
			e.Ref(c.Source)
			b.encodeQuote(e, c.Source, c.Quote)
		}
		e.Uint(uint64(len(f.Figures)))
		for _, g := range f.Figures {
			e.Float(g.Value)
			e.Ref(g.What)
			e.Ref(g.Of)
			e.Ref(g.Source)
			b.encodeQuote(e, g.Source, g.Quote)
			e.Ref(g.Qualifier)
			e.Int(int64(g.line))
		}
	}
	b.Lexicon.encode(e)
}

// encodeQuote writes a quote from the source with this id: where it stands
// in the source's text (its offset plus one, and its length) when it does,
// else 0 and the quote.
func (b *Base) encodeQuote(e *Encoder, source, quote string) {
	if s := b.Source(source); s != nil && quote != "" {
		if i := strings.Index(s.Text, quote); i >= 0 {
			e.Uint(uint64(i) + 1)
			e.Uint(uint64(len(quote)))
			return
		}
	}
	e.Uint(0)
	e.String(quote)
}

// decodeQuote reads what encodeQuote wrote.
func (b *Base) decodeQuote(d *Decoder, source string) string {
	at := d.Uint()
	if at == 0 {
		return d.String()
	}
	n := d.Uint()
	s := b.Source(source)
	if s == nil || at-1 > uint64(len(s.Text)) || n > uint64(len(s.Text))-(at-1) {
		d.fail(fmt.Errorf("snapshot corrupt: a quote lies outside source %q", source))
		return ""
	}
	return s.Text[at-1 : at-1+n]
}

func (lex *Lexicon) encode(e *Encoder) {
	e.Uint(uint64(len(lex.Synonyms)))
	for _, s := range lex.Synonyms {
		e.String(s.Term)
		e.Strings(s.Words)
		e.Strings(s.Facts)
		e.Int(int64(s.line))
	}
	e.Uint(uint64(len(lex.Phrases)))
	for _, p := range lex.Phrases {
		e.String(p.Phrase)
		e.String(p.Term)
		e.Int(int64(p.line))
	}
	for _, list := range [][]Listed{lex.StopWords, lex.Domain, lex.Elsewhere, lex.Later} {
		e.Uint(uint64(len(list)))
		for _, w := range list {
			e.String(w.Word)
			e.Int(int64(w.Line))
		}
	}
	for _, list := range [][]string{lex.Chat.Greetings, lex.Chat.Thanks, lex.Chat.Goodbyes, lex.Chat.Fillers} {
		e.Strings(list)
	}
	encodeMap(e, lex.Chat.TextSpeak)
	keys := make([]string, 0, len(lex.Chat.lines))
	for k := range lex.Chat.lines {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	e.Uint(uint64(len(keys)))
	for _, k := range keys {
		e.String(k)
		e.Int(int64(lex.Chat.lines[k]))
	}
	e.Uint(uint64(len(lex.Smalltalk)))
	for _, s := range lex.Smalltalk {
		e.String(s.Intent)
		e.Strings(s.Patterns)
		e.Strings(s.Keywords)
		e.Strings(s.With)
		e.String(s.Reply)
		e.Int(int64(s.line))
	}
	e.Uint(uint64(len(lex.Languages)))
	for _, l := range lex.Languages {
		e.String(l.Name)
		e.Strings(l.Words)
		e.Int(int64(l.line))
	}
	e.String(lex.Freq.data)
	e.Uint(uint64(len(lex.Freq.words)))
	for _, w := range lex.Freq.words {
		e.Uint(uint64(w.off))
		e.Uint(uint64(w.n))
		e.Uint(uint64(w.zipf10))
	}
}

// encodeMap writes a map in key order, so the same map always writes the
// same bytes.
func encodeMap(e *Encoder, m map[string]string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	e.Uint(uint64(len(keys)))
	for _, k := range keys {
		e.String(k)
		e.String(m[k])
	}
}

func decodeMap(d *Decoder) map[string]string {
	n := d.Len()
	m := make(map[string]string, n)
	for range n {
		k := d.String()
		m[k] = d.String()
	}
	return m
}

// SnapshotFingerprint is the fingerprint a snapshot records, or 0 when
// data is not a snapshot.
func SnapshotFingerprint(data string) uint64 {
	if !strings.HasPrefix(data, snapshotMagic) {
		return 0
	}
	d := NewDecoder(data[len(snapshotMagic):])
	return d.Uint()
}

// ErrStaleSnapshot says a snapshot was made from other files than the
// base's: it must be made again (or the base loaded from its files).
var ErrStaleSnapshot = errors.New("the snapshot was made from other files")

// DecodeSnapshot reads a base written by EncodeSnapshot. With a non-zero
// fingerprint it refuses (ErrStaleSnapshot) a snapshot made from other
// files. The base is not checked again: it was checked when written.
func DecodeSnapshot(d *Decoder, fingerprint uint64) (*Base, error) {
	if !strings.HasPrefix(d.data[d.pos:], snapshotMagic) {
		return nil, errors.New("not a snapshot of this version (make it again with `liberterra facts compile`)")
	}
	d.pos += len(snapshotMagic)
	if fp := d.Uint(); fingerprint != 0 && fp != fingerprint {
		return nil, ErrStaleSnapshot
	}
	b := &Base{sourceByID: map[string]*Source{}, entityByID: map[string]*Entity{}}
	b.Sources = make([]*Source, d.Len())
	for i := range b.Sources {
		s := &Source{ID: d.Ref()}
		for _, v := range []*string{&s.File, &s.Title, &s.Publisher, &s.Author, &s.Date, &s.Label, &s.URL, &s.Note, &s.BodyFrom, &s.BodyTo, &s.Text} {
			*v = d.String()
		}
		if d.Bool() {
			from, n := d.Uint(), d.Uint()
			if from > uint64(len(s.Text)) || n > uint64(len(s.Text))-from {
				d.fail(fmt.Errorf("snapshot corrupt: the body of source %q lies outside its text", s.ID))
				return nil, d.err
			}
			s.body = s.Text[from : from+n]
		} else {
			s.body = d.String()
		}
		s.Headline = d.Bool()
		s.Aliases = d.Strings()
		s.line = int(d.Int())
		b.Sources[i] = s
		b.sourceByID[s.ID] = s
	}
	b.Entities = make([]*Entity, d.Len())
	for i := range b.Entities {
		en := &Entity{ID: d.Ref(), Kind: d.Ref()}
		for _, v := range []*string{&en.Name, &en.Acronym, &en.StandsFor} {
			*v = d.String()
		}
		en.Aliases = d.Strings()
		en.line = int(d.Int())
		b.Entities[i] = en
		b.entityByID[en.ID] = en
	}
	// The facts and their many short lists are parts of a few large
	// arrays: on a large base, a tenth of the allocations there were.
	b.Facts = make([]*Fact, d.Len())
	all := make([]Fact, len(b.Facts))
	var strs chunk[string]
	var cites chunk[Citation]
	var figs chunk[Figure]
	for i := range b.Facts {
		f := &all[i]
		*f = Fact{ID: d.String(), Topic: d.String(), Kind: Kind(d.Ref()), Answer: d.String(), File: d.Ref()}
		f.Line = int(d.Int())
		f.About = d.list(&strs, d.Ref)
		f.Questions = d.list(&strs, d.String)
		f.Keywords = d.list(&strs, d.Ref)
		f.Gives = d.list(&strs, d.Ref)
		f.Conflict = d.Bool()
		if n := d.Len(); n > 0 {
			f.Citations = cites.take(n)
		} else {
			f.Citations = []Citation{}
		}
		for k := range f.Citations {
			c := &f.Citations[k]
			c.Source = d.Ref()
			c.Quote = b.decodeQuote(d, c.Source)
		}
		if n := d.Len(); n > 0 {
			f.Figures = figs.take(n)
			for k := range f.Figures {
				g := &f.Figures[k]
				g.Value = d.Float()
				g.What, g.Of, g.Source = d.Ref(), d.Ref(), d.Ref()
				g.Quote = b.decodeQuote(d, g.Source)
				g.Qualifier = d.Ref()
				g.line = int(d.Int())
			}
		}
		b.Facts[i] = f
	}
	b.Lexicon = decodeLexicon(d)
	return b, d.err
}

// chunk hands out short slices cut from larger arrays, each with no room
// to grow into the next. The arrays double from 16 elements to
// maxChunkLen, so a small base wastes little.
type chunk[T any] struct {
	free []T
	next int // the length of the next array
}

const maxChunkLen = 1024

func (c *chunk[T]) take(n int) []T {
	if n > len(c.free) {
		c.next = min(max(2*c.next, 16), maxChunkLen)
		c.free = make([]T, max(n, c.next))
	}
	s := c.free[:n:n]
	c.free = c.free[n:]
	return s
}

// list reads a list of strings, each by read (String or Ref), into a
// slice cut from c; nil when empty.
func (d *Decoder) list(c *chunk[string], read func() string) []string {
	n := d.Len()
	if n == 0 || d.err != nil {
		return nil
	}
	out := c.take(n)
	for i := range out {
		out[i] = read()
	}
	return out
}

func decodeLexicon(d *Decoder) *Lexicon {
	lex := &Lexicon{}
	lex.Synonyms = make([]Synonym, d.Len())
	for i := range lex.Synonyms {
		s := &lex.Synonyms[i]
		s.Term, s.Words, s.Facts, s.line = d.String(), d.Strings(), d.Strings(), int(d.Int())
	}
	lex.Phrases = make([]Phrase, d.Len())
	for i := range lex.Phrases {
		p := &lex.Phrases[i]
		p.Phrase, p.Term, p.line = d.String(), d.String(), int(d.Int())
	}
	for _, list := range []*[]Listed{&lex.StopWords, &lex.Domain, &lex.Elsewhere, &lex.Later} {
		*list = make([]Listed, d.Len())
		for i := range *list {
			(*list)[i] = Listed{Word: d.String(), Line: int(d.Int())}
		}
	}
	for _, list := range []*[]string{&lex.Chat.Greetings, &lex.Chat.Thanks, &lex.Chat.Goodbyes, &lex.Chat.Fillers} {
		*list = d.Strings()
	}
	lex.Chat.TextSpeak = decodeMap(d)
	n := d.Len()
	lex.Chat.lines = make(map[string]int, n)
	for range n {
		k := d.String()
		lex.Chat.lines[k] = int(d.Int())
	}
	lex.Smalltalk = make([]SmalltalkIntent, d.Len())
	for i := range lex.Smalltalk {
		s := &lex.Smalltalk[i]
		s.Intent, s.Patterns, s.Keywords, s.With, s.Reply, s.line = d.String(), d.Strings(), d.Strings(), d.Strings(), d.String(), int(d.Int())
	}
	lex.Languages = make([]Language, d.Len())
	for i := range lex.Languages {
		l := &lex.Languages[i]
		l.Name, l.Words, l.line = d.String(), d.Strings(), int(d.Int())
	}
	lex.Freq.data = d.String()
	lex.Freq.words = make([]freqWord, d.Len())
	for i := range lex.Freq.words {
		w := freqWord{off: uint32(d.Uint()), n: uint8(d.Uint()), zipf10: uint8(d.Uint())}
		if int(w.off)+int(w.n) > len(lex.Freq.data) {
			d.fail(errors.New("snapshot corrupt: a word of the frequency list lies outside it"))
			break
		}
		lex.Freq.words[i] = w
	}
	return lex
}
