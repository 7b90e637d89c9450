package synth

import (
	"fmt"
	"math"
	"strings"

	"github.com/liberterra/liberterra/facts"
)

// factsPerFile is how many facts each facts/*.yaml file holds.
const factsPerFile = 2500

// Shares of the facts by kind (who facts: one per person at most).
const (
	shareWho   = 0.03
	shareCount = 0.42
	shareWhen  = 0.12
	shareWhere = 0.12
	// the rest are what facts: statements and happenings
	shareSecondSource = 0.3  // facts cited by a second article
	shareConflict     = 0.08 // of count facts with a second article: the two disagree
)

func (b *Base) makeFacts() {
	// Operation-wide totals first: they go to operation.yaml.
	nOp := min(60, 3+b.n/100, b.n)
	for len(b.facts) < nOp {
		f := b.operationFact()
		if f == nil {
			break
		}
		b.add(f, "operation.yaml")
	}
	nextWho := 0
	for len(b.facts) < b.n {
		u := b.r.Float64()
		var f *fact
		file := "countries"
		switch {
		case u < shareWho && nextWho < len(b.people):
			f = b.whoFact(b.people[nextWho])
			nextWho++
			file = "people"
		case u < shareWho+shareCount:
			f = b.countFact()
		case u < shareWho+shareCount+shareWhen:
			f = b.whenFact()
		case u < shareWho+shareCount+shareWhen+shareWhere:
			f = b.whereFact()
			file = "context"
		case b.chance(0.5):
			f = b.statementFact()
			file = "people"
		default:
			f = b.happeningFact()
		}
		if f == nil {
			continue // its key was taken: draw again
		}
		b.add(f, fmt.Sprintf("%s-%03d.yaml", file, len(b.facts)/factsPerFile+1))
	}
}

func (b *Base) add(f *fact, file string) {
	f.ID = fmt.Sprintf("%s-%d", f.ID, len(b.facts)+1)
	f.file = file
	b.facts = append(b.facts, f)
}

// claim reserves a key; false when another fact has it.
func (b *Base) claim(parts ...string) bool {
	k := strings.Join(parts, "|")
	if b.used[k] {
		return false
	}
	b.used[k] = true
	return true
}

// pickSource draws an article, other than not.
func (b *Base) pickSource(not *source) *source {
	for {
		s := pickOf(b.r, b.sources)
		if s != not || len(b.sources) == 1 {
			return s
		}
	}
}

// addSentence appends a sentence to an article.
func (b *Base) addSentence(s *source, sent string) {
	s.sentences = append(s.sentences, sent)
	s.words += len(strings.Fields(sent))
}

// cite writes sent into s and returns the citation of quote (a part of sent).
func (b *Base) cite(s *source, sent, quote string) facts.Citation {
	if !strings.Contains(sent, quote) {
		panic("synth: quote " + quote + " not in its sentence " + sent)
	}
	b.addSentence(s, sent)
	return facts.Citation{Source: s.ID, Quote: quote}
}

// count draws a number of things counted: mostly small, sometimes
// thousands (log-uniform).
func (b *Base) count() int {
	return int(math.Round(math.Exp(b.r.Float64()*math.Log(20000)))) + 1
}

// samples keeps 3 to 5 of the sample questions, in order.
func (b *Base) samples(qs ...string) []string {
	k := 3 + b.r.IntN(3)
	if k >= len(qs) {
		return qs
	}
	out := append([]string(nil), qs...)
	for len(out) > k {
		i := b.r.IntN(len(out))
		out = append(out[:i], out[i+1:]...)
	}
	return out
}

func (b *Base) noun() string { return b.vocab.nouns.pick(b.r) }
func (b *Base) adj() string  { return b.vocab.adjs.pick(b.r) }
func (b *Base) verb() string { return b.vocab.verbs.pick(b.r) }

// locus draws two nouns that name where something happened ("the chip
// snake"), a pair no other fact uses in either order: a question that
// names the pair and no place has one answer.
func (b *Base) locus() (string, string) {
	for tries := 0; ; tries++ {
		x, y := b.twoNouns()
		k1, k2 := min(x, y), max(x, y)
		if b.claim("locus", k1, k2) || tries > 100 {
			return x, y
		}
	}
}

// twoNouns draws two different nouns.
func (b *Base) twoNouns() (string, string) {
	x := b.noun()
	for {
		if y := b.noun(); y != x {
			return x, y
		}
	}
}

