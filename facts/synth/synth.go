// Package synth generates synthetic fact bases in the project's own on-disk
// layout (sources.yaml, sources/*.txt, entities.yaml, facts/*.yaml and a copy
// of the built-in lexicon/), for load and speed tests of the matcher at sizes
// the curated base will take years to reach.
//
// A base of n facts has about n/40 articles of a few thousand words, a few
// thousand made-up countries, places, people and organisations with their
// aliases, and n facts of every kind (count, who, when, where, what), each
// with a topic, an answer, three to five sample questions, keywords, the
// entities it is about, figures for its numbers and citations that quote its
// articles word for word. Articles are written in real English words drawn
// from the lexicon's frequency list with a Zipf distribution, so term
// statistics look like a real corpus; made-up names stand for the entities.
// The base passes facts.Open's full check.
//
// Generation is deterministic: the same n and seed give the same files.
// Questions returns questions reworded from the facts' own, each with the id
// of the fact that answers it, so a benchmark can check answers stay right.
package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/liberterra/liberterra/facts"
)

// Generate writes a synthetic fact base of n facts into dir (created if
// need be), deterministically from seed.
func Generate(dir string, n int, seed int64) error {
	b, err := Build(n, seed)
	if err != nil {
		return err
	}
	return b.Write(dir)
}

// Base is a synthetic fact base in memory, ready to Write.
type Base struct {
	n        int
	seed     int64
	r        *rand.Rand
	lex      *facts.Lexicon
	lexFiles map[string][]byte // lexicon/ files to write, by name
	vocab    *vocabulary
	names    *namer

	entities  []*entity
	countries []*entity
	places    []*entity
	people    []*entity
	orgs      []*entity
	operation *entity
	entPick   []float64 // cumulative sampling weights over countries+places
	orgIndex  map[*entity][]*entity

	sources []*source
	outlets []string
	facts   []*fact

	// used keys keep the facts apart: no two facts of a kind share what
	// a question asks about.
	used map[string]bool
	// synonyms of the template words, from the lexicon, for rewording.
	synonyms map[string][]string
}

// entity is a country, place, person or organisation.
type entity struct {
	ID, Kind, Name     string
	Aliases            []string
	Acronym, StandsFor string
	demonym            string  // countries: "Velmarian"
	country            *entity // places and organisations
	org                *entity // people: where they work
	role               string  // people: "director of operations"
	last               string  // people: the surname
	introduced         bool    // the article text names it
}

// ref is how questions may name the entity: its plain alias.
func (e *entity) ref() string { return strings.ToLower(e.Name) }

// source is one synthetic article.
type source struct {
	ID, File, Title, Publisher, Date string
	BodyFrom, BodyTo                 string
	sentences                        []string // the cited ones, in order of writing
	words                            int
	target                           int // words the article should have
}

// fact is one synthetic fact, and what questions about it are made of.
type fact struct {
	ID, Topic, Answer string
	About             []string
	Kind              facts.Kind
	Questions         []string
	Keywords          []string
	Conflict          bool
	Citations         []facts.Citation
	Figures           []facts.Figure
	file              string
	ask               []string // more ways to ask, for Questions (not in the base)
}

// action is a verb a count fact reports.
type action struct{ past, base string }

