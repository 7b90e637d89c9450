package bot

import (
	_ "embed"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sync"
	"unsafe"

	"github.com/liberterra/liberterra/facts"
)

// embeddedSnapshot is the snapshot of the fact base built into the binary
// (facts.EmbeddedFS), made by `go test ./bot -run EmbeddedSnapshot -update`
// and checked to be fresh by that test.
//
//go:embed embedded.snapshot
var embeddedSnapshot string

// Embedded returns a bot on the fact base built into the binary, read from
// its snapshot, or, should the snapshot not match the embedded files, built
// from them (slower, same answers).
func Embedded(opts ...Option) (*Bot, error) {
	// The embedded files are fingerprinted while the snapshot is read.
	type result struct {
		fp  uint64
		err error
	}
	fpc := make(chan result, 1)
	go func() {
		fp, err := facts.Fingerprint(facts.EmbeddedFS(), "")
		fpc <- result{fp, err}
	}()
	b, err := ReadSnapshot(embeddedSnapshot, 0, opts...)
	fp := <-fpc
	if fp.err != nil {
		return nil, fp.err
	}
	if err == nil && facts.SnapshotFingerprint(embeddedSnapshot) == fp.fp {
		b.fromSnapshot = true
		return b, nil
	}
	base, err := facts.Embedded()
	if err != nil {
		return nil, err
	}
	return New(base, opts...), nil
}

// SnapshotFile is the snapshot Compile writes into a fact-base directory
// and Open reads from it.
const SnapshotFile = "liberterra.snapshot"

// Open returns a bot on the fact base in dir. When dir holds a snapshot
// (Compile) made from the files now in it by this version of the bot, the
// bot is read from it; otherwise the base is read from its files and
// checked. A base that fails its check is an error naming each problem.
func Open(dir string, opts ...Option) (*Bot, error) {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("%s: not a directory", dir)
	}
	fp, err := dirFingerprint(dir)
	if err != nil {
		return nil, err
	}
	if b, err := openSnapshot(filepath.Join(dir, SnapshotFile), fp, opts...); err == nil {
		b.fromSnapshot = true
		return b, nil
	}
	base, err := facts.Open(os.DirFS(dir), dir)
	if err != nil {
		return nil, err
	}
	return New(base, opts...), nil
}

// openSnapshot reads a bot from the snapshot file name: its base part into
// a buffer, whose strings (articles, quotes) the base keeps, and its index
// part from the file as it is decoded.
func openSnapshot(name string, fingerprint uint64, opts ...Option) (*Bot, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	trailer := make([]byte, min(size, trailerLen))
	if _, err := io.ReadFull(io.NewSectionReader(f, size-int64(len(trailer)), int64(len(trailer))), trailer); err != nil {
		return nil, err
	}
	indexAt, err := snapshotIndexAt(string(trailer), size)
	if err != nil {
		return nil, err
	}
	base := make([]byte, indexAt)
	if _, err := io.ReadFull(io.NewSectionReader(f, 0, indexAt), base); err != nil {
		return nil, err
	}
	// The base part is read in place rather than copied: base is never
	// written to again.
	return readSnapshot(unsafe.String(unsafe.SliceData(base), len(base)),
		io.NewSectionReader(f, indexAt, size-trailerLen-indexAt), size-trailerLen-indexAt, fingerprint, opts...)
}

// Compile checks the fact base in dir and writes its snapshot there, so
// that Open starts from it. It replaces an older snapshot only once the new
// one is whole.
func Compile(dir string) (*Bot, error) {
	fp, err := dirFingerprint(dir)
	if err != nil {
		return nil, err
	}
	base, err := facts.Open(os.DirFS(dir), dir)
	if err != nil {
		return nil, err
	}
	b := New(base)
	f, err := os.CreateTemp(dir, "."+SnapshotFile+"-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	if err := b.WriteSnapshot(f, fp); err != nil {
		f.Close()
		return nil, fmt.Errorf("writing %s: %w", f.Name(), err)
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return nil, err
	}
	return b, os.Rename(f.Name(), filepath.Join(dir, SnapshotFile))
}

// dirFingerprint identifies the files in dir (other than the snapshot) and
// the bot that reads them: a snapshot made by another version of the bot,
// whose embedded snapshot differs, is not used.
func dirFingerprint(dir string) (uint64, error) {
	fp, err := facts.Fingerprint(os.DirFS(dir), SnapshotFile)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", dir, err)
	}
	return fp ^ uint64(embeddedChecksum())<<32, nil
}

// embeddedChecksum identifies this version of the bot by its embedded
// snapshot (the processor's CRC-32 instructions: a tenth of a millisecond).
// The bytes are read in place (a []byte conversion would copy them).
var embeddedChecksum = sync.OnceValue(func() uint32 {
	return crc32.ChecksumIEEE(unsafe.Slice(unsafe.StringData(embeddedSnapshot), len(embeddedSnapshot)))
})

// FromSnapshot reports whether the bot was read from a snapshot.
func (b *Bot) FromSnapshot() bool { return b.fromSnapshot }