func (b *Base) operationFact() *fact {
	for tries := 0; tries < 50; tries++ {
		act := actions[zipfIndex(b.r, len(actions), 1)]
		noun := counted[zipfIndex(b.r, len(counted), 1)]
		if !b.claim("op", act.past, noun) {
			continue
		}
		n := b.count() * 10
		s := pickOf(b.r, b.sources)
		sent := fmt.Sprintf("Across the whole operation, %s %s were %s.", b.numText(n), noun, act.past)
		c := b.cite(s, sent, sent)
		return &fact{
			ID: "op-" + noun + "-" + act.past, Kind: facts.KindCount, About: []string{"operation"},
			Topic:  fmt.Sprintf("%s %s across the operation", title(noun), act.past),
			Answer: fmt.Sprintf("Across the whole operation, %s %s were %s.", facts.FormatNumber(float64(n)), noun, act.past),
			Questions: b.samples(
				fmt.Sprintf("How many %s were %s in total?", noun, act.past),
				fmt.Sprintf("How many %s did the operation %s?", noun, act.base),
				fmt.Sprintf("Total %s %s across the operation?", noun, act.past),
				fmt.Sprintf("What was the overall number of %s %s?", noun, act.past)),
			Keywords:  []string{"total", "overall"},
			Citations: []facts.Citation{c},
			Figures:   []facts.Figure{{Value: float64(n), What: noun + " " + act.past, Of: "operation", Source: c.Source, Quote: c.Quote}},
			ask: []string{
				fmt.Sprintf("how many %s were %s altogether", noun, act.past),
				fmt.Sprintf("overall, how many %s got %s?", noun, act.past),
			},
		}
	}
	return nil
}

func (b *Base) countFact() *fact {
	place := b.pickPlace()
	act := actions[zipfIndex(b.r, len(actions), 1)]
	noun := counted[zipfIndex(b.r, len(counted), 0.8)]
	if !b.claim("count", place.ID, act.past, noun) {
		return nil
	}
	agent, agentQ := b.agentFor(place)
	mod := b.adj()
	loc1, loc2 := b.locus()
	x1, x2 := b.locus()
	n := b.count()
	P := where(place)
	src := pickOf(b.r, b.sources)
	clause := fmt.Sprintf("%s %s %s %s %s near the %s %s", agent, act.past, b.numText(n), mod, noun, loc1, loc2)
	sent := fmt.Sprintf("In %s, %s, after weeks of %s %s.", P, clause, x1, x2)
	quote := clause
	if b.chance(0.4) {
		quote = sent
	}
	c := b.cite(src, sent, quote)
	f := &fact{
		ID: place.ID + "-" + noun + "-" + act.past, Kind: facts.KindCount,
		About:  aboutPlace(place),
		Topic:  fmt.Sprintf("%s %s %s in %s", title(mod), noun, act.past, place.Name),
		Answer: fmt.Sprintf("%s in %s %s %s %s %s near the %s %s.", title(agent), P, act.past, facts.FormatNumber(float64(n)), mod, noun, loc1, loc2),
		Questions: b.samples(
			fmt.Sprintf("How many %s were %s in %s?", noun, act.past, place.Name),
			fmt.Sprintf("How many %s %s did %s %s near the %s %s?", mod, noun, agentQ, act.base, loc1, loc2),
			fmt.Sprintf("What number of %s did %s in %s %s?", noun, agentQ, place.Name, act.base),
			fmt.Sprintf("How many %s were %s at the %s %s in %s?", noun, act.past, loc1, loc2, place.Name),
			fmt.Sprintf("%s %s %s: how many?", place.Name, noun, act.past)),
		Keywords:  []string{x1, x2},
		Citations: []facts.Citation{c},
		Figures:   []facts.Figure{{Value: float64(n), What: noun + " " + act.past, Of: place.ID, Source: c.Source, Quote: c.Quote}},
		ask: []string{
			fmt.Sprintf("how many %s did %s %s in %s", noun, agentQ, act.base, place.ref()),
			fmt.Sprintf("number of %s %s %s near the %s %s", mod, noun, act.past, loc1, loc2),
			fmt.Sprintf("In %s, how many %s got %s near the %s?", place.Name, noun, act.past, loc2),
		},
	}
	if b.chance(shareSecondSource) {
		src2 := b.pickSource(src)
		n2, num2 := n, b.numText(n)
		conflict := b.chance(shareConflict)
		if conflict {
			n2 = int(math.Ceil(float64(n+1)/10) * 10)
			if n2 <= n {
				n2 = n + 10
			}
			num2 = "nearly " + facts.FormatNumber(float64(n2))
		}
		a2 := agent
		if a2 == "police" || a2 == "officers" {
			a2 = "the authorities"
		}
		clause2 := fmt.Sprintf("%s %s %s were %s during checks on the %s %s", num2, mod, noun, act.past, loc1, loc2)
		sent2 := fmt.Sprintf("%s in %s said %s.", title(a2), P, clause2)
		c2 := b.cite(src2, sent2, clause2)
		f.Citations = append(f.Citations, c2)
		f.Figures = append(f.Figures, facts.Figure{Value: float64(n2), What: noun + " " + act.past, Of: place.ID, Source: c2.Source, Quote: c2.Quote})
		if conflict {
			f.Conflict = true
			f.Answer = fmt.Sprintf("The sources differ on how many %s %s were %s in %s near the %s %s: %s reports %s, %s nearly %s.",
				mod, noun, act.past, P, loc1, loc2, src.Publisher, facts.FormatNumber(float64(n)), src2.Publisher, facts.FormatNumber(float64(n2)))
		}
	}
	return f
}

