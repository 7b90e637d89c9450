package bot_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/bot/eval"
	"github.com/liberterra/liberterra/facts"
)

// The bot's quality is measured on question files in the shared scorer's
// format (../shared/eval/score.py):
//
//	testdata/test.jsonl  the test split: written from the five articles
//	                     before any tuning against it; TestEval asserts
//	                     its score. Never tune on it, never copy from it.
//	testdata/tune.jsonl  the tuning split: thresholds, weights and the
//	                     lexicon are chosen on it.
//
// A case is in scope ({"q", "expect": [regex], "src": [seed prefix]}) or
// out of scope ({"q", "oos": true, "reply": [regex]}); a conversation is
// {"turns": [case, ...]}, its turns asked in one conversation.

// minTestScore is the share of the test split the bot must get right. It
// is the score measured when the matcher was rebuilt (see README), less a
// little for noise in future fact edits; raise it as the bot improves,
// never lower it to make a change pass.
const minTestScore = 0.80 // measured 84.0% (220/262)

// minTuneScore guards the tuning split against regressions.
const minTuneScore = 0.88 // tune.jsonl measured 94.6%

func TestEval(t *testing.T) {
	score := runEval(t, "testdata/test.jsonl", false)
	if score < minTestScore {
		t.Errorf("test split score %.1f%% is below %.0f%%", 100*score, 100*minTestScore)
	}
}

func TestTuneScore(t *testing.T) {
	score := runEval(t, "testdata/tune.jsonl", testing.Verbose())
	if score < minTuneScore {
		t.Errorf("tuning split score %.1f%% is below %.0f%%", 100*score, 100*minTuneScore)
	}
}

// TestDevSets scores the shared dev sets when they are beside the
// repository (../shared/eval), as the shared scorer does. It only reports.
func TestDevSets(t *testing.T) {
	for _, name := range []string{"devset.jsonl", "devset2.jsonl"} {
		path := filepath.Join("..", "..", "shared", "eval", name)
		if _, err := os.Stat(path); err != nil {
			t.Skipf("%s not found: the shared dev sets are not beside this checkout", path)
		}
		t.Run(name, func(t *testing.T) { runEval(t, path, false) })
	}
}

// runEval scores the bot on a case file and logs the score by tag; it logs
// each miss when verbose.
func runEval(t *testing.T, path string, verbose bool) float64 {
	t.Helper()
	base, err := facts.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	st := evaluate(t, bot.New(base), base, readCases(t, path), verbose)
	var tags []string
	for tag, tg := range st.ByTag {
		tags = append(tags, fmt.Sprintf("%s %d/%d", tag, tg.Right, tg.Judged))
	}
	sort.Strings(tags)
	t.Logf("%s: %d/%d = %.1f%% (%s)", path, st.Right(), st.Judged(), 100*st.score(), strings.Join(tags, ", "))
	return st.score()
}

// evalStats are the scorer's counts (bot/eval) and how many questions were
// answered in and out of scope, for the threshold table.
type evalStats struct {
	eval.Score
	inAnswered, oosAnswered int
}

func (s evalStats) score() float64 { return float64(s.Right()) / float64(max(s.Judged(), 1)) }

// evaluate asks every case and judges the replies as the shared scorer
// does (bot/eval, as liberterra eval).
func evaluate(t *testing.T, b *bot.Bot, base *facts.Base, cases []eval.Case, verbose bool) evalStats {
	t.Helper()
	judge := eval.NewJudge(base)
	var st evalStats
	for _, c := range cases {
		r, err := b.Answer(context.Background(), bot.Question{Text: c.Q, Conversation: c.Conversation})
		if err != nil {
			t.Fatal(err)
		}
		got := eval.Reply{Answered: r.Answered(), Answer: r.Text}
		for _, cit := range r.Citations {
			got.Quotes = append(got.Quotes, cit.Quote)
		}
		v := judge.Judge(c, got)
		st.Add(c, v)
		switch {
		case !v.Judged:
			continue
		case r.Answered() && c.OOS:
			st.oosAnswered++
		case r.Answered():
			st.inAnswered++
		}
		if !v.Right && verbose {
			t.Logf("miss (%s): %q -> %s %q", v.Why, c.Q, r.Kind, r.Text)
		}
	}
	return st
}

