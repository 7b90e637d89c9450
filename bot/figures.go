package bot

import (
	"github.com/liberterra/liberterra/facts"
)

// figureIndex finds the figures an operand of a comparison may mean
// without scanning every fact: by the entity they count for (or, for a
// body such as the NCA, the entity their fact is about), by the words of
// what they count, and by value. Built once per bot.
type figureIndex struct {
	info     map[*facts.Figure]figureInfo
	byEntity map[string][]usedFigure
	byTerm   map[string][]usedFigure
	byValue  map[float64][]usedFigure
}

// figureInfo is what the index knows of a figure: the fact holding it and
// the terms of what it counts.
type figureInfo struct {
	fact  int32
	terms termList
}

func (b *Bot) newFigureIndex() *figureIndex {
	n := 0
	for _, f := range b.base.Facts {
		n += len(f.Figures)
	}
	x := &figureIndex{info: make(map[*facts.Figure]figureInfo, n)}
	// Figures count few different things ("suspected smugglers
	// arrested"): each is read once, and its terms shared.
	termsOf := map[string]termList{}
	// Two passes: the first counts what each list will hold, the second
	// fills lists made to size.
	var byEntity, byTerm listBuilder[string]
	var byValue listBuilder[float64]
	for pass := 0; pass < 2; pass++ {
		for fi, f := range b.base.Facts {
			for gi := range f.Figures {
				fig := &f.Figures[gi]
				u := usedFigure{int32(fi), gi}
				byEntity.add(fig.Of, u)
				for _, id := range f.About {
					if e := b.base.Entity(id); e != nil && !e.IsPlace() && id != fig.Of {
						byEntity.add(id, u)
					}
				}
				terms, ok := termsOf[fig.What]
				if !ok {
					terms = b.readFigureTerms(fig)
					termsOf[fig.What] = terms
				}
				if pass == 0 {
					x.info[fig] = figureInfo{fact: int32(fi), terms: terms}
				}
				for _, t := range terms {
					byTerm.add(t, u)
				}
				byValue.add(fig.Value, u)
			}
		}
		if pass == 0 {
			byEntity.sized()
			byTerm.sized()
			byValue.sized()
		}
	}
	x.byEntity, x.byTerm, x.byValue = byEntity.lists, byTerm.lists, byValue.lists
	return x
}

// listBuilder makes lists of figures by key in two passes: add counts
// until sized is called, then appends to lists made to size, all parts of
// one array. Growing them instead made, on the 100k base, as much garbage
// as they hold.
type listBuilder[K comparable] struct {
	counts map[K]int
	lists  map[K][]usedFigure
}

func (l *listBuilder[K]) add(k K, u usedFigure) {
	if l.lists != nil {
		l.lists[k] = append(l.lists[k], u)
		return
	}
	if l.counts == nil {
		l.counts = map[K]int{}
	}
	l.counts[k]++
}

// sized ends the counting.
func (l *listBuilder[K]) sized() {
	total := 0
	for _, n := range l.counts {
		total += n
	}
	all := make([]usedFigure, total)
	l.lists = make(map[K][]usedFigure, len(l.counts))
	for k, n := range l.counts {
		l.lists[k], all = all[:0:n], all[n:]
	}
	l.counts = nil
}

// candidates are the figures that can match the operand (operandMatch is
// 0 for any other), in fact order.
func (x *figureIndex) candidates(o operand) []usedFigure {
	var listBuf [16][]usedFigure
	lists := listBuf[:0]
	if len(o.entities) > 0 {
		// A figure must count for one of the entities, or its fact be
		// about one.
		for e := range o.entities {
			lists = append(lists, x.byEntity[e])
		}
	} else {
		// A figure must count something the operand names, or have its
		// number.
		lists = append(lists, x.byTerm[o.head])
		for _, t := range o.terms {
			lists = append(lists, x.byTerm[t])
		}
		for _, n := range o.numbers {
			lists = append(lists, x.byValue[n])
		}
	}
	return mergeFigures(lists)
}

// mergeFigures merges lists in fact and figure order (as the index makes
// them) into one, in that order, each figure once.
func mergeFigures(lists [][]usedFigure) []usedFigure {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	out := make([]usedFigure, 0, n)
	for {
		best := -1
		for i, l := range lists {
			if len(l) > 0 && (best < 0 || figureBefore(l[0], lists[best][0])) {
				best = i
			}
		}
		if best < 0 {
			return out
		}
		u := lists[best][0]
		lists[best] = lists[best][1:]
		if len(out) == 0 || out[len(out)-1] != u {
			out = append(out, u)
		}
	}
}

// figureBefore orders figures by fact, then by their place in it.
func figureBefore(a, b usedFigure) bool {
	if a.fact != b.fact {
		return a.fact < b.fact
	}
	return a.fig < b.fig
}
