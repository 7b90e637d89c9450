// Package bot answers questions about Operation Liberterra II from a fact
// base. It knows nothing of chat platforms: front ends call Answer with the
// message as typed and render the Reply.
//
// A question passes once through five stages, one a file, each handing the
// next a type that says what it found:
//
//	clean.go     message  -> Cleaned   markup, chat wrapping and side remarks off
//	analyse.go   Cleaned  -> Analysis  what is asked: kind, entities, terms, comparison
//	retrieve.go  Analysis -> Retrieval facts ranked by BM25F, with what each covers
//	decide.go    Retrieval-> Decision  answer, not given, compare, or decline
//	reply.go     Decision -> Reply     wording, citations, suggestions
//
// Bot.Explain prints what each stage found, for curators (ask --explain).
package bot

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/liberterra/liberterra/facts"
)

// Bot answers questions from one fact base. It is safe for concurrent use.
type Bot struct {
	base    *facts.Base
	lang    *lang
	ix      *index
	cleaner *cleaner
	an      *analyser
	topics  []TopicGroup
	// headline are the facts offered when nothing nearer fits.
	headline []int32
	// topicWords are the words of the facts' topics, by first letter, and
	// topicFacts the facts whose topic has each: "did you mean" searches them.
	topicWords map[byte][]string
	topicFacts map[string][]int32
	likeTopics sync.Map          // word -> topicsLike's facts
	smalltalk  map[string]string // intent -> reply
	convs      ConversationStore
	storeErr   func(error)
	msgSeq     atomic.Int64 // numbers the conversations of several-question messages
	threshold  float64      // AnswerThreshold unless WithThreshold
	// sentences remembers the sentence around each quote cited (sentence).
	sentences memo[string, []quotedSentence]
	givesOf   memo[string, gives]           // what each quoted sentence gives (sentenceGives)
	citesOf   memo[*facts.Fact, []Citation] // each fact's citations (citations)
	answers   memo[*facts.Fact, string]     // each fact's answer on one line (answerText)
	// termKinds says what each index term is (termKind), made once.
	termKinds     []uint8
	termKindsOnce sync.Once
	// neighbourCache holds each fact's neighbours once found, by fact.
	neighbourCache []atomic.Pointer[[]neighbour]
	// figures finds the figures a comparison's operands may mean.
	figures *figureIndex
	// fromSnapshot says the bot was read from a snapshot (Open, Embedded).
	fromSnapshot bool
}

// Option configures a Bot.
type Option func(*Bot)

// WithConversations keeps conversations in s (shared by the bots that
// replace each other on a fact-base reload, or by several replicas). The
// default is an in-memory store of its own.
func WithConversations(s ConversationStore) Option { return func(b *Bot) { b.convs = s } }

// WithThreshold sets the confidence below which the bot declines, in (0, 1).
func WithThreshold(t float64) Option { return func(b *Bot) { b.threshold = t } }

// WithStoreErrors calls f when the conversation store fails; the question
// is then answered on its own, without its conversation.
func WithStoreErrors(f func(error)) Option { return func(b *Bot) { b.storeErr = f } }

// New prepares a checked fact base for answering.
func New(base *facts.Base, opts ...Option) *Bot { return newBot(base, nil, nil, nil, opts...) }

// newBot prepares the bot, with the language, index and topic words given
// (read from a snapshot) or built from the base.
func newBot(base *facts.Base, l *lang, ix *index, topics *topicIndex, opts ...Option) *Bot {
	b := &Bot{base: base, smalltalk: map[string]string{}, storeErr: func(error) {}, threshold: AnswerThreshold}
	for _, o := range opts {
		o(b)
	}
	if b.convs == nil {
		b.convs = NewMemoryConversations(0, 0)
	}
	b.lang = l
	if l == nil {
		b.lang = newLang(base)
	}
	b.ix = ix
	if ix == nil {
		b.ix = newIndex(base, b.lang)
	}
	b.cleaner = newCleaner(base.Lexicon, func(w string) bool { return b.ix.vocab[w] > 0 }, b.weigh)
	b.an = newAnalyser(base, b.lang, b.ix)
	b.topics = topicGroups(base)
	b.figures = b.newFigureIndex()
	b.neighbourCache = make([]atomic.Pointer[[]neighbour], len(base.Facts))
	b.lang.vocab = b.ix.vocab
	b.lang.frozen = true // from here on questions may come concurrently
	for _, s := range base.Lexicon.Smalltalk {
		b.smalltalk[s.Intent] = strings.Join(strings.Fields(s.Reply), " ")
	}
	for i, f := range base.Facts {
		if path.Base(f.File) == "operation.yaml" && len(b.headline) < maxSuggest {
			b.headline = append(b.headline, int32(i))
		}
	}
	if topics == nil {
		topics = newTopicIndex(base, b.lang)
	}
	b.topicWords, b.topicFacts = topics.words, topics.facts
	return b
}

