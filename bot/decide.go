package bot

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/liberterra/liberterra/facts"
)

// Stage 4 of 5: decide. From the ranked candidates the bot decides what to
// say: answer with a fact, say the articles don't give what was asked (and
// what they do say), or decline; or work out a comparison.

// Outcome is what the bot decided to do with a question.
type Outcome uint8

// The outcomes.
const (
	OutcomeDecline  Outcome = iota // the sources don't cover it
	OutcomeAnswer                  // a fact answers it
	OutcomeNotGiven                // the facts cover the event but not what is asked
	OutcomeCompare                 // figures compared or added
	OutcomeList                    // several facts gathered
)

var outcomeNames = [...]string{"decline", "answer", "not given", "compare", "list"}

func (o Outcome) String() string { return outcomeNames[o] }

// Decision is the decide stage's result.
type Decision struct {
	Outcome Outcome
	// Fact is the index of the fact answered (or, not given, the fact
	// that says what the articles do say); -1 for none.
	Fact int32
	// Facts are the facts gathered for a list.
	Facts []int32
	// Confidence is how sure the bot is of Fact, in [0, 1].
	Confidence float64
	// Why explains the decision, for ask --explain.
	Why string
	// Missing names what the articles don't give, for a not-given reply
	// ("the date", "the names").
	Missing string
	// Computed is the worked comparison.
	Computed *computed
	// Suggest are facts to offer when declining.
	Suggest []int32
	// Text and Cites, when set, are the reply's words and citations
	// (the conversation commands, a yes or no).
	Text  string
	Cites []Citation
	// Prefix opens the answer ("No." to "is he the Secretary General?").
	Prefix string
}

// Decision thresholds, chosen on the tuning splits (the README's table is
// TestThresholds' output): a fact answers when its confidence reaches
// AnswerThreshold; it says what the articles don't give when it covers the
// rest of the question at least notGivenThreshold.
const (
	// AnswerThreshold is the default; WithThreshold changes it.
	AnswerThreshold   = 0.55
	notGivenThreshold = 0.6
	// notGivenMissing: a fact that lacks a question word this telling is
	// about something else, and its "what they do say" would mislead.
	notGivenMissing = 0.4
	// marginShare is how much the margin over the second candidate adds
	// to the confidence; coverage makes the rest.
	marginShare = 0.15
	// focusPenalty scales a fact that lacks the noun a question asks
	// about ("the capital of Senegal"); otherSourcePenalty one that does not
	// cite the source the question names, or does not report speech when
	// the question asks what someone said.
	focusPenalty       = 0.6
	otherSourcePenalty = 0.8
	// kindBonus favours a fact of the kind the question asks for (a when
	// fact for a when question) among facts that cover it alike.
	kindBonus = 1.08
	// conflictBonus favours a fact that keeps every version when the
	// question asks whether the sources agree.
	conflictBonus = 1.2
	// sameCountBonus favours, for "what about Montenegro?" after a count,
	// a fact giving Montenegro's figure of what the last answer counted
	// (the 11 arrests after Turkey's 94, not the 350 migrants smuggled,
	// whose words are closer). Any value above the gap between such
	// neighbours works on the tuning splits; 1.15 changes no other case.
	sameCountBonus = 1.15
	// specificPenalty scales a fact about one country or person for a
	// question that names none.
	specificPenalty = 0.9
	// richWindow is how much less confidence a fact that says more may
	// have and still answer an open question instead.
	richWindow = 0.06
	// overviewSize is how many places an answer names to be a tour of
	// them ("In the Balkans, Serbia …, Montenegro …, North Macedonia …").
	overviewSize = 3
	// suggestFloor is the least coverage that makes a fact worth offering.
	suggestFloor = 0.2
	maxSuggest   = 3
)

