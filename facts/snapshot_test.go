package facts

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestSnapshotRoundTrip checks that a snapshot gives back the base it was
// made from, every field of it: a field added to a type but not to the
// snapshot fails here.
func TestSnapshotRoundTrip(t *testing.T) {
	base, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	e := NewEncoder(&buf)
	base.EncodeSnapshot(e, 42)
	if err := e.Flush(); err != nil {
		t.Fatal(err)
	}
	snap := buf.Bytes()
	got, err := DecodeSnapshot(NewDecoder(string(snap)), 42)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []*Base{base, got} {
		for _, s := range b.Sources {
			s.lowerBody() // computed on demand: alike on both sides
		}
	}
	if !reflect.DeepEqual(got, base) {
		for i := range base.Facts {
			if !reflect.DeepEqual(got.Facts[i], base.Facts[i]) {
				t.Errorf("fact %s: got %+v, want %+v", base.Facts[i].ID, got.Facts[i], base.Facts[i])
				break
			}
		}
		t.Fatal("the base read from its snapshot differs from the base written")
	}

	t.Run("stale", func(t *testing.T) {
		if _, err := DecodeSnapshot(NewDecoder(string(snap)), 43); !errors.Is(err, ErrStaleSnapshot) {
			t.Errorf("a snapshot of other files: err = %v, want ErrStaleSnapshot", err)
		}
	})
	t.Run("cut short", func(t *testing.T) {
		for i := 0; i < 64; i++ {
			n := len(snap) * i / 64
			if _, err := DecodeSnapshot(NewDecoder(string(snap[:n])), 42); err == nil {
				t.Fatalf("a snapshot cut at %d of %d bytes was read without error", n, len(snap))
			}
		}
	})
	t.Run("not a snapshot", func(t *testing.T) {
		if _, err := DecodeSnapshot(NewDecoder("facts:\n  - id: x\n"), 0); err == nil {
			t.Error("YAML read as a snapshot")
		}
	})
	t.Run("corrupt", func(t *testing.T) {
		// Bytes flipped anywhere must give an error or a base, never a
		// panic or an allocation without bound.
		for i := len(snapshotMagic) + 9; i < len(snap); i += len(snap) / 200 {
			bad := bytes.Clone(snap)
			bad[i] ^= 0xff
			DecodeSnapshot(NewDecoder(string(bad)), 0)
		}
	})
}

func TestFingerprint(t *testing.T) {
	a, err := Fingerprint(EmbeddedFS(), "")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Fingerprint(EmbeddedFS(), "sources.yaml")
	if a == 0 || a == b {
		t.Errorf("fingerprints %x and %x: leaving a file out must change it", a, b)
	}
	dir := t.TempDir()
	if err := writeFile(dir, "facts.yaml", "one"); err != nil {
		t.Fatal(err)
	}
	f1, _ := Fingerprint(dirFS(dir), "")
	writeFile(dir, "facts.yaml", "one more")
	f2, _ := Fingerprint(dirFS(dir), "")
	if f1 == f2 {
		t.Error("editing a file on disk left the fingerprint alike")
	}
}

func writeFile(dir, name, text string) error {
	return os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
}

func dirFS(dir string) fs.FS { return os.DirFS(dir) }
