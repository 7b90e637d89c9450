package bot

import (
	"iter"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/liberterra/liberterra/facts"
)

// lang is the lexicon of a fact base made ready for matching: what every
// stage needs to turn words into terms the same way for facts and questions.
type lang struct {
	stop      map[string]bool   // folded words
	domain    map[string]bool   // stems
	elsewhere map[string]bool   // folded words
	later     map[string]bool   // folded words
	textSpeak map[string]string // folded word -> words
	// synonyms maps a word's stem to the stem of the term facts use. A
	// restricted synonym (facts: [...]) is in restricted instead.
	synonyms   map[string]string
	restricted map[string]restrictedSynonym
	// phrases maps the stem of a phrase's first word to the phrases that
	// start with it, longest first: synonyms of several words, phrases,
	// entity aliases ("#id") and source aliases ("@id").
	phrases map[string][]phrase
	freq    *facts.WordFreq
	// languages maps a folded word of another language to its name.
	languages map[string]string
	// stems remembers the stem of every word of the fact base, filled
	// while the index is built (one goroutine) and only read once frozen,
	// when questions come concurrently.
	stems  map[string]string
	frozen bool
	// vocab is the index's: how many facts use each folded word.
	vocab map[string]int
	// words remembers what the lexicon says of each word questions used:
	// a question's words are looked up once each instead of once per map
	// and stage. Only words some list knows are kept, so its size is
	// bounded by the lexicon, not by what users type.
	words memo[string, *wordInfo]
}

// wordInfo is what the lexicon says of one folded word.
type wordInfo struct {
	stem string
	zipf float64 // general-English frequency; 0 when unlisted
	stop bool
	// term is what the word stands for alone when no phrase takes it: the
	// word itself for a stop word or a number, else its stem through the
	// synonyms.
	term string
	// restricted is the word's synonym for some facts only, if any.
	restricted *restrictedSynonym
	// phrases start with the word's stem, longest first.
	phrases []phrase
	// sets are the word sets the word is in (wordSet).
	sets wordSet
	// elsewhere, later and domain say the word is in those lists of the
	// lexicon (domain by its term); language names the other language it
	// is a common word of, speak what it stands for in text speak.
	elsewhere, later, domain bool
	language, speak          string
	// like are the facts whose topic has a word like this one (didYouMean),
	// once looked for.
	like atomic.Pointer[[]int32]
}

// word returns what the lexicon says of w (folded).
func (l *lang) word(w string) *wordInfo {
	if wi, ok := l.words.get(w); ok {
		return wi
	}
	wi := &wordInfo{stem: l.stem(w), zipf: l.freq.Zipf(w), stop: l.stop[w], sets: wordSets[w],
		elsewhere: l.elsewhere[w], later: l.later[w], language: l.languages[w], speak: l.textSpeak[w]}
	wi.phrases = l.phrases[wi.stem]
	switch {
	case wi.stop, facts.IsNumber(w):
		wi.term = w
	default:
		wi.term = wi.stem
		if t, ok := l.synonyms[wi.stem]; ok {
			wi.term = t
		} else if r, ok := l.restricted[wi.stem]; ok {
			wi.restricted = &r
		}
	}
	wi.domain = l.domain[wi.term]
	if l.frozen && (wi.zipf > 0 || wi.stop || len(wi.phrases) > 0 || wi.term != wi.stem || wi.restricted != nil || l.vocab[w] > 0 ||
		wi.sets != 0 || wi.elsewhere || wi.later || wi.domain || wi.language != "" || wi.speak != "") {
		// A word of the lexicon or the facts: worth keeping.
		l.words.put(w, wi)
	}
	return wi
}

// stem is facts.Stem, remembered for the fact base's words.
func (l *lang) stem(w string) string {
	if s, ok := l.stems[w]; ok {
		return s
	}
	s := facts.Stem(w)
	if !l.frozen {
		l.stems[w] = s
	}
	return s
}

type restrictedSynonym struct {
	term string
	syn  *facts.Synonym
}

// phrase is a run of words read as one term.
type phrase struct {
	stems []string
	term  string // stem of the term; "#id" for an entity, "@id" for a source
}

// Term prefixes for what is not a word.
const (
	entityPrefix = "#"
	sourcePrefix = "@"
)

