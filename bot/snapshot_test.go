package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
)

// TestEmbeddedSnapshotIsFresh checks that the snapshot built into the
// binary is what the embedded fact base and this code make, byte for byte;
// -update writes it again (after any change to facts/data or to how the
// index is built).
func TestEmbeddedSnapshotIsFresh(t *testing.T) {
	fp, err := facts.Fingerprint(facts.EmbeddedFS(), "")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := newBot(t).WriteSnapshot(&buf, fp); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("embedded.snapshot", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if buf.String() != bot.EmbeddedSnapshotData {
		t.Fatalf("bot/embedded.snapshot is stale (%d bytes, a fresh one has %d): run\n\tgo test ./bot -run EmbeddedSnapshot -update", len(bot.EmbeddedSnapshotData), buf.Len())
	}
	b, err := bot.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if !b.FromSnapshot() {
		t.Fatal("bot.Embedded did not read the embedded snapshot")
	}
}

// TestSnapshotAnswersAlike checks that a bot read from a snapshot has the
// index of the bot it was written from and answers every eval question
// alike.
func TestSnapshotAnswersAlike(t *testing.T) {
	built := newBot(t)
	var buf bytes.Buffer
	if err := built.WriteSnapshot(&buf, 0); err != nil {
		t.Fatal(err)
	}
	read, err := bot.ReadSnapshot(buf.String(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := bot.SameIndex(built, read); diff != "" {
		t.Fatalf("index read from the snapshot: %s", diff)
	}
	ctx := context.Background()
	run := runID()
	for _, file := range []string{"test.jsonl", "tune.jsonl", "tune2.jsonl"} {
		for _, c := range readCases(t, filepath.Join("testdata", file)) {
			q := bot.Question{Text: c.Q}
			if c.Conversation != "" {
				q.Conversation = run + file + c.Conversation
			}
			want, _ := built.Answer(ctx, q)
			got, _ := read.Answer(ctx, q)
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			if !bytes.Equal(g, w) {
				t.Fatalf("%s: %q:\nread from the snapshot: %s\nbuilt: %s", file, c.Q, g, w)
			}
		}
	}
}

// TestSnapshotCorrupt reads a snapshot cut short or with bytes changed:
// an error or a bot, never a panic.
func TestSnapshotCorrupt(t *testing.T) {
	data := bot.EmbeddedSnapshotData
	for i := 1; i < 100; i++ {
		if _, err := bot.ReadSnapshot(data[:len(data)*i/100], 0); err == nil {
			t.Fatalf("a snapshot cut at %d%% was read without error", i)
		}
	}
	if _, err := bot.ReadSnapshot(data+"x", 0); err == nil {
		t.Fatal("a snapshot with a byte too many was read without error")
	}
	for i := len(data) / 2; i < len(data); i += len(data) / 300 {
		bad := []byte(data)
		bad[i] ^= 0x5a
		bot.ReadSnapshot(string(bad), 0)
	}
}

// TestOpenDir: a fact-base directory is read from its files until
// compiled, then from its snapshot, and from its files again once one is
// edited or the snapshot is damaged.
func TestOpenDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, facts.EmbeddedFS()); err != nil {
		t.Fatal(err)
	}
	open := func(want bool) {
		t.Helper()
		b, err := bot.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		if b.FromSnapshot() != want {
			t.Fatalf("FromSnapshot = %v, want %v", b.FromSnapshot(), want)
		}
		r, _ := b.Answer(context.Background(), bot.Question{Text: "How many victims were rescued?"})
		if r.Kind != bot.KindAnswer {
			t.Fatalf("not answered: %+v", r)
		}
	}
	open(false)
	if _, err := bot.Compile(dir); err != nil {
		t.Fatal(err)
	}
	open(true)

	entities := filepath.Join(dir, "entities.yaml")
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(entities, later, later); err != nil {
		t.Fatal(err)
	}
	open(false) // edited since the snapshot

	if _, err := bot.Compile(dir); err != nil {
		t.Fatal(err)
	}
	open(true)
	snap := filepath.Join(dir, bot.SnapshotFile)
	data, _ := os.ReadFile(snap)
	os.WriteFile(snap, data[:len(data)/2], 0o644)
	open(false) // damaged

	os.WriteFile(entities, []byte("- id: [\n"), 0o644)
	if _, err := bot.Open(dir); err == nil {
		t.Fatal("a broken base opened without error")
	}
	if _, err := bot.Compile(dir); err == nil {
		t.Fatal("a broken base compiled without error")
	}
	if _, err := bot.Open(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("a missing directory opened without error")
	}
}
