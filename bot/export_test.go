package bot

import (
	"reflect"
	"time"
)

// SetClock lets tests move a store's clock.
func SetClock(m *MemoryConversations, now func() time.Time) { m.now = now }

// EmbeddedSnapshotData is the snapshot built into the binary.
var EmbeddedSnapshotData = embeddedSnapshot

// SameIndex reports how two bots' indexes differ, or "" when alike.
func SameIndex(a, b *Bot) string {
	if !reflect.DeepEqual(a.topicWords, b.topicWords) || !reflect.DeepEqual(a.topicFacts, b.topicFacts) {
		return "the topics' words differ"
	}
	x, y := *a.ix, *b.ix
	x.base, y.base = nil, nil
	for i := range x.facts {
		if !reflect.DeepEqual(x.facts[i].roles, y.facts[i].roles) || !reflect.DeepEqual(x.facts[i].answerTerms, y.facts[i].answerTerms) {
			return "fact " + x.facts[i].fact.ID
		}
	}
	x.facts, y.facts = append([]factEntry(nil), x.facts...), append([]factEntry(nil), y.facts...)
	for i := range x.facts {
		x.facts[i].fact, y.facts[i].fact = nil, nil
	}
	if !reflect.DeepEqual(x, y) {
		return "the indexes differ"
	}
	return ""
}
