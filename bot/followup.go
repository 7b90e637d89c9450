package bot

import (
	"fmt"
	"strings"

	"github.com/liberterra/liberterra/facts"
)

// Follow-ups (part of the analyse stage): a question is read in the light
// of the conversation when it points back ("who said that?", "how many of
// them were children?", "what's his job?", "and in Serbia?", "what about
// children?", "when?"). A question that stands on its own is read on its
// own: the conversation never drags it onto the old topic.

// Conversation commands the analyser recognises.
const (
	cmdReset       = "reset"       // start over
	cmdMore        = "more"        // tell me more
	cmdSource      = "source"      // what's the source for that?
	cmdAgree       = "agree"       // do the other articles agree?
	cmdAttribution = "attribution" // who said that?
)

// carriedShare is how much a word carried over from an earlier question
// weighs against the question's own words; a follow-up that names its own
// place or person carries only words at least carriedMin informative.
const (
	carriedShare = 0.6
	carriedMin   = 0.4
)

var (
	personPronouns = set("he him his she her hers himself herself")
	thingPronouns  = set("it its they them their theirs those these that this such")
	ellipsisStarts = []string{"and", "what about", "how about", "what of", "same for", "as for", "and what about", "and how about", "also", "then"}
	sourceWords    = set("source sources citation citations cite quote quotes reference references link proof evidence")
	agreeWords     = set("agree agrees agreed same consistent match matches differ differs confirm confirms corroborate corroborates disagree")
	othersWords    = set("other others articles sources reports outlets every all each elsewhere rest")
)

// conversationCommand recognises the conversation commands said in other
// words than the exact ones command() knows: "which article is that
// from?", "is that the same in the other reports?", "who said that?".
func (a *analyser) conversationCommand(an *Analysis) string {
	ws := an.words
	var anaphor, source, agree, others, say bool
	content := 0
	for _, w := range ws {
		switch {
		case thingPronouns.has(w):
			anaphor = true
		case sourceWords.has(w):
			source = true
		case agreeWords.has(w):
			agree = true
		case othersWords.has(w):
			others = true
		case sayVerbs.has(w) || w == "wrote" || w == "reported":
			say = true
		}
	}
	for _, t := range an.Terms {
		if t.kind == termWord && !sourceWords.has(t.word) && !agreeWords.has(t.word) && !othersWords.has(t.word) && !sayVerbs.has(t.word) && t.word != "way" {
			content++
		}
	}
	switch {
	case len(an.Entities) > 0 || an.Compare != nil:
		return ""
	case agree && others && content == 0:
		return cmdAgree
	case source && anaphor && content == 0:
		return cmdSource
	case an.Want == wantWho && say && anaphor && content == 0:
		return cmdAttribution
	case (ws[0] == "which" || ws[0] == "what") && len(ws) > 1 && (ws[1] == "article" || ws[1] == "outlet" || ws[1] == "report" || ws[1] == "paper" || ws[1] == "source") && anaphor && content == 0:
		return cmdSource
	}
	return ""
}

