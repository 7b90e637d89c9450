package bot

import (
	"math"
	"sort"
	"strings"

	"github.com/liberterra/liberterra/facts"
)

// The index is the retrieval model's view of the fact base: each fact as a
// document of fields, and for every term the facts that have it (a posting
// list), with the term's weight in each. It is built once per fact base.

// field is one part of a fact the retrieval model reads.
type field uint8

const (
	fieldQuestions field = iota // sample questions
	fieldTopic
	fieldKeywords
	fieldAnswer
	fieldQuotes  // the cited quotes
	fieldContext // the sentences around the quotes
	fieldAbout   // the entities the fact is about
	numFields
)

var fieldNames = [numFields]string{"questions", "topic", "keywords", "answer", "quotes", "context", "about"}

// fieldWeight is how much a term in each field counts in a fact's score
// (BM25F). The sentences around a quote count least: they hold what the
// fact is near, not what it says. Chosen on the tuning split
// (bot/testdata/tune.jsonl, see TestTuneWeights).
var fieldWeight = [numFields]float64{
	fieldQuestions: 1.0, fieldTopic: 1.2, fieldKeywords: 0.8, fieldAnswer: 1.0,
	fieldQuotes: 0.9, fieldContext: 0.35, fieldAbout: 1.0,
}

// fieldLengthNorm is BM25F's b for each field: how much a long field is
// discounted. Sample questions and the about list are not discounted.
var fieldLengthNorm = [numFields]float64{
	fieldQuestions: 0, fieldTopic: 0.3, fieldKeywords: 0.3, fieldAnswer: 0.6,
	fieldQuotes: 0.5, fieldContext: 0.5, fieldAbout: 0,
}

// fieldCredit is how much a question word found in a field counts as
// covered: a word found only in the sentence around a quote is half
// covered, since the fact may not be about it.
var fieldCredit = [numFields]float64{
	fieldQuestions: 1, fieldTopic: 1, fieldKeywords: 1, fieldAnswer: 1,
	fieldQuotes: 1, fieldContext: 0.5, fieldAbout: 1,
}

// bm25K1 is BM25's term-frequency saturation.
const bm25K1 = 1.2

// posting is one fact that has a term, in eight bytes (the posting lists
// are most of the index): the fact's number and the bit set of the fields
// holding the term share a word.
type posting struct {
	factFields uint32  // fact<<numFields | fields
	tf         float32 // BM25F pseudo-frequency of the term in the fact
}

func newPosting(fact int32, fields uint8, tf float32) posting {
	return posting{factFields: uint32(fact)<<numFields | uint32(fields), tf: tf}
}

func (p posting) fact() int32 { return int32(p.factFields >> numFields) }

func (p posting) fields() uint8 { return uint8(p.factFields & (1<<numFields - 1)) }

// credit is how far the term counts as covered in the fact: the most any
// of its fields gives (fieldCredit).
func (p posting) credit() float64 { return creditOf[p.fields()] }

// creditOf is credit for every set of fields.
var creditOf = func() (t [1 << numFields]float64) {
	for set := range t {
		for k := field(0); k < numFields; k++ {
			if set&(1<<k) != 0 {
				t[set] = max(t[set], fieldCredit[k])
			}
		}
	}
	return t
}()

// maxIndexFacts is the most facts an index holds: a posting keeps a fact's
// number in the bits its fields leave. facts.Check refuses a base of more
// than facts.MaxFacts, which must be no more (the constant below fails to
// compile otherwise).
const maxIndexFacts = 1<<(32-numFields) - 1

const _ = uint(maxIndexFacts - facts.MaxFacts)

// index holds the facts and the posting lists.
type index struct {
	base     *facts.Base
	terms    map[string]int32 // term -> id
	termText []string         // id -> term
	postings [][]posting      // by term id, in fact order
	idf      []float64
	facts    []factEntry
	// vocab is every word of the facts' texts (folded, unstemmed) and how
	// often it occurs, for typo correction.
	vocab map[string]int
}

