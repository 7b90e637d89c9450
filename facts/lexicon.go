package facts

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Lexicon is the matcher's knowledge of English as people ask about the
// operation: which words mean the same, which carry nothing, how chat wraps a
// question, what small talk to answer, which places the sources don't cover,
// and how common each word is in general English. It is data, in the
// lexicon/ folder of a fact base, so curators can change it and `facts
// check` can check it.
type Lexicon struct {
	Synonyms  []Synonym         // lexicon/synonyms.yaml
	Phrases   []Phrase          // lexicon/phrases.yaml
	StopWords []Listed          // lexicon/stopwords.txt
	Domain    []Listed          // lexicon/domain.txt
	Elsewhere []Listed          // lexicon/elsewhere.txt
	Later     []Listed          // lexicon/later.txt
	Chat      Chat              // lexicon/chat.yaml
	Smalltalk []SmalltalkIntent // lexicon/smalltalk.yaml
	Languages []Language        // lexicon/languages.yaml
	// Freq is general-English word frequency (lexicon/wordfreq.txt).
	Freq WordFreq
}

// Listed is one word of a word list, with the line it stands on.
type Listed struct {
	Word string
	Line int
}

// Synonym is one sense: the words people use for Term, the word the facts
// use. When Facts is set, the synonym applies only to those facts (ids, or
// prefixes ending in "*").
type Synonym struct {
	Term  string   `yaml:"term"`
	Words []string `yaml:"words"`
	Facts []string `yaml:"facts,omitempty"`
	line  int
}

// AppliesTo reports whether the synonym applies to the fact with this id.
func (s *Synonym) AppliesTo(factID string) bool {
	if len(s.Facts) == 0 {
		return true
	}
	for _, p := range s.Facts {
		if ok, _ := path.Match(p, factID); ok {
			return true
		}
	}
	return false
}

// Phrase is several words read as one term ("how long" asks for how long
// something lasted).
type Phrase struct {
	Phrase string `yaml:"phrase"`
	Term   string `yaml:"term"`
	line   int
}

// Chat is how people wrap a question in chat (lexicon/chat.yaml).
type Chat struct {
	Greetings []string          `yaml:"greetings"`
	Thanks    []string          `yaml:"thanks"`
	Goodbyes  []string          `yaml:"goodbyes"`
	Fillers   []string          `yaml:"fillers"`
	TextSpeak map[string]string `yaml:"textspeak"`
	lines     map[string]int    // "list\x00phrase" -> line
}

// Line returns the line of a phrase in one of the lists of chat.yaml
// ("greetings", "thanks", "goodbyes", "fillers", "textspeak"), or 0.
func (c *Chat) Line(list, phrase string) int { return c.lines[list+"\x00"+phrase] }

// SmalltalkIntent is one kind of small talk and the bot's reply to it.
type SmalltalkIntent struct {
	Intent   string   `yaml:"intent"`
	Patterns []string `yaml:"patterns,omitempty"`
	// Keywords recognise the intent in a message that says nothing the
	// facts know ("you're brilliant" is praise): any one of them will do.
	Keywords []string `yaml:"keywords,omitempty"`
	// With, when set, are words one of which must stand in the message
	// too for a keyword to count ("that's wrong", not "the wrong country").
	With  []string `yaml:"with,omitempty"`
	Reply string   `yaml:"reply"`
	line  int
}

// Language lists common words of a language other than English.
type Language struct {
	Name  string
	Words []string
	line  int
}

// WordFreq is how common words are in general English, as Zipf values: about
// 7 for "the", 3 for a rare word; a word not listed is rarer still.
type WordFreq struct {
	// data holds the lines "word\tzipf\n", sorted by word; index the
	// offset of each line, so a lookup is a binary search without a map
	// to build at start-up.
	data  string
	index []uint32
}

// Zipf returns the Zipf value of w (lower case, folded), or 0 when the list
// does not have it.
func (f *WordFreq) Zipf(w string) float64 {
	i := sort.Search(len(f.index), func(i int) bool { return f.word(i) >= w })
	if i == len(f.index) || f.word(i) != w {
		return 0
	}
	line := f.line(i)
	z, _ := strconv.ParseFloat(line[strings.IndexByte(line, '\t')+1:], 64)
	return z
}

// Len is the number of words listed.
func (f *WordFreq) Len() int { return len(f.index) }

func (f *WordFreq) line(i int) string {
	start := int(f.index[i])
	end := len(f.data)
	if i+1 < len(f.index) {
		end = int(f.index[i+1]) - 1
	}
	return strings.TrimRight(f.data[start:end], "\n")
}

func (f *WordFreq) word(i int) string {
	line := f.line(i)
	if t := strings.IndexByte(line, '\t'); t >= 0 {
		return line[:t]
	}
	return line
}

