// Package bot answers questions about Operation Liberterra II from a fact
// base. It matches a question in plain words (typos, synonyms, casual
// phrasing) against the curated facts and replies with the answer, a
// confidence, the citations that back it, or, when the sources don't cover
// the question, a plain refusal with nearby topics. It knows nothing of chat
// platforms: front ends call Answer and render the Reply.
package bot

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/liberterra/liberterra/facts"
	"github.com/sahilm/fuzzy"
)

// DefaultThreshold is the confidence below which the bot declines. It was
// calibrated on bot/testdata/eval.jsonl (see TestEval).
const DefaultThreshold = 0.5

// MaxQuestionLen is the longest question, in characters, the bot reads.
const MaxQuestionLen = 1000

// Bot answers questions from one fact base. It is safe for concurrent use.
type Bot struct {
	base      *facts.Base
	ix        *index
	threshold float64
	topics    []TopicGroup
	// topicWords are the words of the facts' topics, and topicsByWord the
	// facts whose topic has each: "did you mean" searches them.
	topicWords   map[byte][]string // by first letter, to keep the search short
	topicsByWord map[string][]int
}

// New prepares a checked fact base for answering.
func New(base *facts.Base) *Bot {
	b := &Bot{base: base, ix: newIndex(base), threshold: DefaultThreshold}
	b.topics = topicGroups(base)
	b.topicsByWord = map[string][]int{}
	b.topicWords = map[byte][]string{}
	for i, fe := range b.ix.facts {
		for _, w := range splitWords(fe.fact.Topic) {
			if len(w) >= 4 && !stopWords[w] {
				if len(b.topicsByWord[w]) == 0 {
					b.topicWords[w[0]] = append(b.topicWords[w[0]], w)
				}
				b.topicsByWord[w] = append(b.topicsByWord[w], i)
			}
		}
	}
	return b
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
	return b.answer(q.Text), nil
}

func (b *Bot) answer(text string) Reply {
	r := Reply{Question: text}
	switch problem := inputProblem(text); {
	case problem != "":
		r.Kind, r.Text = KindInvalid, problem
		if utf8.ValidString(text) && utf8.RuneCountInString(text) <= MaxQuestionLen {
			r.Question = strings.TrimSpace(text)
		} else {
			r.Question = "" // don't echo binary or a megabyte back
		}
		return r
	}
	text = strings.TrimSpace(text)
	r.Question = text
	switch command(text) {
	case "help":
		r.Kind, r.Text = KindHelp, HelpText
		return r
	case "sources":
		r.Kind, r.Sources = KindSources, b.base.Sources
		r.Text = "The facts come from these articles:"
		return r
	case "topics":
		r.Kind, r.Topics = KindTopics, b.topics
		r.Text = "I can answer questions about:"
		return r
	}
	if !mostlyLatin(text) {
		r.Kind = KindDeclined
		r.Text = "I can only read questions in English, sorry. " + declineHint
		r.Suggestions = b.defaultSuggestions()
		return r
	}

	p := b.ix.parse(text)
	ranked := b.ix.rank(p)
	if len(ranked) > 0 {
		best := ranked[0]
		r.Confidence = min(1, max(0, best.score))
		if best.score >= b.threshold {
			f := b.ix.facts[best.fact].fact
			r.Kind = KindAnswer
			r.Text = strings.Join(strings.Fields(f.Answer), " ")
			r.FactID, r.Topic, r.Conflict = f.ID, f.Topic, f.Conflict
			for _, c := range f.Citations {
				r.Citations = append(r.Citations, Citation{Source: b.base.Source(c.Source), Quote: c.Quote})
			}
			return r
		}
	}
	r.Kind = KindDeclined
	r.Text = "The sources don't cover that, so I won't guess. " + declineHint
	r.Suggestions = b.suggest(text, p, ranked)
	return r
}

const declineHint = "I answer questions about INTERPOL's Operation Liberterra II from five news articles; type \"topics\" to see what I know."

// HelpText explains the bot to a user; front ends show it for "help".
const HelpText = `I answer questions about INTERPOL's Operation Liberterra II (29 September to 4 October 2024), the largest operation yet against human trafficking and migrant smuggling, from five news articles. Every answer quotes its source word for word; where the sources disagree I say so, and where they say nothing I say that too.

Ask in plain words, for example:
  How many victims were rescued?
  What happened in Algeria?
  Who is Stephen Kavanagh?
  When did the operation take place?

Commands:
  help     this text
  topics   what I can answer about
  sources  the articles the answers come from`

// command recognises the built-in commands, with or without a leading
// slash or bang and trailing punctuation.
func command(text string) string {
	t := strings.ToLower(strings.Trim(text, " \t\r\n/!?.:"))
	switch t {
	case "help", "h", "commands", "usage", "what can you do", "how does this work":
		return "help"
	case "sources", "source", "articles", "references":
		return "sources"
	case "topics", "topic", "what do you know", "what can i ask":
		return "topics"
	}
	return ""
}

