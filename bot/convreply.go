package bot

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/liberterra/liberterra/facts"
)

// The decisions for the conversation commands (part of the decide stage):
// "tell me more", "what's the source for that?", "do the other articles
// agree?", "who said that?", each about the last turn.

// conversational reports whether a command is about the conversation.
func conversational(cmd string) bool {
	return cmd == cmdMore || cmd == cmdSource || cmd == cmdAgree || cmd == cmdAttribution
}

// conversationCommand decides the reply to a conversation command.
func (b *Bot) conversationCommand(an *Analysis, conv *Conversation) Decision {
	last := conv.last()
	d := Decision{Fact: -1, Outcome: OutcomeAnswer, Confidence: 1}
	fi := b.factIndex(last.Fact)
	switch an.Command {
	case cmdMore:
		return b.more(last, conv)
	case cmdSource, cmdAgree, cmdAttribution:
		if fi < 0 {
			d.Outcome = OutcomeDecline
			d.Why = "the last question was not answered, so there is nothing to " + an.Command
			d.Text = "I didn't answer the last question from the articles, so there is no source to show. Ask me something else about Operation Liberterra II."
			return d
		}
	}
	f := b.base.Facts[fi]
	d.Fact = fi
	switch an.Command {
	case cmdSource:
		d.Why = "the sources of " + f.ID
		var parts []string
		for _, c := range f.Citations {
			cit := b.citation(c.Source, c.Quote)
			sentence := cit.Sentence
			if sentence == "" {
				sentence = c.Quote
			}
			parts = append(parts, fmt.Sprintf("%s: \u201c%s\u201d", SourceName(cit.Source), sentence))
			d.Cites = addCitation(d.Cites, cit)
		}
		d.Text = fmt.Sprintf("That comes from %s. In context: %s", b.outlets(f), strings.Join(parts, " "))
	case cmdAgree:
		d.Why = "what each source says on " + f.ID
		if !f.Conflict {
			if other := b.conflictOn(fi); other >= 0 {
				fi, f = other, b.base.Facts[other]
				d.Fact = fi
			}
		}
		switch {
		case f.Conflict:
			d.Text = "No, they differ. " + b.answerText(f)
		case len(b.outletList(f)) > 1:
			var parts []string
			for _, c := range f.Citations {
				parts = append(parts, fmt.Sprintf("%s: \u201c%s\u201d", SourceName(b.base.Source(c.Source)), c.Quote))
			}
			d.Text = fmt.Sprintf("Yes, %s agree. %s", b.outlets(f), strings.Join(parts, "; "))
		default:
			d.Text = fmt.Sprintf("Only %s reports that; the other articles don't mention it. %s", b.outlets(f), b.answerText(f))
		}
		d.Cites = b.citations(f, "")
	case cmdAttribution:
		d.Why = "who is quoted in " + f.ID
		person := ""
		for _, id := range f.About {
			if e := b.base.Entity(id); e != nil && e.Kind == facts.EntityPerson {
				person = id
				break
			}
		}
		d.Cites = b.citations(f, "")
		if person == "" {
			d.Text = fmt.Sprintf("No one person: that is what %s report. %s", b.outlets(f), b.answerText(f))
			break
		}
		e := b.base.Entity(person)
		d.Text = e.Name + " said that."
		if role := b.roleFact(person); role >= 0 {
			d.Text += " " + b.answerText(b.base.Facts[role])
			d.Cites = append(d.Cites, b.citations(b.base.Facts[role], "")...)
		}
	}
	return d
}

// more gives the next most relevant fact about what the last turn was
// about, never one already shown in the conversation.
func (b *Bot) more(last *Turn, conv *Conversation) Decision {
	d := Decision{Fact: -1}
	an := Analysis{}
	for _, id := range last.Entities {
		an.Entities = append(an.Entities, mention{entity: id})
		an.Terms = append(an.Terms, qterm{term: entityPrefix + id, word: id, cover: coverEntity, rank: rankEntity, kind: termEntity})
	}
	for i, t := range last.Terms {
		cover := 0.5
		if i < len(last.Covers) {
			cover = float64(last.Covers[i])
		}
		an.Terms = append(an.Terms, qterm{term: t, word: t, cover: cover, rank: 1, kind: termWord})
	}
	if f := b.factIndex(last.Fact); f >= 0 && len(last.Entities) == 0 {
		// Nothing named: stay with what the last fact is about.
		for _, id := range b.base.Facts[f].About {
			an.Terms = append(an.Terms, qterm{term: entityPrefix + id, word: id, cover: coverEntity, rank: rankEntity, kind: termEntity})
		}
	}
	r := b.ix.retrieve(&an)
	for _, c := range r.Candidates {
		id := b.base.Facts[c.fact].ID
		if conv.shown(id) || c.Coverage < moreFloor {
			continue
		}
		d.Outcome, d.Fact, d.Confidence = OutcomeAnswer, c.fact, min(1, c.Coverage)
		d.Why = fmt.Sprintf("the next fact on the last topic not yet shown: %s (covers %.2f)", id, c.Coverage)
		return d
	}
	d.Outcome = OutcomeDecline
	d.Why = "every fact on the last topic has been shown"
	d.Text = "That's all the articles say on that. Ask me about something else, or ask for \"topics\"."
	return d
}

// moreFloor is how much of the last topic a fact must cover to be "more".
const moreFloor = 0.3

// factIndex returns the index of the fact with this id, or -1.
func (b *Bot) factIndex(id string) int32 {
	if id == "" {
		return -1
	}
	for i, f := range b.base.Facts {
		if f.ID == id {
			return int32(i)
		}
	}
	return -1
}

