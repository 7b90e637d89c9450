package bot

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/liberterra/liberterra/facts"
)

// Stage 2 of 5: analyse. The cleaned question is read for what it asks:
// a command, small talk, or a question, and if a question, what kind of
// answer it wants (a number, a date, a person …), what it counts, the
// entities it names and in what role, the source it names, and its other
// words, each weighed by how much it says.

// want is the kind of answer a question asks for.
type want uint8

const (
	wantAny         want = iota // what happened, what did X say, …
	wantWho                     // who: a person or an organisation
	wantNumber                  // how many, what number
	wantDate                    // when, what date
	wantPerson                  // the name of a person
	wantPlace                   // where, which town
	wantName                    // the name of a thing
	wantMoney                   // how much money, what value
	wantReason                  // why
	wantAge                     // how old
	wantDuration                // how long
	wantExpansion               // what an acronym stands for
	wantStatement               // what someone said
	wantNationality             // where people came from
)

var wantNames = [...]string{"anything", "who", "a number", "a date", "a person's name", "a place", "a name",
	"an amount of money", "a reason", "an age", "how long", "what it stands for", "what someone said", "a nationality"}

func (w want) String() string { return wantNames[w] }

// gives is the answer type a fact must give for the want; 0 when any fact will do.
func (w want) gives() gives {
	switch w {
	case wantNumber:
		return givesNumber
	case wantDate:
		return givesDate
	case wantPerson:
		return givesPerson
	case wantPlace:
		return givesPlace
	case wantName:
		return givesName
	case wantMoney:
		return givesMoney
	case wantAge:
		return givesAge
	case wantDuration:
		return givesDuration
	case wantNationality:
		return givesOrigin
	}
	return 0
}

// qterm is one term of a question.
type qterm struct {
	term string // as the index has it: a stem, a canonical term, "#entity", a number
	word string // the words as read
	alt  string // the term of a restricted synonym, tried for its facts only
	// cover is how much the term says: its share of the question that a
	// fact must cover (general-English informativeness; entities weigh
	// more, domain words and the asked-for type less).
	cover float64
	// rank is the term's weight in the retrieval score.
	rank float64
	kind termKind
	// must marks the word a "what is the X of Y" question asks for (X): a
	// fact that lacks it does not answer.
	must bool
}

type termKind uint8

const (
	termWord termKind = iota
	termEntity
	termNumber
	termDomain
	termElsewhere // a place the sources don't cover
	termAsked     // a word naming the asked-for type ("date", "name")
	termLater     // a word asking about a time after the articles ("now")
)

var termKindNames = [...]string{"word", "entity", "number", "domain", "elsewhere", "asked", "later"}

// mention is an entity a question names, and how.
type mention struct {
	entity string
	role   role
}

// Analysis is what the analyse stage read in a question.
type Analysis struct {
	Text string // the question as read
	// Command is a built-in command ("help", "topics", "sources", or a
	// conversation command: "reset", "more", "source", "agree").
	Command string
	// Smalltalk is the small-talk intent, when the message is small talk.
	Smalltalk string
	Want      want
	YesNo     bool
	// Focus is the word a "what is the X of Y" question asks for.
	Focus string
	// frame is the noun a question is framed by even when it is no focus
	// ("what's his job?", "which case …"): such a question is not open.
	frame string
	// Counted are the terms of what a count question counts; countHead
	// the thing counted ("victims").
	Counted   []string
	countHead string
	// countSubset are the terms that narrow what is counted ("from
	// Ukraine" in "how many of the women were from Ukraine"): a figure
	// must name them too.
	countSubset []string
	Terms       []qterm
	Entities    []mention
	// Source is the source a question names ("the UNODC piece").
	Source string
	// Numbers are the numbers the question states.
	Numbers []facts.Number
	// Request is an action the question asks the bot to do that it can't
	// ("book a flight").
	Request string
	// OtherEdition says the question is about another operation of the
	// series ("Liberterra I", "the next operation").
	OtherEdition bool
	// Unnamed says the question asks for the names of people the articles
	// only count or describe ("the nine people arrested", "the officer").
	Unnamed bool
	// softWant says the asked-for type may be a figure of speech ("where
	// does UNODC want to take its partnership?"): prefer facts that give
	// it, but never say it is not given.
	softWant bool
	// finePlace says a place question asks for a town or city, not a
	// country ("in which town in Mali").
	finePlace bool
	// Corrections lists the typos read as other words ("montenegor ->
	// montenegro").
	Corrections []string
	// FollowUp says how the conversation filled in the question, when it did.
	FollowUp string
	// Compare is set when the question compares or adds figures.
	Compare *comparison
	// Conflict says the question asks whether the sources agree ("every
	// version", "is that consistent").
	Conflict bool
	// ownEntities says the question named entities itself (not only by
	// pronouns a follow-up resolved); carriedPlaces that a follow-up
	// carried the last turn's own places or people.
	ownEntities   bool
	carriedPlaces bool
	// lastFact is the fact the last turn answered, for "that" in a
	// comparison ("what share of the total is that?"); -1 for none.
	lastFact int32
	// sameCount says a follow-up naming its own place asks the count the
	// last answer gave, of that place (sameCountBonus).
	sameCount bool
	// excluded are the words after "besides" or "apart from": what the
	// question sets aside ("Besides raids, where else …").
	excluded map[int]bool
	// explain says the stages are traced (ask --explain): only then are
	// the decisions explained in words (see why).
	explain bool
	// units are the question's words after phrases were read.
	units []unit
	words []string
	infos []*wordInfo // what the lexicon says of each of words
	// buf holds the arrays above for reuse once the answer is given
	// (release).
	buf *analysisBuf
}