// role is how a text mentions a place: where something happened, who did
// it, or only where people came from or went.
type role uint8

const (
	roleMention  role = iota // named, nothing more
	roleLocative             // in X: where it happened
	roleAgent                // X's police, authorities in X, X arrested
	roleOrigin               // from X
	roleDest                 // to X
	roleNational             // X citizens, X migrants, a X man
	roleAbout                // listed in the fact's about, not named in its text
)

var roleNames = [...]string{"mention", "in", "by", "from", "to", "nationality", "about"}

func (r role) String() string { return roleNames[r] }

// rank orders roles by how much they say: where it happened over where
// people came from or went, over a bare mention.
func (r role) rank() int {
	switch {
	case r.situated():
		return 2
	case r == roleMention:
		return 0
	}
	return 1
}

// situated reports whether the role places the event at or with the entity.
func (r role) situated() bool { return r == roleLocative || r == roleAgent || r == roleAbout }

// gives is a set of answer types (facts.Gives...).
type gives uint16

const (
	givesNumber gives = 1 << iota
	givesMoney
	givesDate
	givesPerson
	givesPlace
	givesName
	givesReason
	givesAge
	givesDuration
	givesOrigin    // where people came from
	givesStatement // what someone said
)

var givesByName = map[string]gives{
	facts.GivesNumber: givesNumber, facts.GivesMoney: givesMoney, facts.GivesDate: givesDate,
	facts.GivesPerson: givesPerson, facts.GivesPlace: givesPlace, facts.GivesName: givesName,
	facts.GivesReason: givesReason, facts.GivesAge: givesAge,
}

// factEntry is one fact as the matcher sees it. The small fields come
// last, packed in one word: an entry a fact, 136 bytes rather than 152.
type factEntry struct {
	fact *facts.Fact
	// roles holds, for each entity the fact names or is about, its most
	// telling role.
	roles roleList
	// answerRoles are the roles of the entities its answer names: what
	// the fact gives when it answers.
	answerRoles roleList
	// answerTerms are the terms of the answer and topic: what a reply
	// says without quoting.
	answerTerms termSet
	// quoteTerms are the terms of each citation's quote and sentence.
	quoteTerms []termSet
	// quoteOnly are the terms of each citation's quote alone.
	quoteOnly []termSet
	gives     gives
	// specific says the fact is about a country, place or person, not the
	// operation as a whole.
	specific bool
	// answerNamesSource says the answer names an outlet ("told The
	// National"): it gives a name.
	answerNamesSource bool
	// places is how many places its answer names.
	places int32
}

// Words by which an answer shows what it gives: a date, money, an age, a
// duration, a reason, what someone said.
var (
	dateTokens   = set("january february march april may june july august september october november december monday tuesday wednesday thursday friday saturday sunday")
	moneyTokens  = set("dollars euros pounds usd eur gbp")
	spanUnits    = set("day days week weeks month months year years")
	spanNumbers  = set("one two three four five six seven eight nine ten fifteen twenty")
	reasonTokens = set("because due aimed aim aims ensure ensuring help helped allowed allowing enable enabled enabling enables facilitate facilitated facilitating purpose meant combat disrupt")
	reasonPairs  = set("in_connection so_that in_order wanted_by follow_up")
	sayTokens    = set("said says say told tells described describes called calls stated remarked noted stressed emphasised emphasized highlighted acknowledged warned added asked believes")
)