// topicIndex is what "did you mean" searches: the words of the facts'
// topics by first letter, in the order met, and the facts whose topic has
// each. A snapshot holds it: reading every topic again would make, on a
// large base, garbage a fifth the size of the bot.
type topicIndex struct {
	words map[byte][]string
	facts map[string][]int32
}

func newTopicIndex(base *facts.Base, l *lang) *topicIndex {
	t := &topicIndex{words: map[byte][]string{}, facts: map[string][]int32{}}
	for i, f := range base.Facts {
		for _, w := range facts.Words(f.Topic) {
			if len(w) >= 4 && !l.stop[w] {
				if len(t.facts[w]) == 0 {
					t.words[w[0]] = append(t.words[w[0]], w)
				}
				t.facts[w] = append(t.facts[w], int32(i))
			}
		}
	}
	return t
}

// weigh counts what a sentence says that the facts know: the entities and
// numbers it names, and its other words the facts use.
func (b *Bot) weigh(text string) (named, known int) {
	for _, u := range b.lang.read(facts.Words(text), "") {
		switch {
		case u.stop || b.lang.domain[u.term] || questionWords.has(u.words):
		case isEntity(u.term) && u.term != entityPrefix+"operation", facts.IsNumber(u.term):
			named++
		case b.ix.df(u.term) > 0:
			known++
		}
	}
	return named, known
}

// Base returns the fact base the bot answers from.
func (b *Bot) Base() *facts.Base { return b.base }

// Answer replies to one question. It never fails on bad input (empty, too
// long, binary, another language): the Reply says what is wrong. The error
// is only ever the context's.
func (b *Bot) Answer(ctx context.Context, q Question) (Reply, error) {
	if err := ctx.Err(); err != nil {
		return Reply{}, err
	}
	r := b.answer(ctx, q, nil)
	r.Visibility = visibility(q, r.Kind)
	return r, nil
}

// trace records what each stage found, for Explain.
type trace struct {
	cleaned  Cleaned
	analysis Analysis
	ret      Retrieval
	decision Decision
	reached  int    // stages run
	last     string // the conversation's last turn, described
}

// answer runs the stages once: clean, analyse (in the light of the
// conversation), retrieve, decide, reply; then notes the turn.
func (b *Bot) answer(ctx context.Context, q Question, t *trace) Reply {
	c := b.cleaner.clean(q.Text)
	if t != nil {
		t.cleaned, t.reached = c, 1
	}
	if c.Problem != "" {
		return Reply{Question: c.Shown, Kind: KindInvalid, Text: c.Problem}
	}
	if len(c.Parts) > 1 && t == nil {
		return b.answerParts(ctx, q, c)
	}
	an := b.an.analyse(c)
	an.explain = t != nil
	if t == nil {
		defer an.release() // whichever analysis an holds at the end
	}
	key := q.Conversation
	var conv Conversation
	if key != "" {
		var err error
		if conv, err = b.convs.Load(ctx, key); err != nil {
			b.storeErr(err)
			key, conv = "", Conversation{}
		}
	}
	narrow := b.followUp(&an, &conv)
	if t != nil {
		t.analysis, t.reached = an, 2
		if last := conv.last(); last != nil {
			t.last = describeTurn(last)
		}
	}
	var r Retrieval
	var d Decision
	switch {
	case an.Command == cmdReset:
		if key != "" {
			if err := b.convs.Delete(ctx, key); err != nil {
				b.storeErr(err)
			}
		}
		return Reply{Question: c.Shown, Kind: KindSmalltalk, Text: StartOverText}
	case conversational(an.Command) && conv.last() != nil:
		d = b.conversationCommand(&an, &conv)
	case an.Command != "":
		return b.commandReply(c, an.Command)
	case an.Smalltalk != "":
		return b.smalltalkReply(c, an.Smalltalk)
	default:
		r = b.ix.retrieve(&an)
		if t == nil {
			defer r.release() // whichever retrieval r holds at the end
		}
		d = b.decide(&an, &r)
		if narrow != nil && (d.Outcome == OutcomeDecline || d.Outcome == OutcomeNotGiven) {
			// The last turn's words led nowhere: try its entities alone
			// ("and in Iraq?" after a question about money laundering),
			// then the operation itself ("when?" after what Kavanagh said
			// the operation served as).
			for _, reading := range []*Analysis{narrow, b.operationReading(narrow)} {
				if reading == nil {
					continue
				}
				r2 := b.ix.retrieve(reading)
				if d2 := b.decide(reading, &r2); d2.Outcome == OutcomeAnswer || d2.Outcome == OutcomeCompare || d2.Outcome == OutcomeNotGiven && d.Outcome == OutcomeDecline {
					an, r, d = *reading, r2, d2
					break
				}
			}
		}
	}
	if t != nil {
		t.ret, t.decision, t.reached = r, d, 4
	}
	reply := b.reply(q, c, &an, &d)
	if reply.Answered() {
		reply.Related = b.related(&an, &d, &conv)
	}
	if key != "" {
		conv.add(b.turn(&an, &d, conv.last()))
		if err := b.convs.Save(ctx, key, conv); err != nil {
			b.storeErr(err)
		}
	}
	return reply
}

