package repl

import (
	"bytes"
	"io"
)

// NewKeyFilter passes a terminal's input through, translating the Home and
// End keys that some terminals and tmux send as ESC [ 1 ~ and ESC [ 4 ~
// (or ESC [ 7 ~ and ESC [ 8 ~) into the ESC [ H and ESC [ F the line editor
// reads as start and end of line.
func NewKeyFilter(r io.Reader) io.Reader { return &keyFilter{r: r} }

var keyTranslations = []struct{ from, to []byte }{
	{[]byte("\x1b[1~"), []byte("\x1b[H")},
	{[]byte("\x1b[7~"), []byte("\x1b[H")},
	{[]byte("\x1b[4~"), []byte("\x1b[F")},
	{[]byte("\x1b[8~"), []byte("\x1b[F")},
}

type keyFilter struct {
	r    io.Reader
	out  []byte // translated, not yet read
	held []byte // the start of what may be a sequence to translate
	err  error
	buf  [512]byte
}

func (k *keyFilter) Read(p []byte) (int, error) {
	for len(k.out) == 0 {
		if k.err != nil {
			if len(k.held) == 0 {
				return 0, k.err
			}
			k.out, k.held = k.held, nil
			break
		}
		n, err := k.r.Read(k.buf[:])
		k.err = err
		k.out, k.held = translateKeys(append(k.held, k.buf[:n]...))
	}
	n := copy(p, k.out)
	k.out = k.out[n:]
	return n, nil
}

// translateKeys translates data, holding back an unfinished sequence at
// its end until more input comes.
func translateKeys(data []byte) (out, held []byte) {
	out = make([]byte, 0, len(data))
next:
	for i := 0; i < len(data); {
		if data[i] == 0x1b {
			rest := data[i:]
			for _, t := range keyTranslations {
				if bytes.HasPrefix(rest, t.from) {
					out = append(out, t.to...)
					i += len(t.from)
					continue next
				}
				if len(rest) < len(t.from) && bytes.HasPrefix(t.from, rest) {
					return out, append([]byte(nil), rest...)
				}
			}
		}
		out = append(out, data[i])
		i++
	}
	return out, nil
}