// textGives reads what an answer's words give.
func textGives(text string) gives {
	var g gives
	ws := facts.Words(text)
	for i, w := range ws {
		next := ""
		if i+1 < len(ws) {
			next = ws[i+1]
		}
		switch {
		case dateTokens.has(w), len(w) == 4 && (strings.HasPrefix(w, "19") || strings.HasPrefix(w, "20")) && facts.IsNumber(w):
			g |= givesDate
		case moneyTokens.has(w) && i > 0 && facts.IsNumber(ws[i-1]):
			g |= givesMoney
		case (facts.IsNumber(w) || spanNumbers.has(w)) && next == "year" && i+2 < len(ws) && ws[i+2] == "old", w == "aged" && facts.IsNumber(next):
			g |= givesAge
		case (facts.IsNumber(w) || spanNumbers.has(w)) && spanUnits.has(next), w == "week" && next == "long":
			g |= givesDuration
		case reasonTokens.has(w), reasonPairs.has(w + "_" + next), w == "according" && next == "to":
			g |= givesReason
			if w == "according" {
				g |= givesStatement
			}
		case sayTokens.has(w):
			g |= givesStatement
		}
	}
	if strings.ContainsAny(text, "$€£") {
		g |= givesMoney
	}
	return g
}

func newIndex(base *facts.Base, l *lang) *index {
	ix := &index{base: base, terms: map[string]int32{}, vocab: map[string]int{}}
	termID := func(t string) int32 {
		id, ok := ix.terms[t]
		if !ok {
			id = int32(len(ix.termText))
			ix.terms[t] = id
			ix.termText = append(ix.termText, t)
		}
		return id
	}
	// First pass: every fact's terms by field, as (term, field, count)
	// packed in one flat slice (offsets[fi] starts fact fi), and the
	// fields' lengths; the second pass needs the average lengths.
	var occ []uint64
	offsets := make([]int, len(base.Facts)+1)
	var lengths [numFields]float64
	counts := map[uint64]uint32{} // term<<3|field -> count, for the fact at hand
	var order []uint64            // the keys of counts in the order first seen
	ix.facts = make([]factEntry, len(base.Facts))
	for fi, f := range base.Facts {
		fe := &ix.facts[fi]
		fe.fact = f
		clear(counts)
		order = order[:0]
		count := func(term string, fd field) {
			key := uint64(termID(term))<<3 | uint64(fd)
			if counts[key] == 0 {
				order = append(order, key)
			}
			counts[key]++
			lengths[fd]++
		}
		var answer, quote []int32
		addText := func(fd field, text string, into *[]int32) {
			words := facts.Words(text)
			for _, w := range words {
				ix.vocab[w]++
			}
			us := l.read(words, f.ID)
			for i, u := range us {
				if u.stop || u.term == "" {
					continue
				}
				count(u.term, fd)
				if into != nil {
					*into = append(*into, termID(u.term))
				}
				if isSource(u.term) && fd == fieldAnswer {
					fe.answerNamesSource = true
				}
				if isEntity(u.term) && fd != fieldContext && fd != fieldKeywords {
					id := u.term[1:]
					r := mentionRole(us, i)
					if old, ok := fe.roles.get(id); !ok || r.rank() > old.rank() {
						fe.roles = fe.roles.set(id, r)
					}
					if fd == fieldAnswer {
						if old, ok := fe.answerRoles.get(id); !ok || old != r && (r == roleOrigin || r == roleNational) {
							fe.answerRoles = fe.answerRoles.set(id, r)
						}
					}
				}
			}
		}
		for _, q := range f.Questions {
			seen := map[string]bool{}
			for _, u := range l.read(facts.Words(q), f.ID) {
				if !u.stop && !seen[u.term] {
					seen[u.term] = true
					count(u.term, fieldQuestions)
				}
			}
		}
		addText(fieldTopic, f.Topic, &answer)
		for _, k := range f.Keywords {
			addText(fieldKeywords, k, nil)
		}
		addText(fieldAnswer, f.Answer, &answer)
		fe.answerTerms = newTermSet(answer)
		for _, c := range f.Citations {
			quote = quote[:0]
			addText(fieldQuotes, c.Quote, &quote)
			fe.quoteOnly = append(fe.quoteOnly, newTermSet(quote))
			if s := base.Source(c.Source); s != nil {
				if sent := s.Sentence(c.Quote); sent != "" && len(sent) > len(c.Quote) {
					addText(fieldContext, sent, &quote)
				}
			}
			fe.quoteTerms = append(fe.quoteTerms, newTermSet(quote))
		}
		for _, id := range f.About {
			if e := base.Entity(id); e != nil && (e.IsPlace() || e.Kind == facts.EntityPerson) {
				fe.specific = true
			}
			count(entityPrefix+id, fieldAbout)
			if _, ok := fe.roles.get(id); !ok {
				fe.roles = fe.roles.set(id, roleAbout)
			}
		}
		fe.gives = factGives(base, f, fe)
		for _, er := range fe.answerRoles {
			if e := base.Entity(er.entity); e != nil && e.IsPlace() {
				fe.places++
			}
		}
		for _, key := range order {
			occ = append(occ, key<<16|uint64(min(counts[key], 0xffff)))
		}
		offsets[fi+1] = len(occ)
	}
	// Second pass: the posting lists, in fact order, with each term's
	// BM25F weight in the fact.
	n := float64(len(base.Facts))
	var avg [numFields]float64
	for k := range avg {
		avg[k] = max(lengths[k]/max(n, 1), 1)
	}
	ix.postings = make([][]posting, len(ix.termText))
	type acc struct {
		tf     float64
		fields uint8
	}
	byTerm := map[int32]*acc{}
	var terms []int32
	for fi := range base.Facts {
		var flen [numFields]float64
		recs := occ[offsets[fi]:offsets[fi+1]]
		for _, r := range recs {
			flen[field(r>>16&7)] += float64(r & 0xffff)
		}
		clear(byTerm)
		terms = terms[:0]
		for _, r := range recs {
			t, fd, c := int32(r>>19), field(r>>16&7), float64(r&0xffff)
			a := byTerm[t]
			if a == nil {
				a = &acc{}
				byTerm[t] = a
				terms = append(terms, t)
			}
			norm := 1 - fieldLengthNorm[fd] + fieldLengthNorm[fd]*flen[fd]/avg[fd]
			a.tf += fieldWeight[fd] * c / norm
			a.fields |= 1 << fd
		}
		for _, t := range terms {
			a := byTerm[t]
			ix.postings[t] = append(ix.postings[t], newPosting(int32(fi), a.fields, float32(a.tf)))
		}
	}
	ix.idf = make([]float64, len(ix.postings))
	for id, ps := range ix.postings {
		df := float64(len(ps))
		ix.idf[id] = math.Log(1 + (n-df+0.5)/(df+0.5))
	}
	return ix
}

