package bot

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/liberterra/liberterra/facts"
)

// Comparisons and arithmetic over the figures the facts carry: "which had
// more arrests, Serbia or Montenegro?", "how many more … than …", "how many
// in total in A, B and C?", "what share of … were …?", "how many … per …?".
// The analyser reads the operation and its operands (phrases of the
// question); compute finds each operand's figure, works the result out and
// says how, with every figure cited. A figure the sources disagree on gives
// a result for each version; an operand the articles have no figure for is
// said to be missing, never guessed.

// compareOp is what a comparison works out.
type compareOp uint8

const (
	opDiff  compareOp = iota + 1 // a - b
	opMax                        // which is larger, and by how much
	opSum                        // a + b + …
	opShare                      // part / whole, as a percentage
	opRatio                      // a / b: per, for every, on average
)

var opNames = [...]string{"", "difference", "comparison", "sum", "share", "ratio"}

// comparison is what the analyser read: the operation, the words of each
// operand, and the words of the question outside them (shared by all).
type comparison struct {
	op       compareOp
	operands [][]string
	shared   []string
	smaller  bool // "which was smaller", "fewer"
}

func (c *comparison) String() string {
	var ops []string
	for _, o := range c.operands {
		ops = append(ops, strings.Join(o, " "))
	}
	return fmt.Sprintf("%s of [%s] (shared: %s)", opNames[c.op], strings.Join(ops, " | "), strings.Join(c.shared, " "))
}

// computed is a worked comparison: the reply text, how it was worked out,
// the figures used.
type computed struct {
	text       string
	working    string
	confidence float64
	figures    []usedFigure
	disputed   bool
	// missing names an operand the articles give no figure for: the reply
	// says so and doesn't answer.
	missing string
}

// usedFigure is one figure a comparison used, with its fact.
type usedFigure struct {
	fact int32
	fig  int
}

var (
	moreWords    = set("more fewer less higher lower bigger larger greater smaller")
	maxWords     = set("bigger larger more higher greater most largest biggest")
	minWords     = set("smaller fewer less lower least smallest")
	sumWords     = set("combined altogether together total sum")
	shareWords   = set("share percentage percent proportion fraction")
	verbsSplit   = set("were was are is did do does had have made accounted account")
	avgWords     = set("average mean")
	perWords     = set("per")
	compareVerbs = set("compare compared comparison versus vs")
	yesNoStarts  = set("did was were is are do does had has have")
	negatedVerbs = set("weren wasn aren isn didn")
	pointers     = set("that it this them those these they total all")
)

// comparisonCues are the words of which every comparison readComparison
// reads has one: it reads no further without.
var comparisonCues = set("many much times ratio every each difference or add plus far") | shareWords | perWords | sumWords | compareVerbs

