package bot

import (
	"fmt"
	"strings"
)

// Explain shows how the matcher read a question and the facts it ranked
// highest, for curators tuning facts: the terms with their weights (unknown
// terms marked "?"), the question kind, and the top n facts with scores.
func (b *Bot) Explain(text string, n int) string {
	p := b.ix.parse(text)
	var s strings.Builder
	fmt.Fprintf(&s, "question kind %q; terms:", p.kind)
	for _, t := range p.terms {
		mark := ""
		if t.id < 0 {
			mark = "?"
		}
		fmt.Fprintf(&s, " %s%s=%.2f", t.text, mark, t.weight)
	}
	s.WriteString("\n")
	for i, r := range b.ix.rank(p) {
		if i == n {
			break
		}
		f := b.ix.facts[r.fact].fact
		fmt.Fprintf(&s, "  %.3f %-32s %s\n", r.score, f.ID, f.Topic)
	}
	return s.String()
}