// termSet is a set of term ids, sorted.
type termSet []int32

func newTermSet(ids []int32) termSet {
	s := append(termSet(nil), ids...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	out := s[:0]
	for i, id := range s {
		if i == 0 || id != s[i-1] {
			out = append(out, id)
		}
	}
	return out[:len(out):len(out)]
}

func (s termSet) hasID(id int32) bool {
	i := sort.Search(len(s), func(i int) bool { return s[i] >= id })
	return i < len(s) && s[i] == id
}

// has reports whether the set holds the term.
func (ix *index) inSet(s termSet, term string) bool {
	id := ix.lookup(term)
	return id >= 0 && s.hasID(id)
}

// entityRole is an entity a fact names, and how.
type entityRole struct {
	entity string
	role   role
}

// roleList is a fact's entities with their roles; a fact names few.
type roleList []entityRole

func (l roleList) get(id string) (role, bool) {
	for _, er := range l {
		if er.entity == id {
			return er.role, true
		}
	}
	return 0, false
}

func (l roleList) set(id string, r role) roleList {
	for i := range l {
		if l[i].entity == id {
			l[i].role = r
			return l
		}
	}
	return append(l, entityRole{id, r})
}

// agentNouns follow a place to say its authorities acted; nationalNouns say
// the place is where people come from; agentVerbs are what authorities do
// ("Serbia arrested"); listWords may stand in a list of places ("in four
// countries: A, B and C"). All are compared as stems.
var (
	agentNouns    = stemSet("police authorities authority officers officer court courts government forces agency agencies prosecutors")
	nationalNouns = stemSet("citizens citizen nationals national migrants migrant man men woman women people children child refugees refugee victims victim descent individuals individual families family workers worker person persons doctors doctor smugglers gang")
	agentVerbs    = stemSet("arrested arrest rescued intercepted identified raided seized extradited found detected dismantled charged deployed")
	listWords     = stemSet("and or the countries country nations cities places regions including such as both territories one two three four five six seven eight nine ten abroad mostly mainly largely particularly especially notably")
)

// stemSet makes a set of the stems of the words in s.
func stemSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[facts.Stem(w)] = true
	}
	return m
}