// readComparison reads a comparison in the question, or returns nil.
func (a *analyser) readComparison(an *Analysis) *comparison {
	ws := an.words
	find := func(w string, from int) int {
		for i := from; i < len(ws); i++ {
			if ws[i] == w {
				return i
			}
		}
		return -1
	}
	infos := an.infos
	if len(infos) != len(ws) {
		infos = a.l.infos(ws)
	}
	has := func(set wordSet) int {
		for i, wi := range infos {
			if wi.sets&set != 0 {
				return i
			}
		}
		return -1
	}
	if has(comparisonCues) < 0 {
		return nil // most questions: no word that any comparison below needs
	}
	upToVerb := func(from int) (int, int) {
		for i := from; i < len(ws); i++ {
			if an.in(i, verbsSplit) {
				return from, i
			}
		}
		return from, len(ws)
	}
	// "How many of the W were not P", "Of the W, how many were not P": W - P.
	if i := find("many", 0); i > 0 && ws[i-1] == "how" {
		from := -1
		if i+1 < len(ws) && ws[i+1] == "of" {
			from = i + 2
		} else if ws[0] == "of" {
			from = 1
		}
		for j := i + 1; from >= 0 && j+1 < len(ws); j++ {
			if an.in(j, negatedVerbs) {
				// "weren't": the apostrophe split it from its "not".
				whole := ws[from:j]
				if ws[0] == "of" {
					whole = ws[1 : i-1]
				}
				return &comparison{op: opDiff, operands: [][]string{whole, ws[j+1:]}}
			}
			if an.in(j, verbsSplit) && ws[j+1] == "not" {
				whole := ws[from:j]
				if ws[0] == "of" {
					whole = ws[1 : i-1]
				}
				return &comparison{op: opDiff, operands: [][]string{whole, ws[j+2:]}}
			}
		}
	}
	// "How many times more A than B": A / B.
	if i := find("times", 0); i > 0 && ws[i-1] == "many" {
		if t := find("than", i); t > 0 {
			from := i + 1
			if from < len(ws) && an.in(from, moreWords) {
				from++
			}
			return &comparison{op: opRatio, operands: [][]string{ws[from:t], ws[t+1:]}, shared: ws[:max(0, i-2)]}
		}
	}
	// "Per suspect arrested, how many migrants …": the per phrase first.
	if len(ws) > 2 && (ws[0] == "per" || ws[0] == "for" && (ws[1] == "every" || ws[1] == "each")) {
		if m := find("many", 0); m > 0 {
			from := 1
			if ws[0] == "for" {
				from = 2
			}
			return &comparison{op: opRatio, operands: [][]string{ws[m+1:], ws[from : m-1]}}
		}
	}
	// Share: "what share/percentage/proportion of W were P".
	if i := has(shareWords); i >= 0 && i+1 < len(ws) && ws[i+1] == "of" && (i == 0 || ws[i-1] == "what" || ws[i-1] == "which" || ws[i-1] == "the") {
		from, verb := upToVerb(i + 2)
		if verb < len(ws) {
			return &comparison{op: opShare, operands: [][]string{ws[verb+1:], ws[from:verb]}, shared: ws[:i]}
		}
	}
	// "Ratio of A to B".
	if i := find("ratio", 0); i >= 0 && i+1 < len(ws) && ws[i+1] == "of" {
		if to := find("to", i+2); to > 0 {
			end := len(ws)
			return &comparison{op: opRatio, operands: [][]string{ws[i+2 : to], ws[to+1 : end]}}
		}
	}
	// Ratio: "how many A per B", "how many A for every B", "on average … per B".
	for i := 0; i < len(ws); i++ {
		isPer := an.in(i, perWords) && !(i+1 < len(ws) && (ws[i+1] == "cent" || ws[i+1] == "centage"))
		isEvery := (ws[i] == "for" || ws[i] == "to") && i+1 < len(ws) && (ws[i+1] == "every" || ws[i+1] == "each")
		if !isPer && !isEvery {
			continue
		}
		start := find("many", 0) + 1
		if start == 0 {
			if j := has(avgWords); j >= 0 {
				start = j + 1
				if start < len(ws) && ws[start] == "number" {
					start++
				}
				if start < len(ws) && ws[start] == "of" {
					start++
				}
			}
		}
		if start <= 0 || start >= i {
			break
		}
		next := i + 1
		if isEvery {
			next = i + 2
		}
		return &comparison{op: opRatio, operands: [][]string{ws[start:i], ws[next:]}, shared: ws[:max(0, start-2)]}
	}
	// Difference: "how many more A than B", "how much larger A than B".
	if i := find("how", 0); i >= 0 && i+2 < len(ws) && (ws[i+1] == "many" || ws[i+1] == "much") && an.in(i+2, moreWords) {
		if t := find("than", i+3); t > 0 {
			return &comparison{op: opDiff, operands: [][]string{ws[i+3 : t], ws[t+1:]}, shared: ws[:i], smaller: an.in(i+2, minWords)}
		}
	}
	if i := find("difference", 0); i >= 0 {
		if b := find("between", i); b > 0 {
			if and := find("and", b+1); and > 0 {
				return &comparison{op: opDiff, operands: [][]string{ws[b+1 : and], ws[and+1:]}, shared: ws[:i]}
			}
		}
	}
	// Which is larger: "which was bigger, A or B", "which had more X, A or B",
	// "did A or B arrest more".
	if or := find("or", 0); or > 0 && (find("which", 0) >= 0 || find("who", 0) >= 0 || find("whether", 0) >= 0 || len(ws) > 0 && an.in(0, yesNoStarts)) {
		cmp := has(maxWords)
		if cmp < 0 {
			cmp = has(minWords)
		}
		if cmp >= 0 {
			// Operands are the entities when two are named, else the
			// phrases on either side of "or".
			var ents []int
			for i, u := range an.units {
				if isEntity(u.term) && u.term != entityPrefix+"operation" {
					ents = append(ents, i)
				}
			}
			c := &comparison{op: opMax, smaller: an.in(cmp, minWords) && !an.in(cmp, maxWords)}
			if len(ents) >= 2 {
				for _, i := range ents {
					c.operands = append(c.operands, strings.Fields(an.units[i].words))
				}
				c.shared = withoutEntities(an.units)
				return c
			}
			left := ws[:or]
			if cmp < or {
				left = ws[cmp+1 : or]
			}
			right := ws[or+1:]
			if and := find("and", or+1); and > 0 {
				right = ws[or+1 : and]
			}
			c.operands = [][]string{left, right}
			c.shared = ws[:min(cmp, or)]
			return c
		}
	}
	// Sum: "combined", "in total", "altogether" with two operands or more.
	if has(sumWords) >= 0 || find("add", 0) >= 0 {
		var ents []int
		for i, u := range an.units {
			if isEntity(u.term) && u.term != entityPrefix+"operation" {
				if e := a.base.Entity(u.term[1:]); e != nil && (e.IsPlace() || e.Kind == facts.EntityOrganisation) {
					ents = append(ents, i)
				}
			}
		}
		if len(ents) >= 2 {
			c := &comparison{op: opSum, shared: withoutEntities(an.units)}
			for _, i := range ents {
				c.operands = append(c.operands, strings.Fields(an.units[i].words))
			}
			return c
		}
	}
	// "Add up A and B", "the total of A and B": two counts with no place.
	if (find("add", 0) >= 0 || has(sumWords) >= 0 || find("plus", 0) >= 0) && len(an.Entities) < 2 {
		if and := find("and", 0); and > 0 {
			if plus := find("plus", 0); plus > 0 {
				and = plus
			}
			start := 0
			for k := 0; k < and; k++ {
				if ws[k] == "up" || ws[k] == "of" || an.in(k, sumWords) || ws[k] == "add" {
					start = k + 1
				}
			}
			if start < and {
				return &comparison{op: opSum, operands: [][]string{ws[start:and], ws[and+1:]}}
			}
		}
	}
	// "How does the 17,800 figure compare with the 17,793": two numbers.
	if has(compareVerbs) >= 0 || find("far", 0) > 0 && find("how", 0) >= 0 {
		if len(an.Numbers) == 2 {
			a, b := strings.Fields(facts.FormatNumber(an.Numbers[0].Value)), strings.Fields(facts.FormatNumber(an.Numbers[1].Value))
			return &comparison{op: opDiff, operands: [][]string{append(a, ws...), append(b, ws...)}}
		}
	}
	// "Compare A with B": the larger and by how much.
	if i := has(compareVerbs); i >= 0 && ws[i] != "vs" && ws[i] != "versus" {
		for j := i + 1; j < len(ws); j++ {
			if ws[j] == "with" || ws[j] == "to" || ws[j] == "against" {
				return &comparison{op: opMax, operands: [][]string{ws[i+1 : j], ws[j+1:]}}
			}
		}
	}
	// "Compare A and B": the larger and by how much.
	if has(compareVerbs) >= 0 {
		var c comparison
		c.op = opMax
		for i, u := range an.units {
			if isEntity(u.term) && u.term != entityPrefix+"operation" {
				c.operands = append(c.operands, strings.Fields(an.units[i].words))
			}
		}
		if len(c.operands) == 2 {
			c.shared = withoutEntities(an.units)
			return &c
		}
	}
	return nil
}

