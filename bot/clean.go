package bot

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/liberterra/liberterra/facts"
)

// Stage 1 of 5: clean. A message as typed in a chat becomes the question
// to read: platform markup (mentions, channel links, emoji), markdown,
// quoted lines and chat wrapping (greetings, fillers, sign-offs) are taken
// off, and of several sentences the question is kept. The same cleaning
// serves every front end; adapters hand over the raw text.

// MaxQuestionLen is the longest message, in characters, the bot reads.
const MaxQuestionLen = 1000

// Cleaned is what the clean stage found in a message.
type Cleaned struct {
	// Shown is the message as it may be shown back to its sender: markup,
	// invisible and direction-changing characters removed, one line.
	Shown string
	// Text is the question as the next stages read it; empty when the
	// message held only wrapping ("hi!", "thanks").
	Text string
	// Context holds the message's other sentences: quoted lines,
	// headings, statements around the question.
	Context []string
	// Parts are the questions of a message that asks several ("(1) how
	// many … and (2) where …?", "What happened in Algeria? And in Iraq?"),
	// each answered in turn; nil for one question.
	Parts []string
	// Removed lists what cleaning took off, for ask --explain.
	Removed []string
	// Greeting, Thanks and Goodbye say the message had one.
	Greeting, Thanks, Goodbye bool
	// Problem says why the message cannot be read as a question (empty,
	// binary, too long); the reply says so.
	Problem string
}

// cleaner holds the chat lexicon prepared for cleaning.
type cleaner struct {
	// wrapping maps a phrase (folded words, text speak read) to its kind:
	// greeting, thanks, goodbye or filler.
	wrapping  map[string]wrapKind
	maxPhrase int
	// firstWords are the first words of the wrapping phrases: a sentence
	// that starts otherwise has no wrapping to look up.
	firstWords map[string]bool
	// lastWords are the last words of the wrapping phrases: a sentence
	// that ends otherwise has no sign-off to look up.
	lastWords map[string]bool
	textSpeak map[string]string
	// known reports whether a word is the fact base's, so a word before a
	// comma at the start ("Priya, ...") is taken for a name only when
	// the facts don't use it.
	known func(string) bool
	// weigh counts what a sentence says: the entities and numbers it
	// names, and its other words the facts use.
	weigh func(string) (named, known int)
	// readAll reads every sentence word by word, as if any might be
	// wrapped (the tests' reference for mayBeWrapped).
	readAll bool
}

type wrapKind uint8

const (
	wrapFiller wrapKind = iota + 1
	wrapGreeting
	wrapThanks
	wrapGoodbye
)

func newCleaner(lex *facts.Lexicon, known func(string) bool, weigh func(string) (int, int)) *cleaner {
	c := &cleaner{wrapping: map[string]wrapKind{}, textSpeak: map[string]string{}, firstWords: map[string]bool{}, lastWords: map[string]bool{}, known: known, weigh: weigh}
	for from, to := range lex.Chat.TextSpeak {
		c.textSpeak[facts.PhraseKey(from)] = facts.PhraseKey(to)
	}
	add := func(list []string, k wrapKind) {
		for _, p := range list {
			key := c.readKey(facts.Words(p))
			c.wrapping[key] = k
			ws := strings.Fields(key)
			c.maxPhrase = max(c.maxPhrase, len(ws))
			if len(ws) > 0 {
				c.firstWords[ws[0]] = true
				c.lastWords[ws[len(ws)-1]] = true
			}
		}
	}
	add(lex.Chat.Fillers, wrapFiller)
	add(lex.Chat.Greetings, wrapGreeting)
	add(lex.Chat.Thanks, wrapThanks)
	add(lex.Chat.Goodbyes, wrapGoodbye)
	return c
}