// parseWordFreq indexes the lines of wordfreq.txt: comments first, then
// "word<TAB>zipf" lines sorted by word.
func parseWordFreq(name string, data []byte) (WordFreq, error) {
	f := WordFreq{data: string(data)}
	prev := ""
	for off, n := 0, 1; off < len(data); n++ {
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			end = len(data) - off
		}
		line := string(data[off : off+end])
		if line != "" && line[0] != '#' {
			w, z, ok := strings.Cut(line, "\t")
			if !ok || w == "" {
				return WordFreq{}, fmt.Errorf("%s:%d: want word<TAB>zipf", name, n)
			}
			if _, err := strconv.ParseFloat(z, 64); err != nil {
				return WordFreq{}, fmt.Errorf("%s:%d: zipf %q is not a number", name, n, z)
			}
			if w <= prev {
				return WordFreq{}, fmt.Errorf("%s:%d: %q is out of order or repeated (lines are sorted by word)", name, n, w)
			}
			prev = w
			f.index = append(f.index, uint32(off))
		}
		off += end + 1
	}
	return f, nil
}

// lexiconFiles are the files of lexicon/, all required.
const lexiconDir = "lexicon"

// loadLexicon reads lexicon/ from fsys.
func loadLexicon(fsys fs.FS) (*Lexicon, error) {
	lex, err := readLexicon(fsys)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w (every fact base needs the lexicon/ folder: copy it from facts/data/lexicon)", err)
	}
	return lex, err
}

func readLexicon(fsys fs.FS) (*Lexicon, error) {
	lex := &Lexicon{}
	dir := func(name string) string { return path.Join(lexiconDir, name) }
	var err error
	if lex.Synonyms, err = decodeYAMLList[Synonym](fsys, dir("synonyms.yaml"), func(s *Synonym, line int) { s.line = line }); err != nil {
		return nil, err
	}
	if lex.Phrases, err = decodeYAMLList[Phrase](fsys, dir("phrases.yaml"), func(p *Phrase, line int) { p.line = line }); err != nil {
		return nil, err
	}
	if lex.Smalltalk, err = decodeYAMLList[SmalltalkIntent](fsys, dir("smalltalk.yaml"), func(s *SmalltalkIntent, line int) { s.line = line }); err != nil {
		return nil, err
	}
	for _, l := range []struct {
		name string
		into *[]Listed
	}{{"stopwords.txt", &lex.StopWords}, {"domain.txt", &lex.Domain}, {"elsewhere.txt", &lex.Elsewhere}, {"later.txt", &lex.Later}} {
		if *l.into, err = readWordList(fsys, dir(l.name)); err != nil {
			return nil, err
		}
	}
	if err := decodeChat(fsys, dir("chat.yaml"), &lex.Chat); err != nil {
		return nil, err
	}
	if lex.Languages, err = decodeLanguages(fsys, dir("languages.yaml")); err != nil {
		return nil, err
	}
	data, err := fs.ReadFile(fsys, dir("wordfreq.txt"))
	if err != nil {
		return nil, err
	}
	if lex.Freq, err = parseWordFreq(dir("wordfreq.txt"), data); err != nil {
		return nil, err
	}
	return lex, nil
}

// decodeYAMLList decodes a YAML list strictly, with each item's line.
func decodeYAMLList[T any](fsys fs.FS, name string, at func(*T, int)) ([]T, error) {
	var ptrs []*T
	if err := decodeList(fsys, name, &ptrs, at); err != nil {
		return nil, err
	}
	out := make([]T, len(ptrs))
	for i, p := range ptrs {
		out[i] = *p
	}
	return out, nil
}

// readWordList reads a list of words, several a line, "#" starting a comment.
func readWordList(fsys fs.FS, name string) ([]Listed, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	var out []Listed
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		for _, w := range strings.Fields(line) {
			out = append(out, Listed{Word: w, Line: n})
		}
	}
	return out, sc.Err()
}

// decodeChat decodes chat.yaml strictly and notes each phrase's line.
func decodeChat(fsys fs.FS, name string, c *Chat) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	c.lines = map[string]int{}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 {
		return fmt.Errorf("%s: %v", name, err)
	}
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		list, val := top.Content[i].Value, top.Content[i+1]
		for j, item := range val.Content {
			if val.Kind == yaml.MappingNode {
				if j%2 == 1 {
					continue
				}
			}
			c.lines[list+"\x00"+item.Value] = item.Line
		}
	}
	return nil
}

// decodeLanguages decodes languages.yaml: a map of language name to words.
func decodeLanguages(fsys fs.FS, name string) ([]Language, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New(name + ": want a map of language name to a list of words")
	}
	var out []Language
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		l := Language{Name: top.Content[i].Value, line: top.Content[i].Line}
		if err := top.Content[i+1].Decode(&l.Words); err != nil {
			return nil, fmt.Errorf("%s:%d: %s: want a list of words", name, l.line, l.Name)
		}
		out = append(out, l)
	}
	return out, nil
}
