package facts_test

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/liberterra/liberterra/facts"
)

// TestEmbedded runs the curator's check on the fact base built into the
// binary: every quote stands in its source, ids are unique, all is cited.
func TestEmbedded(t *testing.T) {
	base, err := facts.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(base.Facts); n < 100 {
		t.Errorf("embedded base has %d facts, want well over 100", n)
	}
	for _, s := range base.Sources {
		if s.Title == "" || s.Text == "" {
			t.Errorf("source %s: missing title or text", s.ID)
		}
	}
}

// TestConflictsCiteEveryVersion checks the disagreements the sources are
// known to have are kept with a citation for each version.
func TestConflictsCiteEveryVersion(t *testing.T) {
	base, err := facts.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		versions []string // each must appear in some quote of one conflict fact
	}{
		{"duration", []string{"five-day", "six-day", "week-long"}},
		{"irregular migrants", []string{"17,793", "17,800", "nearly 18,000"}},
		{"Stock's first name", []string{"Jürgen", "Jurgen"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, f := range base.Facts {
				if !f.Conflict {
					continue
				}
				var quotes strings.Builder
				for _, c := range f.Citations {
					quotes.WriteString(c.Quote + "\n")
				}
				all := true
				for _, v := range tc.versions {
					all = all && strings.Contains(quotes.String(), v)
				}
				if all {
					return
				}
			}
			t.Errorf("no conflict fact cites all of %q", tc.versions)
		})
	}
}

// base is a minimal sound fact base; tests break one thing at a time.
func base() fstest.MapFS {
	return fstest.MapFS{
		"sources.yaml": {Data: []byte(`
- id: a
  file: a.txt
  title: Article A
  body_to: "READER COMMENTS"
`)},
		"sources/a.txt":  {Data: []byte("The operation rescued 3,222 potential victims in 116 countries.\nREADER COMMENTS\nI think it rescued a million people.\n")},
		"entities.yaml":  {Data: []byte("- {id: operation, kind: operation, name: The operation, aliases: [op]}\n")},
		"facts/one.yaml": {Data: []byte(oneFact)},
		// A minimal lexicon.
		"lexicon/synonyms.yaml":  {Data: []byte("- {term: rescued, words: [saved, freed]}\n")},
		"lexicon/phrases.yaml":   {Data: []byte("- {phrase: how long, term: lasted}\n")},
		"lexicon/stopwords.txt":  {Data: []byte("# stop words\nthe a of\n")},
		"lexicon/domain.txt":     {Data: []byte("operation\n")},
		"lexicon/elsewhere.txt":  {Data: []byte("spain\n")},
		"lexicon/later.txt":      {Data: []byte("currently\n")},
		"lexicon/languages.yaml": {Data: []byte("spanish: [cuantos, personas]\n")},
		"lexicon/wordfreq.txt":   {Data: []byte("# zipf\nthe\t7.5\nvictims\t4.0\n")},
		"lexicon/chat.yaml":      {Data: []byte("greetings: [hi]\nthanks: [thanks]\ngoodbyes: [bye]\nfillers: [quick question]\ntextspeak: {u: you}\n")},
		"lexicon/smalltalk.yaml": {Data: []byte(smalltalk)},
	}
}

const smalltalk = `
- {intent: greeting, reply: Hello.}
- {intent: thanks, reply: You're welcome.}
- {intent: goodbye, reply: Goodbye.}
- {intent: empty, reply: Ask me something.}
- {intent: english_only, reply: English only.}
`