// decide picks what to say.
func (b *Bot) decide(an *Analysis, r *Retrieval) Decision {
	d := Decision{Fact: -1}
	if an.Compare != nil {
		if c := b.compute(an); c != nil {
			d.Outcome, d.Computed, d.Confidence = OutcomeCompare, c, c.confidence
			d.Why = "worked out from the figures: " + c.working
			return d
		}
	}
	for _, t := range an.Terms {
		if t.kind == termElsewhere {
			d.Why = an.why(func() string { return fmt.Sprintf("%q is a place the sources don't cover", t.word) })
			d.Suggest = b.suggestions(an, r)
			return d
		}
	}
	if d, ok := b.dateSpan(an, r); ok {
		return d
	}
	if d, ok := b.expansion(an); ok {
		return d
	}
	if d, ok := b.identity(an); ok {
		return d
	}
	if d, ok := b.statements(an); ok {
		return d
	}
	if an.OtherEdition {
		d.Why = "asks about another operation of the series, which the sources don't cover"
		d.Suggest = b.suggestions(an, r)
		return d
	}
	if an.Request != "" {
		d.Why = an.why(func() string { return fmt.Sprintf("asks me to %q, which I can't do", an.Request) })
		d.Suggest = b.suggestions(an, r)
		return d
	}
	if len(r.Candidates) == 0 {
		d.Why = "no fact shares a word with the question"
		d.Suggest = b.suggestions(an, r)
		return d
	}
	best := r.Candidates[0].Score
	second := 0.0
	if len(r.Candidates) > 1 {
		second = r.Candidates[1].Score
	}
	margin := 0.0
	if best > 0 {
		margin = (best - second) / best
	}
	type judged struct {
		c      *Candidate
		conf   float64
		ok     bool   // may answer
		reason string // why not
	}
	var jsBuf [maxCandidates]judged
	js := jsBuf[:0]
	for i := range r.Candidates {
		c := &r.Candidates[i]
		j := judged{c: c, ok: true}
		m := 0.0
		if i == 0 {
			m = margin
		}
		j.conf = c.Coverage * (1 - marginShare + marginShare*m) * (0.85 + 0.15*c.Score/best)
		if c.missingMust {
			j.conf *= focusPenalty
		}
		if kindFits(an.Want, b.base.Facts[c.fact].Kind) {
			j.conf *= kindBonus
		}
		if an.Conflict && b.base.Facts[c.fact].Conflict {
			j.conf *= conflictBonus
		}
		if an.sameCount && b.countsAlike(an, c.fact) {
			j.conf *= sameCountBonus
		}
		if len(an.Entities) == 0 && b.ix.facts[c.fact].specific {
			// "How many people were arrested?" asks about the whole
			// operation, not Iraq.
			j.conf *= specificPenalty
		}
		if len(an.Entities) == 1 && b.ix.facts[c.fact].places >= overviewSize {
			// "What happened in Iraq?" asks about Iraq, not the tour
			// of every country that mentions it.
			j.conf *= specificPenalty
		}
		if an.Source != "" && !b.cites(c.fact, an.Source) {
			j.conf *= otherSourcePenalty
		}
		if an.Want == wantStatement && b.namesPerson(an) && b.ix.facts[c.fact].gives&givesStatement == 0 {
			j.conf *= otherSourcePenalty
		}
		switch {
		case c.roleMismatch != "":
			j.ok, j.reason = false, an.why(func() string { return fmt.Sprintf("names %s, but not as where it happened", c.roleMismatch) })
		}
		for _, t := range c.Missing {
			if t.kind == termEntity {
				j.ok, j.reason = false, an.why(func() string { return fmt.Sprintf("is not about %s", t.word) })
				break
			}
		}
		js = append(js, j)
	}
	// The best candidate that may answer. An open question ("what was
	// found in the warehouse?", "tell me what Serbian police did") is
	// better answered by the fact that says more of what happened, among
	// those that fit it about as well.
	open := an.Want == wantAny && an.Focus == "" && an.frame == "" && !an.YesNo
	var asked []int32 // for richness, made when first needed
	richness := func(fi int32) int {
		if asked == nil {
			asked = b.askedTerms(an)
		}
		return b.richness(asked, fi)
	}
	pick := -1
	for i, j := range js {
		if !j.ok {
			continue
		}
		switch {
		case pick < 0:
			pick = i
		case open && j.conf >= js[pick].conf-richWindow && richness(j.c.fact) > richness(js[pick].c.fact):
			pick = i
		case j.conf > js[pick].conf+0.05:
			pick = i
		}
	}
	if pick < 0 {
		d.Why = "best fact " + b.ix.facts[js[0].c.fact].fact.ID + " " + js[0].reason
		d.Suggest = b.suggestions(an, r)
		return d
	}
	j := js[pick]
	d.Fact, d.Confidence = j.c.fact, math.Min(1, j.conf)
	if j.conf < b.threshold {
		d.Outcome = OutcomeDecline
		d.Why = an.why(func() string {
			return fmt.Sprintf("best fact %s covers %.2f of the question (confidence %.2f < %.2f)", b.ix.facts[j.c.fact].fact.ID, j.c.Coverage, j.conf, b.threshold)
		})
		d.Fact = -1
		d.Suggest = b.suggestions(an, r)
		return d
	}
	// Does the fact give what is asked? If not, another that does, or say
	// plainly that the articles don't give it.
	if missing := b.lacks(an, j.c.fact); missing != "" {
		alt := -1
		for k, other := range js {
			if k != pick && other.ok && other.conf >= b.threshold && b.lacks(an, other.c.fact) == "" && (alt < 0 || other.conf > js[alt].conf) {
				alt = k
			}
		}
		if alt >= 0 {
			other := js[alt]
			d.Fact, d.Confidence = other.c.fact, math.Min(1, other.conf)
			d.Outcome = OutcomeAnswer
			d.Why = an.why(func() string {
				return fmt.Sprintf("%s gives %s where %s does not", b.ix.facts[other.c.fact].fact.ID, an.Want, b.ix.facts[j.c.fact].fact.ID)
			})
			return d
		}
		if an.softWant || an.Want == wantReason {
			// "where does UNODC want to take its partnership?": a bare
			// where may not ask for a place; answer with the best fact.
			d.Outcome = OutcomeAnswer
			d.Why = an.why(func() string {
				return fmt.Sprintf("%s covers %.2f of the question; it names no place, but the question may not ask for one", b.ix.facts[j.c.fact].fact.ID, j.c.Coverage)
			})
			return d
		}
		if j.conf >= notGivenThreshold && maxMissing(j.c.Missing, an) < notGivenMissing {
			d.Outcome, d.Missing = OutcomeNotGiven, missing
			d.Why = an.why(func() string {
				return fmt.Sprintf("%s is about this but does not give %s", b.ix.facts[j.c.fact].fact.ID, missing)
			})
			return d
		}
		d.Outcome = OutcomeDecline
		d.Fact = -1
		d.Why = an.why(func() string {
			return fmt.Sprintf("best fact %s does not give %s and covers too little (%.2f)", b.ix.facts[j.c.fact].fact.ID, missing, j.conf)
		})
		d.Suggest = b.suggestions(an, r)
		return d
	}
	d.Outcome = OutcomeAnswer
	d.Why = an.why(func() string {
		return fmt.Sprintf("%s covers %.2f of the question (confidence %.2f >= %.2f)", b.ix.facts[j.c.fact].fact.ID, j.c.Coverage, j.conf, b.threshold)
	})
	return d
}