// withoutEntities returns the words of the units that are not entities.
func withoutEntities(us []unit) []string {
	var out []string
	for _, u := range us {
		if !isEntity(u.term) || u.term == entityPrefix+"operation" {
			out = append(out, strings.Fields(u.words)...)
		}
	}
	return out
}

// operand is what one operand of a comparison asks for.
type operand struct {
	words    []string
	head     string          // what it counts
	terms    []string        // its terms
	entities map[string]bool // the places or bodies it names
	numbers  []float64       // numbers it states ("Turkey's 94")
	pinned   *figureRef      // the figure it points back at, if it does
}

// readOperand reads an operand's words.
func (b *Bot) readOperand(ws []string) operand {
	o := operand{words: ws, entities: map[string]bool{}}
	for _, u := range b.lang.read(ws, "") {
		switch {
		case u.stop || questionWords.has(u.words) || sumWords.has(u.words) || moreWords.has(u.words) || shareWords.has(u.words) || avgWords.has(u.words):
		case isEntity(u.term):
			// The operation and INTERPOL scope nothing: every figure is
			// theirs.
			if u.term != entityPrefix+"operation" && b.ix.df(u.term) <= len(b.ix.facts)/4 {
				o.entities[u.term[1:]] = true
			}
		case facts.IsNumber(u.term) || smallNumberWords.has(u.words):
			for _, n := range facts.Numbers(u.words) {
				o.numbers = append(o.numbers, n.Value) // "Turkey's 94", "the NCA's nine"
			}
		case b.lang.domain[u.term] || isSource(u.term):
		default:
			o.terms = append(o.terms, u.term)
		}
	}
	from := 0
	for i, w := range ws {
		if (w == "many" || w == "much" || w == "number" || w == "total" || w == "count" || w == "amount") && i+1 < len(ws) {
			from = i + 1
			if (moreWords.has(ws[from]) || ws[from] == "of") && from+1 < len(ws) {
				from++
			}
			break
		}
	}
	o.head = b.an.nounHead(ws[from:])
	if facts.IsNumber(o.head) || b.lang.domain[o.head] {
		o.head = ""
	}
	return o
}