// roleFact returns the fact that says who a person is, or -1.
func (b *Bot) roleFact(person string) int32 {
	best := int32(-1)
	for i, f := range b.base.Facts {
		if f.Kind != facts.KindWho {
			continue
		}
		for _, id := range f.About {
			if id == person && (best < 0 || len(f.About) < len(b.base.Facts[best].About)) {
				best = int32(i)
			}
		}
	}
	return best
}

// conflictOn returns a fact on which the sources disagree that shares a
// figure with fact fi (same count of the same place), or -1.
func (b *Bot) conflictOn(fi int32) int32 {
	f := b.base.Facts[fi]
	for i, other := range b.base.Facts {
		if !other.Conflict {
			continue
		}
		for _, a := range f.Figures {
			for _, o := range other.Figures {
				if a.What == o.What && a.Of == o.Of {
					return int32(i)
				}
			}
		}
	}
	return -1
}

// outletList names the outlets that cite a fact, each once.
func (b *Bot) outletList(f *facts.Fact) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range f.Citations {
		if s := b.base.Source(c.Source); s != nil && !seen[s.ID] {
			seen[s.ID] = true
			out = append(out, SourceName(s))
		}
	}
	return out
}

// outlets names the outlets that cite a fact in a phrase.
func (b *Bot) outlets(f *facts.Fact) string { return joinList(b.outletList(f)) }

// maxRelated is how many related questions an answer offers.
const maxRelated = 3

// related offers up to three questions to ask next under an answer: the
// facts next on its topic, not yet shown in the conversation, as their
// first sample question (or their topic).
func (b *Bot) related(an *Analysis, d *Decision, conv *Conversation) []string {
	if d.Fact < 0 || d.Outcome != OutcomeAnswer {
		return nil
	}
	var out []string
	offer := func(fi int32, q string) {
		if fi == int32(d.Fact) || len(out) == maxRelated || conv.shown(b.base.Facts[fi].ID) {
			return
		}
		out = append(out, q)
	}
	for _, n := range b.neighbours(int32(d.Fact)) {
		offer(n.fact, n.question)
	}
	if len(out) == 0 {
		for _, fi := range b.headline {
			offer(fi, relatedQuestion(b.base.Facts[fi]))
		}
	}
	return out
}

// relatedQuestion is the question a related fact is offered as.
func relatedQuestion(f *facts.Fact) string {
	q := capitalise(strings.TrimSpace(standingQuestion(f)))
	if !strings.HasSuffix(q, "?") {
		q += "?"
	}
	return q
}

// standingQuestion is a question that asks for a fact on its own, without
// a conversation before it: its first sample question that is not a
// follow-up ("what about Iraq?"), else its topic.
func standingQuestion(f *facts.Fact) string {
	for _, q := range f.Questions {
		low := strings.ToLower(strings.TrimSpace(q))
		if len(strings.Fields(q)) >= 4 && !strings.HasPrefix(low, "what about") && !strings.HasPrefix(low, "and ") && !strings.HasPrefix(low, "how about") {
			return q
		}
	}
	return f.Topic
}

// neighbour is a fact near another, with the question it is offered as.
type neighbour struct {
	fact     int32
	question string
}

// maxNeighbours is how many related facts are kept for each fact: enough
// to offer maxRelated after leaving out those the conversation has shown.
const maxNeighbours = 8

// neighbours are the facts nearest a fact in what they are about: those
// retrieved by its topic and entities that share its subject, best first.
// They depend on the fact alone, so each fact's are found once.
func (b *Bot) neighbours(fi int32) []neighbour {
	if v := b.neighbourCache[fi].Load(); v != nil {
		return *v
	}
	f := b.base.Facts[fi]
	topic := Analysis{}
	own := b.an.analyse(Cleaned{Text: f.Topic, Shown: f.Topic})
	for _, t := range own.Terms {
		if t.kind == termEntity || t.kind == termWord {
			topic.Terms = append(topic.Terms, t)
		}
	}
	for _, id := range f.About {
		if !b.domainEntity(id) {
			topic.Terms = append(topic.Terms, qterm{term: entityPrefix + id, word: id, cover: coverEntity, rank: rankEntity, kind: termEntity})
		}
	}
	var out []neighbour
	r := b.ix.retrieve(&topic)
	answered := &b.ix.facts[fi]
	for _, c := range r.Candidates {
		// A related fact shares what the answer is about, not only a word
		// of its topic.
		if c.fact != fi && c.Coverage >= moreFloor && b.sharesSubject(answered, &b.ix.facts[c.fact]) && len(out) < maxNeighbours {
			out = append(out, neighbour{c.fact, relatedQuestion(b.base.Facts[c.fact])})
		}
	}
	b.neighbourCache[fi].Store(&out)
	return out
}

// sharesSubject reports whether two facts are about a common entity other
// than the operation, or share a word of their answers that is not the
// domain's.
func (b *Bot) sharesSubject(x, y *factEntry) bool {
	for _, er := range x.roles {
		if _, ok := y.roles.get(er.entity); ok && !b.domainEntity(er.entity) {
			return true
		}
	}
	for _, id := range x.answerTerms {
		if b.termKind(id)&(termIsDomain|termIsEntity|termIsStop) == 0 && y.answerTerms.hasID(id) {
			return true
		}
	}
	return false
}

// capitalise makes a sample question start as a sentence does (the sample
// questions are written as people type them).
func capitalise(q string) string {
	r, n := utf8.DecodeRuneInString(q)
	if n == 0 || !unicode.IsLower(r) {
		return q
	}
	return string(unicode.ToUpper(r)) + q[n:]
}