// lacks says what a question asks for that the fact does not give ("the
// date", "the number of children"), or "" when it gives it.
func (b *Bot) lacks(an *Analysis, fi int32) string {
	fe := &b.ix.facts[fi]
	need := an.Want.gives()
	if need == 0 {
		return ""
	}
	if fe.gives&need == 0 || an.Unnamed {
		return wantedThing(an)
	}
	switch an.Want {
	case wantNumber:
		if an.countHead == "" {
			break
		}
		// A figure must count it: a number near the word is not enough
		// ("minors … one of four centres").
		if len(fe.fact.Figures) > 0 && b.matchFigure(an, fe.fact) == nil || len(fe.fact.Figures) == 0 && !b.ix.inSet(fe.answerTerms, an.countHead) {
			return wantedThing(an)
		}
	case wantPlace, wantPerson, wantNationality:
		// A place or person the question itself names is no answer.
		for _, er := range fe.answerRoles {
			id, r := er.entity, er.role
			e := b.base.Entity(id)
			switch {
			case e == nil:
				continue
			case an.Want == wantPlace && !e.IsPlace(), an.Want == wantPerson && e.Kind != facts.EntityPerson:
				continue
			case an.Want == wantPlace && an.finePlace && e.Kind != facts.EntityPlace:
				continue // "which town in Mali": a country is no answer
			case an.Want == wantNationality && r != roleOrigin && r != roleNational:
				continue
			}
			named := false
			for _, m := range an.Entities {
				if m.entity == id {
					named = true
				}
			}
			if !named {
				return ""
			}
		}
		return wantedThing(an)
	}
	return ""
}

