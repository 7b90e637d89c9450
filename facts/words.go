package facts

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file is how text becomes words, for the fact base's own checks and
// for the matcher alike: lower case, accents folded, numbers kept whole, and
// a light stemmer. Facts and questions go through the same steps, so the
// stemmer need only be consistent, not linguistically right.

// FoldRune maps accented Latin letters to their ASCII base letter.
func FoldRune(r rune) rune {
	if r < 0x80 {
		return r
	}
	if f, ok := accentFold[r]; ok {
		return f
	}
	return r
}

var accentFold = func() map[rune]rune {
	m := map[rune]rune{}
	for base, accented := range map[rune]string{
		'a': "àáâãäåāăąǎ", 'c': "çćĉċč", 'd': "ďđ", 'e': "èéêëēĕėęě", 'g': "ĝğġģ",
		'h': "ĥħ", 'i': "ìíîïĩīĭįı", 'j': "ĵ", 'k': "ķ", 'l': "ĺļľŀł", 'n': "ñńņňŉ",
		'o': "òóôõöøōŏő", 'r': "ŕŗř", 's': "śŝşšș", 't': "ţťŧț", 'u': "ùúûüũūŭůűų",
		'w': "ŵ", 'y': "ýÿŷ", 'z': "źżž",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()

// Token is one word or number of a text, folded to lower case, with where it
// stands in the text (byte offsets), so a caller can map words back to the
// words as written.
type Token struct {
	Word       string
	Start, End int
}

// Words lower-cases and folds s and splits it into words and numbers.
func Words(s string) []string { return AppendWords(nil, s) }

// AppendWords appends the words of s, as Words reads them, to out.
func AppendWords(out []string, s string) []string {
	var buf [64]Token // the tokens of most texts fit here, off the heap
	toks := AppendTokens(buf[:0], s)
	out = slices.Grow(out, len(toks))
	for _, t := range toks {
		out = append(out, t.Word)
	}
	return out
}

// Tokens splits s like Words and keeps each word's place in s. Digit groups
// joined by commas or dots ("3,222", "8.5") stay one number, without the
// thousands separators ("3222"); a hyphen joins nothing ("week-long" is two
// words); an apostrophe ending is dropped ("who's" is "who", "Chambers'" is
// "chambers").
func Tokens(s string) []Token { return AppendTokens(make([]Token, 0, len(s)/6+1), s) }

// AppendTokens appends the tokens of s to out, as Tokens reads them.
func AppendTokens(out []Token, s string) []Token {
	// Words are cut from low, s with ASCII letters lower-cased: one copy
	// for a text with capitals rather than one for each capitalised word.
	// Lower-casing ASCII moves no byte, so low's offsets are s's.
	low := lowerASCII(s)
	var buf []byte // the current word, when it is not a slice of low as it stands
	start, plain := -1, true
	flush := func(end int) {
		if start >= 0 {
			w := low[start:end]
			if !plain {
				w = string(buf)
			}
			out = append(out, Token{Word: w, Start: start, End: end})
		}
		start, plain, buf = -1, true, buf[:0]
	}
	// toBuf starts copying the word into buf: it is about to differ from s.
	toBuf := func(i int) {
		if plain {
			buf = append(buf[:0], low[start:i]...)
			plain = false
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			switch {
			case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
				if start < 0 {
					start = i
				}
				if !plain {
					buf = append(buf, c)
				}
			case c >= 'A' && c <= 'Z':
				if start < 0 {
					start = i
				}
				if !plain {
					buf = append(buf, c+'a'-'A')
				}
			case (c == ',' || c == '.') && start >= 0 && i+1 < len(s) && isDigit(rune(s[i+1])) && isDigit(rune(s[i-1])):
				toBuf(i)
				if c == '.' {
					buf = append(buf, '.')
				} // thousands separators vanish: 3,222 -> 3222
			case c == '\'':
				i = apostrophe(s, i, 1, flush)
				continue
			default:
				flush(i)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		lr := FoldRune(unicode.ToLower(r))
		switch {
		case r == '\u2019' || r == '\u2018':
			i = apostrophe(s, i, size, flush)
			continue
		case lr == 'ß':
			if start < 0 {
				start = i
			}
			toBuf(i)
			buf = append(buf, "ss"...)
		case unicode.IsLetter(lr) || unicode.IsDigit(lr):
			if start < 0 {
				start = i
			}
			toBuf(i)
			buf = utf8.AppendRune(buf, lr)
		default:
			flush(i)
		}
		i += size
	}
	flush(len(s))
	return out
}

// apostrophe ends the word at i and skips the letters after the apostrophe
// ("who's", "isn't"); it returns where to go on.
func apostrophe(s string, i, size int, flush func(int)) int {
	flush(i)
	i += size
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsLetter(r) {
			break
		}
		i += n
	}
	return i
}

// lowerASCII is s with its ASCII capitals lower-cased; s itself when it
// has none.
func lowerASCII(s string) string {
	i := 0
	for i < len(s) && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder // one allocation
	b.Grow(len(s))
	pos := 0 // s[pos:i] is still to be written as it is
	for ; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b.WriteString(s[pos:i])
			b.WriteByte(c + 'a' - 'A')
			pos = i + 1
		}
	}
	b.WriteString(s[pos:])
	return b.String()
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// IsNumber reports whether a word from Words is a number ("3222", "8.5").
func IsNumber(w string) bool { return w != "" && isDigit(rune(w[0])) }

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// Stem reduces a word to a crude stem: plural and verb endings, British and
// American spellings. Words of three letters or fewer are left alone. A
// second pass makes the stem of a stem the same ("uncovered" and "uncover"
// both give "uncov").
func Stem(w string) string { return stemOnce(stemOnce(w)) }

func stemOnce(w string) string {
	if len(w) <= 3 || isDigit(rune(w[0])) {
		return w
	}
	// American to British spellings first, so both meet.
	for _, p := range [...][2]string{{"iz", "is"}, {"yz", "ys"}} {
		if i := strings.Index(w, p[0]); i > 2 {
			w = w[:i] + p[1] + w[i+len(p[0]):]
		}
	}
	for _, p := range [...][2]string{{"center", "centre"}, {"labor", "labour"}, {"meter", "metre"}, {"defense", "defence"}, {"pretense", "pretence"}} {
		if strings.HasPrefix(w, p[0]) {
			w = p[1] + w[len(p[0]):]
		}
	}
	for _, suf := range suffixes {
		if strings.HasSuffix(w, suf.from) && len(w)-len(suf.from) >= suf.min {
			w = w[:len(w)-len(suf.from)] + suf.to
			break
		}
	}
	// Doubled final consonants from -ing/-ed: "smuggl", "stopp" -> "stop".
	if n := len(w); n > 4 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiousl", rune(w[n-1])) {
		w = w[:n-1]
	}
	return strings.TrimSuffix(w, "e")
}

var suffixes = []struct {
	from, to string
	min      int // letters that must remain
}{
	{"isations", "is", 3}, {"isation", "is", 3}, {"ations", "ate", 3}, {"ation", "ate", 3},
	{"nesses", "", 3}, {"ness", "", 3}, {"ments", "", 4}, {"ment", "", 4},
	{"ities", "", 3}, {"ity", "", 3}, {"ically", "ic", 3}, {"ally", "al", 3},
	{"ingly", "", 3}, {"edly", "", 3}, {"fully", "ful", 3},
	{"ings", "", 3}, {"ing", "", 3}, {"ies", "y", 2}, {"ied", "y", 2},
	{"ers", "", 4}, {"er", "", 4}, {"ors", "", 4}, {"or", "", 4},
	{"eds", "", 3}, {"ed", "", 3}, {"ly", "", 4},
	{"sses", "ss", 2}, {"ses", "s", 3}, {"xes", "x", 2}, {"ches", "ch", 2}, {"shes", "sh", 2},
	{"ss", "ss", 2}, {"us", "us", 2}, {"is", "is", 2}, {"s", "", 3},
}
