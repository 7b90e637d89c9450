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