// analysisBuf holds the arrays of an Analysis, reused across questions:
// they were most of the bytes an answer allocated, and so most of the
// garbage collector's work.
type analysisBuf struct {
	words []string
	infos []*wordInfo
	units []unit
	terms []qterm
}

var analysisPool sync.Pool

// release hands the analysis's arrays back for reuse: the caller no longer
// reads an, nor anything that shares its arrays (its retrieval, readings
// made from it).
func (an *Analysis) release() {
	b := an.buf
	if b == nil {
		return
	}
	// Hold on to little of the question: what it filled is cleared
	// (anything appended after its reading may stay until overwritten).
	clear(b.words)
	clear(b.infos)
	clear(b.units)
	clear(b.terms)
	analysisPool.Put(b)
	*an = Analysis{}
}

// info is what the lexicon says of the question's i-th word, for an analysis
// analyse made (whose infos match its words).
func (an *Analysis) info(i int) *wordInfo { return an.infos[i] }

// infosAt are the infos of the question's words from the i-th on, nil
// when the analysis has none.
func (an *Analysis) infosAt(i int) []*wordInfo { return an.infosIn(i, len(an.words)) }

// infosIn are the infos of the question's words i to j-1, nil when the
// analysis has none.
func (an *Analysis) infosIn(i, j int) []*wordInfo {
	if len(an.infos) != len(an.words) {
		return nil
	}
	return an.infos[i:j]
}

// in reports whether the question's i-th word is in the set; false past
// either end.
func (an *Analysis) in(i int, s wordSet) bool {
	if i < 0 || i >= len(an.words) {
		return false
	}
	if len(an.infos) != len(an.words) {
		return s.has(an.words[i]) // an analysis made without infos
	}
	return an.infos[i].sets&s != 0
}

// why is the explanation f gives when the stages are traced, else "":
// explanations cost more than the decisions they explain.
func (an *Analysis) why(f func() string) string {
	if an.explain {
		return f()
	}
	return ""
}

// analyser reads questions for one fact base.
type analyser struct {
	l         *lang
	ix        *index
	smalltalk map[string]string // pattern key -> intent
	// keywords are smalltalk.yaml's intents, in order, with their keywords
	// and "with" words as padded phrase keys (" are you ").
	keywords  []smalltalkKeys
	base      *facts.Base
	corrector *corrector
}

type smalltalkKeys struct {
	intent         string
	with, keywords []string
}

func newAnalyser(base *facts.Base, l *lang, ix *index) *analyser {
	a := &analyser{l: l, ix: ix, base: base, smalltalk: map[string]string{}}
	for _, s := range base.Lexicon.Smalltalk {
		for _, p := range s.Patterns {
			a.smalltalk[facts.PhraseKey(p)] = s.Intent
		}
		k := smalltalkKeys{intent: s.Intent}
		for _, w := range s.With {
			k.with = append(k.with, " "+facts.PhraseKey(w)+" ")
		}
		for _, w := range s.Keywords {
			k.keywords = append(k.keywords, " "+facts.PhraseKey(w)+" ")
		}
		a.keywords = append(a.keywords, k)
	}
	a.corrector = newCorrector(ix, l, base)
	return a
}

// Weights of the terms of a question (see qterm). Chosen on the tuning split.
const (
	coverEntity    = 1.5  // a named entity must be covered
	coverOperation = 0.15 // naming the operation says little: every fact is about it
	coverElsewhere = 3.0  // a place the sources don't cover outweighs the rest
	coverDomain    = 0.15
	coverNumber    = 0.8
	coverLater     = 2.0 // a question about after the articles turns on that word
	coverUnknown   = 1.0 // a word not in the frequency list is rare: informative
	coverMin       = 0.08
	// zipfCommon and zipfRare bound general-English informativeness: a
	// word as common as zipfCommon barely counts, one as rare as
	// zipfRare counts fully.
	zipfCommon = 6.5
	zipfRare   = 2.5

	rankEntity = 2.0
	rankDomain = 0.3
	// smalltalkContent: a message with a word the facts use that is at
	// least this informative is a question, not small talk ("person" and
	// "day" are too common to count).
	smalltalkContent = 0.45
)