// inputProblem says why text cannot be a question, or "" when it can be.
func inputProblem(text string) string {
	if !utf8.ValidString(text) {
		return "That doesn't look like text. Please type a question in words."
	}
	if n := utf8.RuneCountInString(text); n > MaxQuestionLen {
		return fmt.Sprintf("That's too long for a question (%d characters; I read at most %d). Please ask in a sentence or two.", n, MaxQuestionLen)
	}
	var letters, controls int
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			letters++
		case r == '\n' || r == '\t' || r == '\r':
		case unicode.IsControl(r) || r == utf8.RuneError:
			controls++
		}
	}
	switch {
	case controls > 0:
		return "That doesn't look like text. Please type a question in words."
	case strings.TrimSpace(text) == "":
		return "Ask me a question about Operation Liberterra II, for example \"How many victims were rescued?\". Type \"help\" for more."
	case letters == 0:
		return "I need a question in words, for example \"How many people were arrested?\". Type \"help\" for more."
	}
	return ""
}

// mostlyLatin reports whether most letters of text are in Latin script.
func mostlyLatin(text string) bool {
	var latin, other int
	for _, r := range text {
		if !unicode.IsLetter(r) {
			continue
		}
		if unicode.Is(unicode.Latin, r) {
			latin++
		} else {
			other++
		}
	}
	return latin >= other
}

// maxSuggestions is how many topics a declined reply offers.
const maxSuggestions = 3

// suggestFloor is the least score that makes a fact worth suggesting.
const suggestFloor = 0.15

// suggest offers up to three topics near the question: the facts that
// nearly matched, then topics that fuzzily match its words ("did you mean"),
// then the headline topics.
func (b *Bot) suggest(text string, p parsed, ranked []scored) []string {
	var out []string
	seen := map[string]bool{}
	add := func(topic string) {
		if len(out) < maxSuggestions && !seen[topic] {
			seen[topic] = true
			out = append(out, topic)
		}
	}
	for _, s := range ranked {
		if s.score < suggestFloor {
			break
		}
		add(b.ix.facts[s.fact].fact.Topic)
	}
	if len(out) < maxSuggestions {
		for _, w := range splitWords(text) {
			if len(w) < 5 || stopWords[w] {
				continue
			}
			for _, m := range fuzzy.Find(w, b.topicWords[w[0]]) {
				if m.Score > 0 && len(m.MatchedIndexes) == len(w) && isWordMatch(m.Str, m.MatchedIndexes) {
					for _, fi := range b.topicsByWord[m.Str] {
						add(b.ix.facts[fi].fact.Topic)
					}
				}
				break
			}
		}
	}
	for _, t := range b.defaultSuggestions() {
		add(t)
	}
	return out
}

// isWordMatch reports whether a fuzzy match is a contiguous run of letters,
// so "flight" suggests "Flights monitored" but "water" doesn't suggest
// "sWeATheR".
func isWordMatch(s string, idx []int) bool {
	for i := 1; i < len(idx); i++ {
		if idx[i] != idx[i-1]+1 {
			return false
		}
	}
	return true
}

// defaultSuggestions are the headline topics: the first facts of the base.
func (b *Bot) defaultSuggestions() []string {
	var out []string
	for _, fe := range b.ix.facts {
		if path.Base(fe.fact.File) == "operation.yaml" && len(out) < maxSuggestions {
			out = append(out, fe.fact.Topic)
		}
	}
	return out
}

// topicGroups lists what the base can answer, grouped by fact file.
func topicGroups(base *facts.Base) []TopicGroup {
	titles := map[string]string{
		"operation.yaml": "The operation", "countries.yaml": "Countries and cases",
		"people.yaml": "People", "context.yaml": "Context and trends",
	}
	byFile := map[string][]string{}
	var files []string
	for _, f := range base.Facts {
		name := path.Base(f.File)
		if _, ok := byFile[name]; !ok {
			files = append(files, name)
		}
		byFile[name] = append(byFile[name], f.Topic)
	}
	order := map[string]int{"operation.yaml": 0, "countries.yaml": 1, "people.yaml": 2, "context.yaml": 3}
	sort.SliceStable(files, func(i, j int) bool {
		oi, ok := order[files[i]]
		if !ok {
			oi = len(order)
		}
		oj, ok := order[files[j]]
		if !ok {
			oj = len(order)
		}
		return oi < oj
	})
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
			if e == nil || seen[id] || e.Kind == "operation" {
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
	if best != "country" && best != "person" {
		return nil
	}
	var names []string
	for _, e := range order {
		if e.Kind == best || best == "country" && (e.Kind == "region" || e.Kind == "place") {
			names = append(names, e.Name)
		}
	}
	return names
}
