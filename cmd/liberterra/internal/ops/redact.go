package ops

import (
	"io"
	"sort"
	"strings"
)

// Redactor keeps secrets (tokens, signing secrets) out of logs and error
// messages: it replaces every occurrence of a secret value with [redacted].
type Redactor struct {
	r       *strings.Replacer
	secrets []string // as given to NewRedactor
}

// minSecret is the shortest value treated as a secret; shorter values (an
// unset or placeholder variable) would redact ordinary words.
const minSecret = 6

// NewRedactor redacts the given secret values; empty and very short ones
// are ignored. A value is redacted as given and as it is used: without
// surrounding white space (a token pasted with a trailing newline) and
// without an auth scheme ("Bot <token>", "Bearer <token>"), so the bare
// token is caught too.
func NewRedactor(secrets ...string) *Redactor {
	seen := map[string]bool{}
	var values []string
	given := append([]string(nil), secrets...)
	for _, s := range secrets {
		for _, v := range secretForms(s) {
			if len(v) >= minSecret && !seen[v] {
				seen[v] = true
				values = append(values, v)
			}
		}
	}
	if len(values) == 0 {
		return &Redactor{secrets: given}
	}
	// Longest first, so "Bot <token>" goes whole rather than leaving "Bot ".
	sort.Slice(values, func(i, j int) bool { return len(values[i]) > len(values[j]) })
	pairs := make([]string, 0, 2*len(values))
	for _, v := range values {
		pairs = append(pairs, v, "[redacted]")
	}
	return &Redactor{r: strings.NewReplacer(pairs...), secrets: given}
}

// With returns a Redactor that redacts more secrets too.
func (x *Redactor) With(secrets ...string) *Redactor {
	var old []string
	if x != nil {
		old = x.secrets
	}
	return NewRedactor(append(append([]string(nil), old...), secrets...)...)
}

// secretForms are the ways a secret value may show up in a log line.
func secretForms(s string) []string {
	forms := []string{s}
	t := strings.TrimSpace(s)
	forms = append(forms, t)
	for _, scheme := range []string{"Bot ", "Bearer ", "bot ", "bearer "} {
		if rest, ok := strings.CutPrefix(t, scheme); ok {
			forms = append(forms, strings.TrimSpace(rest))
		}
	}
	return forms
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