// analyse reads a cleaned question.
func (a *analyser) analyse(c Cleaned) Analysis {
	an := Analysis{Text: c.Text, lastFact: -1}
	buf, _ := analysisPool.Get().(*analysisBuf)
	if buf == nil {
		buf = &analysisBuf{}
	}
	an.buf = buf
	// The words are read once and shared by the checks below.
	textWords := facts.AppendWords(buf.words[:0], c.Text)
	buf.words = textWords
	if len(textWords) > maxQuestionWords {
		textWords = textWords[:maxQuestionWords]
	}
	textInfos := a.l.appendInfos(buf.infos[:0], textWords)
	buf.infos = textInfos
	spoken, infos := a.readTextSpeak(textWords, textInfos)
	key := strings.Join(spoken, " ")
	if cmd := command(key); cmd != "" {
		an.Command = cmd
		return an
	}
	if c.Text == "" {
		switch {
		case c.Thanks:
			an.Smalltalk = "thanks"
		case c.Goodbye:
			an.Smalltalk = "goodbye"
		case c.Greeting:
			an.Smalltalk = "greeting"
		default:
			an.Smalltalk = "empty"
		}
		return an
	}
	// The question, without "hey … bot", and the message as a whole (read
	// only when the rest did not match).
	for k := range 3 {
		reading := key
		switch k {
		case 1:
			reading = strings.TrimSuffix(strings.TrimPrefix(key, "hey "), " bot")
		case 2:
			if c.Shown == c.Text {
				continue
			}
			reading = a.readKey(c.Shown)
		}
		if intent, ok := a.smalltalk[reading]; ok {
			an.Smalltalk = intent
			return an
		}
	}
	if a.foreign(c.Text, textWords, textInfos) {
		an.Smalltalk = "english_only"
		return an
	}
	units := a.l.appendUnits(buf.units[:0], spoken, infos, "")
	buf.units = units
	if intent := a.smalltalkByKeyword(key, units); intent != "" {
		an.Smalltalk = intent
		return an
	}

	words := spoken
	for i, w := range spoken {
		if fixed := a.corrector.correct(w, infos[i]); fixed != "" && fixed != w {
			if len(an.Corrections) == 0 {
				words, infos = slices.Clone(spoken), slices.Clone(infos)
			}
			an.Corrections = append(an.Corrections, w+" -> "+fixed)
			words[i], infos[i] = fixed, a.l.word(fixed)
		}
	}
	an.words, an.infos = words, infos
	if len(an.Corrections) > 0 {
		units = a.l.readInfos(words, infos, "")
	}
	an.units = units
	an.excluded = setAside(an.units)
	for i, w := range words {
		// Most questions state no number: its words are only read for
		// them when one has digits or is a number word.
		if facts.IsNumber(w) || infos[i].sets&numberWords != 0 {
			an.Numbers = facts.NumbersInWords(words)
			break
		}
	}
	a.readWant(&an)
	a.readFocus(&an)
	a.readTerms(&an)
	an.OtherEdition = otherEdition(words)
	if !an.OtherEdition {
		for i, w := range words {
			if w == "operation" && i+1 < len(words) && !a.l.stop[words[i+1]] && a.ix.vocab[words[i+1]] == 0 && a.l.zipf(words[i+1]) < 3 && !facts.IsNumber(words[i+1]) {
				an.OtherEdition = true // "Operation Lionfish"
			}
		}
	}
	an.Compare = a.readComparison(&an)
	return an
}

// smalltalkByKeyword recognises small talk in a message that says nothing
// the facts know: "you're brilliant", "is this a real person?", "are you
// there?". The intents are tried in the order of smalltalk.yaml.
func (a *analyser) smalltalkByKeyword(key string, units []unit) string {
	for i := range units {
		u := &units[i]
		ui := a.l.unitInfo(u)
		if u.stop || ui.sets&questionWords != 0 || ui.domain {
			continue
		}
		if isEntity(u.term) || facts.IsNumber(u.term) || ui.elsewhere ||
			a.ix.df(u.term) > 0 && a.informativeness(u.words) >= smalltalkContent {
			return "" // it says something the facts know, or asks of a place
		}
	}
	padded := " " + key + " "
	for _, s := range a.keywords {
		if len(s.with) > 0 && !containsAny(padded, s.with) {
			continue
		}
		if containsAny(padded, s.keywords) {
			return s.intent
		}
	}
	return ""
}

// maxQuestionWords bounds the work per question.
const maxQuestionWords = 80

// readKey is the question as folded words with text speak read, for
// matching whole phrases (commands, small talk).
func (a *analyser) readKey(text string) string {
	ws := facts.Words(text)
	spoken, _ := a.readTextSpeak(ws, a.l.infos(ws))
	return strings.Join(spoken, " ")
}

// numberStays reports whether the number at words[i] is a number, not
// text speak ("4" for "for"): in "Liberterra 2", "operation 2", "4 October",
// "October 4".
func numberStays(words []string, i int) bool {
	if i > 0 && (words[i-1] == "liberterra" || words[i-1] == "operation") {
		return true
	}
	for _, j := range []int{i - 1, i + 1} {
		if j >= 0 && j < len(words) {
			if _, ok := monthByName(words[j]); ok {
				return true
			}
		}
	}
	return false
}

func (a *analyser) readTextSpeak(words []string, infos []*wordInfo) ([]string, []*wordInfo) {
	speaks := func(i int) bool {
		return infos[i].speak != "" && !(facts.IsNumber(words[i]) && numberStays(words, i))
	}
	i := 0
	for i < len(words) && !speaks(i) {
		i++
	}
	if i == len(words) {
		return words, infos // most questions: no text speak
	}
	out := slices.Clone(words[:i])
	outInfos := slices.Clone(infos[:i])
	for ; i < len(words); i++ {
		if speaks(i) {
			for _, w := range strings.Fields(infos[i].speak) {
				out, outInfos = append(out, w), append(outInfos, a.l.word(w))
			}
			continue
		}
		out, outInfos = append(out, words[i]), append(outInfos, infos[i])
	}
	return out, outInfos
}

// foreign reports whether text is in another language: mostly letters of
// another script, or more common words of another language than of English.
func (a *analyser) foreign(text string, words []string, infos []*wordInfo) bool {
	if !ascii(text) { // ASCII is no other script
		var latin, other int
		for _, r := range text {
			switch {
			case r < utf8.RuneSelf:
				if 'a' <= r|0x20 && r|0x20 <= 'z' {
					latin++
				}
			case !unicode.IsLetter(r):
			case unicode.Is(unicode.Latin, r):
				latin++
			default:
				other++
			}
		}
		if other > latin {
			return true
		}
	}
	foreignWords := 0
	for _, wi := range infos {
		if wi.language != "" {
			foreignWords++
		}
	}
	if foreignWords < 2 {
		return false // most questions: no need to count the English words
	}
	english := 0
	for i, wi := range infos {
		if wi.language == "" && (wi.stop || questionStarts.has(words[i]) || wi.zipf >= 4) {
			english++
		}
	}
	return foreignWords > english
}