// wantedThing names what a question asks for, for a not-given reply.
func wantedThing(an *Analysis) string {
	switch an.Want {
	case wantNumber:
		if an.countHead != "" {
			return "the number of " + countedWords(an)
		}
		return "that number"
	case wantDate:
		return "the date"
	case wantPerson:
		return "the names"
	case wantName:
		return "the name"
	case wantPlace:
		return "the exact place"
	case wantMoney:
		for _, w := range an.words {
			switch w {
			case "cost", "costs":
				return "the cost"
			case "budget", "price", "value":
				return "the " + w
			case "worth":
				return "what it was worth"
			case "laundered", "launder":
				return "how much money was laundered"
			case "paid", "pay", "charge", "charged":
				return "how much was paid"
			}
		}
		return "the amount"
	case wantAge:
		return "the age"
	case wantDuration:
		return "how long it lasted"
	case wantNationality:
		return "their nationality"
	}
	return "that detail"
}

// countedWords are the words of what a count question counts, as asked.
func countedWords(an *Analysis) string {
	for _, u := range an.units {
		if u.term == an.countHead {
			return u.words
		}
	}
	return an.countHead
}

// matchFigure returns the fact's figure that counts what the question
// counts, of a place the question names if it names one, or nil.
func (b *Bot) matchFigure(an *Analysis, f *facts.Fact) *facts.Figure {
	fe := &b.ix.facts[b.factIndex(f.ID)]
	// The places the question asks about ("in Mali"), not those it only
	// mentions ("on their way to the UK") or carries from the last turn.
	places := map[string]bool{}
	for _, m := range an.Entities {
		if e := b.base.Entity(m.entity); e != nil && e.IsPlace() && m.role.situated() {
			places[m.entity] = true
		}
	}
	var best *facts.Figure
	bestScore := 0
	for i := range f.Figures {
		fig := &f.Figures[i]
		if len(places) > 0 && !places[fig.Of] && !b.placeOf(f, fig, places) {
			continue // "how many suspects were arrested in Mali": Algeria's seven won't do
		}
		s := b.figureMatch(an.countHead, an.Counted, fig, fe.answerTerms)
		if s > 0 && len(an.countSubset) > 0 {
			what := b.figureTerms(fig)
			for _, t := range an.countSubset {
				if !what.has(t) && !(isEntity(t) && t[1:] == fig.Of) {
					s = 0
				}
			}
		}
		if s > bestScore {
			best, bestScore = fig, s
		}
	}
	return best
}

// genericCounts are what a count question may count without saying what
// ("how many people were arrested"): the verb then says it.
var genericCounts = stemSet("people persons person individuals individual ones them those total")

