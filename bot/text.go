package bot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file turns text into the terms the matcher compares: lower case,
// accents folded, British spellings, synonyms mapped to one word, a light
// stemmer, and stop words dropped. Facts and questions go through the same
// steps, so the stemmer need only be consistent, not linguistically right.

// foldRune maps accented Latin letters to their ASCII base letter.
func foldRune(r rune) rune {
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

// word is one token of a text: its folded lower-case form.
type word = string

// splitWords lower-cases and folds s and splits it into words and numbers.
// Digit groups joined by commas or dots ("3,222", "8.5") stay one number;
// "'s" and other apostrophe endings are dropped ("who's" -> "who").
func splitWords(s string) []word {
	var out []word
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := foldRune(unicode.ToLower(rs[i]))
		switch {
		case r == 'ß':
			cur.WriteString("ss")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur.WriteRune(r)
		case (r == ',' || r == '.') && cur.Len() > 0 && i+1 < len(rs) && isDigit(rs[i+1]) && isDigit(lastRune(cur.String())):
			if r == '.' {
				cur.WriteRune('.')
			} // thousands separators vanish: 3,222 -> 3222
		case r == '\'' || r == '\u2019' || r == '\u2018':
			// Drop the apostrophe ending: who's, Chambers', isn't -> isn.
			flush()
			for i+1 < len(rs) && unicode.IsLetter(rs[i+1]) {
				i++
			}
		default:
			flush()
		}
	}
	flush()
	return out
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// stem reduces a word to a crude stem: plural and verb endings, British and
// American spellings. Words of four letters or fewer are left alone.
func stem(w word) word {
	if len(w) <= 3 || isDigit(rune(w[0])) {
		return w
	}
	// American to British spellings first, so both meet.
	for _, p := range [...][2]string{{"iz", "is"}, {"yz", "ys"}} {
		if i := strings.Index(w, p[0]); i > 2 {
			w = w[:i] + p[1] + w[i+len(p[0]):]
		}
	}
	for _, p := range [...][2]string{{"center", "centre"}, {"labor", "labour"}, {"meter", "metre"}} {
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