// numberWords are the words a number may start with.
var numberWords = set(strings.Join(facts.NumberWords(), " "))

// approxWords qualify a number before the noun it counts.
var approxWords = set("nearly almost about around roughly approximately some over under more fewer less than")

// purposeWords before "to" ask what something was for.
var purposeWords = set("meant intended designed supposed aimed")

// readWant reads the kind of answer asked for from the question words.
func (a *analyser) readWant(an *Analysis) {
	ws := an.words
	at := func(i int) string {
		if i >= 0 && i < len(ws) {
			return ws[i]
		}
		return ""
	}

	// Look at the first question word: at the start, or after a lead-in
	// ("Counting both days, how many …").
	for i := 0; i < len(ws); i++ {
		if i >= 6 && !an.in(i, whWords) {
			continue
		}
		w, next := ws[i], at(i+1)
		switch w {
		case "how":
			switch {
			case next == "many" || next == "much":
				an.Want = wantNumber
				if next == "much" && (an.in(i+2, moneyWords) || a.mentionsMoney(ws[i:]) || !a.countable(at(i+2))) {
					an.Want = wantMoney
				}
				if an.in(i+2, timeUnits) {
					an.Want = wantDuration
				}
				a.readCounted(an, i+2)
				return
			case next == "long":
				an.Want = wantDuration
				return
			case next == "old":
				an.Want = wantAge
				return
			case next == "big" || next == "large":
				an.Want = wantNumber
				return
			case (next == "did" || next == "does" || next == "do") && a.saysVerb(ws[i:]):
				an.Want = wantStatement
				return
			}
		case "when":
			an.Want = wantDate
			return
		case "where":
			an.Want, an.softWant = wantPlace, true
			if ws[len(ws)-1] == "from" || at(i+2) == "from" {
				an.Want, an.softWant = wantNationality, false
			}
			for _, w := range ws[i+1:] {
				if placeVerbs.has(w) {
					an.softWant = false
				}
			}
			return
		case "why":
			an.Want = wantReason
			return
		case "who", "whom", "whose":
			an.Want = wantWho
			// "Who are the three suspects …?": people the articles never name.
			for k := i + 1; k < len(ws) && k < i+5; k++ {
				if an.in(k, unnamedPeople) && (ws[k-1] == "the" || facts.IsNumber(ws[k-1]) || an.in(k-1, smallNumberWords)) {
					an.Want, an.Unnamed = wantPerson, true
				}
			}
			return
		case "what", "which":
			k := i + 1
			for k < len(ws) && (ws[k] == "is" || ws[k] == "was" || ws[k] == "are" || ws[k] == "were" || ws[k] == "the" || ws[k] == "s" || k+1 < len(ws) && a.isEntityWord(ws[k])) {
				k++
			}
			n := at(k)
			switch {
			case dateWords.has(n):
				an.Want = wantDate
			case placeWords.has(n):
				an.Want, an.finePlace = wantPlace, finePlaces.has(n)
			case personWords.has(n):
				an.Want = wantWho
			case orgWords.has(n) && n != "operation" && n != "operations":
				an.Want = wantName // "which organisation", "which outlet"
			case n == "number" || n == "total" || n == "count" || n == "figure" || n == "tally":
				an.Want = wantNumber
				if at(k+1) == "of" {
					a.readCounted(an, k+2)
				}
			case n == "value" || n == "amount" || n == "sum" || n == "worth" || n == "budget" || n == "cost" || n == "costs" || n == "price" || n == "funding":
				an.Want = wantNumber
				if a.mentionsMoney(ws[k:]) || n == "value" || n == "worth" {
					an.Want = wantMoney
				}
			case n == "name" || n == "names":
				an.Want = wantName
				for _, w := range ws[k:] {
					if personWords.has(w) || unnamedPeople.has(w) {
						an.Want = wantPerson
						an.Unnamed = unnamedPeople.has(w)
						break
					}
				}
			case n == "reason" || n == "purpose":
				an.Want = wantReason
			case n == "age" || n == "ages":
				an.Want = wantAge
			case n == "nationality" || n == "nationalities" || n == "citizenship":
				an.Want = wantNationality
			case an.in(k+1, acronymVerbs) || at(k+1) == "does" && a.l.term(at(k+3)) == "stand":
				an.Want = wantExpansion
			}
			if an.Want == wantAny {
				// "What does NCA stand for?", "What is JICC short for?",
				// "What does NGO mean?"
				for u := range a.l.unitsOf(ws[i:], an.infosAt(i), "") {
					if u.term == "stand" || (u.words == "mean" || u.words == "means") && a.namesAcronym(ws) {
						an.Want = wantExpansion
					}
				}
			}
			if an.Want == wantAny && ws[len(ws)-1] == "for" && w == "what" {
				an.Want = wantReason // "what were the hubs for?"
			}
			for k := i + 1; an.Want == wantAny && w == "what" && k+1 < len(ws); k++ {
				if an.in(k, purposeWords) && ws[k+1] == "to" {
					an.Want = wantReason // "what were the checks meant to do?"
				}
			}
			if durationNouns.has(n) {
				an.Want, an.softWant = wantDuration, true // "over what stretch of time"
			}
			if an.Want == wantAny && a.saysVerb(ws[i:]) && (at(i+1) == "did" || at(i+1) == "does" || at(i+1) == "do" || at(i+1) == "has" || at(i+1) == "have") {
				an.Want = wantStatement
			}
			if an.Want == wantAny && (at(i+1) == "does" || at(i+1) == "did") && ws[len(ws)-1] == "do" {
				an.Want = wantWho // "what does he do?": his role
			}
			return
		case "in", "on", "at", "from", "to", "by", "for":
			if next == "which" || next == "what" {
				n := at(i + 2)
				if a.isEntityWord(n) {
					n = at(i + 3) // "in which UK city"
				}
				switch {
				case placeWords.has(n):
					an.Want, an.finePlace = wantPlace, finePlaces.has(n)
				case dateWords.has(n):
					an.Want = wantDate
				case n == "way" || n == "ways":
				case n == "reason":
					an.Want = wantReason
				}
				if w == "in" && (n == "how" || next == "how") {
					continue
				}
				return
			}
			if w == "in" && next == "how" {
				continue
			}
		case "is", "are", "was", "were", "did", "do", "does", "has", "have", "had", "can", "could", "will", "would", "should":
			if i == 0 {
				an.YesNo = true
				if w == "can" || w == "could" || w == "would" || w == "will" {
					if at(1) == "you" || at(1) == "u" {
						a.readRequest(an, 2)
					}
				}
				// "Is/was there a date/name…" still asks a yes/no.
				continue
			}
		case "name":
			if i == 0 {
				an.Want = wantName
				for _, w := range ws[i:] {
					if unnamedPeople.has(w) {
						an.Want, an.Unnamed = wantPerson, true
						break
					}
				}
				return
			}
		case "please":
			if i == 0 {
				a.readRequest(an, 1)
			}
		}
	}
}