// mentionRole reads how the entity at us[i] is mentioned: by the word
// after it (its police, its citizens, a verb of arrest) or the preposition
// before it, looking back over a list ("in four countries: A, B and C").
func mentionRole(us []unit, i int) role {
	if i+1 < len(us) {
		next := us[i+1].term
		switch {
		case agentNouns[next]:
			return roleAgent
		case nationalNouns[next]:
			return roleNational
		case agentVerbs[next] && demonym(us[i].words):
			return roleNational // "the Syrian arrested": a Syrian, arrested
		case agentVerbs[next]:
			return roleAgent
		}
	}
	for j := i - 1; j >= 0 && j >= i-10; j-- {
		u := us[j]
		if isEntity(u.term) || facts.IsNumber(u.term) || listWords[u.term] || listWords[u.stem()] {
			continue
		}
		switch u.words {
		case "in", "at", "across", "within", "inside", "throughout", "on":
			return roleLocative
		case "from", "out":
			return roleOrigin
		case "to", "into", "towards", "toward", "for":
			return roleDest
		case "by":
			return roleAgent
		}
		if agentNouns[u.term] && j == i-2 && (us[j+1].words == "in" || us[j+1].words == "of") {
			return roleAgent
		}
		return roleMention
	}
	return roleMention
}

// demonym reports whether a word names people of a place ("Syrian",
// "Togolese") rather than the place ("Syria").
func demonym(w string) bool {
	for _, suf := range []string{"ian", "ean", "ese", "ish", "an", "i", "ic"} {
		if strings.HasSuffix(w, suf) && len(w) > len(suf)+3 {
			return true
		}
	}
	return false
}

// factGives works out what a fact's answer gives: a number when it has
// figures or counts, a date when it names one, a person or place when it
// names one, what someone said when it reports speech, and what its Gives
// adds. The quotes don't count: an answer that leaves out what its quote
// holds does not give it.
func factGives(base *facts.Base, f *facts.Fact, fe *factEntry) gives {
	g := textGives(f.Answer)
	if len(f.Figures) > 0 || f.Kind == facts.KindCount {
		g |= givesNumber
	}
	if f.Kind == facts.KindWhen {
		g |= givesDate
	}
	for _, er := range fe.answerRoles {
		id, r := er.entity, er.role
		e := base.Entity(id)
		if e == nil {
			continue
		}
		if r == roleOrigin || r == roleNational {
			g |= givesOrigin
		}
		switch {
		case e.Kind == facts.EntityPerson:
			g |= givesPerson | givesName
		case e.IsPlace():
			g |= givesPlace
		case e.Kind == facts.EntityOrganisation || e.Kind == facts.EntityOperation || e.Kind == "event" || e.Kind == "group":
			g |= givesName
		}
	}
	if fe.answerNamesSource {
		g |= givesName
	}
	for _, name := range f.Gives {
		g |= givesByName[strings.ToLower(name)]
	}
	return g
}

// entity returns the entity with this id, or nil.
func (ix *index) entity(id string) *facts.Entity { return ix.base.Entity(id) }

// lookup returns the term's id, or -1.
func (ix *index) lookup(term string) int32 {
	if id, ok := ix.terms[term]; ok {
		return id
	}
	return -1
}

// df is how many facts have the term.
func (ix *index) df(term string) int {
	if id := ix.lookup(term); id >= 0 {
		return len(ix.postings[id])
	}
	return 0
}
