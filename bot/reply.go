package bot

import (
	"fmt"
	"slices"
	"strings"

	"github.com/liberterra/liberterra/facts"
	"github.com/sahilm/fuzzy"
)

// Stage 5 of 5: reply. The decision becomes what the user reads: the
// answer in plain words, the quotes that back it, and, when the bot
// declines, nearby topics to ask about instead. Every front end shows the
// same reply; they only format it.

// DeclineText opens every refusal.
const DeclineText = "The articles don't say, so I won't guess."

// declineHint says what the bot can answer, and how to see it from where
// the asker is.
func declineHint(q Question) string {
	return "I answer questions about INTERPOL's Operation Liberterra II from five news articles; " + topicsHint(q) + "."
}

// HelpText explains the bot to a user; front ends show it for "help".
const HelpText = `I answer questions about INTERPOL's Operation Liberterra II (29 September to 4 October 2024), the largest operation yet against human trafficking and migrant smuggling, from five news articles. Every answer quotes its source word for word; where the sources disagree I say so, and where they say nothing I say that too.

Ask in plain words, for example:
  How many victims were rescued?
  What happened in Algeria?
  Which had more arrests, Serbia or Montenegro?
  Who is Stephen Kavanagh?
Follow-ups work too: "and in Turkey?", "who said that?", "tell me more", "what's the source for that?".

Commands:
  help     this text
  topics   what I can answer about
  sources  the articles the answers come from
  start over   forget the conversation so far`

// reply words the decision.
func (b *Bot) reply(q Question, c Cleaned, an *Analysis, d *Decision) Reply {
	r := Reply{Question: c.Shown, Confidence: d.Confidence}
	if d.Text != "" {
		// Worded by the decision itself: a conversation command, a yes or no.
		r.Kind, r.Text, r.Citations = KindAnswer, d.Text, d.Cites
		if d.Outcome == OutcomeDecline {
			r.Kind = KindDeclined
		}
		if d.Fact >= 0 {
			f := b.base.Facts[d.Fact]
			r.FactID, r.Topic, r.Conflict = f.ID, f.Topic, f.Conflict
		}
		return r
	}
	switch d.Outcome {
	case OutcomeAnswer:
		f := b.base.Facts[d.Fact]
		r.Kind = KindAnswer
		r.FactID, r.Topic, r.Conflict = f.ID, f.Topic, f.Conflict
		r.Text = b.answerText(f)
		r.Citations = b.citations(f, an.Source)
		if extra, cit := b.quoteForQuestion(an, d.Fact); extra != "" {
			r.Text += " " + extra
			r.Citations = addCitation(r.Citations, cit)
		}
	case OutcomeNotGiven:
		f := b.base.Facts[d.Fact]
		r.Kind = KindNotGiven
		r.FactID, r.Topic = f.ID, f.Topic
		r.Text = fmt.Sprintf("The articles don't give %s. What they do say about %s: %s", d.Missing, b.lowerFirst(f.Topic), b.answerText(f))
		r.Citations = b.citations(f, an.Source)
	case OutcomeCompare:
		r.Kind = KindAnswer
		if d.Computed.missing != "" {
			r.Kind = KindNotGiven
		}
		r.Text = d.Computed.text
		for _, u := range d.Computed.figures {
			fig := b.base.Facts[u.fact].Figures[u.fig]
			r.Citations = addCitation(r.Citations, b.citation(fig.Source, fig.Quote))
		}
		r.Conflict = d.Computed.disputed
	case OutcomeList:
		r.Kind = KindAnswer
		var parts []string
		for i, fi := range d.Facts {
			f := b.base.Facts[fi]
			parts = append(parts, fmt.Sprintf("(%d) %s", i+1, b.answerText(f)))
			for _, c := range b.citations(f, an.Source) {
				r.Citations = addCitation(r.Citations, c)
			}
		}
		r.Text = fmt.Sprintf("The articles report %d statements. %s", len(d.Facts), strings.Join(parts, " "))
		r.FactID = b.base.Facts[d.Facts[0]].ID
	default:
		r.Kind = KindDeclined
		r.Text = DeclineText + " " + declineHint(q)
		for _, f := range d.Suggest {
			r.Suggestions = append(r.Suggestions, b.base.Facts[f].Topic)
		}
	}
	return r
}

// citations are a fact's citations, those from the source the question
// named first.
func (b *Bot) citations(f *facts.Fact, source string) []Citation {
	all, ok := b.citesOf.get(f)
	if !ok {
		// A fact's citations, with their sentences, are made once.
		all = make([]Citation, 0, len(f.Citations))
		for _, c := range f.Citations {
			all = append(all, b.citation(c.Source, c.Quote))
		}
		b.citesOf.put(f, all)
	}
	out := make([]Citation, 0, len(all))
	for _, named := range [2]bool{true, false} {
		for _, c := range all {
			if (c.Source != nil && c.Source.ID == source) == named {
				out = append(out, c)
			}
		}
	}
	return out
}

