package facts

import (
	"runtime"
	"sync"
)

// This file finds the quotes of a fact base in their sources in one pass
// per article: every quote that cites a source (citations and figures) is
// gathered, normalised, and all are looked for at once with an
// Aho–Corasick automaton over the article body. The check then costs time
// linear in the articles and the quotes, where one strings.Contains per
// quote cost the length of the article for every quote.

// quoteSet holds, for each source, the normalised quotes that stand in its
// article body.
type quoteSet map[*Source]map[string]bool

// has reports whether the normalised quote q stands in s's body.
func (qs quoteSet) has(s *Source, q string) bool { return qs[s][q] }

// findQuotes looks for every quote of the base's citations and figures in
// its source's body, each body scanned once. Quotes shorter than minQuote
// are not looked for (Check reports them as too short), nor quotes of a
// source whose file is missing. Sources are scanned in parallel.
func (b *Base) findQuotes() quoteSet {
	// The quotes citing each source, as written.
	var order []*Source
	raw := map[*Source][]string{}
	add := func(id, quote string) {
		s := b.Source(id)
		if s == nil || s.body == "" {
			return
		}
		if _, ok := raw[s]; !ok {
			order = append(order, s)
		}
		raw[s] = append(raw[s], quote)
	}
	for _, f := range b.Facts {
		for _, c := range f.Citations {
			add(c.Source, c.Quote)
		}
		for _, fig := range f.Figures {
			add(fig.Source, fig.Quote)
		}
	}
	// Each worker takes whole sources: it normalises their quotes, builds
	// one automaton of them and scans the body once.
	found := make([]map[string]bool, len(order))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), max(1, len(order)/8)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ac ahoCorasick
			var patterns []string
			for i := range next {
				s := order[i]
				m := map[string]bool{}
				patterns = patterns[:0]
				for _, quote := range raw[s] {
					q := Normalize(quote)
					if _, dup := m[q]; !dup && len(q) >= minQuote {
						m[q] = false
						patterns = append(patterns, q)
					}
				}
				ac.build(patterns)
				ac.scan(s.body, func(p int32) { m[patterns[p]] = true })
				for q, ok := range m {
					if !ok {
						delete(m, q)
					}
				}
				found[i] = m
			}
		}()
	}
	for i := range order {
		next <- i
	}
	close(next)
	wg.Wait()
	qs := make(quoteSet, len(order))
	for i, s := range order {
		qs[s] = found[i]
	}
	return qs
}

// ahoCorasick is a multi-pattern byte matcher: a trie of the patterns with
// failure links, so one pass over a text finds every pattern in it. Nodes
// live in one slice, reused from one build to the next. The root's
// children are a table; other nodes keep theirs as a sibling list, which
// is short in a trie of English sentences (most nodes have one child).
type ahoCorasick struct {
	root  [256]int32 // child of the root by byte; 0 for none
	nodes []acNode   // nodes[0] is the root
	queue []int32
}

type acNode struct {
	child   int32 // first child; 0 for none
	sibling int32 // next child of the same parent; 0 for none
	fail    int32 // the node of the longest proper suffix in the trie
	out     int32 // the pattern ending here, or -1
	// dict is the nearest node on the failure chain (this one excluded)
	// where a pattern ends, or 0 for none.
	dict  int32
	label byte // the byte on the edge into the node
	hit   bool // a pattern ends here or on the failure chain
}

// build makes the automaton of patterns (non-empty, distinct).
func (ac *ahoCorasick) build(patterns []string) {
	ac.root = [256]int32{}
	size := 1
	for _, p := range patterns {
		size += len(p)
	}
	if cap(ac.nodes) < size {
		ac.nodes = make([]acNode, 1, size)
	}
	ac.nodes = ac.nodes[:1]
	ac.nodes[0] = acNode{out: -1}
	for p, pat := range patterns {
		n := int32(0)
		for i := 0; i < len(pat); i++ {
			c := pat[i]
			next := ac.child(n, c)
			if next == 0 {
				next = int32(len(ac.nodes))
				node := acNode{label: c, out: -1}
				if n == 0 {
					ac.root[c] = next
				} else {
					node.sibling = ac.nodes[n].child
					ac.nodes[n].child = next
				}
				ac.nodes = append(ac.nodes, node)
			}
			n = next
		}
		ac.nodes[n].out = int32(p)
		ac.nodes[n].hit = true
	}
	// Failure and dictionary links, breadth first: the root's children
	// fail to the root.
	ac.queue = ac.queue[:0]
	for _, n := range ac.root {
		if n != 0 {
			ac.queue = append(ac.queue, n)
		}
	}
	for head := 0; head < len(ac.queue); head++ {
		u := ac.queue[head]
		for v := ac.nodes[u].child; v != 0; v = ac.nodes[v].sibling {
			f := ac.next(ac.nodes[u].fail, ac.nodes[v].label)
			nv := &ac.nodes[v]
			nv.fail = f
			if ac.nodes[f].out >= 0 {
				nv.dict = f
			} else {
				nv.dict = ac.nodes[f].dict
			}
			nv.hit = nv.hit || nv.dict != 0
			ac.queue = append(ac.queue, v)
		}
	}
}

// child is the trie child of node n by byte c, or 0 for none.
func (ac *ahoCorasick) child(n int32, c byte) int32 {
	if n == 0 {
		return ac.root[c]
	}
	for v := ac.nodes[n].child; v != 0; v = ac.nodes[v].sibling {
		if ac.nodes[v].label == c {
			return v
		}
	}
	return 0
}

// next is the automaton's move from node n on byte c: the child by c of
// the longest suffix of n's string that has one, else the root.
func (ac *ahoCorasick) next(n int32, c byte) int32 {
	for n != 0 {
		for v := ac.nodes[n].child; v != 0; v = ac.nodes[v].sibling {
			if ac.nodes[v].label == c {
				return v
			}
		}
		n = ac.nodes[n].fail
	}
	return ac.root[c]
}

// scan calls found with the index of every pattern that stands in text,
// once for each place it stands.
func (ac *ahoCorasick) scan(text string, found func(pattern int32)) {
	n := int32(0)
	for i := 0; i < len(text); i++ {
		n = ac.next(n, text[i])
		if !ac.nodes[n].hit {
			continue
		}
		if out := ac.nodes[n].out; out >= 0 {
			found(out)
		}
		for d := ac.nodes[n].dict; d != 0; d = ac.nodes[d].dict {
			found(ac.nodes[d].out)
		}
	}
}
