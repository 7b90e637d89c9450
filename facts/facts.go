// Package facts holds the curated fact base the bot answers from: the source
// articles, the entities facts are about, and the facts themselves, each with
// citations that quote a source word for word.
//
// A fact base is a directory of human-editable files:
//
//	sources.yaml      the articles (id, file, title, publisher, author, date, url)
//	sources/*.txt     the article texts, under their original file names
//	entities.yaml     countries, places, people and organisations, with aliases
//	facts/*.yaml      the facts (see facts/README.md in the data directory)
//	lexicon/*         the matcher's language: synonyms, stop words, chat
//	                  wrapping, small talk, places elsewhere, word frequencies
//	                  (see lexicon/README.md)
//
// The base built into the binary is Embedded; Load reads any other directory
// of the same layout. Check reports every problem in a base.
package facts

import (
	"strings"
	"sync"
)

// Source is one article the fact base cites.
type Source struct {
	ID        string `yaml:"id" json:"id"`
	File      string `yaml:"file" json:"-"`
	Title     string `yaml:"title" json:"title"`
	Publisher string `yaml:"publisher,omitempty" json:"publisher,omitempty"`
	Author    string `yaml:"author,omitempty" json:"author,omitempty"`
	Date      string `yaml:"date,omitempty" json:"date,omitempty"`
	// Label names the source in citations when the text names no
	// publisher or author ("UNODC statement").
	Label string `yaml:"label,omitempty" json:"-"`
	URL   string `yaml:"url,omitempty" json:"url,omitempty"`
	Note  string `yaml:"note,omitempty" json:"-"`
	// Headline says whether Title is the article's own headline (true) or
	// the curators' description of an article whose text gives none.
	Headline bool `yaml:"headline,omitempty" json:"headline,omitempty"`
	// Aliases are how people name the article in a question ("the UNODC
	// piece", "according to The National").
	Aliases []string `yaml:"aliases,omitempty" json:"-"`

	// BodyFrom and BodyTo mark the article inside a file that holds more
	// (menus, a reader comment): quotes must stand between them.
	BodyFrom string `yaml:"body_from,omitempty" json:"-"`
	BodyTo   string `yaml:"body_to,omitempty" json:"-"`

	// Text is the article as stored in File, with runs of white space
	// folded to one space.
	Text string `yaml:"-" json:"-"`
	// body is the normalised article body that quotes are checked against,
	// and lower its ASCII lower case (same offsets), made once on demand.
	body      string
	lower     string
	lowerOnce sync.Once
	line      int
}

// Outlet names the source in a citation: the publisher, else the author,
// else its label, else "unnamed outlet" (the text names neither).
func (s *Source) Outlet() string {
	switch {
	case s.Publisher != "":
		return s.Publisher
	case s.Author != "":
		return s.Author
	case s.Label != "":
		return s.Label
	}
	return "unnamed outlet"
}

// PublishedBy is the publisher, else the author, as the text names them;
// empty when it names neither.
func (s *Source) PublishedBy() string {
	if s.Publisher != "" {
		return s.Publisher
	}
	return s.Author
}

// Entity is something facts are about: a country, place, person, organisation.
type Entity struct {
	ID      string   `yaml:"id"`
	Kind    string   `yaml:"kind"`
	Name    string   `yaml:"name"`
	Aliases []string `yaml:"aliases"`
	// Acronym and StandsFor spell out an organisation's short name, where
	// a source does ("National Crime Agency (NCA)"); StandsFor must stand
	// in a source so the answer can quote it.
	Acronym   string `yaml:"acronym,omitempty"`
	StandsFor string `yaml:"stands_for,omitempty"`

	line int
}

// Entity kinds the matcher treats specially.
const (
	EntityPerson       = "person"
	EntityCountry      = "country"
	EntityPlace        = "place"
	EntityRegion       = "region"
	EntityOrganisation = "organisation"
	EntityOperation    = "operation"
)

// IsPlace reports whether the entity is somewhere: a country, region or place.
func (e *Entity) IsPlace() bool {
	return e.Kind == EntityCountry || e.Kind == EntityPlace || e.Kind == EntityRegion
}

// Citation backs a fact with a verbatim quote from one source.
type Citation struct {
	Source string `yaml:"source"`
	Quote  string `yaml:"quote"`
}

// Kind is the type of question a fact answers best.
type Kind string

// The kinds of fact; they mirror the question words.
const (
	KindCount Kind = "count" // how many, how much
	KindWho   Kind = "who"
	KindWhen  Kind = "when"
	KindWhere Kind = "where"
	KindWhat  Kind = "what" // what happened, what did X say, why, how
)

// Figure is a number a fact states, structured so the bot can compare and
// add figures: what is counted, where or by whom, and the quote it stands in.
type Figure struct {
	Value float64 `yaml:"value"`
	// What is counted, in a few words: "suspected smugglers arrested".
	What string `yaml:"what"`
	// Of is the entity the figure is about: where, or who ("turkey",
	// "operation" for the whole operation).
	Of string `yaml:"of"`
	// Source and Quote cite the figure; the number must stand in the quote.
	Source string `yaml:"source"`
	Quote  string `yaml:"quote"`

	// Qualifier is how the quote qualifies the number ("nearly", "more
	// than"), filled in by Check; empty when the quote gives it exactly.
	Qualifier string `yaml:"-"`
	line      int
}