func (b *Bot) citation(source, quote string) Citation {
	s := b.base.Source(source)
	return Citation{Source: s, Quote: quote, Sentence: b.sentence(s, quote)}
}

// sentence is s.Sentence(quote), remembered: the quotes are the fact
// base's, so there are only so many.
func (b *Bot) sentence(s *facts.Source, quote string) string {
	if s == nil {
		return ""
	}
	// Remembered by quote, then source: a quote seldom stands in two.
	known, _ := b.sentences.get(quote)
	for _, k := range known {
		if k.source == s {
			return k.sentence
		}
	}
	sent := s.Sentence(quote)
	if len(known) < maxSourcesPerQuote {
		b.sentences.put(quote, append(slices.Clip(known), quotedSentence{s, sent}))
	}
	return sent
}

// addCitation adds c unless a citation already quotes the same.
// answerText is a fact's answer on one line, made once per fact.
func (b *Bot) answerText(f *facts.Fact) string {
	if t, ok := b.answers.get(f); ok {
		return t
	}
	t := oneLine(f.Answer)
	b.answers.put(f, t)
	return t
}

// sentenceGives is textGives of a sentence of a source, remembered: the
// sentences are the sources', so the memory is bounded by them.
func (b *Bot) sentenceGives(sent string) gives {
	if g, ok := b.givesOf.get(sent); ok {
		return g
	}
	g := textGives(sent)
	b.givesOf.put(sent, g)
	return g
}

// quotedSentence is the sentence of a source a quote stands in.
type quotedSentence struct {
	source   *facts.Source
	sentence string
}

// maxSourcesPerQuote bounds what is remembered of one quote: the same
// words in more sources than this are looked up each time.
const maxSourcesPerQuote = 8

func addCitation(cs []Citation, c Citation) []Citation {
	if c.Source == nil {
		return cs
	}
	for _, old := range cs {
		if old.Source == c.Source && (old.Quote == c.Quote || facts.Normalize(old.Quote) == facts.Normalize(c.Quote)) {
			return cs
		}
	}
	return append(cs, c)
}

// quoteForQuestion returns the words of a source that answer what the
// question asks beyond the fact's own answer ("what were the checks meant
// to help do?": "to help identify and intercept illegal operations"), as a
// sentence to add to the answer, and the citation it quotes; "" when the
// answer already says it. A quote is added when it holds question words
// the answer lacks, when the answer only restates the question, or when
// the question names the source ("according to The National").
func (b *Bot) quoteForQuestion(an *Analysis, fi int32) (string, Citation) {
	fe := &b.ix.facts[fi]
	f := fe.fact
	// The index's id of each of the question's terms (-1: none), looked up
	// once for all the citations.
	ids := make([]int32, len(an.Terms))
	for k, t := range an.Terms {
		ids[k] = b.ix.lookup(t.term)
	}
	asked := slices.DeleteFunc(slices.Clone(ids), func(id int32) bool { return id < 0 })
	novel := 0 // what the answer says that the question did not
	for _, id := range fe.answerTerms {
		if b.termKind(id)&(termIsEntity|termIsDomain) == 0 && !slices.Contains(asked, id) {
			novel++
		}
	}
	restates := novel < 3
	best, bestWeight := -1, 0.0
	var bestInQuote float64
	// A question that names its source ("according to The National") is
	// answered in that source's words where the fact cites it.
	named := an.Source != "" && b.cites(fi, an.Source)
	for i, c := range f.Citations {
		if named && c.Source != an.Source {
			continue
		}
		var weight, inQuote float64
		for k, t := range an.Terms {
			id := ids[k]
			if t.kind != termWord && t.kind != termNumber || id < 0 || fe.answerTerms.hasID(id) || !fe.quoteTerms[i].hasID(id) {
				continue
			}
			weight += max(t.cover, 0.1)
			if fe.quoteOnly[i].hasID(id) {
				inQuote += max(t.cover, 0.1)
			}
		}
		if c.Source == an.Source {
			weight += minQuotedWeight // the source the question asks about
		}
		if weight > bestWeight {
			best, bestWeight, bestInQuote = i, weight, inQuote
		}
	}
	if an.Want == wantReason && fe.gives&givesReason == 0 {
		// "what were the hubs for?", "what were the checks meant to help
		// do?": the fact doesn't say why; a sentence it quotes may. The
		// sentence that gives a reason and holds most of the question's
		// words is quoted.
		// The sentence after the quote's counts too when it goes on about
		// the same thing ("These hubs allowed for …").
		reason, reasonWeight, reasonText := -1, -1.0, ""
		for i, c := range f.Citations {
			src := b.base.Source(c.Source)
			for k, sent := range []string{b.sentence(src, c.Quote), src.SentenceAfter(c.Quote)} {
				if sent == "" || b.sentenceGives(sent)&givesReason == 0 || k == 1 && !continues(sent) {
					continue
				}
				w := 0.0
				for k, t := range an.Terms {
					if ids[k] >= 0 && fe.quoteTerms[i].hasID(ids[k]) {
						w += t.cover
					}
				}
				if k == 1 {
					w -= 0.01 // the quote's own sentence first
				}
				if w > reasonWeight {
					reason, reasonWeight, reasonText = i, w, sent
				}
			}
		}
		if reason >= 0 {
			c := f.Citations[reason]
			cit := b.citation(c.Source, reasonText)
			cit.Sentence = reasonText
			return fmt.Sprintf("%s puts it this way: \u201c%s\u201d", SourceName(cit.Source), reasonText), cit
		}
	}
	if best < 0 || bestWeight < minQuotedWeight && !(restates && bestWeight > 0) {
		return "", Citation{}
	}
	c := f.Citations[best]
	cit := b.citation(c.Source, c.Quote)
	text := c.Quote
	// The words may stand in the sentence around the quote only: quote the
	// sentence.
	if bestInQuote < bestWeight && cit.Sentence != "" && c.Source != an.Source {
		text = cit.Sentence
		cit.Quote = cit.Sentence
	}
	return fmt.Sprintf("%s puts it this way: \u201c%s\u201d", SourceName(cit.Source), strings.TrimSpace(text)), cit
}