// figureMatch scores how well a figure counts what the question counts: 0
// when it doesn't. A generic head ("how many people were found …") counts
// people only if the question's other words stand in what the figure
// counts or in the fact's answer: "people found in the warehouse" is the
// 250, "people arrested at the warehouse" is not.
func (b *Bot) figureMatch(head string, counted []string, fig *facts.Figure, answer termSet) int {
	what := b.figureTerms(fig)
	score := 0
	for _, t := range counted {
		if t != head && what.has(t) {
			score++
		}
	}
	switch {
	case genericCounts[head] && score > 0:
		return score + 1 // "people arrested": a figure of arrests
	case genericCounts[head]:
		// "people found in the warehouse": a figure of people, and the
		// rest of the question in the answer; not "migrants smuggled" for
		// "people arrested".
		if !genericCounts[b.figureHead(fig)] {
			return 0
		}
		for _, t := range counted {
			if t != head && !genericCounts[t] && !what.has(t) && !b.ix.inSet(answer, t) {
				return 0
			}
		}
		return 1
	case what.has(head):
		return score + 3
	}
	return 0
}

// placeOf reports whether a figure of a body rather than a place (the
// Manchester bureau, the NCA) belongs to a place the question names: its
// fact is about that place.
func (b *Bot) placeOf(f *facts.Fact, fig *facts.Figure, places map[string]bool) bool {
	if e := b.base.Entity(fig.Of); e == nil || e.IsPlace() {
		return false
	}
	for _, id := range f.About {
		if places[id] {
			return true
		}
	}
	return false
}

// figureTerms are the terms of what a figure counts, read once at start.
func (b *Bot) figureTerms(fig *facts.Figure) termList {
	if f, ok := b.figures.info[fig]; ok {
		return f.terms
	}
	return b.readFigureTerms(fig)
}

func (b *Bot) readFigureTerms(fig *facts.Figure) termList {
	var out termList
	for _, u := range b.lang.read(facts.Words(fig.What), "") {
		if !u.stop && !out.has(u.term) {
			out = append(out, u.term)
		}
	}
	return slices.Clip(out)
}

// termList is a short list of terms (what a figure counts: a few words),
// smaller than a map and as fast to search.
type termList []string

func (l termList) has(t string) bool { return slices.Contains(l, t) }

