package facts

import (
	"fmt"
	"regexp"
	"strings"
)

// Problem is one thing wrong with a fact base, located for the curator.
type Problem struct {
	File string // file relative to the base, e.g. "facts/countries.yaml"
	Line int    // line in File, 0 when unknown
	Fact string // fact id, when the problem is in a fact
	Msg  string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Fact != "" {
		fmt.Fprintf(&b, "fact %q: ", p.Fact)
	}
	b.WriteString(p.Msg)
	return b.String()
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// minQuote is the shortest quote that identifies its passage unambiguously.
const minQuote = 12

// Check reports every problem in the base: quotes that do not stand verbatim
// in their source (only whitespace, curly quotes and dashes normalised),
// facts without citations, duplicate or malformed ids, unknown sources and
// entities, sources nobody cites. An empty result means the base is sound.
// MaxFacts is the most facts a base may hold (the bot's index numbers
// them in 25 bits).
const MaxFacts = 30_000_000

func (b *Base) Check() []Problem {
	var probs []Problem
	add := func(file string, line int, fact, format string, args ...any) {
		probs = append(probs, Problem{File: file, Line: line, Fact: fact, Msg: fmt.Sprintf(format, args...)})
	}
	if len(b.Facts) > MaxFacts {
		add("facts", 0, "", "%d facts: a base holds at most %d", len(b.Facts), MaxFacts)
	}

	// The whole text of each source, normalised, worked out at most once.
	normText := map[*Source]string{}
	normalised := func(s *Source) string {
		t, ok := normText[s]
		if !ok {
			t = Normalize(s.Text)
			normText[s] = t
		}
		return t
	}
	// Every quote is looked for in one pass over each article.
	found := b.findQuotes()

	seen := map[string]bool{}
	for _, s := range b.Sources {
		const file = "sources.yaml"
		switch {
		case s.ID == "":
			add(file, s.line, "", "source without an id")
		case seen[s.ID]:
			add(file, s.line, "", "source id %q used twice", s.ID)
		}
		seen[s.ID] = true
		if s.Title == "" {
			add(file, s.line, "", "source %q has no title", s.ID)
		}
		if s.File == "" {
			add(file, s.line, "", "source %q names no file", s.ID)
		} else if s.Text == "" {
			add(file, s.line, "", "source %q: sources/%s is missing or empty", s.ID, s.File)
		}
		if s.Text != "" {
			if s.BodyFrom != "" && !strings.Contains(normalised(s), Normalize(s.BodyFrom)) {
				add(file, s.line, "", "source %q: body_from %q not found in sources/%s", s.ID, s.BodyFrom, s.File)
			}
			if s.BodyTo != "" && !strings.Contains(normalised(s), Normalize(s.BodyTo)) {
				add(file, s.line, "", "source %q: body_to %q not found in sources/%s", s.ID, s.BodyTo, s.File)
			}
		}
	}

	seen = map[string]bool{}
	aliasOwner := map[string]string{}
	for i, e := range b.Entities {
		const file = "entities.yaml"
		if !idPattern.MatchString(e.ID) {
			add(file, e.line, "", "entity %d: id %q is not lowercase words joined by dashes", i+1, e.ID)
		} else if seen[e.ID] {
			add(file, e.line, "", "entity id %q used twice", e.ID)
		}
		seen[e.ID] = true
		if e.Name == "" {
			add(file, e.line, "", "entity %q has no name", e.ID)
		}
		for _, a := range e.Aliases {
			key := strings.ToLower(a)
			if owner, ok := aliasOwner[key]; ok && owner != e.ID {
				add(file, e.line, "", "alias %q belongs to both %q and %q", a, owner, e.ID)
			}
			aliasOwner[key] = e.ID
		}
	}

	cited := map[string]bool{}
	seen = map[string]bool{}
	for _, f := range b.Facts {
		at := func(format string, args ...any) { add(f.File, f.Line, f.ID, format, args...) }
		switch {
		case f.ID == "":
			add(f.File, f.Line, "", "fact without an id")
		case !idPattern.MatchString(f.ID):
			at("id is not lowercase words joined by dashes")
		case seen[f.ID]:
			at("id used twice")
		}
		seen[f.ID] = true
		if strings.TrimSpace(f.Answer) == "" {
			at("no answer")
		}
		if strings.TrimSpace(f.Topic) == "" {
			at("no topic")
		}
		switch f.Kind {
		case KindCount, KindWho, KindWhen, KindWhere, KindWhat:
		default:
			at("kind %q is not one of count, who, when, where, what", f.Kind)
		}
		for _, id := range f.About {
			if b.Entity(id) == nil {
				at("about names unknown entity %q (add it to entities.yaml)", id)
			}
		}
		if len(f.Citations) == 0 {
			at("no citation: every fact needs at least one quote")
		}
		if f.Conflict && len(f.Citations) < 2 {
			at("conflict: true needs a citation for each version")
		}
		for _, c := range f.Citations {
			src := b.Source(c.Source)
			if src == nil {
				at("citation names unknown source %q", c.Source)
				continue
			}
			cited[c.Source] = true
			q := Normalize(c.Quote)
			switch {
			case len(q) < minQuote:
				at("quote %q is shorter than %d characters", c.Quote, minQuote)
			case src.Text != "" && !found.has(src, q):
				where := "in"
				if strings.Contains(normalised(src), q) {
					where = "in the article body of" // it stands in a comment or menu
				}
				at("quote not found %s source %q (sources/%s): %q", where, src.ID, src.File, c.Quote)
			}
		}
	}
	for _, s := range b.Sources {
		if s.ID != "" && !cited[s.ID] {
			add("sources.yaml", s.line, "", "source %q is cited by no fact", s.ID)
		}
	}
	probs = append(probs, b.checkFigures(found)...)
	probs = append(probs, b.checkNames()...)
	if b.Lexicon != nil {
		probs = append(probs, b.checkLexicon()...)
	}
	return probs
}

// Normalize folds what may differ between a quote and its source: runs of
// whitespace, curly quotes and dashes. Case and everything else must match.
func Normalize(s string) string {
	if normalASCII(s) {
		return s // nothing to fold: the common case, without copying
	}
	s = quoteFolder.Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// normalASCII reports whether s is ASCII with single spaces between
// words and none at either end: what Normalize would return unchanged
// (everything it folds is outside ASCII or is other whitespace).
func normalASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x80, c == '\t', c == '\n', c == '\v', c == '\f', c == '\r':
			return false
		case c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' '):
			return false
		}
	}
	return true
}

var quoteFolder = strings.NewReplacer(
	"\u2018", "'", "\u2019", "'", "\u201a", "'", "\u201b", "'",
	"\u201c", `"`, "\u201d", `"`, "\u201e", `"`, "\u201f", `"`,
	"\u2013", "-", "\u2014", "-", "\u2012", "-", "\u2212", "-", "\u2010", "-", "\u2011", "-",
	"\u00a0", " ",
)

// QuoteInSource reports whether quote stands in the source's article body.
func (s *Source) QuoteInSource(quote string) bool {
	q := Normalize(quote)
	return len(q) >= minQuote && strings.Contains(s.body, q)
}

// sourceBody is the normalised part of the text between BodyFrom and BodyTo.
func sourceBody(s *Source) string {
	body := Normalize(s.Text)
	if s.BodyFrom != "" {
		if i := strings.Index(body, Normalize(s.BodyFrom)); i >= 0 {
			body = body[i:]
		}
	}
	if s.BodyTo != "" {
		if i := strings.Index(body, Normalize(s.BodyTo)); i >= 0 {
			body = body[:i]
		}
	}
	return body
}