// followUp reads the question in the light of the last turn: pronouns and
// ellipsis take what they point at, and the conversation commands are
// recognised. It returns a second, narrower reading to fall back on (the
// last turn's entities without its words), or nil.
func (b *Bot) followUp(an *Analysis, conv *Conversation) *Analysis {
	last := conv.last()
	if last == nil || an.Command != "" || an.Smalltalk != "" {
		return nil
	}
	an.lastFact = b.factIndex(last.Fact)
	if cmd := b.an.conversationCommand(an); cmd != "" {
		an.Command = cmd
		return nil
	}
	ws := an.words
	var person, there, thing bool
	for i, w := range ws {
		switch {
		case personPronouns.has(w):
			person = true
		case w == "there" && !(i+1 < len(ws) && (ws[i+1] == "is" || ws[i+1] == "are" || ws[i+1] == "was" || ws[i+1] == "were")):
			there = true
		}
	}
	thing = anaphoric(ws) && !person
	// "how many of the victims were women?": a partitive points back too.
	for i := 0; i+1 < len(ws) && len(an.Entities) == 0; i++ {
		if (ws[i] == "of" || ws[i] == "among") && (ws[i+1] == "the" || ws[i+1] == "those" || ws[i+1] == "these") {
			thing = true
		}
	}
	joined := strings.Join(ws, " ")
	ellipsis := false
	for _, p := range ellipsisStarts {
		if joined == p || strings.HasPrefix(joined, p+" ") {
			ellipsis = true
			break
		}
	}
	own := 0
	for _, t := range an.Terms {
		if t.kind == termWord || t.kind == termNumber {
			own++
		}
	}
	// "how long did the operation last?" names its subject: the operation.
	namesOperation := false
	for _, w := range ws {
		namesOperation = namesOperation || w == "operation" || w == "liberterra"
	}
	short := len(an.Entities) == 0 && own <= 1 && !namesOperation
	// "And how many database checks were run?", "and in Argentina, what
	// was found?": an opening "and" does not make a question that says
	// enough on its own a follow-up.
	standsAlone := own >= 2 || len(an.Entities) > 0 && own >= 1
	if ellipsis && standsAlone && !person && !there && !thing {
		ellipsis = false
	}
	if !person && !there && !thing && !ellipsis && !short {
		return nil // it stands on its own
	}
	var notes []string
	add := func(id string) {
		for _, t := range an.Terms {
			if t.term == entityPrefix+id {
				return
			}
		}
		if b.domainEntity(id) {
			an.Terms = append(an.Terms, qterm{term: entityPrefix + id, word: id, cover: coverOperation, rank: rankDomain, kind: termDomain})
			return
		}
		an.Entities = append(an.Entities, mention{entity: id, role: roleMention})
		an.Terms = append(an.Terms, qterm{term: entityPrefix + id, word: id, cover: coverEntity, rank: rankEntity, kind: termEntity})
	}
	// A pronoun after the question's own place or person points at it
	// ("and Senegal - what was found there?"); one before points back ("is
	// he the Secretary General?").
	ownPlace, ownPerson := false, false
	for _, u := range an.units {
		if isEntity(u.term) {
			if e := b.base.Entity(u.term[1:]); e != nil {
				ownPlace = ownPlace || e.IsPlace()
				ownPerson = ownPerson || e.Kind == facts.EntityPerson
			}
		}
		if u.stop && u.words == "there" || personPronouns.has(u.words) {
			break
		}
	}
	switch {
	case person && last.Person != "" && !ownPerson:
		add(last.Person)
		notes = append(notes, "he/she = "+last.Person)
	case there && last.Place != "" && !ownPlace:
		// "and Senegal - what was found there?": there is Senegal.
		add(last.Place)
		notes = append(notes, "there = "+last.Place)
	}
	ownEntities := len(an.Entities) > 0 && !(person && last.Person != "" || there && last.Place != "")
	an.ownEntities = ownEntities
	// "what about Montenegro?" after Turkey's 94 arrests asks Montenegro's
	// count of the same thing.
	an.sameCount = ellipsis && ownEntities && an.lastFact >= 0 && len(b.base.Facts[an.lastFact].Figures) > 0
	// The last question's words: "and in Serbia?" asks it again of Serbia,
	// "what about children?" narrows it, "how many of them …" asks about it.
	resolved := person && last.Person != "" || there && last.Place != ""
	carry := ellipsis || thing || short && !resolved || person && last.Person == "" || there && last.Place == ""
	if !carry && !ellipsis {
		an.FollowUp = strings.Join(notes, ", ")
		return nil
	}
	narrow := *an
	narrow.Terms = append([]qterm(nil), an.Terms...)
	narrow.Entities = append([]mention(nil), an.Entities...)
	if !ownEntities || ellipsis && len(an.Entities) == 0 {
		for _, id := range last.Entities {
			add(id)
		}
		if len(last.Entities) > 0 {
			notes = append(notes, "about "+strings.Join(last.Entities, ", "))
		}
		for _, id := range last.Entities {
			if !b.domainEntity(id) {
				an.carriedPlaces = true
			}
		}
	}
	narrowAdd := func(id string) {
		for _, t := range narrow.Terms {
			if t.term == entityPrefix+id {
				return
			}
		}
		if b.domainEntity(id) {
			narrow.Terms = append(narrow.Terms, qterm{term: entityPrefix + id, word: id, cover: coverOperation, rank: rankDomain, kind: termDomain})
			return
		}
		narrow.Entities = append(narrow.Entities, mention{entity: id, role: roleMention})
		narrow.Terms = append(narrow.Terms, qterm{term: entityPrefix + id, word: id, cover: coverEntity, rank: rankEntity, kind: termEntity})
	}
	for _, t := range an.Terms {
		if isEntity(t.term) {
			narrowAdd(t.term[1:])
		}
	}
	have := map[string]bool{}
	for _, t := range an.Terms {
		have[t.term] = true
	}
	var carried []string
	for i, term := range last.Terms {
		if have[term] {
			continue
		}
		cover := float64(coverUnknown)
		if i < len(last.Covers) {
			cover = float64(last.Covers[i])
		}
		if ownEntities && (cover < carriedMin || facts.IsNumber(term)) {
			// "and in Montenegro?" after what Serbian police did: not
			// "police"; after Turkey's 94 arrests: not "94", Turkey's own.
			continue
		}
		an.Terms = append(an.Terms, qterm{term: term, word: term, cover: carriedShare * cover, rank: carriedShare, kind: termWord})
		carried = append(carried, term)
	}
	if len(carried) > 0 {
		notes = append(notes, "carries "+strings.Join(carried, " "))
	}
	if an.Want == wantAny && ellipsis {
		an.Want = want(last.Want)
	}
	if an.Want == wantNumber && an.countHead == "" && ellipsis {
		for _, term := range last.Terms {
			if an.countHead == "" {
				an.countHead = term
			}
		}
	}
	an.FollowUp = strings.Join(notes, ", ")
	narrow.FollowUp = an.FollowUp + " (narrowed to the entities)"
	narrow.carriedPlaces = an.carriedPlaces
	return &narrow
}