func (b *Base) whoFact(p *entity) *fact {
	b.claim("who", p.ID)
	p.introduced = true
	org := p.org
	w1, w2 := b.twoNouns()
	src := pickOf(b.r, b.sources)
	quote := fmt.Sprintf("%s, the %s of the %s", p.Name, p.role, org.Name)
	sent := fmt.Sprintf("%s, said the %s %s had %s the %s.", quote, w1, w2, b.verb(), b.noun())
	c := b.cite(src, sent, quote)
	first := strings.Fields(p.Name)[0]
	return &fact{
		ID: p.ID + "-role", Kind: facts.KindWho, About: []string{p.ID, org.ID},
		Topic:  "Who " + p.Name + " is",
		Answer: fmt.Sprintf("%s is the %s of the %s.", p.Name, p.role, org.Name),
		Questions: b.samples(
			"Who is "+p.Name+"?",
			"Who is "+p.last+"?",
			"What is "+p.Name+"'s role?",
			"What does "+p.last+" do?",
			"Which organisation does "+p.Name+" work for?"),
		Keywords:  []string{"role", "position"},
		Citations: []facts.Citation{c},
		ask: []string{
			"who's " + strings.ToLower(p.last),
			"tell me who " + p.Name + " is",
			strings.ToLower(first+" "+p.last) + " - who is that?",
		},
	}
}

func (b *Base) whenFact() *fact {
	place := b.pickPlace()
	rv := pickOf(b.r, raidVerbs)
	loc1, loc2 := b.locus()
	if !b.claim("when", loc1, loc2) {
		return nil
	}
	agent, agentQ := b.agentFor(place)
	x1 := b.noun()
	noun := counted[zipfIndex(b.r, len(counted), 0.8)]
	day, month := 1+b.r.IntN(30), pickOf(b.r, monthNames)
	P := where(place)
	src := pickOf(b.r, b.sources)
	quote := fmt.Sprintf("On %d %s, %s in %s %s the %s %s", day, month, agent, P, rv.past, loc1, loc2)
	sent := fmt.Sprintf("%s used by %s %s.", quote, x1, noun)
	c := b.cite(src, sent, quote)
	return &fact{
		ID: place.ID + "-" + loc2 + "-" + rv.past, Kind: facts.KindWhen, About: aboutPlace(place),
		Topic:  fmt.Sprintf("%s %s %s in %s", title(loc1), loc2, rv.past, place.Name),
		Answer: fmt.Sprintf("%s in %s %s the %s %s on %d %s 2024.", title(agent), P, rv.past, loc1, loc2, day, month),
		Questions: b.samples(
			fmt.Sprintf("When did %s %s the %s %s in %s?", agentQ, rv.base, loc1, loc2, place.Name),
			fmt.Sprintf("When was the %s %s in %s %s?", loc1, loc2, place.Name, rv.past),
			fmt.Sprintf("On what date was the %s %s %s?", loc1, loc2, rv.past),
			fmt.Sprintf("When did they %s the %s %s?", rv.base, loc1, loc2)),
		Keywords:  []string{x1, "date"},
		Citations: []facts.Citation{c},
		ask: []string{
			fmt.Sprintf("what day was the %s %s in %s %s", loc1, loc2, place.ref(), rv.past),
			fmt.Sprintf("when did %s %s the %s %s", agentQ, rv.base, loc1, loc2),
		},
	}
}

