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
//
// The base built into the binary is Embedded; Load reads any other directory
// of the same layout. Check reports every problem in a base.
package facts

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

	// BodyFrom and BodyTo mark the article inside a file that holds more
	// (menus, a reader comment): quotes must stand between them.
	BodyFrom string `yaml:"body_from,omitempty" json:"-"`
	BodyTo   string `yaml:"body_to,omitempty" json:"-"`

	// Text is the article as stored in File.
	Text string `yaml:"-" json:"-"`
	// body is the normalised article body that quotes are checked against.
	body string
	line int
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

	line int
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

	// File and Line locate the fact for error messages.
	File string `yaml:"-"`
	Line int    `yaml:"-"`
}

// Base is a loaded fact base.
type Base struct {
	Sources  []*Source
	Entities []*Entity
	Facts    []*Fact

	sourceByID map[string]*Source
	entityByID map[string]*Entity
}

// Source returns the source with the given id, or nil.
func (b *Base) Source(id string) *Source { return b.sourceByID[id] }

// Entity returns the entity with the given id, or nil.
func (b *Base) Entity(id string) *Entity { return b.entityByID[id] }
