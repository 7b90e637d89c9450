package discord

import (
	"testing"
	"unicode/utf8"
)

// FuzzCut checks the cutting that keeps every embed within Discord's limits:
// for any text and limit the result fits and stays valid UTF-8. The seeds
// run as an ordinary test.
func FuzzCut(f *testing.F) {
	for _, s := range []string{"", "short", "a long sentence that will be cut at a word", "ééééé", "\xff\xfe"} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 1 || n > 1<<16 {
			return
		}
		got := cut(s, n)
		if textLen(got) > n {
			t.Errorf("cut(%q, %d) = %q, %d long", s, n, got, textLen(got))
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Errorf("cut(%q, %d) = %q is not valid UTF-8", s, n, got)
		}
	})
}
