package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// run runs the command in-process with stdin and returns its output.
func run(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut,
		Getenv: func(string) string { return "" }, IsTerminal: func() bool { return false }}
	code = m.Run(context.Background(), args)
	return out.String(), errOut.String(), code
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/liberterra -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run with -update to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// transcript is what a user of the REPL sees for these questions.
const transcript = `how many victims were rescued
how long did the operation last?
wht happned in algeria
who's kavanagh
What is the capital of Senegal?

sources
quit
`

func TestREPLTranscript(t *testing.T) {
	out, errOut, code := run(t, transcript, "repl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden(t, "repl.golden", out)
}

func TestAskText(t *testing.T) {
	out, _, code := run(t, "", "ask", "Who", "was", "arrested", "in", "Costa", "Rica?")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	golden(t, "ask.golden", out)
}

func TestAskJSONFromStdin(t *testing.T) {
	in := "How many people were arrested?\n\nWhat is the GDP of Nigeria?\n" + strings.Repeat("x", 2<<20) + "\nhow many flights were monitored\n"
	out, errOut, code := run(t, in, "ask", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d reply lines for 5 questions:\n%s", len(lines), out)
	}
	want := []struct {
		answered bool
		kind     string
	}{{true, "answer"}, {false, "invalid"}, {false, "declined"}, {false, "invalid"}, {true, "answer"}}
	for i, line := range lines {
		var r map[string]any
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("line %d is not JSON: %v", i+1, err)
		}
		for _, k := range []string{"question", "answered", "answer", "confidence", "fact_id", "conflict", "suggestions", "sources"} {
			if _, ok := r[k]; !ok {
				t.Errorf("line %d has no %q field", i+1, k)
			}
		}
		if r["answered"] != want[i].answered || r["kind"] != want[i].kind {
			t.Errorf("line %d: answered %v kind %v, want %v %v", i+1, r["answered"], r["kind"], want[i].answered, want[i].kind)
		}
	}
	golden(t, "ask-json.golden", lines[0]+"\n"+lines[2]+"\n")
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"--nope"}, {"ask", "--nope"}, {"facts"}, {"facts", "fix"}, {"sources", "extra"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			_, errOut, code := run(t, "", args...)
			if code != 2 || !strings.Contains(errOut, "liberterra help") {
				t.Errorf("exit %d, stderr %q; want 2 and a usage hint", code, errOut)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"ask", "-h"}, {"serve", "--help"}, {"gaps", "-h"}} {
		out, errOut, code := run(t, "", args...)
		if code != 0 || errOut != "" {
			t.Errorf("%v: exit %d, stderr %q; want 0 and the help", args, code, errOut)
		}
		// Every command and flag is listed.
		for _, w := range []string{"liberterra ask", "--json", "--explain", "liberterra eval", "--show-failures", "--seeds",
			"facts check", "facts list", "sources", "topics", "serve", "gaps", "--feedback", "--gaps-users", "--version", "--facts DIR",
			"--log-format", "--metrics-addr", "--rate-burst", "--rate-every", "--queue", "--workers", "--shutdown-timeout", "--gaps-below"} {
			if !strings.Contains(out, w) {
				t.Errorf("%v: the help doesn't mention %s", args, w)
			}
		}
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"version"}} {
		out, _, code := run(t, "", args...)
		if code != 0 || !strings.HasPrefix(out, "liberterra ") || !strings.Contains(out, "go1.") {
			t.Errorf("%v: exit %d, output %q", args, code, out)
		}
	}
}

func TestAskWithoutAQuestionOnATerminal(t *testing.T) {
	var out, errOut bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, IsTerminal: func() bool { return true }}
	if code := m.Run(context.Background(), []string{"ask"}); code != exitUsage || !strings.Contains(errOut.String(), "ask needs a question") {
		t.Errorf("exit %d, stderr %q; want 2 and how to ask", code, errOut.String())
	}
}

func TestFactsCheck(t *testing.T) {
	out, errOut, code := run(t, "", "facts", "check")
	if code != 0 || !strings.HasPrefix(out, "ok: ") {
		t.Fatalf("embedded base: exit %d, %s%s", code, out, errOut)
	}

	// A copy of the base with one quote altered fails, naming file and fact.
	dir := copyFactBase(t)
	path := filepath.Join(dir, "facts", "operation.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, bytes.Replace(data, []byte(`quote: "led to the rescue of 3,222`), []byte(`quote: "led to the rescue of 3,333`), 1), 0o644)
	_, errOut, code = run(t, "", "--facts", dir, "facts", "check")
	if code != 1 || !strings.Contains(errOut, "facts/operation.yaml:") || !strings.Contains(errOut, "quote not found") {
		t.Errorf("broken base: exit %d, stderr:\n%s", code, errOut)
	}
	// And the bot refuses to start on it.
	_, errOut, code = run(t, "", "--facts", dir, "ask", "how many were rescued")
	if code != 1 || !strings.Contains(errOut, "problem") {
		t.Errorf("ask on a broken base: exit %d, stderr %q", code, errOut)
	}
}

func TestFactsFlagLoadsAnotherBase(t *testing.T) {
	dir := copyFactBase(t)
	path := filepath.Join(dir, "facts", "operation.yaml")
	data, _ := os.ReadFile(path)
	os.WriteFile(path, bytes.Replace(data, []byte("Operation Liberterra II rescued 3,222"), []byte("Curated: the operation rescued 3,222"), 1), 0o644)
	out, errOut, code := run(t, "", "--facts", dir, "ask", "how many victims were rescued")
	if code != 0 || !strings.Contains(out, "Curated:") {
		t.Errorf("exit %d, out %q, err %q", code, out, errOut)
	}
	_, errOut, code = run(t, "", "--facts", filepath.Join(dir, "nope"), "ask", "x")
	if code != 1 || !strings.Contains(errOut, "not a directory") {
		t.Errorf("missing dir: exit %d, stderr %q", code, errOut)
	}
}

// copyFacts copies the embedded fact base's files to a temporary directory.
func copyFactBase(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("..", "..", "facts", "data")
	err := filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestSourcesAndTopicsCommands(t *testing.T) {
	for _, tc := range []struct{ cmd, want string }{
		{"sources", "[5] Migrant Affairs, “Operation Liberterra II Rescues Thousands"},
		{"topics", "People: "},
	} {
		t.Run(tc.cmd, func(t *testing.T) {
			out, errOut, code := run(t, "", tc.cmd)
			if code != 0 || !strings.Contains(out, tc.want) {
				t.Errorf("exit %d, out %q, err %q; want it to contain %q", code, out, errOut, tc.want)
			}
			// No internal ids; lists fit the terminal (80 columns when
			// standard output is not one).
			if strings.Contains(out, "allison:") || strings.Contains(out, "the-national") {
				t.Errorf("internal ids shown:\n%s", out)
			}
			for _, line := range strings.Split(out, "\n") {
				if n := len([]rune(line)); n > 80 {
					t.Errorf("a line of %d characters: %q", n, line)
				}
			}
		})
	}
}

func TestEvalScoresACaseFile(t *testing.T) {
	out, errOut, code := run(t, "", "eval", filepath.Join("..", "..", "bot", "testdata", "test.jsonl"))
	if code != 0 || !strings.Contains(out, "in-scope answered right with a verified citation:") || !strings.Contains(out, "\nscore ") {
		t.Fatalf("exit %d, stderr %q, output:\n%s", code, errOut, out)
	}
	if _, _, code := run(t, "", "eval"); code != 2 {
		t.Errorf("eval without a file: exit %d, want 2", code)
	}
}
