package facts

import (
	"fmt"
	"math"
	"path"
	"strings"
)

// This file holds the checks of what the matcher reads beyond the facts'
// answers: figures, acronyms and source aliases, and the lexicon.

// Phrase normalises a word or phrase the way the matcher compares them:
// folded lower-case words joined by single spaces.
func PhraseKey(s string) string { return strings.Join(Words(s), " ") }

// checkFigures checks every figure: it names what it counts and an entity,
// cites a source, and its number stands in its quote, which stands in the
// source (found holds the quotes that do). It fills in each figure's
// Qualifier.
func (b *Base) checkFigures(found quoteSet) []Problem {
	var probs []Problem
	for _, f := range b.Facts {
		for i := range f.Figures {
			fig := &f.Figures[i]
			at := func(format string, args ...any) {
				probs = append(probs, Problem{File: f.File, Line: f.Line, Fact: f.ID,
					Msg: fmt.Sprintf("figure %d (%s): ", i+1, FormatNumber(fig.Value)) + fmt.Sprintf(format, args...)})
			}
			if strings.TrimSpace(fig.What) == "" {
				at("say what it counts (what: ...)")
			}
			if fig.Of == "" {
				at("say what it is about (of: an entity id, or operation)")
			} else if b.Entity(fig.Of) == nil {
				at("of names unknown entity %q", fig.Of)
			}
			src := b.Source(fig.Source)
			switch {
			case src == nil:
				at("cites unknown source %q", fig.Source)
				continue
			case !found.has(src, Normalize(fig.Quote)):
				at("quote not found in source %q: %q", fig.Source, fig.Quote)
				continue
			}
			found := false
			for _, n := range Numbers(fig.Quote) {
				if math.Abs(n.Value-fig.Value) < 1e-9 {
					found, fig.Qualifier = true, n.Qualifier
					break
				}
			}
			if !found {
				at("the number %s does not stand in its quote %q", FormatNumber(fig.Value), fig.Quote)
			}
		}
	}
	return probs
}

