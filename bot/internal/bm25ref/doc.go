// Package bm25ref is the reference an answer's cost is measured against: a
// BM25 search, with bleve, over the sentences of the articles the fact base
// cites.
//
// The project's goal is that on realistic questions (the single questions of
// bot/testdata/test.jsonl, not a handful of easy ones) one answer of the bot
// costs at most half of what one BM25 search over the article sentences
// costs on the same questions. The benchmarks here measure both sides on the
// same machine in one run:
//
//   - BenchmarkBleveSentences: one bleve match query (top 3 hits) per
//     question, over an index of every sentence of every source's article
//     body (facts.Source.Sentences: the body only, without page clutter or
//     reader comments), analysed with bleve's English analyzer and scored
//     with BM25. The index is bleve's scorch kept in memory (bleve.NewUsing
//     with an empty path): bleve.NewMemOnly builds an upsidedown index,
//     which cannot give BM25 the field lengths it needs and silently scores
//     with TF-IDF instead.
//   - BenchmarkBleveSentencesMemOnly: the same queries on bleve.NewMemOnly
//     (TF-IDF, see above), for comparison only.
//   - BenchmarkBotAnswer: (*bot.Bot).Answer on the same questions.
//
// Indexes and the bot are built once, outside the timed loop. Each benchmark
// cycles through the questions, so ns/op is the mean over the test set.
//
// It is a module of its own so that bleve and its dependencies stay out of
// the project's go.mod; go test ./... at the repository root does not reach
// it. Run it with
//
//	cd bot/internal/bm25ref && go test -bench . -benchmem
//
// and compare BenchmarkBotAnswer with BenchmarkBleveSentences (benchstat
// helps with -count 6 or more).
package bm25ref
