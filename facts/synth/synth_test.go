package synth

import (
	"crypto/sha256"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/liberterra/liberterra/facts"
)

// TestBasesOpen checks synthetic bases of several sizes pass the full check.
func TestBasesOpen(t *testing.T) {
	for _, n := range []int{1, 7, 120, 800} {
		dir := t.TempDir()
		if err := Generate(dir, n, int64(n)); err != nil {
			t.Fatal(err)
		}
		base, err := facts.Open(os.DirFS(dir), dir)
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if len(base.Facts) != n {
			t.Errorf("n=%d: %d facts", n, len(base.Facts))
		}
	}
}

// TestDeterministic checks the same size and seed give the same files, and
// another seed other files.
func TestDeterministic(t *testing.T) {
	sum := func(n int, seed int64) [32]byte {
		dir := t.TempDir()
		if err := Generate(dir, n, seed); err != nil {
			t.Fatal(err)
		}
		h := sha256.New()
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			h.Write([]byte(rel + "\x00"))
			h.Write(data)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return [32]byte(h.Sum(nil))
	}
	if sum(300, 5) != sum(300, 5) {
		t.Error("the same n and seed wrote different files")
	}
	if sum(300, 5) == sum(300, 6) {
		t.Error("another seed wrote the same files")
	}
}

// TestWriteTwice checks a base writes the same files every time.
func TestWriteTwice(t *testing.T) {
	b, err := Build(200, 4)
	if err != nil {
		t.Fatal(err)
	}
	read := func() map[string]string {
		dir := t.TempDir()
		if err := b.Write(dir); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				data, _ := os.ReadFile(p)
				rel, _ := filepath.Rel(dir, p)
				out[rel] = string(data)
			}
			return err
		})
		return out
	}
	first, second := read(), read()
	if len(first) != len(second) {
		t.Fatalf("%d files, then %d", len(first), len(second))
	}
	for name, data := range first {
		if second[name] != data {
			t.Errorf("%s differs between two writes", name)
		}
	}
}

// TestQuestions checks questions name existing facts and are deterministic.
func TestQuestions(t *testing.T) {
	b, err := Build(500, 3)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, f := range b.facts {
		ids[f.ID] = true
	}
	qs, again := b.Questions(200, 9), b.Questions(200, 9)
	oos := 0
	for i, q := range qs {
		if q != again[i] {
			t.Fatalf("question %d differs between calls: %+v, %+v", i, q, again[i])
		}
		switch {
		case q.OOS:
			oos++
		case !ids[q.FactID]:
			t.Errorf("question %q names unknown fact %q", q.Text, q.FactID)
		}
		if q.Text == "" {
			t.Errorf("empty question %+v", q)
		}
	}
	if oos == 0 || oos > 40 {
		t.Errorf("%d of 200 questions out of scope", oos)
	}
}