// compute works out a comparison, or returns nil when the question turns
// out not to be one the figures can answer (then it is answered as usual).
func (b *Bot) compute(an *Analysis) *computed {
	c := an.Compare
	shared := b.readOperand(c.shared)
	var ops []operand
	for _, ws := range c.operands {
		o := b.readOperand(ws)
		ops = append(ops, o)
	}
	// An operand that names only a place takes the measure of the
	// question ("which had more arrests, Serbia or Montenegro?"); one that
	// names no place takes the question's places ("In Turkey, how many
	// more …"), and else is about the whole operation.
	var measure operand
	for _, o := range ops {
		if len(o.terms) > 0 {
			measure = o
			break
		}
	}
	if len(shared.terms) > 0 && (measure.head == "" || c.op == opSum || c.op == opMax) {
		measure = shared
	}
	for i := range ops {
		if len(ops[i].terms) == 0 {
			ops[i].terms, ops[i].head = measure.terms, measure.head
		}
		if len(ops[i].entities) == 0 {
			for e := range shared.entities {
				ops[i].entities[e] = true
			}
		}
	}
	// "Per suspect arrested, how many migrants … in Montenegro": an
	// operand of a ratio or difference that names no place is about the
	// other's.
	if c.op == opRatio || c.op == opDiff {
		for i := range ops {
			if len(ops[i].entities) == 0 {
				for e := range ops[1-i%2].entities {
					ops[i].entities[e] = true
				}
			}
		}
	}
	// "What share of the total is that?", "how many of them weren't
	// children": an operand that only points back is the last answer's
	// figure (the largest for "the total").
	if an.lastFact >= 0 {
		for i, ws := range c.operands {
			if len(ws) == 0 || !allPointers(ws) {
				continue
			}
			f := b.base.Facts[an.lastFact]
			if len(f.Figures) == 0 {
				continue
			}
			pick := 0
			for k := range f.Figures {
				if (ws[len(ws)-1] == "total" || ws[len(ws)-1] == "all") && f.Figures[k].Value > f.Figures[pick].Value {
					pick = k
				}
			}
			ops[i].pinned = &figureRef{usedFigure{an.lastFact, pick}, &f.Figures[pick], 1}
		}
	}
	// Find each operand's figure, with every version the sources give. An
	// operand about another place counts what the first counts when it
	// can ("how many more migrants … than the Serbian groups enabled").
	var found [][]figureRef
	for i, o := range ops {
		var refs []figureRef
		if o.pinned != nil {
			found = append(found, []figureRef{*o.pinned})
			continue
		}
		if i > 0 && (c.op == opDiff || c.op == opMax) && ops[0].head != "" && o.head != ops[0].head && len(o.entities) > 0 && !sameKeys(o.entities, ops[0].entities) {
			alike := o
			alike.head = ops[0].head
			if refs = b.findFigures(alike); len(refs) > 0 && !b.figureTerms(refs[0].f).has(ops[0].head) {
				refs = nil
			}
		}
		if len(refs) == 0 {
			refs = b.findFigures(o)
		}
		if len(refs) == 0 {
			return b.missingOperand(o, ops, found)
		}
		found = append(found, refs)
	}
	if len(found) < 2 {
		return nil
	}
	return b.work(c, found)
}