// StartOverText is the reply to "start over".
const StartOverText = "OK, let's start over. What would you like to know about Operation Liberterra II?"

// topicGroups lists what the base can answer, grouped by fact file.
func topicGroups(base *facts.Base) []TopicGroup {
	titles := map[string]string{
		"operation.yaml": "The operation", "countries.yaml": "Countries and cases",
		"people.yaml": "People", "context.yaml": "Context and trends",
	}
	order := map[string]int{"operation.yaml": 0, "countries.yaml": 1, "people.yaml": 2, "context.yaml": 3}
	byFile := map[string][]string{}
	var files []string
	for _, f := range base.Facts {
		name := path.Base(f.File)
		if _, ok := byFile[name]; !ok {
			files = append(files, name)
		}
		byFile[name] = append(byFile[name], f.Topic)
	}
	rank := func(name string) int {
		if o, ok := order[name]; ok {
			return o
		}
		return len(order)
	}
	sort.SliceStable(files, func(i, j int) bool { return rank(files[i]) < rank(files[j]) })
	var out []TopicGroup
	for _, name := range files {
		title := titles[name]
		if title == "" {
			title = strings.TrimSuffix(name, ".yaml")
		}
		topics := byFile[name]
		if len(topics) > maxGroupTopics && (name == "countries.yaml" || name == "people.yaml") {
			// Too many to read in chat: name the countries or people the
			// facts are about, where that is what the file holds.
			if names := mainEntities(base, name); len(names) > 0 {
				topics = names
			}
		}
		out = append(out, TopicGroup{Title: title, Topics: topics})
	}
	return out
}

// maxGroupTopics is the most topics a group lists one by one.
const maxGroupTopics = 25

// mainEntities names the entities of the most common kind among the facts
// of one file (the countries of countries.yaml, the people of people.yaml).
func mainEntities(base *facts.Base, file string) []string {
	kindCount := map[string]int{}
	var order []*facts.Entity
	seen := map[string]bool{}
	for _, f := range base.Facts {
		if path.Base(f.File) != file {
			continue
		}
		for _, id := range f.About {
			e := base.Entity(id)
			if e == nil || seen[id] || e.Kind == facts.EntityOperation {
				continue
			}
			seen[id] = true
			order = append(order, e)
			kindCount[e.Kind]++
		}
	}
	best := ""
	for k, n := range kindCount {
		if n > kindCount[best] || n == kindCount[best] && k < best {
			best = k
		}
	}
	if best != facts.EntityCountry && best != facts.EntityPerson {
		return nil
	}
	var names []string
	for _, e := range order {
		if e.Kind == best || best == facts.EntityCountry && e.IsPlace() {
			names = append(names, e.Name)
		}
	}
	return names
}

// answerParts answers a message that asks several questions one by one,
// in one conversation (the message's own when it has none, so "And in
// Iraq?" after "What happened in Algeria?" is read in its light), and
// joins the replies.
func (b *Bot) answerParts(ctx context.Context, q Question, c Cleaned) Reply {
	if q.Conversation == "" {
		b.msgSeq.Add(1)
		q.Conversation = fmt.Sprintf("\x00message-%d", b.msgSeq.Load())
		defer b.convs.Delete(ctx, q.Conversation)
	}
	out := Reply{Question: c.Shown, Kind: KindDeclined}
	var texts []string
	conf := 1.0
	for i, part := range c.Parts {
		r := b.answer(ctx, Question{Text: part, User: q.User, Frontend: q.Frontend, Conversation: q.Conversation}, nil)
		texts = append(texts, fmt.Sprintf("%d) %s", i+1, r.Text))
		for _, cit := range r.Citations {
			out.Citations = addCitation(out.Citations, cit)
		}
		if r.Answered() {
			out.Kind = KindAnswer
			conf = min(conf, r.Confidence)
			if out.FactID == "" {
				out.FactID, out.Topic = r.FactID, r.Topic
			}
			out.Conflict = out.Conflict || r.Conflict
		} else if out.Kind != KindAnswer && r.Kind == KindNotGiven {
			out.Kind = KindNotGiven
		}
		if len(out.Suggestions) == 0 {
			out.Suggestions = r.Suggestions
		}
	}
	if out.Kind == KindAnswer {
		out.Confidence = conf
	}
	out.Text = strings.Join(texts, " ")
	return out
}