// checkNames checks the ways questions name things: entity acronyms spelled
// out in a source, and source aliases that are unique and no entity's.
func (b *Base) checkNames() []Problem {
	var probs []Problem
	add := func(file string, line int, format string, args ...any) {
		probs = append(probs, Problem{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	entityAlias := map[string]string{}
	for _, e := range b.Entities {
		for _, a := range e.Aliases {
			entityAlias[PhraseKey(a)] = e.ID
		}
		if (e.Acronym == "") != (e.StandsFor == "") {
			add("entities.yaml", e.line, "entity %q: give both acronym and stands_for, or neither", e.ID)
		}
		if e.StandsFor != "" {
			if _, _, ok := b.SpelledOut(e); !ok {
				add("entities.yaml", e.line, "entity %q: stands_for %q stands in no source, so no answer could quote it", e.ID, e.StandsFor)
			}
		}
	}
	owner := map[string]string{}
	for _, s := range b.Sources {
		for _, a := range s.Aliases {
			k := PhraseKey(a)
			switch {
			case k == "":
				add("sources.yaml", s.line, "source %q: empty alias", s.ID)
			case owner[k] != "":
				add("sources.yaml", s.line, "source %q: alias %q is also %q's", s.ID, a, owner[k])
			case entityAlias[k] != "":
				add("sources.yaml", s.line, "source %q: alias %q is also an alias of entity %q; name the article (\"the %s piece\")", s.ID, a, entityAlias[k], a)
			}
			owner[k] = s.ID
		}
	}
	return probs
}

// SpelledOut finds where a source spells out an entity's acronym: the
// source and a verbatim quote of the long form (with the acronym in
// brackets after it when the source gives it so).
func (b *Base) SpelledOut(e *Entity) (*Source, string, bool) {
	if e.StandsFor == "" {
		return nil, "", false
	}
	long := asciiLower(Normalize(e.StandsFor))
	for _, s := range b.Sources {
		low := s.lowerBody()
		i := strings.Index(low, long)
		if i < 0 {
			continue
		}
		end := i + len(long)
		if tail := " (" + asciiLower(e.Acronym) + ")"; strings.HasPrefix(low[end:], tail) {
			end += len(tail)
		}
		// Quote from the word before, so the quote is long enough.
		start := strings.LastIndexByte(s.body[:i], ' ')
		if j := strings.LastIndexByte(s.body[:max(start, 0)], ' '); j >= 0 {
			start = j
		}
		return s, strings.TrimSpace(s.body[max(start, 0):end]), true
	}
	return nil, "", false
}

// checkLexicon checks lexicon/: every list free of duplicates, no synonym
// that maps a word to itself or a word two ways, no stop word doing
// another job, no place elsewhere that the sources or entities name, the
// small-talk intents the bot relies on present.
func (b *Base) checkLexicon() []Problem {
	lex := b.Lexicon
	var probs []Problem
	add := func(file string, line int, format string, args ...any) {
		probs = append(probs, Problem{File: path.Join(lexiconDir, file), Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	stop := map[string]int{}
	for _, w := range lex.StopWords {
		k := PhraseKey(w.Word)
		if stop[k] > 0 {
			add("stopwords.txt", w.Line, "%q is listed twice (first on line %d)", w.Word, stop[k])
		}
		stop[k] = w.Line
	}
	domain := map[string]int{}
	for _, w := range lex.Domain {
		k := PhraseKey(w.Word)
		switch {
		case domain[k] > 0:
			add("domain.txt", w.Line, "%q is listed twice (first on line %d)", w.Word, domain[k])
		case stop[k] > 0:
			add("domain.txt", w.Line, "%q is a stop word too (stopwords.txt:%d)", w.Word, stop[k])
		}
		domain[k] = w.Line
	}

	// Synonyms and phrases: each word (by stem) means one term.
	type use struct {
		file string
		line int
		term string
	}
	means := map[string]use{}
	terms := map[string]bool{}
	stemKey := func(s string) string {
		ws := Words(s)
		for i, w := range ws {
			ws[i] = Stem(w)
		}
		return strings.Join(ws, " ")
	}
	for _, s := range lex.Synonyms {
		if s.Term == "" || len(s.Words) == 0 {
			add("synonyms.yaml", s.line, "an entry needs a term and words")
			continue
		}
		terms[stemKey(s.Term)] = true
		if stop[PhraseKey(s.Term)] > 0 {
			add("synonyms.yaml", s.line, "term %q is a stop word", s.Term)
		}
		for _, p := range s.Facts {
			matched := false
			for _, f := range b.Facts {
				if ok, _ := path.Match(p, f.ID); ok {
					matched = true
					break
				}
			}
			if !matched {
				add("synonyms.yaml", s.line, "term %q: facts pattern %q matches no fact", s.Term, p)
			}
		}
		for _, w := range s.Words {
			k := stemKey(w)
			switch {
			case k == "":
				add("synonyms.yaml", s.line, "term %q: empty word", s.Term)
			case k == stemKey(s.Term):
				add("synonyms.yaml", s.line, "term %q: %q is the term itself (an identity entry)", s.Term, w)
			case means[k].term == s.Term:
				u := means[k]
				add("synonyms.yaml", s.line, "term %q: %q is listed twice (another form of it is at %s:%d; one form covers all)", s.Term, w, u.file, u.line)
			case means[k].term != "":
				u := means[k]
				add("synonyms.yaml", s.line, "%q is mapped two ways: to %q here and to %q at %s:%d", w, s.Term, u.term, u.file, u.line)
			case stop[PhraseKey(w)] > 0:
				add("synonyms.yaml", s.line, "term %q: %q is a stop word (stopwords.txt:%d)", s.Term, w, stop[PhraseKey(w)])
			}
			means[k] = use{"synonyms.yaml", s.line, s.Term}
		}
	}
	for _, p := range lex.Phrases {
		k := stemKey(p.Phrase)
		switch {
		case p.Term == "" || len(strings.Fields(k)) < 2:
			add("phrases.yaml", p.line, "phrase %q: a phrase is two or more words with a term", p.Phrase)
		case means[k].term == p.Term:
			u := means[k]
			add("phrases.yaml", p.line, "phrase %q is listed twice (another form of it is at %s:%d; one form covers all)", p.Phrase, u.file, u.line)
		case means[k].term != "":
			u := means[k]
			add("phrases.yaml", p.line, "phrase %q is mapped two ways: to %q here and to %q at %s:%d", p.Phrase, p.Term, u.term, u.file, u.line)
		}
		means[k] = use{"phrases.yaml", p.line, p.Term}
	}
	// A term must not itself be mapped on to another term: chains hide senses.
	for k, u := range means {
		if terms[k] && u.file == "synonyms.yaml" {
			add(u.file, u.line, "%q is both a term and a word mapped to %q; map its words to one term", k, u.term)
		}
	}

	// Places elsewhere: not a place the entities or the articles name.
	entityWord := map[string]string{}
	for _, e := range b.Entities {
		for _, a := range e.Aliases {
			entityWord[PhraseKey(a)] = e.ID
		}
	}
	bodyWords := map[string]bool{}
	for _, s := range b.Sources {
		for _, w := range Words(s.body) {
			bodyWords[w] = true
		}
	}
	seen := map[string]int{}
	for _, w := range lex.Elsewhere {
		k := PhraseKey(w.Word)
		switch {
		case seen[k] > 0:
			add("elsewhere.txt", w.Line, "%q is listed twice (first on line %d)", w.Word, seen[k])
		case entityWord[k] != "":
			add("elsewhere.txt", w.Line, "%q is an alias of entity %q: the sources do name it", w.Word, entityWord[k])
		case bodyWords[k]:
			add("elsewhere.txt", w.Line, "%q stands in an article: make it an entity, or drop it", w.Word)
		}
		seen[k] = w.Line
	}

	seen = map[string]int{}
	for _, w := range lex.Later {
		k := PhraseKey(w.Word)
		switch {
		case seen[k] > 0:
			add("later.txt", w.Line, "%q is listed twice (first on line %d)", w.Word, seen[k])
		case stop[k] > 0:
			add("later.txt", w.Line, "%q is a stop word (stopwords.txt:%d)", w.Word, stop[k])
		}
		seen[k] = w.Line
	}

	// Chat: a phrase in one list only; text speak maps a word to others.
	chatSeen := map[string]string{}
	for _, l := range []struct {
		name    string
		phrases []string
	}{{"greetings", lex.Chat.Greetings}, {"thanks", lex.Chat.Thanks}, {"goodbyes", lex.Chat.Goodbyes}, {"fillers", lex.Chat.Fillers}} {
		for _, p := range l.phrases {
			k := PhraseKey(p)
			line := lex.Chat.Line(l.name, p)
			switch {
			case k == "":
				add("chat.yaml", line, "%s: empty phrase", l.name)
			case chatSeen[k] != "":
				add("chat.yaml", line, "%s: %q is also in %s", l.name, p, chatSeen[k])
			case questionWord[textSpoken(lex, k)]:
				add("chat.yaml", line, "%s: %q reads as the question word %q", l.name, p, textSpoken(lex, k))
			}
			chatSeen[k] = l.name
		}
	}
	for from, to := range lex.Chat.TextSpeak {
		if PhraseKey(from) == PhraseKey(to) || strings.TrimSpace(to) == "" {
			add("chat.yaml", lex.Chat.Line("textspeak", from), "textspeak: %q must map to other words", from)
		}
	}

	// Small talk: the intents the bot relies on, each with a reply.
	intents := map[string]int{}
	patternOf := map[string]string{}
	for _, s := range lex.Smalltalk {
		if intents[s.Intent] > 0 {
			add("smalltalk.yaml", s.line, "intent %q is defined twice (first on line %d)", s.Intent, intents[s.Intent])
		}
		intents[s.Intent] = s.line
		if strings.TrimSpace(s.Reply) == "" {
			add("smalltalk.yaml", s.line, "intent %q has no reply", s.Intent)
		}
		for _, p := range s.Patterns {
			k := PhraseKey(p)
			if other := patternOf[k]; other != "" {
				add("smalltalk.yaml", s.line, "pattern %q is in intents %q and %q", p, other, s.Intent)
			}
			patternOf[k] = s.Intent
		}
	}
	for _, need := range RequiredIntents {
		if intents[need] == 0 {
			add("smalltalk.yaml", 0, "intent %q is missing; the bot replies with it", need)
		}
	}

	// Other languages: words that are not English words the bot reads.
	for _, l := range lex.Languages {
		seen := map[string]bool{}
		for _, w := range l.Words {
			k := PhraseKey(w)
			switch {
			case seen[k]:
				add("languages.yaml", l.line, "%s: %q is listed twice", l.Name, w)
			case stop[k] > 0 || chatSeen[k] != "":
				add("languages.yaml", l.line, "%s: %q is an English word the bot reads", l.Name, w)
			}
			seen[k] = true
		}
	}
	if lex.Freq.Len() == 0 {
		add("wordfreq.txt", 0, "no words: regenerate it (see lexicon/README.md)")
	}
	return probs
}

// RequiredIntents are the small-talk intents the bot replies with by name.
var RequiredIntents = []string{"greeting", "thanks", "goodbye", "empty", "english_only"}

// questionWord are words a question turns on, which no chat phrase may be.
var questionWord = map[string]bool{"what": true, "which": true, "who": true, "whom": true, "whose": true,
	"when": true, "where": true, "why": true, "how": true}

// textSpoken reads a phrase key with the chat lexicon's text speak.
func textSpoken(lex *Lexicon, key string) string {
	ws := strings.Fields(key)
	for i, w := range ws {
		if t, ok := lex.Chat.TextSpeak[w]; ok {
			ws[i] = t
		}
	}
	return strings.Join(ws, " ")
}

// asciiLower lower-cases ASCII letters only, so byte offsets stay those of s.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