// figureRef is a figure found for an operand.
type figureRef struct {
	usedFigure
	f     *facts.Figure
	score int
}

// findFigures returns the figures that best fit an operand: the best
// match, and the other versions of the same count (same what and place,
// another value from another source). Approximate versions count only
// when no exact one does.
func (b *Bot) findFigures(o operand) []figureRef {
	var best []figureRef
	bestScore := 0
	for _, u := range b.figures.candidates(o) {
		fig := &b.base.Facts[u.fact].Figures[u.fig]
		s := b.operandMatch(o, fig)
		if s <= 0 {
			continue
		}
		r := figureRef{u, fig, s}
		switch {
		case s > bestScore:
			best, bestScore = append(best[:0], r), s
		case s == bestScore:
			best = append(best, r)
		}
	}
	if len(best) == 0 {
		return nil
	}
	// Keep the figures that count the same thing as the first (ties may be
	// other counts of the same place), one per value and source.
	first := best[0].f
	var out []figureRef
	exact := false
	for _, r := range best {
		if r.f.What != first.What || r.f.Of != first.Of {
			continue
		}
		if slices.ContainsFunc(out, func(o figureRef) bool { return o.f.Value == r.f.Value && o.f.Source == r.f.Source }) {
			continue
		}
		out = append(out, r)
		exact = exact || r.f.Qualifier == ""
	}
	if exact {
		kept := out[:0]
		for _, r := range out {
			if r.f.Qualifier == "" {
				kept = append(kept, r)
			}
		}
		out = kept
	}
	// One figure per distinct value: the versions.
	var versions []figureRef
	for _, r := range out {
		if !slices.ContainsFunc(versions, func(v figureRef) bool { return v.f.Value == r.f.Value }) {
			versions = append(versions, r)
		}
	}
	sort.SliceStable(versions, func(i, j int) bool {
		return sourceCount(out, versions[i].f.Value) > sourceCount(out, versions[j].f.Value)
	})
	return versions
}

// sourceCount is how many sources give a value among refs.
func sourceCount(refs []figureRef, v float64) int {
	n := 0
	for _, r := range refs {
		if r.f.Value == v {
			n++
		}
	}
	return n
}

