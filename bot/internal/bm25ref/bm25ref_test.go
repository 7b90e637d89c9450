package bm25ref

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
)

// testSet is the bot's test set, relative to this directory.
const testSet = "../../testdata/test.jsonl"

// textField is the one field of an indexed sentence.
const textField = "text"

var (
	loadOnce  sync.Once
	base      *facts.Base
	sentences []string
	questions []string
	loadErr   error
)

// load reads the embedded fact base, splits every article body into
// sentences, and reads the single questions of the test set.
func load(tb testing.TB) {
	tb.Helper()
	loadOnce.Do(func() {
		base, loadErr = facts.Embedded()
		if loadErr != nil {
			return
		}
		for _, s := range base.Sources {
			sentences = append(sentences, s.Sentences()...)
		}
		questions, loadErr = readQuestions(testSet)
	})
	if loadErr != nil {
		tb.Fatal(loadErr)
	}
}

// readQuestions returns the questions of a test-set file: one per JSON line
// with a "q" field. Conversation cases ("turns") are left out: their later
// turns are follow-ups that only make sense after the earlier ones.
func readQuestions(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var c struct {
			Q string `json:"q"`
		}
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		if c.Q != "" {
			qs = append(qs, c.Q)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(qs) == 0 {
		return nil, fmt.Errorf("%s: no questions", path)
	}
	return qs, nil
}

// indexMapping indexes one text field with the English analyzer and scores
// with BM25. Nothing is stored: a hit's id names its sentence.
func indexMapping() *mapping.IndexMappingImpl {
	text := bleve.NewTextFieldMapping()
	text.Analyzer = en.AnalyzerName
	text.Store = false
	text.IncludeTermVectors = false
	text.IncludeInAll = false
	text.DocValues = false
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(textField, text)
	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = en.AnalyzerName
	m.ScoringModel = bleveindex.BM25Scoring
	return m
}

// newIndex indexes every sentence, the id of each its position in
// sentences. memOnly picks bleve.NewMemOnly (upsidedown, which falls back
// to TF-IDF); otherwise it is scorch held in memory, which scores with BM25.
func newIndex(tb testing.TB, memOnly bool) bleve.Index {
	tb.Helper()
	load(tb)
	var (
		idx bleve.Index
		err error
	)
	if memOnly {
		idx, err = bleve.NewMemOnly(indexMapping())
	} else {
		idx, err = bleve.NewUsing("", indexMapping(), scorch.Name, scorch.Name, nil)
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { idx.Close() })
	batch := idx.NewBatch()
	for i, s := range sentences {
		if err := batch.Index(fmt.Sprint(i), map[string]any{textField: s}); err != nil {
			tb.Fatal(err)
		}
	}
	if err := idx.Batch(batch); err != nil {
		tb.Fatal(err)
	}
	if n, err := idx.DocCount(); err != nil || n != uint64(len(sentences)) {
		tb.Fatalf("index holds %d documents (%v), want %d", n, err, len(sentences))
	}
	return idx
}

// search runs the reference query: a match query for q on the text field,
// top 3 hits.
func search(ctx context.Context, idx bleve.Index, q string, explain bool) (*bleve.SearchResult, error) {
	mq := bleve.NewMatchQuery(q)
	mq.SetField(textField)
	req := bleve.NewSearchRequestOptions(mq, 3, 0, explain)
	return idx.SearchInContext(ctx, req)
}

func TestReferenceFindsSentences(t *testing.T) {
	idx := newIndex(t, false)
	ctx := context.Background()
	for _, c := range []struct{ q, want string }{
		{"What happened in Turkey during Liberterra II?", "1,500"},
		{"What was uncovered in Syria?", "organ trafficking"},
	} {
		res, err := search(ctx, idx, c.q, true)
		if err != nil {
			t.Fatalf("%q: %v", c.q, err)
		}
		if len(res.Hits) == 0 {
			t.Fatalf("%q: no hits", c.q)
		}
		var top []string
		found := false
		for _, h := range res.Hits {
			var i int
			fmt.Sscan(h.ID, &i)
			top = append(top, sentences[i])
			found = found || strings.Contains(sentences[i], c.want)
		}
		if !found {
			t.Errorf("%q: no hit holds %q; hits:\n%s", c.q, c.want, strings.Join(top, "\n"))
		}
		// BM25's explanation has a saturation term; TF-IDF's has none.
		if expl := res.Hits[0].Expl.String(); !strings.Contains(expl, "saturation(") {
			t.Errorf("%q: not scored with BM25:\n%s", c.q, expl)
		}
	}

	// Every question is a valid match query; report those without a hit
	// (only stop words, or words no article uses).
	none := 0
	for _, q := range questions {
		res, err := search(ctx, idx, q, false)
		if err != nil {
			t.Errorf("%q: %v", q, err)
			continue
		}
		if len(res.Hits) == 0 {
			none++
			t.Logf("no hit: %q", q)
		}
	}
	t.Logf("%d sentences from %d sources; %d questions, %d without a hit",
		len(sentences), len(base.Sources), len(questions), none)
}

func benchmarkBleve(b *testing.B, memOnly bool) {
	idx := newIndex(b, memOnly)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := search(ctx, idx, questions[i%len(questions)], false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBleveSentences is the reference: one BM25 search (top 3) over
// the article sentences per question of the test set.
func BenchmarkBleveSentences(b *testing.B) { benchmarkBleve(b, false) }

// BenchmarkBleveSentencesMemOnly is the same on bleve.NewMemOnly, which
// scores with TF-IDF; for comparison only.
func BenchmarkBleveSentencesMemOnly(b *testing.B) { benchmarkBleve(b, true) }

// BenchmarkBotAnswer is one answer of the bot per question of the test set.
func BenchmarkBotAnswer(b *testing.B) {
	load(b)
	bt := bot.New(base)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := bt.Answer(ctx, bot.Question{Text: questions[i%len(questions)]}); err != nil {
			b.Fatal(err)
		}
	}
}