// Answer types: what a question asks for and a fact may give. A fact's
// types are worked out from its text and figures; Gives adds to them.
const (
	GivesNumber = "number" // a count or amount
	GivesMoney  = "money"  // a sum of money
	GivesDate   = "date"   // a date or time
	GivesPerson = "person" // a person's name
	GivesPlace  = "place"  // a place
	GivesName   = "name"   // the name of a thing: an operation, a gang, a unit
	GivesReason = "reason" // why
	GivesAge    = "age"    // how old
)

// Fact is one curated statement with its citations.
type Fact struct {
	ID        string     `yaml:"id"`
	Topic     string     `yaml:"topic"`
	About     []string   `yaml:"about"`
	Kind      Kind       `yaml:"kind"`
	Answer    string     `yaml:"answer"`
	Questions []string   `yaml:"questions"`
	Keywords  []string   `yaml:"keywords"`
	Conflict  bool       `yaml:"conflict"`
	Citations []Citation `yaml:"citations"`
	Figures   []Figure   `yaml:"figures,omitempty"`
	// Gives lists answer types the fact gives beyond those its text shows
	// (see the Gives constants).
	Gives []string `yaml:"gives,omitempty"`

	// File and Line locate the fact for error messages.
	File string `yaml:"-"`
	Line int    `yaml:"-"`
}

// Base is a loaded fact base.
type Base struct {
	Sources  []*Source
	Entities []*Entity
	Facts    []*Fact
	Lexicon  *Lexicon

	sourceByID map[string]*Source
	entityByID map[string]*Entity
}

// Source returns the source with the given id, or nil.
func (b *Base) Source(id string) *Source { return b.sourceByID[id] }

// Entity returns the entity with the given id, or nil.
func (b *Base) Entity(id string) *Entity { return b.entityByID[id] }

// lowerBody is the body with ASCII letters lower-cased, at the same offsets.
func (s *Source) lowerBody() string {
	s.lowerOnce.Do(func() { s.lower = asciiLower(s.body) })
	return s.lower
}

// Body is the article itself, normalised (see Normalize): the text between
// BodyFrom and BodyTo, without page clutter or reader comments.
func (s *Source) Body() string { return s.body }

// Sentence returns the sentence or sentences of the article body that hold
// quote, as they stand in the body (normalised), or "" when the quote is not
// in the body. It is the context a reader needs around a quote.
func (s *Source) Sentence(quote string) string {
	q := Normalize(quote)
	i := strings.Index(s.body, q)
	if q == "" || i < 0 {
		return ""
	}
	start, end := i, i+len(q)
	for start > 0 && !sentenceBreak(s.body, start) {
		start--
	}
	for end < len(s.body) && !sentenceBreak(s.body, end) {
		end++
	}
	return trimListMarker(strings.TrimSpace(s.body[start:end]))
}

// SentenceAfter returns the sentence of the article body that follows the
// one holding quote ("These hubs allowed for …" after the sentence that
// names the hubs), or "" when there is none or the quote is not in the body.
func (s *Source) SentenceAfter(quote string) string {
	q := Normalize(quote)
	i := strings.Index(s.body, q)
	if q == "" || i < 0 {
		return ""
	}
	end := i + len(q)
	for end < len(s.body) && !sentenceBreak(s.body, end) {
		end++
	}
	next := end + 1
	for next < len(s.body) && !sentenceBreak(s.body, next) {
		next++
	}
	if end >= len(s.body) {
		return ""
	}
	return trimListMarker(strings.TrimSpace(s.body[end:min(next, len(s.body))]))
}

// trimListMarker drops a list item's dash or bullet ("- The rescue of …").
func trimListMarker(s string) string {
	for _, m := range []string{"- ", "• ", "* "} {
		s = strings.TrimPrefix(s, m)
	}
	return s
}

// Sentences splits the article body into sentences.
func (s *Source) Sentences() []string {
	var out []string
	start := 0
	for i := 1; i <= len(s.body); i++ {
		if i == len(s.body) || sentenceBreak(s.body, i) {
			if t := trimListMarker(strings.TrimSpace(s.body[start:i])); t != "" {
				out = append(out, t)
			}
			start = i
		}
	}
	return out
}

// sentenceBreak reports whether a sentence starts at byte i of a normalised
// body: after ". ", "? ", "! " (with any closing quote) and before a capital
// letter, a digit or an opening quote.
func sentenceBreak(body string, i int) bool {
	if i <= 1 || i >= len(body) || body[i-1] != ' ' {
		return false
	}
	j := i - 2
	for j > 0 && (body[j] == '"' || body[j] == '\'' || body[j] == ')') {
		j--
	}
	if body[j] != '.' && body[j] != '?' && body[j] != '!' {
		return false
	}
	c := body[i]
	return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '"' || c == '\'' || c == '-' || c >= 0x80
}
