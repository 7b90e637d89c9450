package facts

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed data
var embedded embed.FS

// EmbeddedFS is the fact base built into the binary, laid out as Load expects.
func EmbeddedFS() fs.FS {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		panic(err) // the embed pattern above guarantees the directory
	}
	return sub
}

// Embedded loads and checks the fact base built into the binary.
func Embedded() (*Base, error) { return Open(EmbeddedFS(), "(embedded)") }

// Open loads the fact base in fsys and checks it. name says where the base
// comes from in error messages (a directory, or "(embedded)"). Any problem
// makes Open fail with every problem listed, one a line.
func Open(fsys fs.FS, name string) (*Base, error) {
	b, err := Load(fsys)
	if err != nil {
		return nil, fmt.Errorf("fact base %s: %w", name, err)
	}
	if probs := b.Check(); len(probs) > 0 {
		lines := make([]string, len(probs))
		for i, p := range probs {
			lines[i] = p.String()
		}
		return nil, fmt.Errorf("fact base %s has %d problem(s):\n%s", name, len(probs), strings.Join(lines, "\n"))
	}
	return b, nil
}

// Load reads a fact base without checking it: it fails only when a file is
// missing or does not parse. Use Check (or Open) before serving it.
func Load(fsys fs.FS) (*Base, error) {
	b := &Base{sourceByID: map[string]*Source{}, entityByID: map[string]*Entity{}}
	if err := decodeList(fsys, "sources.yaml", &b.Sources, func(s *Source, line int) { s.line = line }); err != nil {
		return nil, err
	}
	for _, s := range b.Sources {
		if s.File == "" {
			continue // reported by Check
		}
		data, err := fs.ReadFile(fsys, path.Join("sources", s.File))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		// Runs of white space (line breaks, indents) are folded to one
		// space: quotes, sentences and Verbatim read the text so anyway,
		// and an ASCII article's body is then a part of its text rather
		// than a second copy (half the memory of a large base).
		s.Text = strings.Join(strings.Fields(string(data)), " ")
		s.body = sourceBody(s)
	}
	if err := decodeList(fsys, "entities.yaml", &b.Entities, func(e *Entity, line int) { e.line = line }); err != nil {
		return nil, err
	}
	files, err := fs.Glob(fsys, "facts/*.yaml")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, errors.New("no fact files: facts/*.yaml matches nothing")
	}
	sort.Strings(files)
	for _, name := range files {
		var list []*Fact
		if err := decodeList(fsys, name, &list, func(f *Fact, line int) { f.File, f.Line = name, line }); err != nil {
			return nil, err
		}
		b.Facts = append(b.Facts, list...)
	}
	if b.Lexicon, err = loadLexicon(fsys); err != nil {
		return nil, err
	}
	for _, s := range b.Sources {
		if _, dup := b.sourceByID[s.ID]; !dup {
			b.sourceByID[s.ID] = s
		}
	}
	for _, e := range b.Entities {
		if _, dup := b.entityByID[e.ID]; !dup {
			b.entityByID[e.ID] = e
		}
	}
	return b, nil
}

// decodeList decodes a YAML list of T from name, strictly (unknown fields are
// errors, so a misspelt key is caught), calling at with each item's line.
func decodeList[T any](fsys fs.FS, name string, out *[]*T, at func(*T, int)) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	// Decode strictly (unknown fields are errors, so a misspelt key is
	// caught), then read the node tree once more for each entry's line.
	var items []*T
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&items); err != nil && !errors.Is(err, io.EOF) {
		var doc yaml.Node
		if yaml.Unmarshal(data, &doc) == nil && len(doc.Content) > 0 && doc.Content[0].Kind != yaml.SequenceNode {
			return fmt.Errorf("%s:%d: want a list of entries (lines starting with '- ')", name, doc.Content[0].Line)
		}
		var te *yaml.TypeError
		if errors.As(err, &te) {
			return fmt.Errorf("%s: %s", name, strings.Join(te.Errors, "; "))
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	if at != nil {
		lines := itemLines(data)
		if len(lines) != len(items) {
			// Not the usual layout (one "- " per entry at the left
			// margin): ask the parser where the entries start.
			lines = lines[:0]
			var doc yaml.Node
			if err := yaml.Unmarshal(data, &doc); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			for _, item := range doc.Content[0].Content {
				lines = append(lines, item.Line)
			}
		}
		for i, item := range items {
			at(item, lines[i])
		}
	}
	*out = append(*out, items...)
	return nil
}

// itemLines returns the line numbers of the lines that start a top-level
// list entry ("- " at the left margin).
func itemLines(data []byte) []int {
	var lines []int
	for n, line := range bytes.Split(data, []byte("\n")) {
		if bytes.HasPrefix(line, []byte("- ")) || bytes.Equal(bytes.TrimRight(line, "\r"), []byte("-")) {
			lines = append(lines, n+1)
		}
	}
	return lines
}
