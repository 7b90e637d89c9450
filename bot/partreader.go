package bot

import (
	"errors"
	"fmt"
	"io"
	"math"
	"unsafe"
)

// partReader reads what a facts.Encoder wrote from a stream of known
// length, a buffer at a time: the index part of a snapshot, decoded into
// structures of its own (its few strings are copied), needs no buffer of
// its whole. The first error sticks, as with facts.Decoder.
type partReader struct {
	src      io.Reader
	unread   int64 // bytes of the part not yet in buf
	buf      []byte
	pos, end int
	err      error
}

func newPartReader(src io.Reader, n int64) *partReader {
	return &partReader{src: src, unread: n, buf: make([]byte, min(n, 64<<10))}
}

// left is how many bytes of the part are not yet read.
func (p *partReader) left() int64 { return p.unread + int64(p.end-p.pos) }

// Done reports whether the whole part has been read.
func (p *partReader) Done() bool { return p.err == nil && p.left() == 0 }

// Err is the first error met.
func (p *partReader) Err() error { return p.err }

// Fail records err unless an error came first.
func (p *partReader) Fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

// fill reads the next bytes of the part into buf; false at its end.
func (p *partReader) fill() bool {
	if p.err != nil || p.unread == 0 {
		return false
	}
	n := int(min(p.unread, int64(len(p.buf))))
	if _, err := io.ReadFull(p.src, p.buf[:n]); err != nil {
		p.Fail(fmt.Errorf("reading the snapshot's index: %w", err))
		return false
	}
	p.pos, p.end, p.unread = 0, n, p.unread-int64(n)
	return true
}

// Uint reads a non-negative number.
func (p *partReader) Uint() uint64 {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if p.pos == p.end && !p.fill() {
			break
		}
		c := p.buf[p.pos]
		p.pos++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
	}
	p.Fail(errors.New("snapshot cut short or corrupt: a number runs past its end"))
	return 0
}

// Len reads the length of a list or string, which cannot exceed the bytes
// left (each element takes one at least): a corrupt snapshot must not make
// the reader allocate without bound.
func (p *partReader) Len() int {
	v := p.Uint()
	if left := p.left(); v > uint64(left) {
		p.Fail(fmt.Errorf("snapshot cut short or corrupt: a length of %d with %d bytes left", v, left))
		return 0
	}
	return int(v)
}

// Bool reads a boolean.
func (p *partReader) Bool() bool { return p.Uint() == 1 }

// Float32 reads a float32 written as its bits.
func (p *partReader) Float32() float32 { return math.Float32frombits(uint32(p.Uint())) }

// String reads a string, a copy of its bytes.
func (p *partReader) String() string {
	n := p.Len()
	if n == 0 || p.err != nil {
		return ""
	}
	b := make([]byte, n)
	for k := 0; k < n; {
		if p.pos == p.end && !p.fill() {
			return ""
		}
		c := copy(b[k:], p.buf[p.pos:p.end])
		p.pos += c
		k += c
	}
	return unsafe.String(&b[0], n) // b is never written to again
}

// Strings reads a list of strings.
func (p *partReader) Strings() []string {
	n := p.Len()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = p.String()
	}
	return out
}
