package bot

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"reflect"
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

// TestMayBeWrapped: cleaning that skips the sentences no wrapping phrase
// can start or end cleans every message as reading them all would: the
// tuning and test questions, and each wrapped in the chat lexicon's
// greetings, fillers and sign-offs.
func TestMayBeWrapped(t *testing.T) {
	b, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	fast := b.cleaner
	slow := *fast
	slow.readAll = true
	var msgs []string
	for _, f := range []string{"testdata/test.jsonl", "testdata/tune.jsonl", "testdata/tune2.jsonl"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(string(data)) {
			var c struct {
				Q     string `json:"q"`
				Turns []struct {
					Q string `json:"q"`
				} `json:"turns"`
			}
			if json.Unmarshal([]byte(line), &c) != nil {
				continue
			}
			msgs = append(msgs, c.Q)
			for _, turn := range c.Turns {
				msgs = append(msgs, turn.Q)
			}
		}
	}
	chat := b.base.Lexicon.Chat
	q := "how many victims were rescued?"
	for _, list := range [][]string{chat.Greetings, chat.Fillers, chat.Thanks, chat.Goodbyes} {
		for _, p := range list {
			msgs = append(msgs, p+" "+q, p+", "+q, q+" "+p, "How many victims were rescued, "+p, p+" Priya, "+q, q+" "+p+" Priya")
		}
	}
	if len(msgs) < 1000 {
		t.Fatalf("only %d messages to clean", len(msgs))
	}
	for _, m := range msgs {
		if got, want := fast.clean(m), slow.clean(m); !reflect.DeepEqual(got, want) {
			t.Errorf("%q cleans as\n%+v\nwant\n%+v", m, got, want)
		}
	}
}

// FuzzMayBeWrapped: cleaning that skips the sentences no wrapping phrase
// can start or end cleans any message as reading them all would.
func FuzzMayBeWrapped(f *testing.F) {
	b, err := Embedded()
	if err != nil {
		f.Fatal(err)
	}
	fast := b.cleaner
	slow := *fast
	slow.readAll = true
	for _, s := range []string{"hi there, how many were arrested? thanks", "How many victims were rescued, cheers Priya", "ok so: who?", "U.S. arrests, ty", "3,222 people. pls", "café, merci"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := fast.clean(s), slow.clean(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q cleans as\n%+v\nwant\n%+v", s, got, want)
		}
	})
}