// Template words. Their synonyms in the lexicon reword questions.
var (
	actions = []action{
		{"arrested", "arrest"}, {"rescued", "rescue"}, {"intercepted", "intercept"}, {"identified", "identify"},
		{"seized", "seize"}, {"charged", "charge"}, {"monitored", "monitor"}, {"sentenced", "sentence"},
		{"deported", "deport"}, {"registered", "register"}, {"inspected", "inspect"}, {"dismantled", "dismantle"},
		{"extradited", "extradite"}, {"interviewed", "interview"}, {"sheltered", "shelter"}, {"repatriated", "repatriate"},
	}
	counted = []string{
		"people", "migrants", "victims", "suspects", "children", "women", "men", "workers", "passengers",
		"smugglers", "traffickers", "vehicles", "passports", "boats", "trucks", "weapons", "phones", "documents",
		"recruits", "labourers", "drivers", "fishermen", "students", "nurses", "families", "containers",
		"apartments", "websites", "accounts",
	}
	agents     = []string{"police", "border guards", "officers", "investigators", "immigration officers", "labour inspectors", "prosecutors"}
	orgTypes   = []string{"Border Police", "National Police", "Immigration Service", "Crime Agency", "Labour Inspectorate", "Investigation Bureau", "Prosecution Service", "Migration Directorate", "Anti-Trafficking Unit", "Financial Intelligence Unit"}
	roles      = []string{"director", "deputy director", "head", "chief inspector", "spokesperson", "commissioner", "senior investigator", "coordinator"}
	raidVerbs  = []action{{"raided", "raid"}, {"searched", "search"}, {"closed", "close"}, {"inspected", "inspect"}}
	monthNames = []string{"September", "October", "November"}
	// templateWords are the fixed words of the templates, kept out of the
	// vocabulary.
	templateWords = "in near the after of weeks said were during checks on led to across operation tip traced was behind " +
		"warned that used move through found working under at a an raids raid began it and is role who reported " +
		"sources differ nearly reports says outlet headline report on coverage news desk readers wrote reader comments " +
		"by its with as this for had been across whole from they their international criminal organization coordinated " +
		"inspectors kept months authorities officials remained many years total overall date city based role position " +
		"warning conditions exploitation home menu comments think"
)

// Build makes a synthetic base of n facts in memory.
func Build(n int, seed int64) (*Base, error) {
	if n < 1 {
		return nil, fmt.Errorf("synth: want at least 1 fact, not %d", n)
	}
	lexFS := facts.EmbeddedFS()
	real, err := facts.Load(lexFS)
	if err != nil {
		return nil, fmt.Errorf("synth: the built-in lexicon: %w", err)
	}
	b := &Base{
		n: n, seed: seed, lex: real.Lexicon,
		r:        rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15)),
		used:     map[string]bool{},
		synonyms: map[string][]string{},
	}
	if b.lexFiles, err = lexiconFiles(lexFS); err != nil {
		return nil, err
	}
	extra := []string{templateWords}
	for _, a := range append(actions, raidVerbs...) {
		extra = append(extra, a.past, a.base)
	}
	extra = append(extra, counted...)
	extra = append(extra, agents...)
	extra = append(extra, orgTypes...)
	extra = append(extra, roles...)
	if b.vocab, err = loadVocabulary(lexFS, b.lex, extra); err != nil {
		return nil, err
	}
	reserved := lexiconWords(b.lex)
	for _, w := range strings.Fields(reservedWords) {
		reserved[w] = true
	}
	b.names = &namer{r: b.r, taken: map[string]bool{}, stems: map[string]bool{}, bad: func(w string) bool {
		_, english := b.vocab.freq[w]
		return english || reserved[w]
	}}
	for _, s := range b.lex.Synonyms {
		if len(s.Facts) > 0 {
			continue
		}
		for _, w := range s.Words {
			if !strings.Contains(w, " ") && !strings.Contains(w, "-") {
				b.synonyms[s.Term] = append(b.synonyms[s.Term], w)
			}
		}
	}
	b.makeEntities()
	b.makeSources()
	b.makeFacts()
	b.introduceEntities()
	return b, nil
}

// Facts is the number of facts.
func (b *Base) Facts() int { return len(b.facts) }

// rng helpers.
func (b *Base) chance(p float64) bool { return b.r.Float64() < p }
func pickOf[T any](r *rand.Rand, xs []T) T {
	return xs[r.IntN(len(xs))]
}

// zipfIndex draws an index in [0, n) with probability ∝ 1/(i+1)^s.
func zipfIndex(r *rand.Rand, n int, s float64) int {
	// Inverse transform over the continuous approximation, good enough
	// for template words (n is small).
	total := 0.0
	for i := 0; i < n; i++ {
		total += 1 / math.Pow(float64(i+1), s)
	}
	x := r.Float64() * total
	for i := 0; i < n; i++ {
		x -= 1 / math.Pow(float64(i+1), s)
		if x <= 0 {
			return i
		}
	}
	return n - 1
}

// slug makes an id of a name.
func slug(s string) string { return strings.Join(facts.Words(s), "-") }

// numText writes a count as an article would: small numbers in words
// sometimes, thousands with commas.
func (b *Base) numText(v int) string {
	words := []string{"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
	if v < 10 && b.chance(0.5) {
		return words[v]
	}
	return facts.FormatNumber(float64(v))
}