// minQuotedWeight is how much of the question a quote must add to the
// answer to be shown with it.
const minQuotedWeight = 0.25

// lowerFirst lower-cases the first letter of a topic for use mid-sentence,
// unless its first word is a name ("INTERPOL", "Chambers", "Venezuelans").
func (b *Bot) lowerFirst(s string) string {
	first, _, _ := strings.Cut(s, " ")
	if len(first) < 2 || strings.ToUpper(first) == first {
		return s
	}
	us := b.lang.read(facts.Words(first), "")
	if len(us) == 0 || isEntity(us[0].term) || isSource(us[0].term) {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// commandReply answers the built-in commands.
func (b *Bot) commandReply(c Cleaned, cmd string) Reply {
	r := Reply{Question: c.Shown}
	switch cmd {
	case "help":
		r.Kind, r.Text = KindHelp, HelpText
	case "sources":
		r.Kind, r.Sources = KindSources, b.base.Sources
		r.Text = "The facts come from these articles:"
	case "topics":
		r.Kind, r.Topics = KindTopics, b.topics
		r.Text = "I can answer questions about:"
	default:
		// Conversation commands without a conversation: say how they work.
		r.Kind = KindSmalltalk
		r.Text = "Ask me a question first, for example \"How many victims were rescued?\"; then I can tell you more, show the sources and compare what the articles say."
	}
	return r
}

// smalltalkReply answers small talk in the bot's own voice.
func (b *Bot) smalltalkReply(c Cleaned, intent string) Reply {
	text := b.smalltalk[intent]
	if text == "" {
		text = b.smalltalk["empty"]
	}
	return Reply{Question: c.Shown, Kind: KindSmalltalk, Text: text}
}

// didYouMean finds facts whose topic has a word that looks like one of the
// question's, with sahilm/fuzzy: "flite" suggests "Flights monitored".
func (b *Bot) didYouMean(an *Analysis) []int32 {
	var out []int32
	for _, w := range an.words {
		if len(w) < 5 || b.lang.word(w).stop {
			continue
		}
		wi := b.lang.word(w)
		like := wi.like.Load()
		if like == nil {
			// Remembered with the word's info: for a word of the
			// lexicon or the facts, once.
			found := b.topicsLike(w)
			like = &found
			wi.like.Store(like)
		}
		out = append(out, *like...)
	}
	return out
}

// topicsLike returns the facts whose topic has a word that holds w (see
// didYouMean), remembered: the answer depends on w alone, and only words
// that some topic word holds are kept, so the memory is bounded by the
// topics.
func (b *Bot) topicsLike(w string) []int32 {
	// Only a topic word that holds w whole can match (see below): most
	// words have none, and need no fuzzy search; the rest are ranked
	// among the few that do.
	if v, ok := b.likeTopics.Load(w); ok {
		return v.([]int32)
	}
	var holding []string
	for _, t := range b.topicWords[w[0]] {
		if strings.Contains(t, w) {
			holding = append(holding, t)
		}
	}
	if len(holding) == 0 {
		return nil
	}
	var out []int32
	for _, m := range fuzzy.Find(w, holding) {
		if m.Score > 0 && len(m.MatchedIndexes) == len(w) && contiguous(m.MatchedIndexes) {
			out = b.topicFacts[m.Str]
		}
		break
	}
	b.likeTopics.Store(strings.Clone(w), out)
	return out
}

// contiguous reports whether a fuzzy match is one run of letters, so
// "flight" suggests "Flights monitored" but "water" doesn't suggest
// "sWeATheR".
func contiguous(idx []int) bool {
	for i := 1; i < len(idx); i++ {
		if idx[i] != idx[i-1]+1 {
			return false
		}
	}
	return true
}

// continues reports whether a sentence goes on from the one before it:
// it opens with a word pointing back ("These hubs …", "This allowed …").
func continues(sentence string) bool {
	first, _, _ := strings.Cut(sentence, " ")
	switch strings.ToLower(first) {
	case "this", "these", "they", "it", "that", "those", "such":
		return true
	}
	return false
}