func newLang(base *facts.Base) *lang {
	lex := base.Lexicon
	l := &lang{
		stop: map[string]bool{}, domain: map[string]bool{}, elsewhere: map[string]bool{}, later: map[string]bool{},
		textSpeak: map[string]string{}, synonyms: map[string]string{},
		restricted: map[string]restrictedSynonym{}, phrases: map[string][]phrase{},
		freq: &lex.Freq, languages: map[string]string{}, stems: map[string]string{},
	}
	for _, w := range lex.StopWords {
		l.stop[facts.PhraseKey(w.Word)] = true
	}
	for _, w := range lex.Domain {
		l.domain[facts.Stem(facts.PhraseKey(w.Word))] = true
	}
	for _, w := range lex.Elsewhere {
		l.elsewhere[facts.PhraseKey(w.Word)] = true
	}
	for _, w := range lex.Later {
		l.later[facts.PhraseKey(w.Word)] = true
	}
	for from, to := range lex.Chat.TextSpeak {
		l.textSpeak[facts.PhraseKey(from)] = facts.PhraseKey(to)
	}
	for _, lg := range lex.Languages {
		for _, w := range lg.Words {
			l.languages[facts.PhraseKey(w)] = lg.Name
		}
	}
	for i := range lex.Synonyms {
		s := &lex.Synonyms[i]
		term := stemPhrase(s.Term)
		for _, w := range s.Words {
			stems := stemWords(w)
			switch {
			case len(stems) > 1:
				l.addPhrase(stems, term)
			case len(s.Facts) > 0:
				l.restricted[stems[0]] = restrictedSynonym{term, s}
			default:
				l.synonyms[stems[0]] = term
			}
		}
	}
	for _, p := range lex.Phrases {
		l.addPhrase(stemWords(p.Phrase), stemPhrase(p.Term))
	}
	for _, e := range base.Entities {
		for _, a := range e.Aliases {
			l.addPhrase(stemWords(a), entityPrefix+e.ID)
		}
	}
	for _, s := range base.Sources {
		for _, a := range s.Aliases {
			l.addPhrase(stemWords(a), sourcePrefix+s.ID)
		}
	}
	for k, ps := range l.phrases {
		// Longest first, so "north macedonia" wins over "macedonia".
		for i := 1; i < len(ps); i++ {
			for j := i; j > 0 && len(ps[j].stems) > len(ps[j-1].stems); j-- {
				ps[j], ps[j-1] = ps[j-1], ps[j]
			}
		}
		l.phrases[k] = ps
	}
	return l
}

