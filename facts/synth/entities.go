package synth

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Shares of the entities by kind.
const (
	shareCountries = 0.35
	sharePlaces    = 0.20
	sharePeople    = 0.30
	// the rest are organisations
)

var (
	countrySuffixes = []string{"ia", "avia", "ora", "esh", "ovia", "ania", "eria", "ista"}
	citySuffixes    = []string{"ton", "burg", "grad", "port", "ville", "abad", "holm", "mouth", "stad", "ford"}
	outletKinds     = []string{"Herald", "Courier", "Gazette", "Chronicle", "Tribune", "Observer", "Dispatch", "Monitor", "Ledger", "Bulletin"}
)

// numEntities is how many entities a base of n facts has: a few thousand
// at 100,000 facts.
func numEntities(n int) int { return min(4000, max(60, n/30)) }

func (b *Base) makeEntities() {
	b.operation = &entity{ID: "operation", Kind: "operation", Name: "Operation Liberterra II",
		Aliases: []string{"liberterra", "liberterra ii", "liberterra 2", "operation liberterra"}, introduced: true}
	b.names.take("liberterra", "operation")
	interpol := &entity{ID: "interpol", Kind: "organisation", Name: "INTERPOL", Acronym: "INTERPOL",
		StandsFor: "International Criminal Police Organization", Aliases: []string{"interpol"}}
	b.names.take("interpol")
	b.entities = append(b.entities, b.operation, interpol)
	b.orgs = append(b.orgs, interpol)

	total := numEntities(b.n)
	nCountries := max(8, int(float64(total)*shareCountries))
	nPlaces := max(4, int(float64(total)*sharePlaces))
	nPeople := max(6, int(float64(total)*sharePeople))
	nOrgs := max(4, total-nCountries-nPlaces-nPeople)

	for len(b.countries) < nCountries {
		name := title(b.names.root() + pickOf(b.r, countrySuffixes))
		low := strings.ToLower(name)
		dem := low + "n"
		if !strings.HasSuffix(low, "a") {
			dem = low + "i"
		}
		if !b.names.free(low, dem) {
			continue
		}
		b.names.take(low, dem)
		e := &entity{ID: slug(name), Kind: "country", Name: name, Aliases: []string{low, dem}, demonym: title(dem)}
		b.countries = append(b.countries, e)
	}
	for len(b.places) < nPlaces {
		name := title(b.names.root() + pickOf(b.r, citySuffixes))
		low := strings.ToLower(name)
		if !b.names.free(low) {
			continue
		}
		b.names.take(low)
		b.places = append(b.places, &entity{ID: slug(name), Kind: "place", Name: name, Aliases: []string{low}, country: pickOf(b.r, b.countries)})
	}
	orgKey := map[string]bool{}
	for tries := 0; len(b.orgs) < nOrgs+1 && tries < 100*nOrgs; tries++ {
		c := pickOf(b.r, b.countries)
		typ := pickOf(b.r, orgTypes)
		if orgKey[c.ID+typ] {
			continue
		}
		orgKey[c.ID+typ] = true
		name := c.demonym + " " + typ
		e := &entity{ID: slug(name), Kind: "organisation", Name: name, Aliases: []string{strings.ToLower(name)}, country: c}
		var acr strings.Builder
		for _, w := range strings.FieldsFunc(name, func(r rune) bool { return r == ' ' || r == '-' }) {
			acr.WriteByte(w[0])
		}
		a := strings.ToUpper(acr.String())
		if low := strings.ToLower(a); len(a) >= 3 && b.names.free(low) {
			b.names.take(low)
			e.Acronym, e.StandsFor = a, name
			e.Aliases = append(e.Aliases, low)
		}
		b.orgs = append(b.orgs, e)
	}
	for len(b.people) < nPeople {
		first := title(b.names.root())
		last := title(b.names.root())
		full := first + " " + last
		lowLast, lowFull := strings.ToLower(last), strings.ToLower(full)
		if !b.names.free(lowLast) || b.names.taken[lowFull] || b.names.bad(strings.ToLower(first)) {
			continue
		}
		b.names.take(lowLast)
		b.names.taken[lowFull] = true
		org := b.orgs[1+b.r.IntN(len(b.orgs)-1)]
		b.people = append(b.people, &entity{ID: slug(full), Kind: "person", Name: full, Aliases: []string{lowFull, lowLast},
			org: org, role: pickOf(b.r, roles), last: last})
	}
	b.entities = append(b.entities, b.countries...)
	b.entities = append(b.entities, b.places...)
	b.entities = append(b.entities, b.orgs[1:]...)
	b.entities = append(b.entities, b.people...)

	// Where events happen: countries and places, some far more often
	// than others (Zipf, mildly: no place holds a large share).
	b.entPick = make([]float64, len(b.countries)+len(b.places))
	total2 := 0.0
	for i := range b.entPick {
		total2 += 1 / math.Pow(float64(i+20), 0.8)
		b.entPick[i] = total2
	}
}

