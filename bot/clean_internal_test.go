package bot

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestASCIIProblem: the byte-wise checks of ASCII text say what the
// general ones say.
func TestASCIIProblem(t *testing.T) {
	tests := []string{"", " ", "\n\t ", "how many?", "???", "!!! 123", "a\x01b", "x\x7f", "\r\n", "  hi  ", "42", "\v", "what\x00"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteByte(byte(r.IntN(128)))
		}
		tests = append(tests, b.String())
	}
	if _, ok := asciiProblem("café?"); ok {
		t.Error("asciiProblem read text beyond ASCII")
	}
	for _, s := range tests {
		if got, ok := asciiProblem(s); !ok || got != runeProblem(s) {
			t.Errorf("asciiProblem(%q) = %q, %v, want %q", s, got, ok, runeProblem(s))
		}
	}
}

// TestIsOneLine: isOneLine says yes exactly when oneLine's slow path would
// return the text as it is.
func TestIsOneLine(t *testing.T) {
	tests := []string{"", "a", "a b", " a", "a ", "a  b", "a\tb", "a\nb", "it’s – fine", "a\u00a0b", "a\u2009b", "a\u3000b", "a\u0085b", "über café", "x\x01y", "a\u1680b", "a\u205fb", "a\u2028b"}
	r := rand.New(rand.NewPCG(5, 6))
	alphabet := []string{"a", " ", "’", "\u00a0", "–", "é", "\n", "\u2003"}
	for range 3000 {
		var b strings.Builder
		for range r.IntN(6) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		tests = append(tests, b.String())
	}
	for _, s := range tests {
		slow := strings.Join(strings.Fields(s), " ")
		if isOneLine(s) && slow != s {
			t.Errorf("isOneLine(%q) = true, but oneLine makes it %q", s, slow)
		}
		if !isOneLine(s) && slow == s && !strings.ContainsAny(s, "\x01") {
			t.Errorf("isOneLine(%q) = false, but it is one line", s)
		}
	}
}

// TestHasPhrase: hasPhrase says what the padded strings.Contains says.
func TestHasPhrase(t *testing.T) {
	texts := []string{"", "a", "ab", "a b", "b a b", "ab a", "a ab", "head of the unit", "the", "ee e", "e ee"}
	for _, text := range texts {
		for _, phrase := range []string{"a", "b", "ab", "a b", "the", "head", "unit", "of the", "e", "ee", "x"} {
			want := strings.Contains(" "+text+" ", " "+phrase+" ")
			if got := hasPhrase(text, phrase); got != want {
				t.Errorf("hasPhrase(%q, %q) = %v, want %v", text, phrase, got, want)
			}
		}
	}
}
