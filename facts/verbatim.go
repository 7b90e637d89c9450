package facts

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Verbatim returns text (a quote or a sentence of the article, as the fact
// base or Sentence gives it) as it stands in the article itself: with the
// article's own curly quotes, dashes and apostrophes where the fact base
// has straight ones, runs of white space folded to one space. It returns
// text as it is when it does not stand in the article's body.
//
// Quotes are checked against the article after Normalize, so a curated
// quote may differ from the article in those characters only; front ends
// show Verbatim so that what they put in quotation marks is, character for
// character, what the article says.
func (s *Source) Verbatim(text string) string {
	q := Normalize(text)
	if q == "" || s.Text == "" {
		return text
	}
	if q == text && strings.Contains(s.body, q) && strings.Contains(s.Text, q) {
		// The article has these very characters (its white space is
		// folded already): no need to map the whole article, which costs
		// a pass and a copy of it per quote shown.
		return q
	}
	norm, at := normalizeMapped(s.Text)
	from, to := 0, len(norm)
	if s.BodyFrom != "" {
		if i := strings.Index(norm, Normalize(s.BodyFrom)); i >= 0 {
			from = i
		}
	}
	if s.BodyTo != "" {
		if i := strings.Index(norm[from:], Normalize(s.BodyTo)); i >= 0 {
			to = from + i
		}
	}
	i := strings.Index(norm[from:to], q)
	if i < 0 {
		return text
	}
	start, last := at[from+i], at[from+i+len(q)-1]
	_, size := utf8.DecodeRuneInString(s.Text[last:])
	return strings.Join(strings.Fields(s.Text[start:last+size]), " ")
}

// normalizeMapped is Normalize(text) with, for each byte of the result,
// the offset in text of the character it came from.
func normalizeMapped(text string) (string, []int) {
	var b strings.Builder
	b.Grow(len(text))
	at := make([]int, 0, len(text))
	space := false
	var buf [utf8.UTFMax]byte
	for i, r := range text {
		if f, ok := folded[r]; ok {
			r = f
		}
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			at = append(at, i)
			space = false
		}
		n := utf8.EncodeRune(buf[:], r)
		b.Write(buf[:n])
		for range n {
			at = append(at, i)
		}
	}
	return b.String(), at
}

// folded are the characters Normalize replaces, and what with.
var folded = map[rune]rune{
	'\u2018': '\'', '\u2019': '\'', '\u201a': '\'', '\u201b': '\'',
	'\u201c': '"', '\u201d': '"', '\u201e': '"', '\u201f': '"',
	'\u2013': '-', '\u2014': '-', '\u2012': '-', '\u2212': '-', '\u2010': '-', '\u2011': '-',
	'\u00a0': ' ',
}