// namesAcronym reports whether the words name an entity by its acronym.
func (a *analyser) namesAcronym(ws []string) bool {
	for u := range a.l.units(ws, "") {
		if isEntity(u.term) {
			if e := a.base.Entity(u.term[1:]); e != nil && e.Acronym != "" && strings.EqualFold(strings.TrimSuffix(u.words, "s"), strings.TrimSuffix(e.Acronym, "s")) {
				return true
			}
		}
	}
	return false
}

// isEntityWord reports whether a word alone names an entity ("UNODC" in
// "which UNODC official").
func (a *analyser) isEntityWord(w string) bool {
	return isEntity(a.l.term(w))
}

// readRequest reads "can you X …": an X the bot does (tell, list …) is
// a question; any other X is a request it can't do ("book", "reset").
func (a *analyser) readRequest(an *Analysis, i int) {
	if i >= len(an.words) {
		return
	}
	v := an.words[i]
	if !answerVerbs.has(v) && !a.l.stop[v] && !questionStarts.has(v) && a.ix.df(a.l.word(v).stem) == 0 && a.l.synonyms[a.l.word(v).stem] == "" {
		an.Request = v
	}
}

// readCounted reads what a count question counts, from word i on: the
// head noun of the phrase after "how many" ("irregular migrants" counts
// migrants), the noun after "of them were" ("how many of them were
// children"), or, when "how many" is followed by a verb, the noun of an
// "of the arrests, how many …" before it.
func (a *analyser) readCounted(an *Analysis, i int) {
	ws := an.words
	if i < len(ws) && ws[i] == "of" {
		// "how many of the N were Y": Y when it is a noun phrase, else N;
		// "how many of the 32 women were from Ukraine" counts the women
		// from Ukraine, a subset a figure must name too.
		for j := i + 1; j < len(ws); j++ {
			if ws[j] == "were" || ws[j] == "was" || ws[j] == "are" || ws[j] == "be" || ws[j] == "became" {
				if head := a.nounHeadOf(ws[j+1:], an.infosAt(j+1)); head != "" {
					an.countHead = head
				} else {
					an.countHead = a.nounHeadOf(ws[i+1:j], an.infosIn(i+1, j))
					for u := range a.l.unitsOf(ws[j+1:], an.infosAt(j+1), "") {
						if !u.stop && !a.l.domain[u.term] && !adverb(u.words) {
							an.countSubset = append(an.countSubset, u.term)
						}
					}
				}
				break
			}
		}
	} else {
		an.countHead = a.nounHeadOf(ws[i:], an.infosAt(i))
	}
	if an.countHead == "" && i >= 2 {
		// "Of all the arrests, how many were …"
		for j := 0; j+1 < i; j++ {
			if ws[j] == "of" {
				an.countHead = a.nounHeadOf(ws[j+1:i-2], an.infosIn(j+1, i-2))
				break
			}
		}
	}
	for u := range a.l.unitsOf(ws[min(i, len(ws)):], an.infosAt(min(i, len(ws))), "") {
		if !u.stop && !isEntity(u.term) && !facts.IsNumber(u.term) && !a.l.domain[u.term] && !isSource(u.term) && !auxVerbs.has(u.words) {
			an.Counted = append(an.Counted, u.term)
		}
	}
}

// nounHead returns the term of the last word of the first run of content
// words in ws ("potential trafficking victims were" -> victims), skipping
// determiners, adverbs and entities; "" when ws opens with a verb or a
// preposition.
func (a *analyser) nounHead(ws []string) string { return a.nounHeadOf(ws, nil) }