func (b *Base) whereFact() *fact {
	if len(b.places) == 0 {
		return nil
	}
	city := b.places[b.r.IntN(len(b.places))]
	loc1, loc2 := b.locus()
	if !b.claim("where", loc1, loc2) {
		return nil
	}
	x1 := b.adj()
	noun := counted[zipfIndex(b.r, len(counted), 0.8)]
	src := pickOf(b.r, b.sources)
	quote := fmt.Sprintf("The %s %s behind the %s %s was traced to %s", loc1, loc2, x1, noun, city.Name)
	sent := fmt.Sprintf("%s, in %s.", quote, city.country.Name)
	c := b.cite(src, sent, quote)
	return &fact{
		ID: loc1 + "-" + loc2 + "-traced", Kind: facts.KindWhere, About: []string{city.ID, city.country.ID},
		Topic:  fmt.Sprintf("Where the %s %s was traced", loc1, loc2),
		Answer: fmt.Sprintf("The %s %s behind the %s %s was traced to %s in %s.", loc1, loc2, x1, noun, city.Name, city.country.Name),
		Questions: b.samples(
			fmt.Sprintf("Where was the %s %s traced to?", loc1, loc2),
			fmt.Sprintf("Where was the %s %s behind the %s based?", loc1, loc2, noun),
			fmt.Sprintf("In which city was the %s %s?", loc1, loc2),
			fmt.Sprintf("Where did the %s %s operate?", loc1, loc2)),
		Keywords:  []string{"city", "based"},
		Citations: []facts.Citation{c},
		ask: []string{
			fmt.Sprintf("where was the %s %s", loc1, loc2),
			fmt.Sprintf("which town was the %s %s traced to", loc1, loc2),
		},
	}
}

func (b *Base) statementFact() *fact {
	p := pickOf(b.r, b.people)
	w1, w2 := b.twoNouns()
	if !b.claim("say", p.ID, w1, w2) {
		return nil
	}
	p.introduced = true
	place := b.pickPlace()
	noun := counted[zipfIndex(b.r, len(counted), 0.8)]
	src := pickOf(b.r, b.sources)
	sent := fmt.Sprintf("%s warned that %s %s were used to move %s through %s.", p.Name, w1, w2, noun, where(place))
	c := b.cite(src, sent, sent)
	return &fact{
		ID: p.ID + "-on-" + w2, Kind: facts.KindWhat, About: append([]string{p.ID}, aboutPlace(place)...),
		Topic:  fmt.Sprintf("%s's warning on %s %s", p.last, w1, w2),
		Answer: fmt.Sprintf("%s warned that %s %s were being used to move %s through %s.", p.Name, w1, w2, noun, where(place)),
		Questions: b.samples(
			fmt.Sprintf("What did %s say about %s %s?", p.last, w1, w2),
			fmt.Sprintf("What did %s warn about %s %s?", p.Name, w1, w2),
			fmt.Sprintf("What was %s's warning about the %s %s?", p.last, w1, w2),
			fmt.Sprintf("%s on %s %s", p.last, w1, w2)),
		Keywords:  []string{"warning", "said"},
		Citations: []facts.Citation{c},
		ask: []string{
			fmt.Sprintf("what did %s say about the %s %s", p.Name, w1, w2),
			fmt.Sprintf("%s's view on %s %s?", strings.ToLower(p.last), w1, w2),
		},
	}
}

func (b *Base) happeningFact() *fact {
	place := b.pickPlace()
	loc1, loc2 := b.locus()
	if !b.claim("what", place.ID, loc1, loc2) {
		return nil
	}
	x1, x2 := b.locus()
	noun := counted[zipfIndex(b.r, len(counted), 0.8)]
	P := where(place)
	src := pickOf(b.r, b.sources)
	quote := fmt.Sprintf("%s were found working in %s %s under %s %s", noun, loc1, loc2, x1, x2)
	sent := fmt.Sprintf("In %s, %s.", P, quote)
	c := b.cite(src, sent, quote)
	f := &fact{
		ID: place.ID + "-" + loc1 + "-" + loc2, Kind: facts.KindWhat, About: aboutPlace(place),
		Topic:  fmt.Sprintf("%s found in %s %s in %s", title(noun), loc1, loc2, place.Name),
		Answer: fmt.Sprintf("In %s, %s were found working in %s %s under %s %s.", P, noun, loc1, loc2, x1, x2),
		Questions: b.samples(
			fmt.Sprintf("What happened at the %s %s in %s?", loc1, loc2, place.Name),
			fmt.Sprintf("What was found in %s's %s %s?", place.Name, loc1, loc2),
			fmt.Sprintf("What did they find at the %s %s?", loc1, loc2),
			fmt.Sprintf("Tell me about the %s %s in %s", loc1, loc2, place.Name)),
		Keywords:  []string{"conditions", "exploitation"},
		Citations: []facts.Citation{c},
		ask: []string{
			fmt.Sprintf("what went on at the %s %s in %s", loc1, loc2, place.ref()),
			fmt.Sprintf("anything about %s %s in %s?", loc1, loc2, place.Name),
		},
	}
	if b.chance(shareSecondSource) {
		src2 := b.pickSource(src)
		sent2 := fmt.Sprintf("Inspectors said %s had been kept in %s %s in %s for months.", noun, loc1, loc2, P)
		f.Citations = append(f.Citations, b.cite(src2, sent2, sent2))
	}
	return f
}