const oneFact = `
- id: rescued
  topic: Victims rescued
  about: [operation]
  kind: count
  answer: 3,222 potential victims were rescued.
  citations:
    - source: a
      quote: "rescued 3,222 potential   victims"
`

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(fstest.MapFS)
		wants []string // substrings of the problems, "" for none
	}{
		{"sound", func(fstest.MapFS) {}, nil},
		{"quote not in source", func(m fstest.MapFS) {
			m["facts/one.yaml"].Data = []byte(strings.Replace(oneFact, "rescued 3,222", "rescued 3,223", 1))
		}, []string{`facts/one.yaml:2: fact "rescued": quote not found in source "a" (sources/a.txt)`}},
		{"quote from the reader comments", func(m fstest.MapFS) {
			m["facts/one.yaml"].Data = []byte(strings.Replace(oneFact, "rescued 3,222 potential   victims", "it rescued a million people", 1))
		}, []string{"quote not found in the article body of source"}},
		{"curly quotes and dashes are normalised", func(m fstest.MapFS) {
			m["sources/a.txt"].Data = []byte("It \u201crescued 3,222 potential victims\u201d \u2013 all of them.\nREADER COMMENTS\n")
			m["facts/one.yaml"].Data = []byte(strings.Replace(oneFact, `"rescued 3,222 potential   victims"`, `'"rescued 3,222 potential victims" - all'`, 1))
		}, nil},
		{"case must match", func(m fstest.MapFS) {
			m["facts/one.yaml"].Data = []byte(strings.Replace(oneFact, "rescued 3,222 potential", "Rescued 3,222 potential", 1))
		}, []string{"quote not found"}},
		{"no citation", func(m fstest.MapFS) {
			m["facts/one.yaml"].Data = []byte(oneFact[:strings.Index(oneFact, "  citations:")])
		}, []string{"no citation", `source "a" is cited by no fact`}},
		{"duplicate id", func(m fstest.MapFS) {
			m["facts/two.yaml"] = &fstest.MapFile{Data: []byte(oneFact)}
		}, []string{`facts/two.yaml:2: fact "rescued": id used twice`}},
		{"unknown source and entity", func(m fstest.MapFS) {
			f := strings.Replace(oneFact, "source: a", "source: b", 1)
			m["facts/one.yaml"].Data = []byte(strings.Replace(f, "about: [operation]", "about: [france]", 1))
		}, []string{`unknown entity "france"`, `unknown source "b"`}},
		{"bad kind", func(m fstest.MapFS) {
			m["facts/one.yaml"].Data = []byte(strings.Replace(oneFact, "kind: count", "kind: howmany", 1))
		}, []string{`kind "howmany" is not one of`}},
		{"missing source file", func(m fstest.MapFS) {
			delete(m, "sources/a.txt")
		}, []string{"sources/a.txt is missing or empty"}},
		{"figure number not in its quote", func(m fstest.MapFS) {
			m["facts/one.yaml"].Data = []byte(oneFact + "  figures:\n    - {value: 3223, what: victims rescued, of: operation, source: a, quote: \"rescued 3,222 potential victims\"}\n")
		}, []string{`figure 1 (3,223): the number 3,223 does not stand in its quote`}},
		{"figure of an unknown entity", func(m fstest.MapFS) {
			m["facts/one.yaml"].Data = []byte(oneFact + "  figures:\n    - {value: 3222, what: victims rescued, of: turkey, source: a, quote: \"rescued 3,222 potential victims\"}\n")
		}, []string{`of names unknown entity "turkey"`}},
		{"acronym spelled out nowhere", func(m fstest.MapFS) {
			m["entities.yaml"].Data = []byte("- {id: operation, kind: operation, name: The operation, aliases: [op]}\n- {id: nca, kind: organisation, name: NCA, acronym: NCA, stands_for: National Crime Agency, aliases: [nca]}\n")
		}, []string{`entity "nca": stands_for "National Crime Agency" stands in no source`}},
		{"identity synonym", func(m fstest.MapFS) {
			m["lexicon/synonyms.yaml"].Data = []byte("- {term: rescued, words: [rescues, saved]}\n")
		}, []string{`lexicon/synonyms.yaml:1: term "rescued": "rescues" is the term itself`}},
		{"word mapped two ways", func(m fstest.MapFS) {
			m["lexicon/synonyms.yaml"].Data = []byte("- {term: rescued, words: [saved]}\n- {term: kept, words: [saved]}\n")
		}, []string{`"saved" is mapped two ways: to "kept" here and to "rescued" at synonyms.yaml:1`}},
		{"synonym of a stop word", func(m fstest.MapFS) {
			m["lexicon/synonyms.yaml"].Data = []byte("- {term: rescued, words: [the]}\n")
		}, []string{`"the" is a stop word`}},
		{"place elsewhere the entities name", func(m fstest.MapFS) {
			m["lexicon/elsewhere.txt"].Data = []byte("spain\nop\n")
		}, []string{`lexicon/elsewhere.txt:2: "op" is an alias of entity "operation"`}},
		{"place elsewhere the article names", func(m fstest.MapFS) {
			m["lexicon/elsewhere.txt"].Data = []byte("countries\n")
		}, []string{`"countries" stands in an article`}},
		{"small-talk intent missing", func(m fstest.MapFS) {
			m["lexicon/smalltalk.yaml"].Data = []byte(strings.Replace(smalltalk, "- {intent: thanks, reply: You're welcome.}\n", "", 1))
		}, []string{`intent "thanks" is missing`}},
		{"chat phrase read as a question word", func(m fstest.MapFS) {
			m["lexicon/chat.yaml"].Data = []byte("greetings: [hi]\nthanks: [thanks]\ngoodbyes: [bye]\nfillers: [\"y'all\"]\ntextspeak: {y: why}\n")
		}, []string{`fillers: "y'all" reads as the question word "why"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := base()
			tc.edit(m)
			b, err := facts.Load(m)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range b.Check() {
				got = append(got, p.String())
			}
			all := strings.Join(got, "\n")
			if len(tc.wants) == 0 && len(got) > 0 {
				t.Fatalf("want no problems, got:\n%s", all)
			}
			for _, w := range tc.wants {
				if !strings.Contains(all, w) {
					t.Errorf("want a problem containing %q, got:\n%s", w, all)
				}
			}
		})
	}
}

func TestLoadErrorsNameFileAndLine(t *testing.T) {
	for _, tc := range []struct {
		name, file, data, want string
	}{
		{"yaml syntax", "facts/one.yaml", "- id: x\n  topic: [unclosed\n", "facts/one.yaml"},
		{"misspelt key", "facts/one.yaml", "- id: x\n  answr: y\n", "facts/one.yaml: line 2: field answr not found"},
		{"not a list", "entities.yaml", "id: x\n", "entities.yaml:1: want a list"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := base()
			m[tc.file] = &fstest.MapFile{Data: []byte(tc.data)}
			_, err := facts.Load(m)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestLexiconMissing(t *testing.T) {
	m := base()
	delete(m, "lexicon/chat.yaml")
	_, err := facts.Load(m)
	if err == nil || !strings.Contains(err.Error(), "lexicon/chat.yaml") {
		t.Fatalf("Load error = %v, want it to name lexicon/chat.yaml", err)
	}
}

func TestWordFreq(t *testing.T) {
	base, err := facts.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	f := &base.Lexicon.Freq
	if f.Len() < 50000 {
		t.Errorf("wordfreq has %d words, want the whole list", f.Len())
	}
	for _, tc := range []struct {
		word     string
		min, max float64
	}{{"the", 7, 8}, {"weather", 4, 5}, {"smuggling", 3, 4}, {"zzzzqq", 0, 0}} {
		if z := f.Zipf(tc.word); z < tc.min || z > tc.max {
			t.Errorf("Zipf(%q) = %v, want %v..%v", tc.word, z, tc.min, tc.max)
		}
	}
}

func TestNumbers(t *testing.T) {
	for _, tc := range []struct {
		text  string
		value float64
		qual  string
	}{
		{"monitored nearly 24,000 flights", 24000, "nearly"},
		{"almost 8 million checks", 8e6, "almost"},
		{"arresting nine individuals", 9, ""},
		{"27 people, including 21 children", 27, ""},
		{"over 2,500 arrests", 2500, "over"},
		{"closer to 18k migrants", 18000, ""},
		{"twenty-one minors", 21, ""},
	} {
		ns := facts.Numbers(tc.text)
		if len(ns) == 0 || ns[0].Value != tc.value || ns[0].Qualifier != tc.qual {
			t.Errorf("Numbers(%q) = %+v, want %v %q first", tc.text, ns, tc.value, tc.qual)
		}
		// The same numbers from the words, with places in the words
		// joined by spaces.
		words := facts.Words(tc.text)
		joined := strings.Join(words, " ")
		if got, want := facts.NumbersInWords(words), facts.Numbers(joined); !reflect.DeepEqual(got, want) {
			t.Errorf("NumbersInWords(%q) = %+v, want %+v", words, got, want)
		}
	}
	for v, want := range map[float64]string{3222: "3,222", 8e6: "8 million", 21.6983: "21.7", 705: "705", 0.5: "0.5"} {
		if got := facts.FormatNumber(v); got != want {
			t.Errorf("FormatNumber(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestSentence(t *testing.T) {
	base, err := facts.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	s := base.Source("the-national")
	got := s.Sentence("arrest of 94 suspected smugglers")
	if !strings.HasPrefix(got, "- The rescue of 1,500") && !strings.Contains(got, "1,500 irregular migrants") || !strings.HasSuffix(got, "in Turkey.") {
		t.Errorf("Sentence = %q", got)
	}
	if s.Sentence("not in the article at all") != "" {
		t.Error("Sentence of a quote not in the article should be empty")
	}
}

func TestOpenListsProblems(t *testing.T) {
	m := base()
	delete(m, "sources/a.txt")
	_, err := facts.Open(m, "testdir")
	if err == nil || !strings.Contains(err.Error(), "fact base testdir has") {
		t.Fatalf("Open error = %v", err)
	}
}