// nounHeadOf is nounHead of words whose infos are known (nil: look them up).
func (a *analyser) nounHeadOf(ws []string, infos []*wordInfo) string {
	var head string
	for u := range a.l.unitsOf(ws, infos, "") {
		switch {
		case head == "" && (u.stop && determiners.has(u.words) || questionWords.has(u.words) || u.words == "is" || u.words == "was" || sumWords.has(u.words) || u.words == "of"):
			continue
		case u.stop || auxVerbs.has(u.words) || questionWords.has(u.words):
			return head
		case isEntity(u.term) || facts.IsNumber(u.term) || isSource(u.term) || a.l.domain[u.term]:
			if head != "" {
				return head
			}
			continue
		case adverb(u.words):
			if head != "" {
				return head
			}
			continue
		case head != "" && (verbForm(u.words) || commonVerbs.has(strings.Fields(u.words)[0])):
			return head
		case head == "" && verbForm(u.words):
			continue // "how many & linked to what": a verb is no noun
		}
		head = u.term
	}
	return head
}

// adverb reports a word that is most likely an adverb ("specifically").
func adverb(w string) bool { return len(w) > 5 && strings.HasSuffix(w, "ly") }

// verbForm reports a word that is most likely a verb in a question
// ("made", "hosted", "rescued"): it ends a noun phrase.
func verbForm(w string) bool {
	return len(w) > 4 && strings.HasSuffix(w, "ed") || commonVerbs.has(w)
}

// readFocus reads the noun a question asks about when it names one: "what
// is the capital of Senegal" (capital), "where is INTERPOL's headquarters"
// (headquarters), "what intelligence is the UK getting" (intelligence). A
// fact that lacks it does not answer, however much else it shares. Nouns
// that only frame the question ("what role", "which case") are no focus.
func (a *analyser) readFocus(an *Analysis) {
	ws := an.words
	i := 0
	for i < len(ws) && i < 2 && !an.in(i, whWords) {
		i++
	}
	if i >= len(ws) || !an.in(i, whWords) || ws[i] == "how" || ws[i] == "why" {
		return // "Senegal hosted what during …?" names its noun before
	}
	j := i + 1
	if j < len(ws) && (ws[j] == "is" || ws[j] == "was" || ws[j] == "are" || ws[j] == "were" || ws[j] == "s") {
		j++
	} else if ws[i] == "where" || ws[i] == "when" || ws[i] == "who" {
		return // "where did they go": the verb, not a noun, is asked about
	}
	// The noun phrase: determiners, then words up to a stop word or verb;
	// "kind of X" reads through to X.
	var head string
	var phrase []string // its words, for a role of several ("prime minister")
	for ; j < len(ws); j++ {
		w := ws[j]
		if (an.in(j, determiners) || an.in(j, approxWords)) && head == "" {
			continue // "the nearly 8 million checks": the noun comes later
		}
		if (w == "of") && genericFocus.has(head) {
			head = ""
			continue
		}
		if an.info(j).stop || an.in(j, auxVerbs) || an.in(j, questionWords) || head != "" && (verbForm(w) || an.in(j, purposeWords)) || an.in(j, commonVerbs) {
			break
		}
		if isEntity(a.l.term(w)) || facts.IsNumber(w) {
			if head != "" {
				break
			}
			continue // "INTERPOL's headquarters": the entity modifies
		}
		head = w
		phrase = append(phrase, w)
	}
	if (ws[i] == "where" || ws[i] == "when") && j < len(ws) {
		return // "where were the migrants … meant to go": the NP is the subject
	}
	if ws[i] == "who" && roleWords.has(head) {
		// "who is the head of UNODC", "the UK prime minister": the role,
		// every word of it, must be the fact's.
		an.Focus = strings.Join(phrase, " ")
		return
	}
	an.frame = head
	if head == "" || genericFocus.has(head) || dateWords.has(head) || placeWords.has(head) || personWords.has(head) || orgWords.has(head) ||
		askedWords[an.Want].has(head) || a.l.domain[a.l.word(head).stem] {
		return
	}
	an.Focus = head
}

// saysVerb reports whether the words ask what someone said.
func (a *analyser) saysVerb(ws []string) bool {
	for _, w := range ws {
		if sayVerbs.has(w) {
			return true
		}
	}
	return false
}

func (a *analyser) mentionsMoney(ws []string) bool {
	for _, w := range ws {
		if moneyWords.has(w) || moneyVerbs.has(w) {
			return true
		}
	}
	return false
}

// countable reports whether a word after "how much" names something
// counted ("how much cash" is money, "how much time" is not counted at all,
// "how much did it cost" asks an amount).
func (a *analyser) countable(w string) bool {
	return w != "" && !auxVerbs.has(w) && !a.l.word(w).stop
}

// otherEdition reports whether the question is about another operation of
// the series ("Liberterra I", "the next operation"), which the sources
// don't cover even though it shares every word with them.
func otherEdition(words []string) bool {
	for i, w := range words {
		switch w {
		case "liberterra":
			if i+1 < len(words) {
				switch words[i+1] {
				case "i", "1", "iii", "3", "iv", "4", "one", "three", "iii's":
					return true
				}
			}
			fallthrough
		case "operation", "operations":
			for j := max(0, i-3); j < i; j++ {
				switch words[j] {
				case "first", "previous", "earlier", "next", "third", "upcoming", "future", "last", "prior", "original", "other", "another", "later":
					return true
				}
			}
		}
	}
	return false
}