func (l *lang) addPhrase(stems []string, term string) {
	if len(stems) == 0 {
		return
	}
	for _, p := range l.phrases[stems[0]] {
		if equalStrings(p.stems, stems) {
			return // the same alias twice ("u.k." and "uk" fold alike)
		}
	}
	l.phrases[stems[0]] = append(l.phrases[stems[0]], phrase{stems, term})
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// stemWords splits s into words and stems each.
func stemWords(s string) []string {
	ws := facts.Words(s)
	for i, w := range ws {
		ws[i] = facts.Stem(w)
	}
	return ws
}

// stemPhrase is the term a phrase or word stands for: its stems joined.
func stemPhrase(s string) string { return strings.Join(stemWords(s), " ") }

// zipf is how common w (folded) is in general English; 0 when unknown.
func (l *lang) zipf(w string) float64 { return l.word(w).zipf }

// unit is one word of a text after phrases are read: a term to match, with
// the words it came from.
type unit struct {
	term  string // stem, canonical term, "#entity", "@source", or a number
	words string // the words as folded, for explain and cleaning
	n     int    // tokens it spans
	// alt is the canonical term of a restricted synonym: the word means it
	// only for the synonym's facts.
	alt *restrictedSynonym
	// stop says the unit is a stop word: kept in the sequence (roles and
	// patterns read them) but never a term.
	stop bool
	// info is what the lexicon says of a unit of one word; nil for a
	// phrase.
	info *wordInfo
}

// read turns folded words into units: phrases (synonyms of several words,
// entity and source aliases) by longest match, then single words mapped
// through synonyms and stemmed. factID, when set, applies the synonyms
// restricted to that fact as plain synonyms.
func (l *lang) read(words []string, factID string) []unit {
	return l.readInfos(words, nil, factID)
}

// readInfos is read of words whose infos (l.word) are known.
func (l *lang) readInfos(words []string, infos []*wordInfo, factID string) []unit {
	return l.appendUnits(make([]unit, 0, len(words)), words, infos, factID)
}

// appendUnits appends to out the units read reads in words, whose infos
// (l.word) are known.
func (l *lang) appendUnits(out []unit, words []string, infos []*wordInfo, factID string) []unit {
	out = slices.Grow(out, len(words))
	for u := range l.unitsOf(words, infos, factID) {
		out = append(out, u)
	}
	return out
}

// infos are the words' infos (l.word), in order.
func (l *lang) infos(words []string) []*wordInfo { return l.appendInfos(nil, words) }

// appendInfos appends the words' infos (l.word) to out.
func (l *lang) appendInfos(out []*wordInfo, words []string) []*wordInfo {
	out = slices.Grow(out, len(words))
	for _, w := range words {
		out = append(out, l.word(w))
	}
	return out
}

// units yields the units of words as read reads them, one at a time, so a
// caller that stops early reads no further.
func (l *lang) units(words []string, factID string) iter.Seq[unit] {
	return l.unitsOf(words, nil, factID)
}

// unitsOf is units of words whose infos are known (nil: look them up).
func (l *lang) unitsOf(words []string, infos []*wordInfo, factID string) iter.Seq[unit] {
	return func(yield func(unit) bool) {
		for i := 0; i < len(words); {
			var wi *wordInfo
			if infos != nil {
				wi = infos[i]
			} else {
				wi = l.word(words[i])
			}
			if u, ok := l.phraseAt(words, infos, i, wi); ok {
				if !yield(u) {
					return
				}
				i += u.n
				continue
			}
			u := unit{words: words[i], n: 1, term: wi.term, stop: wi.stop, info: wi}
			if r := wi.restricted; r != nil {
				if factID != "" && r.syn.AppliesTo(factID) {
					u.term = r.term
				} else if factID == "" {
					u.alt = r
				}
			}
			if !yield(u) {
				return
			}
			i++
		}
	}
}

// phraseAt reads the longest phrase that starts at words[i], if any; the
// words' infos are looked up unless given.
func (l *lang) phraseAt(words []string, infos []*wordInfo, i int, wi *wordInfo) (unit, bool) {
	for _, p := range wi.phrases {
		if i+len(p.stems) > len(words) {
			continue
		}
		match := true
		for j := 1; j < len(p.stems) && match; j++ {
			var next *wordInfo
			if infos != nil {
				next = infos[i+j]
			} else {
				next = l.word(words[i+j])
			}
			match = next.stem == p.stems[j]
		}
		if match {
			w := words[i]
			if len(p.stems) > 1 {
				w = strings.Join(words[i:i+len(p.stems)], " ")
			}
			return unit{term: p.term, words: w, n: len(p.stems)}, true
		}
	}
	return unit{}, false
}

// stem is the stem of the unit's words.
func (u *unit) stem() string {
	if u.info != nil {
		return u.info.stem
	}
	return facts.Stem(u.words)
}

// unitLists says which lists of the lexicon a unit is in.
type unitLists struct {
	sets                     wordSet
	elsewhere, later, domain bool
}

// unitInfo is what the lexicon's lists say of a unit: its word's, or for a
// phrase what they say of it as a whole.
func (l *lang) unitInfo(u *unit) unitLists {
	if wi := u.info; wi != nil {
		return unitLists{wi.sets, wi.elsewhere, wi.later, wi.domain}
	}
	return unitLists{elsewhere: l.elsewhere[u.words], later: l.later[u.words], domain: l.domain[u.term]}
}

// term is what a single word stands for, as read reads it alone.
func (l *lang) term(w string) string {
	wi := l.word(w)
	if u, ok := l.phraseAt([]string{w}, nil, 0, wi); ok {
		return u.term
	}
	return wi.term
}

// isEntity reports whether a term names an entity ("#turkey").
func isEntity(term string) bool { return strings.HasPrefix(term, entityPrefix) }

// isSource reports whether a term names a source ("@the-national").
func isSource(term string) bool { return strings.HasPrefix(term, sourcePrefix) }
