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