// readTerms weighs the question's terms and reads its entities, source and
// places elsewhere.
func (a *analyser) readTerms(an *Analysis) {
	seen := func(term string) bool {
		return slices.ContainsFunc(an.Terms, func(t qterm) bool { return t.term == term })
	}
	if an.Terms == nil {
		n := 0
		for _, u := range an.units {
			if !u.stop {
				n++
			}
		}
		if an.buf != nil {
			an.Terms = slices.Grow(an.buf.terms[:0], n)
			defer func() { an.buf.terms = an.Terms }()
		} else {
			an.Terms = make([]qterm, 0, n)
		}
	}
	for i := range an.units {
		u := &an.units[i]
		if u.stop || an.excluded[i] || seen(u.term) {
			continue
		}
		ui := a.l.unitInfo(u)
		if ui.sets&conflictWords != 0 {
			// "every version", "is that consistent": it asks whether the
			// sources agree, which a fact need not say in those words.
			an.Conflict = true
			an.Terms = append(an.Terms, qterm{term: u.term, word: u.words, kind: termAsked, rank: 0.3})
			continue
		}
		t := qterm{term: u.term, word: u.words, rank: 1}
		switch {
		case isSource(u.term):
			an.Source = u.term[1:]
			continue
		case isEntity(u.term):
			id := u.term[1:]
			t.kind, t.rank, t.cover = termEntity, rankEntity, coverEntity
			if e := a.base.Entity(id); e != nil && e.Kind == facts.EntityOperation || a.ix.df(u.term) > len(a.ix.facts)/4 {
				// The operation, or INTERPOL: nearly every fact is about
				// them, so naming them says little.
				t.kind, t.rank, t.cover = termDomain, rankDomain, coverOperation
			} else {
				an.Entities = append(an.Entities, mention{id, mentionRole(an.units, i)})
			}
		case ui.elsewhere:
			t.kind, t.cover, t.rank = termElsewhere, coverElsewhere, 0
		case ui.later:
			t.kind, t.cover = termLater, coverLater
		case facts.IsNumber(u.term):
			if year(u.term) {
				t.kind, t.cover, t.rank = termNumber, coverNumber/2, 0.5
			} else {
				t.kind, t.cover = termNumber, coverNumber
			}
		case ui.sets&(questionWords|askedWords[an.Want]) != 0:
			if ui.sets&questionWords == 0 {
				t.kind, t.cover, t.rank = termAsked, 0, 0.3
				break
			}
			continue
		case ui.domain:
			t.kind, t.cover, t.rank = termDomain, coverDomain, rankDomain
		case adverb(u.words) && a.ix.df(u.term) == 0:
			continue // "ultimately", "specifically": manner, not topic
		default:
			if u.info != nil {
				t.cover = informativeness(u.info.zipf)
			} else {
				t.cover = a.informativeness(u.words)
			}
			if u.alt != nil {
				t.alt = u.alt.term
			}
		}
		if an.Focus != "" && hasPhrase(an.Focus, u.words) {
			t.must = true
		}
		an.Terms = append(an.Terms, t)
	}
}

// setAside returns the units a question sets aside: from "besides",
// "apart from", "other than", "beyond", "alongside", "in addition to" up to
// the end of the phrase ("Besides raids and flight checks, where …").
func setAside(us []unit) map[int]bool {
	var out map[int]bool // most questions set nothing aside
	for i := 0; i < len(us); i++ {
		w := us[i].words
		next := ""
		if i+1 < len(us) {
			next = us[i+1].words
		}
		n := 0
		switch {
		case w == "besides" || w == "beyond" || w == "alongside" || w == "except":
			n = 1
		case (w == "apart" || w == "aside") && next == "from", w == "other" && next == "than":
			n = 2
		case w == "in" && next == "addition":
			n = 3 // in addition to
		}
		if n == 0 {
			continue
		}
		// Up to the first question word or the end of a short phrase.
		for j := i; j < len(us) && j < i+n+8; j++ {
			if j >= i+n && (questionWords.has(us[j].words) || questionStarts.has(us[j].words) && us[j].words != "in") {
				break
			}
			if out == nil {
				out = map[int]bool{}
			}
			out[j] = true
		}
		break
	}
	return out
}

// informativeness is how much a word says, from 0.08 to 1, by how rare it
// is in general English: "people" little, "smuggling" much.
func (a *analyser) informativeness(w string) float64 {
	if strings.Contains(w, " ") {
		// A phrase read as one term: as informative as its rarest word.
		best := coverMin
		for _, p := range strings.Fields(w) {
			if !a.l.stop[p] {
				best = max(best, a.informativeness(p))
			}
		}
		return best
	}
	return informativeness(a.l.zipf(w))
}

// informativeness is how much a word of Zipf value z says (0: unlisted).
func informativeness(z float64) float64 {
	if z == 0 {
		return coverUnknown
	}
	return min(1, max(coverMin, (zipfCommon-z)/(zipfCommon-zipfRare)))
}

// hasPhrase reports whether the words of phrase (single spaces between
// them) stand whole in text, as strings.Contains(" "+text+" ", " "+phrase+" ")
// would say, without making those strings.
func hasPhrase(text, phrase string) bool {
	for i := 0; i+len(phrase) <= len(text); {
		j := strings.Index(text[i:], phrase)
		if j < 0 {
			return false
		}
		j += i
		if (j == 0 || text[j-1] == ' ') && (j+len(phrase) == len(text) || text[j+len(phrase)] == ' ') {
			return true
		}
		i = j + 1
	}
	return false
}

func year(w string) bool {
	return len(w) == 4 && (strings.HasPrefix(w, "19") || strings.HasPrefix(w, "20"))
}