// TestThresholds sweeps the answer threshold over the tuning splits and
// logs a precision/recall table (the README's): precision is the share of
// answers that are right, recall the share of in-scope questions answered
// right, and "declined" the share of out-of-scope questions not answered.
// bot.AnswerThreshold is the threshold with the best overall score here.
func TestThresholds(t *testing.T) {
	base, err := facts.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var cases []eval.Case
	for _, p := range []string{"testdata/tune.jsonl", "testdata/tune2.jsonl"} {
		if fileExists(p) {
			cases = append(cases, readCases(t, p)...)
		}
	}
	best, bestScore := 0.0, 0.0
	t.Logf("| threshold | precision | recall | out of scope declined | score |")
	t.Logf("|---|---|---|---|---|")
	for _, th := range []float64{0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70} {
		st := evaluate(t, bot.New(base, bot.WithThreshold(th)), base, cases, false)
		answered := st.inAnswered + st.oosAnswered
		precision := float64(st.InRight) / float64(max(answered, 1))
		recall := float64(st.InRight) / float64(max(st.InScope, 1))
		declined := float64(st.OutOfScope-st.oosAnswered) / float64(max(st.OutOfScope, 1))
		t.Logf("| %.2f | %.1f%% | %.1f%% | %.1f%% | %.1f%% |", th, 100*precision, 100*recall, 100*declined, 100*st.score())
		if st.score() > bestScore+1e-9 {
			best, bestScore = th, st.score()
		}
	}
	t.Logf("best threshold on the tuning splits: %.2f (bot.AnswerThreshold is %.2f)", best, bot.AnswerThreshold)
}

// readCases reads a case file, conversations flattened into their turns
// (bot/eval.Read).
func readCases(t testing.TB, path string) []eval.Case {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases, err := eval.Read(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return cases
}

// maxSampleSimilarity is how close a sample question in the fact base may
// come to a test or dev question: closer, and the score measures memory.
const maxSampleSimilarity = 0.85

// TestSampleQuestionsAreNotCopies fails when a sample question of the fact
// base is within maxSampleSimilarity of a question of the test split or of
// the shared dev sets (when present). Similarity is 2·LCS/(|a|+|b|) over
// letters, digits and spaces: never lower than difflib's ratio, so no copy
// slips through.
func TestSampleQuestionsAreNotCopies(t *testing.T) {
	base, err := facts.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var held []string
	files := []string{"testdata/test.jsonl"}
	for _, name := range []string{"devset.jsonl", "devset2.jsonl"} {
		if p := filepath.Join("..", "..", "shared", "eval", name); fileExists(p) {
			files = append(files, p)
		}
	}
	for _, p := range files {
		for _, c := range readCases(t, p) {
			held = append(held, similarityKey(c.Q))
		}
	}
	for _, f := range base.Facts {
		for _, q := range f.Questions {
			k := similarityKey(q)
			for _, h := range held {
				if s := similarity(k, h); s >= maxSampleSimilarity {
					t.Errorf("%s:%d: fact %s: sample question %q is %.2f similar to the held-out question %q; write your own phrasing",
						f.File, f.Line, f.ID, q, s, h)
				}
			}
		}
	}
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

var notAlnum = regexp.MustCompile(`[^a-z0-9 ]`)

func similarityKey(s string) string {
	return notAlnum.ReplaceAllString(strings.Join(strings.Fields(strings.ToLower(s)), " "), "")
}

// similarity is 2·LCS(a, b)/(|a|+|b|), skipping pairs whose lengths alone
// keep it below the limit.
func similarity(a, b string) float64 {
	n := len(a) + len(b)
	if n == 0 {
		return 1
	}
	if shorter := min(len(a), len(b)); float64(2*shorter)/float64(n) < maxSampleSimilarity {
		return float64(2*shorter) / float64(n)
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				cur[j] = prev[j-1] + 1
			} else {
				cur[j] = max(prev[j], cur[j-1])
			}
		}
		prev, cur = cur, prev
	}
	return float64(2*prev[len(b)]) / float64(n)
}