// suggestions offers facts near the question when declining: those that
// nearly matched, then topics whose words look like the question's (did you
// mean), then the headline facts.
func (b *Bot) suggestions(an *Analysis, r *Retrieval) []int32 {
	var out []int32
	seen := map[int32]bool{}
	add := func(f int32) {
		if len(out) < maxSuggest && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	if r != nil {
		for _, c := range r.Candidates {
			if c.Coverage >= suggestFloor && c.roleMismatch == "" {
				add(c.fact)
			}
		}
	}
	if len(out) < maxSuggest {
		for _, f := range b.didYouMean(an) {
			add(f)
		}
	}
	for _, f := range b.headline {
		add(f)
	}
	return out
}

// describeMissing lists the terms a candidate lacks, for explain.
func describeMissing(ts []*qterm) string {
	var parts []string
	for _, t := range ts {
		parts = append(parts, fmt.Sprintf("%s(%.2f)", t.word, t.cover))
	}
	return strings.Join(parts, " ")
}

// cites reports whether the fact cites the source.
func (b *Bot) cites(fi int32, source string) bool {
	for _, c := range b.base.Facts[fi].Citations {
		if c.Source == source {
			return true
		}
	}
	return false
}

// namesPerson reports whether the question names a person.
func (b *Bot) namesPerson(an *Analysis) bool {
	for _, m := range an.Entities {
		if e := b.base.Entity(m.entity); e != nil && e.Kind == facts.EntityPerson {
			return true
		}
	}
	return false
}

// kindFits reports whether a fact of kind k is the kind a question wanting
// w asks for.
func kindFits(w want, k facts.Kind) bool {
	switch w {
	case wantNumber, wantMoney, wantDuration:
		return k == facts.KindCount
	case wantDate:
		return k == facts.KindWhen
	case wantWho, wantPerson:
		return k == facts.KindWho
	case wantPlace:
		return k == facts.KindWhere
	}
	return false
}

// maxMissing is the weight of the most telling word of the question a fact
// lacks, the asked-for type aside: what a count counts is what the fact
// may not give ("how many victims were freed in Iraq").
func maxMissing(ts []*qterm, an *Analysis) float64 {
	counted := map[string]bool{}
	if an.Want == wantNumber {
		for _, t := range an.Counted {
			counted[t] = true
		}
	}
	m := 0.0
	for _, t := range ts {
		if (t.kind == termWord || t.kind == termNumber || t.kind == termLater) && !counted[t.term] {
			m = max(m, t.cover)
		}
	}
	return m
}

// identity answers "is he the Secretary General?" and "was Kavanagh the
// one who …": a yes/no question naming two people (one often by a title
// that is an alias, "secretary general" for Stock) asks whether they are
// the same. It says no, and who is who.
func (b *Bot) identity(an *Analysis) (Decision, bool) {
	if !an.YesNo {
		return Decision{}, false
	}
	var people []string
	for _, m := range an.Entities {
		if e := b.base.Entity(m.entity); e != nil && e.Kind == facts.EntityPerson {
			people = append(people, m.entity)
		}
	}
	if len(people) != 2 || people[0] == people[1] {
		return Decision{}, false
	}
	d := Decision{Outcome: OutcomeAnswer, Confidence: 0.9, Fact: -1}
	var parts []string
	for _, p := range people {
		if f := b.roleFact(p); f >= 0 {
			parts = append(parts, b.answerText(b.base.Facts[f]))
			d.Cites = append(d.Cites, b.citations(b.base.Facts[f], an.Source)...)
			if d.Fact < 0 {
				d.Fact = f
			}
		}
	}
	if len(parts) < 2 {
		return Decision{}, false
	}
	a, c := b.base.Entity(people[0]), b.base.Entity(people[1])
	d.Text = fmt.Sprintf("No, %s and %s are different people. %s", a.Name, c.Name, strings.Join(parts, " "))
	d.Why = "a yes/no question naming two different people"
	return d, true
}

// statements answers "what did Richard Chambers say?" with each of his
// statements: a question for what a person said that asks nothing more
// gathers every fact reporting that person's words.
func (b *Bot) statements(an *Analysis) (Decision, bool) {
	if an.Want != wantStatement {
		return Decision{}, false
	}
	person := ""
	for _, m := range an.Entities {
		if e := b.base.Entity(m.entity); e != nil && e.Kind == facts.EntityPerson {
			if person != "" {
				return Decision{}, false
			}
			person = m.entity
		}
	}
	if person == "" {
		return Decision{}, false
	}
	for _, t := range an.Terms {
		if (t.kind == termWord || t.kind == termNumber) && t.cover >= 0.3 {
			return Decision{}, false // it asks what he said about something
		}
	}
	d := Decision{Outcome: OutcomeList, Fact: -1, Confidence: 0.9}
	for i, f := range b.base.Facts {
		fe := &b.ix.facts[i]
		if fe.gives&givesStatement == 0 || f.Kind == facts.KindWho || len(f.About) == 0 {
			continue
		}
		about := false
		for _, id := range f.About {
			about = about || id == person
		}
		// A fact about several people is a summary, not his statement.
		if about && len(f.About) <= 3 && !strings.HasSuffix(f.ID, "-said") {
			d.Facts = append(d.Facts, int32(i))
		}
	}
	if len(d.Facts) < 2 {
		return Decision{}, false
	}
	d.Why = an.why(func() string {
		return fmt.Sprintf("gathers the %d facts that report what %s said", len(d.Facts), person)
	})
	return d, true
}

// richness is how much a fact's answer says beyond the question's words,
// in new terms (at most 12).
func (b *Bot) richness(asked []int32, fi int32) int {
	n := 0
	for _, id := range b.ix.facts[fi].answerTerms {
		if b.termKind(id)&(termIsDomain|termIsStop) == 0 && !slices.Contains(asked, id) {
			n++
		}
	}
	return min(n, 12)
}

// askedTerms are the index's ids of the question's terms.
func (b *Bot) askedTerms(an *Analysis) []int32 {
	out := make([]int32, 0, len(an.Terms))
	for _, t := range an.Terms {
		if id := b.ix.lookup(t.term); id >= 0 {
			out = append(out, id)
		}
	}
	return out
}

// What the lexicon says of an index term (termKind).
const (
	termIsDomain uint8 = 1 << iota
	termIsStop
	termIsEntity
)

// termKind says whether the index's term id is a domain word, a stop word
// or an entity, from a table made at the first call: answers ask it of
// every term of the facts they weigh.
func (b *Bot) termKind(id int32) uint8 {
	b.termKindsOnce.Do(func() {
		b.termKinds = make([]uint8, len(b.ix.termText))
		for i, t := range b.ix.termText {
			var k uint8
			if b.lang.domain[t] {
				k |= termIsDomain
			}
			if b.lang.stop[t] {
				k |= termIsStop
			}
			if isEntity(t) {
				k |= termIsEntity
			}
			b.termKinds[i] = k
		}
	})
	return b.termKinds[id]
}

// expansion answers "what does NCA stand for?" from entities.yaml: the
// acronym spelled out, quoted where a source spells it out.
func (b *Bot) expansion(an *Analysis) (Decision, bool) {
	if an.Want != wantExpansion {
		return Decision{}, false
	}
	for _, u := range an.units {
		if !isEntity(u.term) {
			continue
		}
		e := b.base.Entity(u.term[1:])
		if e == nil || e.Acronym == "" {
			continue
		}
		src, quote, ok := b.base.SpelledOut(e)
		if !ok {
			continue
		}
		d := Decision{Outcome: OutcomeAnswer, Fact: -1, Confidence: 1}
		verb := "stands"
		if strings.HasSuffix(e.Acronym, "s") {
			verb = "stand" // "NGOs stand for non-governmental organizations"
		}
		d.Text = fmt.Sprintf("%s %s for %s.", e.Acronym, verb, e.StandsFor)
		d.Cites = []Citation{b.citation(src.ID, quote)}
		d.Why = "entities.yaml spells out " + e.Acronym
		return d, true
	}
	return Decision{}, false
}

// figureHead is the first term of what a figure counts ("people" in
// "people running romance scams").
func (b *Bot) figureHead(fig *facts.Figure) string {
	for _, u := range b.lang.read(facts.Words(fig.What), "") {
		if !u.stop {
			return u.term
		}
	}
	return ""
}

// countsAlike reports whether fact fi has a figure of one of the
// question's entities that counts what a figure of the last answer counted:
// the same last word of what it counts, the event ("suspected smugglers
// arrested", "members of an organised group arrested"; not "migrants
// smuggled", though it shares a word with the first).
func (b *Bot) countsAlike(an *Analysis, fi int32) bool {
	last := map[string]bool{}
	for _, fig := range b.base.Facts[an.lastFact].Figures {
		last[figureEvent(fig.What)] = true
	}
	for _, fig := range b.base.Facts[fi].Figures {
		for _, m := range an.Entities {
			if m.entity == fig.Of && last[figureEvent(fig.What)] {
				return true
			}
		}
	}
	return false
}

// figureEvent is the stem of the last word of what a figure counts.
func figureEvent(what string) string {
	ws := facts.Words(what)
	if len(ws) == 0 {
		return ""
	}
	return facts.Stem(ws[len(ws)-1])
}
