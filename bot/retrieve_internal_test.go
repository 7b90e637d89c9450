package bot

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestTopFacts: the k best facts, best first, ties by fact order, the same
// as sorting them all.
func TestTopFacts(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for n := range 40 {
		acc := make([]accumulator, n)
		facts := make([]int32, n)
		for i := range acc {
			acc[i].score = float64(r.IntN(5)) // many ties
			facts[i] = int32(i)
		}
		r.Shuffle(n, func(i, j int) { facts[i], facts[j] = facts[j], facts[i] })
		for _, k := range []int{1, 3, maxCandidates} {
			want := slices.Clone(facts)
			slices.SortFunc(want, func(a, b int32) int {
				if acc[a].score != acc[b].score {
					if acc[a].score > acc[b].score {
						return -1
					}
					return 1
				}
				return int(a - b)
			})
			want = want[:min(k, n)]
			if got := topFacts(make([]int32, 0, k), facts, acc); !slices.Equal(got, want) {
				t.Errorf("n=%d k=%d: topFacts = %v, want %v", n, k, got, want)
			}
		}
	}
}

// TestMergeFigures: lists in figure order merge into one in that order,
// each figure once, as sorting them all together would give.
func TestMergeFigures(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for range 200 {
		var lists [][]usedFigure
		var all []usedFigure
		for range r.IntN(5) {
			var l []usedFigure
			for range r.IntN(8) {
				l = append(l, usedFigure{int32(r.IntN(6)), r.IntN(3)})
			}
			slices.SortFunc(l, func(a, b usedFigure) int {
				if a.fact != b.fact {
					return int(a.fact - b.fact)
				}
				return a.fig - b.fig
			})
			lists = append(lists, l)
			all = append(all, l...)
		}
		slices.SortFunc(all, func(a, b usedFigure) int {
			if a.fact != b.fact {
				return int(a.fact - b.fact)
			}
			return a.fig - b.fig
		})
		want := slices.Compact(all)
		if got := mergeFigures(lists); !slices.Equal(got, want) && len(got)+len(want) > 0 {
			t.Fatalf("mergeFigures(%v) = %v, want %v", lists, got, want)
		}
	}
}
