package bot

import (
	"strings"
	"unicode"
)

// Visible returns s without the characters that are not seen but change
// how the text around them reads: zero-width spaces and joiners, the
// byte-order mark, soft hyphens, bidirectional embeddings, overrides and
// isolates (a right-to-left override makes an echoed question read
// backwards), and control characters other than white space. Front ends
// pass what they echo of a question ("You asked: …") through it.
func Visible(s string) string {
	if printableASCII(s) || strings.IndexFunc(s, invisible) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, s)
}

// printableASCII reports whether s is printable ASCII and white space:
// nothing Visible would remove.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < ' ' || c > '~') && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

func invisible(r rune) bool {
	switch {
	case ' ' <= r && r <= '~':
		return false // printable ASCII, most of any text
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case unicode.Is(unicode.Cf, r), unicode.Is(unicode.Cc, r):
		return true // format (U+200B–U+200F, U+202A–U+202E, U+2066–U+2069, U+FEFF, U+00AD, …) and control
	case r == '\u034f' || r == '\u115f' || r == '\u1160' || r == '\u3164' || r == '\uffa0':
		return true // combining grapheme joiner and the Hangul fillers, which show as nothing
	}
	return false
}