// operandMatch scores how well a figure fits an operand: its place, what it
// counts, and a number the question states. 0 means it doesn't fit.
func (b *Bot) operandMatch(o operand, fig *facts.Figure) int {
	score := 0
	if len(o.entities) > 0 {
		switch {
		case o.entities[fig.Of]:
			score += 4
		case b.aboutAny(fig, o.entities):
			score++ // the NCA's nine, counted as the UK's
		default:
			return 0
		}
	} else if fig.Of == "operation" {
		score += 4
	} else {
		score -= 2 // a place's figure for a question that names none
	}
	what := b.figureTerms(fig)
	measure := 0
	if o.head != "" && what.has(o.head) {
		measure += 3
	}
	for _, t := range o.terms {
		if t != o.head && what.has(t) {
			measure++
		}
	}
	for _, n := range o.numbers {
		if n == fig.Value {
			measure += 5
		}
	}
	if measure == 0 {
		return 0
	}
	// Among figures that fit alike, the one that counts no more than is
	// asked: "countries" (116) before "countries with coordination centres".
	extra := 0
	for _, t := range what {
		if t != o.head && !slices.Contains(o.terms, t) {
			extra++
		}
	}
	return (score+measure)*10 - min(extra, 9)
}

// missingOperand is the reply when the articles give no figure for one
// side: what they do give, and that they don't give the rest.
func (b *Bot) missingOperand(missing operand, ops []operand, found [][]figureRef) *computed {
	name := upperFirst(strings.Join(missing.words, " "))
	for e := range missing.entities {
		if ent := b.base.Entity(e); ent != nil {
			name = ent.Name
		}
	}
	c := &computed{missing: name, confidence: 0.5}
	var parts []string
	for _, refs := range found {
		parts = append(parts, b.figurePhrase(refs[0].f))
		c.figures = append(c.figures, refs[0].usedFigure)
	}
	c.text = fmt.Sprintf("The articles don't give a figure for %s, so I can't work that out.", name)
	if len(parts) > 0 {
		c.text += " What they do give: " + strings.Join(parts, "; ") + "."
	}
	c.working = "no figure for " + name
	return c
}

// work computes the operation over the operands' figures, once for each
// combination of versions when the sources disagree.
func (b *Bot) work(c *comparison, found [][]figureRef) *computed {
	out := &computed{confidence: 0.9}
	combos := [][]figureRef{{}}
	for _, refs := range found {
		var next [][]figureRef
		for _, combo := range combos {
			for _, r := range refs {
				next = append(next, append(append([]figureRef(nil), combo...), r))
			}
		}
		combos = next
		if len(refs) > 1 {
			out.disputed = true
		}
	}
	if len(combos) > 6 {
		combos = combos[:6]
	}
	var lines, workings []string
	for _, combo := range combos {
		line, working := b.workOne(c, combo)
		lines = append(lines, line)
		workings = append(workings, working)
		for _, r := range combo {
			out.figures = appendUsed(out.figures, r.usedFigure)
		}
	}
	if out.disputed {
		out.text = "The sources give different figures, so here is the result for each version. " + strings.Join(lines, " ")
	} else {
		out.text = lines[0]
	}
	out.working = strings.Join(workings, "; ")
	return out
}

func appendUsed(us []usedFigure, u usedFigure) []usedFigure {
	for _, old := range us {
		if old == u {
			return us
		}
	}
	return append(us, u)
}

