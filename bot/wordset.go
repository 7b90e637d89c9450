package bot

import (
	"iter"
	"strings"
)

// wordSet is a set of words the stages read questions with ("how many",
// "which", the verbs of saying …), as one bit: a word's wordInfo holds
// the bits of every set it is in, so a stage that has the word's info
// tests a set with no look-up at all.
type wordSet uint64

// wordSets maps each word of a set to the sets it is in.
var (
	wordSets          = map[string]wordSet{}
	nextSet   wordSet = 1
	setsTaken int
)

// set makes a word set of the space-separated words. There are at most 64
// sets: the 65th fails at start-up, in every test.
func set(fields string) wordSet {
	if setsTaken == 64 {
		panic("bot: more than 64 word sets; make wordSet wider")
	}
	s := nextSet
	nextSet <<= 1
	setsTaken++
	for _, f := range strings.Fields(fields) {
		wordSets[f] |= s
	}
	return s
}

// has reports whether w (folded) is in the set.
func (s wordSet) has(w string) bool { return wordSets[w]&s != 0 }

// words yields the set's words, in no order.
func (s wordSet) words() iter.Seq[string] {
	return func(yield func(string) bool) {
		for w, in := range wordSets {
			if in&s != 0 && !yield(w) {
				return
			}
		}
	}
}