// pickPlace draws a country or place where something happened.
func (b *Base) pickPlace() *entity {
	x := b.r.Float64() * b.entPick[len(b.entPick)-1]
	i := sort.SearchFloat64s(b.entPick, x)
	if i < len(b.countries) {
		return b.countries[i]
	}
	return b.places[i-len(b.countries)]
}

// where names a place in a sentence: "Korvath, Velmaria" for a place.
func where(e *entity) string {
	if e.Kind == "place" {
		return e.Name + ", " + e.country.Name
	}
	return e.Name
}

// aboutPlace is the about list of an event in e.
func aboutPlace(e *entity) []string {
	if e.Kind == "place" {
		return []string{e.ID, e.country.ID}
	}
	return []string{e.ID}
}

// agentFor picks who acted in a place: an organisation of its country,
// or police, officers …; the second result is how a question names them.
func (b *Base) agentFor(place *entity) (string, string) {
	c := place
	if c.Kind == "place" {
		c = c.country
	}
	if b.chance(0.35) {
		var mine []*entity
		for _, o := range b.orgsOf(c) {
			mine = append(mine, o)
		}
		if len(mine) > 0 {
			o := pickOf(b.r, mine)
			o.introduced = true
			q := strings.ToLower(o.Name)
			if o.Acronym != "" && b.chance(0.5) {
				q = o.Acronym
			}
			return "the " + o.Name, q
		}
	}
	a := agents[zipfIndex(b.r, len(agents), 1)]
	return a, a
}

// orgsOf lists the organisations of a country (lazily indexed).
func (b *Base) orgsOf(c *entity) []*entity {
	if b.orgIndex == nil {
		b.orgIndex = map[*entity][]*entity{}
		for _, o := range b.orgs {
			if o.country != nil {
				b.orgIndex[o.country] = append(b.orgIndex[o.country], o)
			}
		}
	}
	return b.orgIndex[c]
}

func (b *Base) makeSources() {
	nSrc := max(1, (b.n+39)/40)
	nOutlets := min(150, max(4, nSrc/15))
	seen := map[string]bool{}
	for len(b.outlets) < nOutlets {
		root := b.names.root()
		name := "The " + title(root) + " " + pickOf(b.r, outletKinds)
		if seen[name] || !b.names.free(root) {
			continue
		}
		b.names.take(root)
		seen[name] = true
		b.outlets = append(b.outlets, name)
	}
	for i := 0; i < nSrc; i++ {
		s := &source{
			ID:        fmt.Sprintf("src-%05d", i+1),
			File:      fmt.Sprintf("%05d_%016x.txt", i, b.r.Uint64()),
			Publisher: b.outlets[zipfIndex(b.r, len(b.outlets), 0.7)],
			Date:      fmt.Sprintf("2024-%02d-%02d", 10+b.r.IntN(2), 1+b.r.IntN(28)),
			target:    2000 + b.r.IntN(1500),
		}
		b.sources = append(b.sources, s)
	}
}

// introduceEntities makes the articles spell out every organisation's
// acronym, as the real articles do ("National Crime Agency (NCA)").
func (b *Base) introduceEntities() {
	for _, o := range b.orgs {
		if o.StandsFor == "" {
			continue
		}
		s := pickOf(b.r, b.sources)
		v := b.vocab
		var sent string
		if o.ID == "interpol" {
			sent = fmt.Sprintf("The operation was coordinated by INTERPOL, the %s, with %s %s.", o.StandsFor, v.adjs.pick(b.r), v.nouns.pick(b.r))
		} else {
			sent = fmt.Sprintf("The %s (%s) %s the %s %s of %s.", o.Name, o.Acronym, v.verbs.pick(b.r), v.adjs.pick(b.r), v.nouns.pick(b.r), v.nouns.pick(b.r))
		}
		b.addSentence(s, sent)
	}
}