// readKey joins words with text speak read ("u" is "you").
func (c *cleaner) readKey(words []string) string {
	out := make([]string, 0, len(words))
	for _, w := range words {
		if t, ok := c.textSpeak[w]; ok {
			w = t
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

var (
	// Slack: <@U123>, <@U123|name>, <#C123|general>, <!here>, <!subteam^S1|@team>;
	// Discord: <@123>, <@!123>, <@&123>, <#123>, <:name:123>, <a:name:123>, <t:123:R>, </ask:123>.
	platformTag = regexp.MustCompile(`<(?:[@#!]|a?:[\w~]+:|t:|/)[^<>\s]*(?:\|[^<>]*)?>`)
	// Slack links: <https://x|text> becomes text, <https://x> nothing.
	slackLink   = regexp.MustCompile(`<((?:https?|mailto|tel):[^<>|\s]*)(?:\|([^<>]*))?>`)
	bareURL     = regexp.MustCompile(`\bhttps?://\S+`)
	atMention   = regexp.MustCompile(`(^|\s)@[\w.\-]+`)
	emojiCode   = regexp.MustCompile(`:[a-z0-9_+\-]+(?:::skin-tone-\d)?:`)
	codeFence   = regexp.MustCompile("```")
	listMarker  = regexp.MustCompile(`^\s*(?:[-*•·]|\d{1,2}[.)]|[a-z][.)])\s+`)
	headingMark = regexp.MustCompile(`^\s*#{1,6}\s+`)
	emphasis    = regexp.MustCompile(`(^|[\s(])[*_~]+([^*_~\n]+?)[*_~]+($|[\s).,;:!?])`)
)

// remove takes what re matches out of text, noting it in out.Removed.
func (c *cleaner) remove(re *regexp.Regexp, text string, out *Cleaned) string {
	return re.ReplaceAllStringFunc(text, func(m string) string {
		out.Removed = append(out.Removed, m)
		return " "
	})
}

// clean reads a message.
func (c *cleaner) clean(raw string) Cleaned {
	var out Cleaned
	if p := inputProblem(raw); p != "" {
		out.Problem = p
		if utf8.ValidString(raw) && utf8.RuneCountInString(raw) <= MaxQuestionLen {
			out.Shown = oneLine(Visible(raw))
		}
		return out
	}
	text := Visible(raw)
	// Each pattern is tried only where its mark is in the text: most
	// questions have none, and the regular expressions were a fifth of
	// the cost of an answer.
	if strings.IndexByte(text, '<') >= 0 {
		text = slackLink.ReplaceAllStringFunc(text, func(m string) string {
			sub := slackLink.FindStringSubmatch(m)
			out.Removed = append(out.Removed, m)
			return sub[2]
		})
		text = c.remove(platformTag, text, &out)
	}
	if strings.Contains(text, "://") {
		text = c.remove(bareURL, text, &out)
	}
	if strings.Count(text, ":") >= 2 {
		text = c.remove(emojiCode, text, &out)
	}
	if strings.IndexByte(text, '@') >= 0 {
		text = atMention.ReplaceAllStringFunc(text, func(m string) string {
			out.Removed = append(out.Removed, strings.TrimSpace(m))
			return " "
		})
	}
	text = stripEmoji(text)
	if strings.IndexByte(text, '`') >= 0 {
		text = codeFence.ReplaceAllString(text, " ")
		text = strings.ReplaceAll(text, "`", "")
	}
	for strings.ContainsAny(text, "*_~") && emphasis.MatchString(text) {
		text = emphasis.ReplaceAllString(text, "$1$2$3")
	}
	out.Shown = oneLine(text)

	// Most messages are a sentence or two: the lists start on the stack.
	var qBuf, oBuf, sBuf, eBuf [4]string
	questions, others := qBuf[:0], oBuf[:0]
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, ">") || strings.HasPrefix(line, "#") && headingMark.MatchString(line) {
			ctx := strings.TrimSpace(headingMark.ReplaceAllString(strings.TrimLeft(line, "> "), ""))
			if ctx != "" {
				out.Context = append(out.Context, ctx)
			}
			continue
		}
		if len(line) > 2 && strings.ContainsAny(line[:3], "-*•·.)") {
			line = listMarker.ReplaceAllString(line, "")
		}
		for _, s := range splitEnumeration(eBuf[:0], splitSentences(sBuf[:0], line)) {
			s = c.unwrap(s, &out)
			if s == "" {
				continue
			}
			if strings.Contains(s, "?") || startsLikeQuestion(s) {
				questions = append(questions, s)
			} else {
				others = append(others, s)
			}
		}
	}
	switch {
	case len(questions) > 1 && len(questions) <= maxParts:
		out.Parts = slices.Clone(questions)
		out.Text = strings.Join(questions, " ")
		out.Context = append(out.Context, others...)
		return out
	case len(questions) > 0:
		out.Text = strings.Join(questions, " ")
		out.Context = append(out.Context, others...)
	default:
		out.Text = strings.Join(others, " ")
	}
	out.Text = strings.TrimSpace(out.Text)
	// "One bullet is on the North Macedonia raids. How many suspects were
	// arrested there?": a question that points back, or says too little
	// on its own ("What's the precise number?"), reads with the sentences
	// before it that say something the facts know.
	if len(out.Context) > 0 {
		named, known := c.weigh(out.Text)
		if named == 0 && (anaphoric(facts.Words(out.Text)) && known < 4 || known < 3) {
			// Sentences that name something first ("One bullet is on the
			// North Macedonia raids"), else those the facts know.
			var keep, named []string
			for _, ctx := range out.Context {
				n, k := c.weigh(ctx)
				if n > 0 {
					named = append(named, ctx)
				}
				if n > 0 || k >= 2 {
					keep = append(keep, ctx)
				}
			}
			if len(named) > 0 {
				keep = named
			}
			if len(keep) > 0 {
				out.Text = strings.Join(keep, " ") + " " + out.Text
			}
		}
	}
	return out
}

// anaphoric reports whether a question points back at something said
// before it: "who said that?", "how many of them", "what did he say",
// "that group".
func anaphoric(ws []string) bool {
	for i, w := range ws {
		prev, next := "", ""
		if i > 0 {
			prev = ws[i-1]
		}
		if i+1 < len(ws) {
			next = ws[i+1]
		}
		switch w {
		case "it", "they", "them", "he", "she", "him", "his", "her", "their", "these", "those":
			return true
		case "there":
			if next != "is" && next != "are" && next != "was" && next != "were" && next != "been" && next != "be" {
				return true
			}
		case "that", "this":
			if sayVerbs.has(prev) || prev == "so" || prev == "such" || whWords.has(next) || next == "the" || next == "a" {
				continue // "said that …": a clause, not a pointer
			}
			if next == "" || prev != "" && !questionWords.has(prev) || next != "" && !auxVerbs.has(next) {
				return true
			}
		}
	}
	return false
}

// unwrap strips the chat wrapping off one sentence: greetings, fillers and
// sign-offs at its start and after its last comma, and a lead-in before a
// colon when a question follows it ("What I still need: which …?").
func (c *cleaner) unwrap(s string, out *Cleaned) string {
	for {
		before := s
		s = strings.TrimSpace(strings.TrimLeft(s, ",;:.!-–— "))
		if i := strings.Index(s, ":"); i > 0 && i < len(s)-1 {
			head, tail := s[:i], strings.TrimSpace(s[i+1:])
			if startsLikeQuestion(tail) || len(facts.Words(head)) <= 4 && !startsLikeQuestion(head) && !hasQuestionWord(head) {
				out.Removed = append(out.Removed, head+":")
				s = tail
				continue
			}
		}
		if !c.readAll && !c.mayBeWrapped(s) {
			// Most sentences: no wrapping phrase can start or end them, and
			// they need not be read word by word.
			return strings.TrimSpace(strings.TrimRight(s, ",;:-–— "))
		}
		var tokBuf [32]facts.Token
		toks := facts.AppendTokens(tokBuf[:0], s)
		if n, kind := c.wrapAt(toks); n > 0 {
			end := len(s)
			if n < len(toks) {
				end = toks[n].Start
			}
			out.Removed = append(out.Removed, strings.TrimSpace(s[:end]))
			c.note(kind, out)
			s = s[end:]
			// A name after a greeting: "hi Priya, …".
			if kind == wrapGreeting {
				if rest := facts.Tokens(s); len(rest) > 1 && strings.HasPrefix(strings.TrimSpace(s[rest[0].End:]), ",") && !c.known(rest[0].Word) {
					out.Removed = append(out.Removed, rest[0].Word)
					s = s[rest[0].End:]
				}
			}
			continue
		}
		// Sign-offs at the end that the facts never use: "… asap", "… pls".
		endsWrapping := func(back int) bool { // the back-th token from the end may end a phrase
			return len(toks) >= back && c.endsPhrase(toks[len(toks)-back].Word)
		}
		if len(toks) > 1 && endsWrapping(1) {
			for n := min(3, len(toks)-1); n > 0; n-- {
				tail := toks[len(toks)-n:]
				if k, kind := c.wrapAt(tail); k == n && kind != 0 && !c.knownAny(tail) {
					out.Removed = append(out.Removed, strings.TrimSpace(s[tail[0].Start:]))
					c.note(kind, out)
					s = strings.TrimSpace(s[:tail[0].Start])
					toks = toks[:len(toks)-n] // the words left
					break
				}
			}
		}
		// Sign-offs after the last comma: "…, thanks", "…, cheers Priya"
		// (a phrase ending with the last word or the one before it).
		if i := strings.LastIndex(s, ","); i > 0 && (endsWrapping(1) || endsWrapping(2)) {
			tail := facts.AppendTokens(tokBuf[:0], s[i+1:])
			if n, kind := c.wrapAt(tail); n > 0 && n >= len(tail)-1 && !strings.Contains(s[i:], "?") {
				out.Removed = append(out.Removed, strings.TrimSpace(s[i+1:]))
				c.note(kind, out)
				s = s[:i]
				continue
			}
		}
		if s == before {
			return strings.TrimSpace(strings.TrimRight(s, ",;:-–— "))
		}
	}
}

// knownAny reports whether any of the words is the fact base's.
func (c *cleaner) knownAny(toks []facts.Token) bool {
	for _, t := range toks {
		if c.known(t.Word) {
			return true
		}
	}
	return false
}

// wrapAt finds the longest wrapping phrase at the start of toks and returns
// how many tokens it covers.
func (c *cleaner) wrapAt(toks []facts.Token) (int, wrapKind) {
	n := min(len(toks), c.maxPhrase+2)
	if n == 0 {
		return 0, 0
	}
	first, _, _ := strings.Cut(c.spoken(toks[0].Word), " ")
	if !c.firstWords[first] {
		return 0, 0
	}
	// The key of the first i words is key[:ends[i-1]], built once; the
	// look-ups of a converted []byte do not allocate.
	var buf [256]byte
	key := buf[:0]
	ends := make([]int, n)
	for i := range n {
		if i > 0 {
			key = append(key, ' ')
		}
		key = append(key, c.spoken(toks[i].Word)...)
		ends[i] = len(key)
	}
	for i := n; i > 0; i-- {
		if k, ok := c.wrapping[string(key[:ends[i-1]])]; ok {
			return i, k
		}
	}
	return 0, 0
}

// mayBeWrapped reports whether a wrapping phrase may start the sentence
// (its first word starts one) or end it (its last or second-last word
// ends one): unwrap reads the whole sentence only then. Plain ASCII words
// at the ends are read in place; anything else is left to the tokenizer.
func (c *cleaner) mayBeWrapped(s string) bool {
	var buf [24]byte
	w, ok := edgeWord(s, 0, 1, buf[:0])
	if !ok {
		return true // not plain: read it all
	}
	if w != nil {
		// Looked up as m[string(w)], which makes no string.
		if t, ok := c.textSpeak[string(w)]; ok {
			if first, _, _ := strings.Cut(t, " "); c.firstWords[first] {
				return true
			}
		} else if c.firstWords[string(w)] {
			return true
		}
	}
	end := len(s)
	for range 2 {
		w, ok := edgeWord(s, end, -1, buf[:0])
		if !ok {
			return true
		}
		if w != nil {
			if t, ok := c.textSpeak[string(w)]; ok && c.endsPhrase(t) || !ok && c.lastWords[string(w)] {
				return true
			}
		}
		if w == nil {
			break
		}
		end = lastWordStart(s, end)
	}
	return false
}

// edgeWord reads the word nearest s[at] going forward (dir 1) or backward
// from s[at-1] (dir -1), lower-cased into buf: nil when there is none, ok
// false when the text there is not plain ASCII letters and digits between
// spaces and punctuation the tokenizer reads alike.
func edgeWord(s string, at, dir int, buf []byte) (word []byte, ok bool) {
	i := at
	if dir < 0 {
		i = at - 1
	}
	for i >= 0 && i < len(s) && !asciiAlnum(s[i]) {
		if c := s[i]; c >= utf8.RuneSelf || c == '\'' || c == ',' || c == '.' {
			return nil, false
		}
		i += dir
	}
	if i < 0 || i >= len(s) {
		return nil, true
	}
	j := i
	for j >= 0 && j < len(s) && asciiAlnum(s[j]) {
		j += dir
	}
	if j >= 0 && j < len(s) {
		if c := s[j]; c >= utf8.RuneSelf || c == '\'' || c == ',' || c == '.' {
			return nil, false
		}
	}
	lo, hi := i, j
	if dir < 0 {
		lo, hi = j+1, i+1
	}
	if hi-lo > cap(buf) {
		return nil, false
	}
	for _, c := range []byte(s[lo:hi]) {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf, true
}

// lastWordStart is where the word that ends at or before s[end-1] starts,
// for edgeWord to read the one before it.
func lastWordStart(s string, end int) int {
	i := end - 1
	for i >= 0 && !asciiAlnum(s[i]) {
		i--
	}
	for i >= 0 && asciiAlnum(s[i]) {
		i--
	}
	return i + 1
}

func asciiAlnum(c byte) bool {
	return 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9'
}

// endsPhrase reports whether w (as read) may be the last word of a wrapping
// phrase.
func (c *cleaner) endsPhrase(w string) bool {
	sp := c.spoken(w)
	if i := strings.LastIndexByte(sp, ' '); i >= 0 {
		sp = sp[i+1:]
	}
	return c.lastWords[sp]
}

// spoken is a word with text speak read ("u" is "you").
func (c *cleaner) spoken(w string) string {
	if t, ok := c.textSpeak[w]; ok {
		return t
	}
	return w
}

func (c *cleaner) note(k wrapKind, out *Cleaned) {
	switch k {
	case wrapGreeting:
		out.Greeting = true
	case wrapThanks:
		out.Thanks = true
	case wrapGoodbye:
		out.Goodbye = true
	}
}

// maxParts is the most questions of one message answered one by one.
const maxParts = 4

// enumerated finds inline numbering: "(1) … (2) …", "1) … 2) …".
var enumerated = regexp.MustCompile(`(?:^|\s)\(?([1-9])\)\s+`)

// splitEnumeration splits sentences at inline numbering, so each numbered
// question stands on its own; they are appended to out.
func splitEnumeration(out, sentences []string) []string {
	for _, s := range sentences {
		var idx [][]int
		if strings.Count(s, ")") >= 2 {
			idx = enumerated.FindAllStringIndex(s, -1)
		}
		if len(idx) < 2 {
			out = append(out, s)
			continue
		}
		if head := strings.TrimSpace(s[:idx[0][0]]); head != "" {
			out = append(out, head)
		}
		for k, m := range idx {
			end := len(s)
			if k+1 < len(idx) {
				end = idx[k+1][0]
			}
			part := strings.TrimSpace(s[m[1]:end])
			part = strings.TrimSuffix(strings.TrimSpace(strings.TrimSuffix(part, "and")), ",")
			if part != "" {
				out = append(out, strings.TrimSpace(part))
			}
		}
	}
	return out
}

// splitSentences splits a line after ".", "!" and "?" that end a sentence,
// and at a dash between spaces ("reading this now - how many …"),
// appending the sentences to out.
func splitSentences(out []string, line string) []string {
	start := 0
	// Only where a sentence may end or a dash stand is there anything to
	// look at; most lines have one "?" at the end.
	marks := ".!?"
	if strings.Contains(line, " - ") || strings.Contains(line, " – ") || strings.Contains(line, " — ") {
		marks += " "
	}
	for i := 0; i < len(line); i++ {
		if j := strings.IndexAny(line[i:], marks); j < 0 {
			break
		} else {
			i += j
		}
		if rest := line[i:]; line[i] == ' ' && (strings.HasPrefix(rest, " - ") || strings.HasPrefix(rest, " – ") || strings.HasPrefix(rest, " — ")) {
			if t := strings.TrimSpace(line[start:i]); t != "" {
				out = append(out, t)
			}
			_, size := utf8.DecodeRuneInString(rest[1:])
			start = i + 1 + size
			i = start - 1
			continue
		}
		switch line[i] {
		case '.', '!', '?':
			j := i + 1
			for j < len(line) && strings.IndexByte(".!?\"')", line[j]) >= 0 {
				j++
			}
			// A decimal point or an abbreviation ("3.5", "U.S.") ends nothing.
			if line[i] == '.' && (j < len(line) && line[j] != ' ' || i > 0 && i+1 < len(line) && isASCIIDigit(line[i-1]) && isASCIIDigit(line[i+1])) {
				continue
			}
			if j < len(line) && line[j] != ' ' {
				continue
			}
			out = append(out, strings.TrimSpace(line[start:j]))
			start, i = j, j-1
		}
	}
	if rest := strings.TrimSpace(line[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

func isASCIIDigit(b byte) bool { return b >= '0' && b <= '9' }

// questionStarts are the words a question may open with.
var questionStarts = set("what which who whom whose when where why how is are was were did do does can could would will has have had should tell give list name explain describe show summarise summarize according in wat wht hw whats whos wheres")

func startsLikeQuestion(s string) bool {
	var buf [32]facts.Token
	toks := facts.AppendTokens(buf[:0], s)
	return len(toks) > 0 && questionStarts.has(toks[0].Word)
}

func hasQuestionWord(s string) bool {
	var buf [32]facts.Token
	for _, t := range facts.AppendTokens(buf[:0], s) {
		switch t.Word {
		case "what", "which", "who", "when", "where", "why", "how":
			return true
		}
	}
	return false
}

// inputProblem says why text cannot be a question, or "" when it can be.
func inputProblem(text string) string {
	if len(text) <= MaxQuestionLen {
		if p, ok := asciiProblem(text); ok {
			return p // most questions: the same checks, by byte
		}
	}
	return runeProblem(text)
}

// runeProblem is inputProblem of any text.
func runeProblem(text string) string {
	if !utf8.ValidString(text) {
		return problemNotText
	}
	if n := utf8.RuneCountInString(text); n > MaxQuestionLen {
		return fmt.Sprintf("That's too long for a question (%d characters; I read at most %d). Please ask in a sentence or two.", n, MaxQuestionLen)
	}
	var letters, controls int
	for _, r := range text {
		switch {
		case r < utf8.RuneSelf && ('a' <= r|0x20 && r|0x20 <= 'z' || '0' <= r && r <= '9'):
			letters++
		case ' ' <= r && r <= '~':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			letters++
		case r == '\n' || r == '\t' || r == '\r':
		case unicode.IsControl(r) || r == utf8.RuneError:
			controls++
		case invisible(r):
		}
	}
	switch {
	case controls > 0:
		return problemNotText
	case strings.TrimSpace(Visible(text)) == "":
		return problemEmpty
	case letters == 0:
		return problemNoWords
	}
	return ""
}

// stripEmoji removes emoji and other pictographs (and the variation
// selectors and skin tones that go with them).
func stripEmoji(s string) string {
	if ascii(s) {
		return s // emoji and symbols are all beyond ASCII
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0x1F000 && r <= 0x1FAFF, r >= 0x2600 && r <= 0x27BF, r >= 0x2B00 && r <= 0x2BFF,
			r >= 0xFE00 && r <= 0xFE0F, r >= 0x1F3FB && r <= 0x1F3FF, r == 0x20E3, r >= 0xE0020 && r <= 0xE007F:
			return ' '
		case unicode.Is(unicode.So, r) && r != '°':
			return ' '
		}
		return r
	}, s)
}

// What inputProblem says of a message that is not a question in words.
const (
	problemNotText = "That doesn't look like text. Please type a question in words."
	problemEmpty   = "Ask me a question about Operation Liberterra II, for example \"How many victims were rescued?\". Ask for \"help\" for more."
	problemNoWords = "I need a question in words, for example \"How many people were arrested?\". Ask for \"help\" for more."
)

// asciiProblem is inputProblem of text of at most MaxQuestionLen bytes,
// when it is ASCII (ok); ok is false for any other text.
func asciiProblem(text string) (problem string, ok bool) {
	var letters, controls, visible int
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c >= utf8.RuneSelf:
			return "", false
		case 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9':
			letters++
			visible++
		case c == '\n' || c == '\t' || c == '\r' || c == ' ':
		case c < ' ' || c == 0x7f:
			controls++
		default:
			visible++
		}
	}
	switch {
	case controls > 0:
		return problemNotText, true
	case visible == 0:
		return problemEmpty, true
	case letters == 0:
		return problemNoWords, true
	}
	return "", true
}

// ascii reports whether s is all ASCII.
func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// oneLine collapses whitespace to single spaces.
func oneLine(s string) string {
	if isOneLine(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// isOneLine reports whether oneLine would return s as it is: single ASCII
// spaces between words, none at either end, no other white space. Most
// text is checked byte by byte; only the lead bytes of the few white-space
// characters beyond ASCII are read as characters.
func isOneLine(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ':
			if i == 0 || i == len(s)-1 || s[i+1] == ' ' {
				return false
			}
		case c < ' ':
			return false
		case c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3:
			// U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000 start so.
			if r, _ := utf8.DecodeRuneInString(s[i:]); unicode.IsSpace(r) {
				return false
			}
		}
	}
	return true
}
