package facts

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
// source whose file is missing.
func (b *Base) findQuotes() quoteSet {
	want := map[*Source]map[string]bool{}
	add := func(id, quote string) {
		s := b.Source(id)
		if s == nil || s.body == "" {
			return
		}
		q := Normalize(quote)
		if len(q) < minQuote {
			return
		}
		m := want[s]
		if m == nil {
			m = map[string]bool{}
			want[s] = m
		}
		m[q] = false
	}
	for _, f := range b.Facts {
		for _, c := range f.Citations {
			add(c.Source, c.Quote)
		}
		for _, fig := range f.Figures {
			add(fig.Source, fig.Quote)
		}
	}
	var ac ahoCorasick
	var patterns []string
	for _, s := range b.Sources {
		m := want[s]
		if len(m) == 0 {
			continue
		}
		patterns = patterns[:0]
		for q := range m {
			patterns = append(patterns, q)
		}
		ac.build(patterns)
		ac.scan(s.body, func(p int32) { m[patterns[p]] = true })
		for q, found := range m {
			if !found {
				delete(m, q)
			}
		}
	}
	return want
}

// ahoCorasick is a multi-pattern byte matcher: a trie of the patterns with
// failure links, so one pass over a text finds every pattern in it. Nodes
// live in flat slices and are reused from one build to the next. The root's
// children are a table; other nodes keep theirs as a sibling list, which
// is short in a trie of English sentences.
type ahoCorasick struct {
	root    [256]int32 // child of the root by byte; 0 for none
	child   []int32    // first child of each node; 0 for none
	sibling []int32    // next child of the same parent; 0 for none
	label   []byte     // the byte on the edge into each node
	fail    []int32    // the longest proper suffix that is a trie node
	out     []int32    // the pattern ending at the node, or -1
	// dict is the nearest node on the failure chain (the node excluded)
	// where a pattern ends, or 0 for none.
	dict  []int32
	queue []int32
}

// build makes the automaton of patterns (non-empty, distinct).
func (ac *ahoCorasick) build(patterns []string) {
	ac.root = [256]int32{}
	ac.child = append(ac.child[:0], 0)
	ac.sibling = append(ac.sibling[:0], 0)
	ac.label = append(ac.label[:0], 0)
	ac.out = append(ac.out[:0], -1)
	for p, pat := range patterns {
		n := int32(0)
		for i := 0; i < len(pat); i++ {
			c := pat[i]
			next := ac.step(n, c)
			if next == 0 {
				next = int32(len(ac.child))
				ac.child = append(ac.child, 0)
				ac.label = append(ac.label, c)
				ac.out = append(ac.out, -1)
				if n == 0 {
					ac.root[c] = next
					ac.sibling = append(ac.sibling, 0)
				} else {
					ac.sibling = append(ac.sibling, ac.child[n])
					ac.child[n] = next
				}
			}
			n = next
		}
		ac.out[n] = int32(p)
	}
	// Failure and dictionary links, breadth first.
	size := len(ac.child)
	ac.fail = append(ac.fail[:0], make([]int32, size)...)
	ac.dict = append(ac.dict[:0], make([]int32, size)...)
	ac.queue = ac.queue[:0]
	for _, n := range ac.root {
		if n != 0 {
			ac.queue = append(ac.queue, n) // fail and dict stay 0
		}
	}
	for head := 0; head < len(ac.queue); head++ {
		u := ac.queue[head]
		for v := ac.child[u]; v != 0; v = ac.sibling[v] {
			c := ac.label[v]
			f := ac.fail[u]
			for f != 0 && ac.step(f, c) == 0 {
				f = ac.fail[f]
			}
			f = ac.step(f, c) // from the root: its child, or the root
			ac.fail[v] = f
			if ac.out[f] >= 0 {
				ac.dict[v] = f
			} else {
				ac.dict[v] = ac.dict[f]
			}
			ac.queue = append(ac.queue, v)
		}
	}
}

// step is the trie child of node n by byte c, or 0 (the root) for none.
func (ac *ahoCorasick) step(n int32, c byte) int32 {
	if n == 0 {
		return ac.root[c]
	}
	for v := ac.child[n]; v != 0; v = ac.sibling[v] {
		if ac.label[v] == c {
			return v
		}
	}
	return 0
}

// scan calls found with the index of every pattern that stands in text,
// once for each place it stands.
func (ac *ahoCorasick) scan(text string, found func(pattern int32)) {
	n := int32(0)
	for i := 0; i < len(text); i++ {
		c := text[i]
		for n != 0 && ac.step(n, c) == 0 {
			n = ac.fail[n]
		}
		n = ac.step(n, c)
		if n == 0 {
			continue
		}
		if ac.out[n] >= 0 {
			found(ac.out[n])
		}
		for d := ac.dict[n]; d != 0; d = ac.dict[d] {
			found(ac.out[d])
		}
	}
}
