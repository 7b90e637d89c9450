package bot

import (
	"slices"

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
	x := &figureIndex{info: make(map[*facts.Figure]figureInfo, n), byEntity: map[string][]usedFigure{},
		byTerm: map[string][]usedFigure{}, byValue: map[float64][]usedFigure{}}
	// Figures count few different things ("suspected smugglers
	// arrested"): each is read once, and its terms shared.
	termsOf := map[string]termList{}
	for fi, f := range b.base.Facts {
		for gi := range f.Figures {
			fig := &f.Figures[gi]
			u := usedFigure{int32(fi), gi}
			x.byEntity[fig.Of] = append(x.byEntity[fig.Of], u)
			for _, id := range f.About {
				if e := b.base.Entity(id); e != nil && !e.IsPlace() && id != fig.Of {
					x.byEntity[id] = append(x.byEntity[id], u)
				}
			}
			terms, ok := termsOf[fig.What]
			if !ok {
				terms = b.readFigureTerms(fig)
				termsOf[fig.What] = terms
			}
			x.info[fig] = figureInfo{fact: int32(fi), terms: terms}
			for _, t := range terms {
				x.byTerm[t] = append(x.byTerm[t], u)
			}
			x.byValue[fig.Value] = append(x.byValue[fig.Value], u)
		}
	}
	return x
}

// candidates are the figures that can match the operand (operandMatch is
// 0 for any other), in fact order.
func (x *figureIndex) candidates(o operand) []usedFigure {
	var out []usedFigure
	if len(o.entities) > 0 {
		// A figure must count for one of the entities, or its fact be
		// about one.
		for e := range o.entities {
			out = append(out, x.byEntity[e]...)
		}
	} else {
		// A figure must count something the operand names, or have its
		// number.
		out = append(out, x.byTerm[o.head]...)
		for _, t := range o.terms {
			out = append(out, x.byTerm[t]...)
		}
		for _, n := range o.numbers {
			out = append(out, x.byValue[n]...)
		}
	}
	slices.SortFunc(out, func(a, b usedFigure) int {
		if a.fact != b.fact {
			return int(a.fact - b.fact)
		}
		return a.fig - b.fig
	})
	return slices.Compact(out)
}
