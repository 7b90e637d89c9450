package facts

import (
	"slices"
	"strconv"
	"strings"
)

// Number is a figure as a text writes it: "nearly 24,000", "nine", "8 million".
type Number struct {
	Value float64
	// Qualifier is the word or words before the number that make it
	// approximate or a bound ("nearly", "more than"); empty when exact.
	Qualifier string
	// Start and End are the byte offsets of the number (with its qualifier)
	// in the text.
	Start, End int
}

// Approx reports whether the text gives the number as approximate or as a
// bound rather than exactly.
func (n Number) Approx() bool { return n.Qualifier != "" }

var smallNumbers = map[string]float64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
	"eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
	"fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
	"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
	"eighty": 80, "ninety": 90,
}

// NumberWords are the words a number may be spelt with at its start
// ("zero" to "ninety"): a text with none of them and no digits states no
// number.
func NumberWords() []string {
	out := make([]string, 0, len(smallNumbers))
	for w := range smallNumbers {
		out = append(out, w)
	}
	slices.Sort(out)
	return out
}

var multipliers = map[string]float64{"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9}

// qualifiers, longest first within each first word.
var qualifiers = [][]string{
	{"more", "than"}, {"fewer", "than"}, {"less", "than"}, {"at", "least"}, {"up", "to"}, {"close", "to"},
	{"nearly"}, {"almost"}, {"about"}, {"around"}, {"approximately"}, {"roughly"}, {"some"},
	{"over"}, {"under"}, {"approx"},
}

// Numbers finds the numbers written in s, in digits or in words, with the
// qualifier before each. Ordinals, ages ("32-year-old") and years are numbers
// too; a caller that counts things decides what they count.
func Numbers(s string) []Number { return numbersIn(Tokens(s)) }

// NumbersInWords is Numbers of the words (folded, as Words gives them)
// joined by single spaces, without splitting them again.
func NumbersInWords(words []string) []Number {
	var buf [32]Token
	toks, at := buf[:0], 0
	for _, w := range words {
		toks = append(toks, Token{Word: w, Start: at, End: at + len(w)})
		at += len(w) + 1
	}
	return numbersIn(toks)
}

func numbersIn(toks []Token) []Number {
	var out []Number
	for i := 0; i < len(toks); i++ {
		v, n, ok := numberAt(toks[i:])
		if !ok {
			continue
		}
		num := Number{Value: v, Start: toks[i].Start, End: toks[i+n-1].End}
		// Look back for a qualifier.
		for _, q := range qualifiers {
			if i >= len(q) {
				match := true
				for k, w := range q {
					if toks[i-len(q)+k].Word != w {
						match = false
						break
					}
				}
				if match {
					num.Qualifier = strings.Join(q, " ")
					num.Start = toks[i-len(q)].Start
					break
				}
			}
		}
		out = append(out, num)
		i += n - 1
	}
	return out
}

// numberSuffixes multiply the number they end ("18k").
var numberSuffixes = [...]struct {
	suffix string
	mult   float64
}{{"k", 1e3}, {"m", 1e6}, {"bn", 1e9}}

// numberAt reads a number at the start of toks: digits or number words,
// with a following multiplier ("8 million", "eight million", "twenty-one",
// "18k"). It returns the value and how many tokens it used.
func numberAt(toks []Token) (float64, int, bool) {
	w := toks[0].Word
	var v float64
	n := 1
	switch {
	case IsNumber(w):
		digits, mult := w, 1.0
		for _, m := range numberSuffixes {
			if strings.HasSuffix(w, m.suffix) {
				digits, mult = strings.TrimSuffix(w, m.suffix), m.mult
				break
			}
		}
		f, err := strconv.ParseFloat(digits, 64)
		if err != nil {
			return 0, 0, false
		}
		v = f * mult
	case w == "zero" || smallNumbers[w] > 0:
		v = smallNumbers[w]
		// "twenty one", "twenty-one" (the hyphen splits words).
		if v >= 20 && len(toks) > 1 {
			if u := smallNumbers[toks[1].Word]; u > 0 && u < 10 {
				v += u
				n++
			}
		}
	default:
		return 0, 0, false
	}
	for ; n < len(toks); n++ {
		m, ok := multipliers[toks[n].Word]
		if !ok {
			break
		}
		v *= m
	}
	return v, n, true
}

// FormatNumber writes v the way answers do: thousands separated by commas,
// at most one decimal, and "8 million" for a whole number of millions.
func FormatNumber(v float64) string {
	if v >= 1e6 && v == float64(int64(v/1e6))*1e6 {
		return strconv.FormatInt(int64(v/1e6), 10) + " million"
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(whole[i])
	}
	if frac != "" {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}