// Word sets the analyser reads questions with.
var (
	questionWords    = set("what which who whom whose when where why how many much")
	dateWords        = set("date dates day days time year years month months week weekday")
	placeWords       = set("country countries city cities town towns village place places region regions location locations area areas province state nation nations continent")
	roleWords        = set("head chief director leader boss secretary minister president chair chairman chairwoman commissioner spokesperson spokesman founder deputy")
	finePlaces       = set("city cities town towns village villages location locations area areas province district neighbourhood street")
	placeVerbs       = set("held located based found arrested intercepted raided happen happened heading headed going go went travel travelling sent deployed set hosted")
	personWords      = set("person people man woman official officials director chief leader officer minister secretary spokesperson spokesman head boss individual guy guys bloke fella chap lady")
	moneyWords       = set("money cash dollars euros pounds funds price cost value worth amount sum fee fees payment")
	timeUnits        = set("days weeks months hours years")
	acronymVerbs     = set("stand stands short abbreviation acronym")
	conflictWords    = set("square squares reconcile version versions discrepancy discrepancies differ differs different disagree disagreement disagreements conflict conflicting consistent inconsistent contradict contradictory match matches right vary varies variation spelled spelt spelling")
	smallNumberWords = set("two three four five six seven eight nine ten eleven twelve")
	durationNouns    = set("stretch period span length timeframe duration")
	commonVerbs      = set("made make makes took take takes got get went go came come saw see said say told tell left gave give found find held hold led lead ran run set put sent become became happen happens mean means show shows need needs want wants play plays")
	genericFocus     = set("question questions kind kinds type types sort sorts stretch period span length amount amounts way ways part parts rest most lot lots number total some any all one role roles job impact effect effects significance outcome outcomes result results purpose point reason aim aims goal goals objective thing things detail details information info news story situation case cases example examples evidence figure figures numbers statistics stats data message view views opinion comment comments remark remarks response reaction lesson lessons takeaway takeaways summary overview background context happened happen difference")
	whWords          = set("what which where when who how why whats")
	determiners      = set("the a an its their his her this that these those our your some any")
	orgWords         = set("organisation organisations organization organizations agency agencies body bodies institution institutions outlet outlets newspaper newspapers paper publication unit units group groups operation operations article articles source sources")
	sayVerbs         = set("say said says describe described call called think thought tell told mean meant stress stressed emphasise emphasize emphasised emphasized warn warned note noted add added remark remarked claim claimed argue argued highlight highlighted acknowledge acknowledged")
	moneyVerbs       = set("cost costs charge charged charges pay paid pays earn earned earns spend spent spends launder laundered launders make made makes raise raised")
	// unnamedPeople are the people the articles count or describe but never
	// name: a question for their names is answered "not given".
	unnamedPeople = set("suspect suspects people individuals individual persons person men women man woman victim victims officer officers member members doctor doctors leader children child migrant migrants smuggler smugglers trafficker traffickers prosecutor prosecutors gang")
	answerVerbs   = set("tell give show list explain describe say find summarise summarize confirm remind help check clarify name outline share")
	auxVerbs      = set("were was are is be been did do does have has had get got")
	// askedWords are, for each want, the words that name the asked-for
	// type: a fact need not contain them.
	askedWords = map[want]wordSet{
		wantDate:        set("date dates day days time year month exact exactly"),
		wantPlace:       set("country countries city cities town towns village place places region location area province"),
		wantPerson:      set("name names called"),
		wantName:        set("name names called organisation organisations organization organizations agency agencies body bodies institution institutions outlet outlets newspaper newspapers paper publication unit units"),
		wantMoney:       set("value worth amount sum money cash much cost costs budget price spent spend paid pay charge charged fee fees"),
		wantAge:         set("age ages old"),
		wantNationality: set("nationality nationalities citizenship origin from"),
		wantDuration:    set("long duration days weeks"),
		wantExpansion:   set("stand stands short full form abbreviation acronym mean means"),
		wantNumber:      set("number total count figure tally exact exactly"),
		wantReason:      set("reason purpose"),
	}
)

// command recognises the built-in commands, with or without a leading
// slash or bang: help, topics, sources, and those about the conversation.
func command(key string) string {
	switch key {
	case "help", "h", "commands", "usage", "what can you do", "what can you answer", "how does this work", "how do i use this", "what do you do":
		return "help"
	case "sources", "source list", "articles", "references", "list sources", "list the sources", "what are your sources", "which articles", "what articles", "where do your answers come from":
		return "sources"
	case "topics", "topic", "what do you know", "what can i ask", "what do you know about", "list topics":
		return "topics"
	case "start over", "new question", "reset", "forget that", "clear", "new topic", "start again", "new conversation":
		return "reset"
	case "tell me more", "more", "go on", "anything else", "what else", "more please", "and", "continue", "keep going", "say more", "more info", "more details", "tell me more about that", "what else do you know", "anything more", "and then":
		return "more"
	case "source", "sources for that", "source for that", "what the source", "what is the source", "what the source for that", "what is the source for that",
		"where does that come from", "where did that come from", "where that from", "where is that from", "who says", "who says so", "who said so",
		"citation", "citations", "cite", "cite that", "show source", "show the source", "show me the source", "quote", "which article says that",
		"which article said that", "what article is that from", "which source", "what source", "according to whom", "says who", "proof", "evidence":
		return "source"
	case "do the other articles agree", "do the other sources agree", "do other articles agree", "do the sources agree", "do all the articles agree",
		"do all sources agree", "is that the same in the other articles", "is that the same in other articles", "is that the same everywhere",
		"do the articles agree", "is that consistent", "do they all say that", "does everyone agree", "do other sources say the same",
		"do the other reports agree", "is that the same in every article", "is it the same in the other articles":
		return "agree"
	}
	return ""
}

// containsAny reports whether s contains one of subs.
func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
