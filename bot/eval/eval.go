// Package eval scores the bot on case files of the shared scorer's format
// (../shared/eval/score.py), in-process, with the articles of the fact
// base: `liberterra eval FILE.jsonl` works from a fresh clone.
//
// A case is in scope ({"q", "expect": [regex], "src": [seed prefix]}) or
// out of scope ({"q", "oos": true, "reply": [regex]}); a conversation is
// {"turns": [case, ...]}, its turns asked in one conversation, "c" and the
// number of its line (from 0, blank lines counted), as the scorer sends
// them. In scope, a case is right when the bot answered, every pattern
// matches the answer (ignoring case) and a quote stands, word for word
// after normalising, in one of the articles whose file name starts with a
// prefix in src. Out of scope, when the bot did not answer and every
// "reply" pattern matches what it said instead. Go's regexp has no
// look-ahead or back-references: a case with such a pattern is reported as
// not judged rather than judged wrongly.
package eval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/liberterra/liberterra/facts"
)

// Case is one case, or one turn of a conversation.
type Case struct {
	Q      string   `json:"q"`
	Expect []string `json:"expect"`
	Src    []string `json:"src"`
	OOS    bool     `json:"oos"`
	Reply  []string `json:"reply"`
	Tag    string   `json:"tag"`
	Turns  []Case   `json:"turns"`
	// Conversation is the conversation a turn belongs to ("" for a case
	// on its own).
	Conversation string `json:"-"`
}

// Read reads a case file and flattens conversations into their turns.
func Read(r io.Reader) ([]Case, error) {
	var cases []Case
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 0; sc.Scan(); n++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c Case
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		if len(c.Turns) == 0 {
			if c.Q == "" {
				return nil, fmt.Errorf("line %d: a case without \"q\"", n+1)
			}
			cases = append(cases, c)
			continue
		}
		tag := c.Tag
		if tag == "" {
			tag = "conversation"
		}
		for _, turn := range c.Turns {
			turn.Tag, turn.Conversation = tag, fmt.Sprintf("c%d", n)
			cases = append(cases, turn)
		}
	}
	return cases, sc.Err()
}

// Reply is what the scorer reads of a reply: `ask --json`'s fields.
type Reply struct {
	Answered bool
	Answer   string
	Quotes   []string
}

// Verdict is the judgement of one case.
type Verdict struct {
	Judged   bool   // false: a pattern Go's regexp can't read
	Right    bool   // the case counts as right
	AnswerOK bool   // in scope: answered, and every pattern matches
	CiteOK   bool   // in scope: a quote stands in a named source
	Why      string // why it is wrong, or not judged
}

// Judge scores replies against the articles of a fact base, or against
// seed texts by their file names' first three characters.
type Judge struct {
	texts map[string]string // by prefix, normalised
}

// NewJudge judges quotes against the articles of base.
func NewJudge(base *facts.Base) *Judge {
	j := &Judge{texts: map[string]string{}}
	for _, s := range base.Sources {
		if len(s.File) >= 3 {
			j.texts[s.File[:3]] += Norm(s.Text) + "\n"
		}
	}
	return j
}

// NewJudgeTexts judges quotes against texts by file name, as the scorer's
// --seeds DIR does.
func NewJudgeTexts(byName map[string]string) *Judge {
	j := &Judge{texts: map[string]string{}}
	for name, text := range byName {
		if len(name) >= 3 {
			j.texts[name[:3]] += Norm(text) + "\n"
		}
	}
	return j
}

// Judge scores one reply.
func (j *Judge) Judge(c Case, r Reply) Verdict {
	rxs := make([]*regexp.Regexp, 0, len(c.Expect)+len(c.Reply))
	for _, p := range append(append([]string(nil), c.Expect...), c.Reply...) {
		rx, err := regexp.Compile("(?i)" + p)
		if err != nil {
			return Verdict{Why: "not judged: Go's regexp can't read " + p}
		}
		rxs = append(rxs, rx)
	}
	missing := func(rxs []*regexp.Regexp) string {
		for _, rx := range rxs {
			if !rx.MatchString(r.Answer) {
				return strings.TrimPrefix(rx.String(), "(?i)")
			}
		}
		return ""
	}
	v := Verdict{Judged: true}
	if c.OOS {
		switch rx := missing(rxs[len(c.Expect):]); {
		case r.Answered:
			v.Why = "out of scope but answered"
		case rx != "":
			v.Why = "the reply lacks " + rx
		default:
			v.Right = true
		}
		return v
	}
	rx := missing(rxs[:len(c.Expect)])
	v.AnswerOK = r.Answered && rx == ""
	for _, q := range r.Quotes {
		for _, k := range c.Src {
			if text, ok := j.texts[k]; ok && quoteIn(q, text) {
				v.CiteOK = true
			}
		}
	}
	v.Right = v.AnswerOK && v.CiteOK
	switch {
	case !r.Answered:
		v.Why = "no answer"
	case rx != "":
		v.Why = "wrong answer, want " + rx
	case !v.CiteOK:
		v.Why = "citation not found in the right source"
	}
	return v
}

