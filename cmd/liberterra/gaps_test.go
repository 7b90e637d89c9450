package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/liberterra/liberterra/bot"
)

func TestGapsReportGolden(t *testing.T) {
	var stdout, stderr bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr}
	if code := m.Run(context.Background(), []string{"gaps", filepath.Join("testdata", "gaps.jsonl")}); code != 0 {
		t.Fatalf("exit status %d: %s", code, stderr.String())
	}
	report, _, _ := strings.Cut(stdout.String(), "\nAnswers people marked wrong")
	golden(t, "gaps.golden", report)
}

// TestGapsShowsAnswersMarkedWrong: the feedback log beside the gaps log
// (testdata/feedback.jsonl) is read too.
func TestGapsShowsAnswersMarkedWrong(t *testing.T) {
	out, errOut, code := run(t, "", "gaps", filepath.Join("testdata", "gaps.jsonl"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden(t, "gaps-feedback.golden", out)
	dir := t.TempDir()
	gaps := filepath.Join(dir, "gaps.jsonl")
	os.WriteFile(gaps, nil, 0o600)
	out, _, code = run(t, "", "gaps", gaps)
	if code != 0 || strings.Contains(out, "marked wrong") {
		t.Errorf("without a feedback log: exit %d, output %q", code, out)
	}
	if _, _, code := run(t, "", "gaps", "--feedback", filepath.Join(dir, "none.jsonl"), gaps); code != exitError {
		t.Errorf("a --feedback file that doesn't exist: exit %d", code)
	}
}

func TestGapsMissingFile(t *testing.T) {
	var stderr bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr}
	if code := m.Run(context.Background(), []string{"gaps", filepath.Join(t.TempDir(), "none.jsonl")}); code != exitError {
		t.Errorf("exit status %d, want %d", code, exitError)
	}
}

// readGapLines reads the gaps file as raw JSON objects.
func readGapLines(t *testing.T, name string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("gaps line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func TestServeGapsFile(t *testing.T) {
	for _, users := range []bool{false, true} {
		name := filepath.Join(t.TempDir(), "gaps.jsonl")
		args := []string{"--gaps", name}
		if users {
			args = append(args, "--gaps-users")
		}
		s := startServe(t, args, nil, nil)
		declined := s.fake.ask(t, "What is the capital of Senegal?", "U-secret-user")
		if declined.Kind != bot.KindDeclined {
			t.Fatalf("kind %q, want declined", declined.Kind)
		}
		answered := s.fake.ask(t, "How many victims were rescued?", "U-secret-user")
		if answered.Kind != bot.KindAnswer {
			t.Fatalf("kind %q, want answer", answered.Kind)
		}
		s.fake.ask(t, "help", "U-secret-user")
		if code := s.stop(); code != 0 {
			t.Fatalf("exit status %d", code)
		}
		lines := readGapLines(t, name)
		want := 1
		if answered.Confidence < bot.DefaultGapsBelow {
			want = 2
		}
		if len(lines) != want {
			t.Fatalf("%d gaps logged, want %d: %v", len(lines), want, lines)
		}
		g := lines[0]
		if g["question"] != "What is the capital of Senegal?" || g["kind"] != "declined" || g["frontend"] != "fake" {
			t.Errorf("gap = %v", g)
		}
		for _, k := range []string{"time", "confidence", "suggestions"} {
			if _, ok := g[k]; !ok {
				t.Errorf("gap lacks %q: %v", k, g)
			}
		}
		raw, _ := os.ReadFile(name)
		if got := strings.Contains(string(raw), "U-secret-user"); got != users {
			t.Errorf("--gaps-users=%v: user id in the file = %v:\n%s", users, got, raw)
		}
		if st, err := os.Stat(name); err == nil && st.Mode().Perm()&0o077 != 0 {
			t.Errorf("gaps file mode %v: others can read the questions", st.Mode())
		}
	}
}