// workOne computes one combination of figures and words it.
func (b *Bot) workOne(c *comparison, rs []figureRef) (string, string) {
	vals := make([]float64, len(rs))
	phrases := make([]string, len(rs))
	approx := false
	for i, r := range rs {
		vals[i] = r.f.Value
		phrases[i] = b.figurePhrase(r.f)
		approx = approx || r.f.Qualifier != ""
	}
	about := ""
	if approx {
		about = "about "
	}
	n := facts.FormatNumber
	switch c.op {
	case opDiff:
		d := vals[0] - vals[1]
		working := fmt.Sprintf("%s − %s = %s", n(vals[0]), n(vals[1]), n(d))
		if d < 0 {
			return fmt.Sprintf("%s and %s: the first is smaller, by %s%s (%s).", phrases[0], phrases[1], about, n(-d), working), working
		}
		return fmt.Sprintf("%s and %s: a difference of %s%s (%s).", phrases[0], phrases[1], about, n(d), working), working
	case opMax:
		hi, lo := 0, 1
		if vals[1] > vals[0] {
			hi, lo = 1, 0
		}
		d := vals[hi] - vals[lo]
		working := fmt.Sprintf("%s − %s = %s", n(vals[hi]), n(vals[lo]), n(d))
		if d == 0 {
			return fmt.Sprintf("%s and %s: the same number.", phrases[0], phrases[1]), working
		}
		which, other := hi, lo
		word := "larger"
		if c.smaller {
			which, other, word = lo, hi, "smaller"
		}
		return fmt.Sprintf("%s is %s than %s, by %s%s (%s).", upperFirst(phrases[which]), word, phrases[other], about, n(d), working), working
	case opSum:
		var sum float64
		var terms []string
		for _, v := range vals {
			sum += v
			terms = append(terms, n(v))
		}
		working := fmt.Sprintf("%s = %s", strings.Join(terms, " + "), n(sum))
		return fmt.Sprintf("%s: %s%s in all (%s).", joinList(phrases), about, n(sum), working), working
	case opShare:
		if vals[1] == 0 {
			return "", ""
		}
		pct := 100 * vals[0] / vals[1]
		working := fmt.Sprintf("%s ÷ %s = %s%%", n(vals[0]), n(vals[1]), formatPercent(pct))
		return fmt.Sprintf("%s out of %s: %s%s%% (%s).", upperFirst(phrases[0]), phrases[1], about, formatPercent(pct), working), working
	case opRatio:
		if vals[1] == 0 {
			return "", ""
		}
		r := vals[0] / vals[1]
		working := fmt.Sprintf("%s ÷ %s = %s", n(vals[0]), n(vals[1]), formatRatio(r))
		return fmt.Sprintf("%s against %s: %s%s for each one (%s).", upperFirst(phrases[0]), phrases[1], about, formatRatio(r), working), working
	}
	return "", ""
}

// figurePhrase says a figure in words: "94 suspected smugglers arrested in
// Turkey (The National)".
func (b *Bot) figurePhrase(f *facts.Figure) string {
	var s strings.Builder
	if f.Qualifier != "" {
		s.WriteString(f.Qualifier + " ")
	}
	s.WriteString(facts.FormatNumber(f.Value) + " " + f.What)
	if f.Of != "" && f.Of != "operation" {
		if e := b.base.Entity(f.Of); e != nil {
			prep := "in"
			if !e.IsPlace() {
				prep = "by"
			}
			s.WriteString(" " + prep + " " + e.Name)
		}
	}
	if src := b.base.Source(f.Source); src != nil {
		s.WriteString(" (" + SourceName(src) + ")")
	}
	return s.String()
}

func formatPercent(p float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", math.Round(p*10)/10), ".0")
}

func formatRatio(r float64) string {
	if r >= 1000 {
		return facts.FormatNumber(math.Round(r))
	}
	return facts.FormatNumber(math.Round(r*10) / 10)
}

func joinList(parts []string) string {
	if len(parts) <= 1 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func sameKeys(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// aboutAny reports whether the fact holding a figure is about one of the
// entities, when the entity is a body (the NCA) and the figure a place's.
func (b *Bot) aboutAny(fig *facts.Figure, ents map[string]bool) bool {
	info, ok := b.figures.info[fig]
	if !ok {
		return false
	}
	for _, id := range b.base.Facts[info.fact].About {
		if ents[id] {
			if e := b.base.Entity(id); e != nil && !e.IsPlace() {
				return true
			}
		}
	}
	return false
}

// allPointers reports whether an operand's words only point back ("that",
// "the total", "them").
func allPointers(ws []string) bool {
	for _, w := range ws {
		if !pointers.has(w) && !determiners.has(w) && w != "of" && w != "the" {
			return false
		}
	}
	return true
}