var ellipses = regexp.MustCompile(`\.\.\.|…|\[\.\.\.\]`)

// quoteIn reports whether a quote stands in a normalised text as the
// scorer checks: split at ellipses, every piece of 12 or more characters
// found.
func quoteIn(quote, text string) bool {
	var parts []string
	for _, p := range ellipses.Split(Norm(quote), -1) {
		if p = strings.Trim(p, " .,;:"); len(p) >= 12 {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return false
	}
	for _, p := range parts {
		if !strings.Contains(text, p) {
			return false
		}
	}
	return true
}

// Norm normalises text as the scorer does before comparing quotes: curly
// quotes and dashes folded, white space folded, lower case.
func Norm(s string) string {
	return strings.ToLower(facts.Normalize(s))
}

// Tally counts cases right out of those judged.
type Tally struct{ Right, Judged int }

// Score sums up an evaluation, as the scorer's summary does.
type Score struct {
	Cases, NotJudged              int
	InScope, InRight              int // in scope, and right (answer and citation)
	AnswerOK, CiteOK              int // in scope: answer text right; citation verified
	OutOfScope, OutOfScopeRightly int
	ByTag                         map[string]*Tally
}

// Add counts one verdict of a case.
func (s *Score) Add(c Case, v Verdict) {
	s.Cases++
	if !v.Judged {
		s.NotJudged++
		return
	}
	if s.ByTag == nil {
		s.ByTag = map[string]*Tally{}
	}
	t := s.ByTag[c.Tag]
	if t == nil {
		t = &Tally{}
		s.ByTag[c.Tag] = t
	}
	t.Judged++
	if v.Right {
		t.Right++
	}
	if c.OOS {
		s.OutOfScope++
		if v.Right {
			s.OutOfScopeRightly++
		}
		return
	}
	s.InScope++
	if v.Right {
		s.InRight++
	}
	if v.AnswerOK {
		s.AnswerOK++
	}
	if v.CiteOK {
		s.CiteOK++
	}
}

// Right is the number of judged cases right.
func (s *Score) Right() int { return s.InRight + s.OutOfScopeRightly }

// Judged is the number of cases judged.
func (s *Score) Judged() int { return s.Cases - s.NotJudged }

// Write prints the summary in the scorer's words: scores by tag, the
// counts, and "score N/M = P%" last.
func (s *Score) Write(w io.Writer) error {
	var tags []string
	for tag := range s.ByTag {
		tags = append(tags, tag)
	}
	sort.Strings(tags)
	if len(tags) > 1 || len(tags) == 1 && tags[0] != "" {
		var parts []string
		for _, tag := range tags {
			name := tag
			if name == "" {
				name = "untagged"
			}
			parts = append(parts, fmt.Sprintf("%s %d/%d", name, s.ByTag[tag].Right, s.ByTag[tag].Judged))
		}
		if _, err := fmt.Fprintf(w, "by tag: %s\n", strings.Join(parts, ", ")); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "in-scope answered right with a verified citation: %d/%d; answer text right: %d/%d; citation verified: %d/%d; out-of-scope declined: %d/%d",
		s.InRight, s.InScope, s.AnswerOK, s.InScope, s.CiteOK, s.InScope, s.OutOfScopeRightly, s.OutOfScope)
	if s.NotJudged > 0 {
		fmt.Fprintf(w, "; not judged (patterns Go's regexp can't read, such as look-ahead): %d", s.NotJudged)
	}
	pct := 0.0
	if s.Judged() > 0 {
		pct = 100 * float64(s.Right()) / float64(s.Judged())
	}
	_, err := fmt.Fprintf(w, "\nscore %d/%d = %.1f%%\n", s.Right(), s.Judged(), pct)
	return err
}
