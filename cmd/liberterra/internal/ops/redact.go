package ops

import (
	"io"
	"strings"
)

// Redactor keeps secrets (tokens, signing secrets) out of logs and error
// messages: it replaces every occurrence of a secret value with [redacted].
type Redactor struct {
	r *strings.Replacer
}

// minSecret is the shortest value treated as a secret; shorter values (an
// unset or placeholder variable) would redact ordinary words.
const minSecret = 6

// NewRedactor redacts the given secret values; empty and very short ones
// are ignored.
func NewRedactor(secrets ...string) *Redactor {
	var pairs []string
	for _, s := range secrets {
		if len(s) >= minSecret {
			pairs = append(pairs, s, "[redacted]")
		}
	}
	if len(pairs) == 0 {
		return &Redactor{}
	}
	return &Redactor{r: strings.NewReplacer(pairs...)}
}

// String redacts s.
func (x *Redactor) String(s string) string {
	if x == nil || x.r == nil {
		return s
	}
	return x.r.Replace(s)
}

// Error redacts err's message; it keeps err in the chain for errors.Is.
func (x *Redactor) Error(err error) error {
	if err == nil || x == nil || x.r == nil {
		return err
	}
	msg := x.r.Replace(err.Error())
	if msg == err.Error() {
		return err
	}
	return &redactedError{msg: msg, err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// Writer returns w with secrets redacted from every write. Log handlers
// write a record in one call, so a secret is never split between writes.
func (x *Redactor) Writer(w io.Writer) io.Writer {
	if x == nil || x.r == nil {
		return w
	}
	return redactWriter{w: w, r: x.r}
}

type redactWriter struct {
	w io.Writer
	r *strings.Replacer
}

func (rw redactWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(rw.w, rw.r.Replace(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