// turn records what the bot made of a question, for the next one.
func (b *Bot) turn(an *Analysis, d *Decision, prev *Turn) Turn {
	t := Turn{Question: an.Text, Want: uint8(an.Want)}
	for _, m := range an.Entities {
		t.Entities = append(t.Entities, m.entity)
		e := b.base.Entity(m.entity)
		switch {
		case e == nil:
		case e.Kind == facts.EntityPerson:
			t.Person = m.entity
		case e.IsPlace() && m.role != roleOrigin && m.role != roleDest:
			t.Place = m.entity
		}
	}
	for _, q := range an.Terms {
		if q.kind == termWord && q.cover >= 0.2 {
			t.Terms = append(t.Terms, q.term)
			t.Covers = append(t.Covers, float32(q.cover))
		}
	}
	if d != nil && d.Fact >= 0 && (d.Outcome == OutcomeAnswer || d.Outcome == OutcomeNotGiven) {
		f := b.base.Facts[d.Fact]
		t.Fact = f.ID
		var persons, places []string
		for _, id := range f.About {
			if e := b.base.Entity(id); e != nil {
				switch {
				case e.Kind == facts.EntityPerson:
					persons = append(persons, id)
				case e.IsPlace():
					places = append(places, id)
				}
			}
		}
		switch {
		case t.Person == "" && len(persons) == 1:
			t.Person = persons[0]
		case t.Person == "" && len(persons) > 1:
			// "Which UNODC official is quoted?": the one the question's
			// organisation goes with.
			for _, p := range persons {
				if role := b.roleFact(p); role >= 0 {
					for _, m := range an.Entities {
						if b.ix.has(entityPrefix+m.entity, role) {
							t.Person = p
						}
					}
				}
			}
		}
		if t.Place == "" && len(places) > 0 {
			t.Place = places[0]
		}
		if len(t.Entities) == 0 {
			for _, id := range f.About {
				if e := b.base.Entity(id); e != nil && !b.domainEntity(id) {
					t.Entities = append(t.Entities, id)
					if len(t.Entities) == 3 {
						break
					}
				}
			}
		}
		if len(t.Entities) == 0 && len(f.About) > 0 {
			t.Entities = []string{f.About[0]} // the operation itself
		}
	}
	if prev != nil {
		if t.Person == "" {
			t.Person = prev.Person
		}
		if t.Place == "" {
			t.Place = prev.Place
		}
	}
	return t
}

// describeTurn is a turn in a line, for explain.
func describeTurn(t *Turn) string {
	return fmt.Sprintf("last turn %q (fact %s, entities %v, person %s, place %s)", t.Question, t.Fact, t.Entities, t.Person, t.Place)
}

// domainEntity reports whether an entity is what nearly every fact is about
// (the operation, INTERPOL): naming it narrows nothing.
func (b *Bot) domainEntity(id string) bool {
	e := b.base.Entity(id)
	return e != nil && e.Kind == facts.EntityOperation || b.ix.df(entityPrefix+id) > len(b.ix.facts)/4
}

// operationReading is a follow-up read as about the operation itself: the
// question's own words with the operation, without the entities carried
// from the last turn; nil when the question named entities of its own.
func (b *Bot) operationReading(narrow *Analysis) *Analysis {
	if narrow.ownEntities || narrow.carriedPlaces {
		return nil // "how many of them were victims" stays in the Philippines
	}
	op := *narrow
	op.Entities = nil
	op.Terms = nil
	for _, t := range narrow.Terms {
		if t.kind != termEntity {
			op.Terms = append(op.Terms, t)
		}
	}
	op.Terms = append(op.Terms, qterm{term: entityPrefix + "operation", word: "operation", cover: coverOperation, rank: rankDomain, kind: termDomain})
	op.FollowUp = narrow.FollowUp + " (read as about the operation)"
	return &op
}
