package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/bot/eval"
)

// runEval scores the bot on a case file of the shared scorer's format, in
// process: each question is answered as `ask --json` answers it and judged
// as ../shared/eval/score.py judges it, quotes against the fact base's own
// articles (or --seeds DIR).
func (m *Main) runEval(ctx context.Context, args []string) error {
	fs := m.flagSet("eval")
	show := fs.Bool("show-failures", false, "print each case the bot gets wrong, and each one not judged")
	seeds := fs.String("seeds", "", "check quotes against the texts in `DIR` (file names starting with the prefixes cases name) instead of the fact base's articles")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("eval takes one argument: a case file (JSON lines, the shared scorer's format)")
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("eval: %w", err)
	}
	cases, err := eval.Read(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("eval: %s: %w", fs.Arg(0), err)
	}
	b, err := m.newBot()
	if err != nil {
		return err
	}
	judge := eval.NewJudge(b.Base())
	if *seeds != "" {
		texts, err := readSeeds(*seeds)
		if err != nil {
			return fmt.Errorf("eval: --seeds %s: %w", *seeds, err)
		}
		judge = eval.NewJudgeTexts(texts)
	}
	out := bufio.NewWriter(m.Stdout)
	var score eval.Score
	for _, c := range cases {
		r, err := b.Answer(ctx, bot.Question{Text: c.Q, Frontend: "cli", Conversation: c.Conversation})
		if err != nil {
			return err
		}
		j := toJSON(r)
		got := eval.Reply{Answered: j.Answered, Answer: j.Answer}
		for _, s := range j.Sources {
			got.Quotes = append(got.Quotes, s.Quote)
		}
		v := judge.Judge(c, got)
		score.Add(c, v)
		if *show && !v.Right {
			fmt.Fprintf(out, "%s: %q -> %q\n", v.Why, c.Q, cut(j.Answer, 160))
		}
	}
	if err := score.Write(out); err != nil {
		return err
	}
	return out.Flush()
}

// readSeeds reads the text files of dir by name.
func readSeeds(dir string) (map[string]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	texts := map[string]string{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		texts[e.Name()] = string(data)
	}
	return texts, nil
}

// cut shortens s to at most n runes.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
