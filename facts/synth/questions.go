package synth

import (
	"math/rand/v2"
	"strings"
)

// Question is a question about a synthetic base with the fact that answers
// it. Its JSON fields follow the eval files' (bot/testdata/*.jsonl): q, and
// oos for a question the base does not cover.
type Question struct {
	Text string `json:"q"`
	// FactID is the id of the fact that answers it; empty when the base
	// does not cover the question (OOS).
	FactID string `json:"fact_id,omitempty"`
	OOS    bool   `json:"oos,omitempty"`
	// How says how it was made from the fact's questions: "sample" or
	// "fresh" wording, then the changes ("+synonym", "+typo", "+casual",
	// "+chat").
	How string `json:"how"`
}

// shareOutOfScope is the share of questions about places the base does not
// cover (the lexicon's places elsewhere).
const shareOutOfScope = 0.05

// Questions returns k questions about the base, deterministically from
// seed: each a fact's sample question or a fresh wording of what it
// answers, changed as people change questions (a synonym, a typo, no
// capitals or question mark, a greeting), with the fact's id; and a few
// about places the sources don't cover, which the bot should decline.
func (b *Base) Questions(k int, seed int64) []Question {
	r := rand.New(rand.NewPCG(uint64(seed), 0x5eed))
	var elsewhere []string
	for _, w := range b.lex.Elsewhere {
		if !strings.Contains(w.Word, " ") && len(w.Word) > 4 {
			elsewhere = append(elsewhere, w.Word)
		}
	}
	out := make([]Question, 0, k)
	for len(out) < k {
		if len(elsewhere) > 0 && r.Float64() < shareOutOfScope {
			act := actions[r.IntN(len(actions))]
			noun := counted[r.IntN(len(counted))]
			out = append(out, Question{Text: "How many " + noun + " were " + act.past + " in " + title(pickOf(r, elsewhere)) + "?", OOS: true, How: "elsewhere"})
			continue
		}
		f := b.facts[r.IntN(len(b.facts))]
		q := Question{FactID: f.ID}
		text := ""
		if r.IntN(2) == 0 || len(f.ask) == 0 {
			text, q.How = pickOf(r, f.Questions), "sample"
		} else {
			text, q.How = pickOf(r, f.ask), "fresh"
		}
		changed := false
		if r.Float64() < 0.5 {
			if t, ok := b.synonymSwap(r, text); ok {
				text, changed, q.How = t, true, q.How+"+synonym"
			}
		}
		if r.Float64() < 0.15 {
			if t, ok := b.typo(r, text); ok {
				text, changed, q.How = t, true, q.How+"+typo"
			}
		}
		if r.Float64() < 0.3 || q.How == "sample" && !changed {
			text, q.How = strings.TrimRight(strings.ToLower(text), "?"), q.How+"+casual"
		}
		if r.Float64() < 0.1 {
			text, q.How = pickOf(r, []string{"hi, ", "hello! ", "hey there, quick question: ", "quick question: "})+text, q.How+"+chat"
		}
		q.Text = text
		out = append(out, q)
	}
	return out
}

// synonymSwap replaces one of the template's verbs or counted nouns that
// has synonyms in the lexicon with one of them ("arrested" with
// "detained"); words of names stay as they are.
func (b *Base) synonymSwap(r *rand.Rand, text string) (string, bool) {
	ws := strings.Fields(text)
	var at []int
	for i, w := range ws {
		w = strings.ToLower(strings.Trim(w, "?,.:"))
		if swappable[w] && len(b.synonyms[w]) > 0 {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return text, false
	}
	i := pickOf(r, at)
	core := strings.Trim(ws[i], "?,.:")
	syn := pickOf(r, b.synonyms[strings.ToLower(core)])
	ws[i] = strings.Replace(ws[i], core, syn, 1)
	return strings.Join(ws, " "), true
}

// swappable are the template words a question may say otherwise.
var swappable = func() map[string]bool {
	m := map[string]bool{}
	for _, a := range actions {
		m[a.past], m[a.base] = true, true
	}
	for _, c := range counted {
		m[c] = true
	}
	return m
}()

// typo swaps two letters inside one of the longer vocabulary words.
func (b *Base) typo(r *rand.Rand, text string) (string, bool) {
	ws := strings.Fields(text)
	var at []int
	for i, w := range ws {
		if len(w) >= 7 && b.vocab.all[w] {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return text, false
	}
	i := pickOf(r, at)
	w := []byte(ws[i])
	j := 1 + r.IntN(len(w)-3)
	w[j], w[j+1] = w[j+1], w[j]
	if string(w) == ws[i] {
		return text, false
	}
	ws[i] = string(w)
	return strings.Join(ws, " "), true
}

// Fact returns the answer of the fact with the given id, or "".
func (b *Base) Fact(id string) string {
	for _, f := range b.facts {
		if f.ID == id {
			return f.Answer
		}
	}
	return ""
}
