package repl

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
)

// DefaultWidth is the width lists are wrapped to when the terminal's is
// not known.
const DefaultWidth = 80

// Render formats a reply as plain text for a terminal: the answer, each
// quote exactly as its article has it, numbered by source ([1], [2]), the
// numbered list of sources, then related questions or suggestions. Lists
// (topics, sources, suggestions) are wrapped to width columns; width 0
// wraps nothing. Answers and quotes are never cut, so a quote copied from
// the terminal is the article's.
func Render(r bot.Reply, width int) string {
	var b strings.Builder
	switch r.Kind {
	case bot.KindThrottled:
		return ""
	case bot.KindSources:
		b.WriteString(r.Text + "\n")
		for i, s := range r.Sources {
			b.WriteString(wrap(fmt.Sprintf("  [%d] %s", i+1, sourceLine(s)), width, "      "))
		}
		return b.String()
	case bot.KindTopics:
		b.WriteString(r.Text + "\n")
		for _, g := range r.Topics {
			b.WriteString(wrap("  "+g.Title+": "+strings.Join(g.Topics, "; "), width, "    "))
		}
		return b.String()
	}
	b.WriteString(r.Text)
	b.WriteString("\n")
	if r.Conflict {
		b.WriteString(bot.ConflictNote + "\n")
	}
	if cited := r.Cited(); len(cited) > 0 {
		num := map[*facts.Source]int{}
		for _, s := range cited {
			num[s.Source] = s.N
		}
		for _, c := range r.Citations {
			if c.Source != nil {
				fmt.Fprintf(&b, "  [%d] %s: \u201c%s\u201d\n", num[c.Source], bot.SourceName(c.Source), c.Shown())
			}
		}
		b.WriteString("  " + bot.SourcesHeading + ":\n")
		for _, s := range cited {
			b.WriteString(wrap(fmt.Sprintf("  [%d] %s", s.N, sourceLine(s.Source)), width, "      "))
		}
	}
	if r.Answered() {
		fmt.Fprintf(&b, "  %s %.2f\n", bot.ConfidenceLabel, r.Confidence)
	}
	if len(r.Related) > 0 {
		b.WriteString(wrap(bot.RelatedIntro+" "+strings.Join(r.Related, "; "), width, "  "))
	}
	if len(r.Suggestions) > 0 {
		b.WriteString(wrap(bot.SuggestIntro+" "+strings.Join(r.Suggestions, "; ")+".", width, "  "))
	}
	return b.String()
}

// sourceLine describes a source, with the article's address.
func sourceLine(s *facts.Source) string {
	line := bot.DescribeSource(s)
	if s.URL != "" {
		line += " <" + s.URL + ">"
	}
	return line
}

// wrap breaks text into lines of at most width characters at spaces,
// continuing lines with indent, and ends it with a newline. A word longer
// than the line stands on its own line. Width 0 or less wraps nothing.
func wrap(text string, width int, indent string) string {
	if width <= 0 || utf8.RuneCountInString(text) <= width {
		return text + "\n"
	}
	lead := len(text) - len(strings.TrimLeft(text, " "))
	var b strings.Builder
	line, n := text[:lead], lead
	fresh := true // nothing but the indent on the line yet
	for _, w := range strings.Fields(text) {
		wl := utf8.RuneCountInString(w)
		if !fresh && n+1+wl > width {
			b.WriteString(line + "\n")
			line, n, fresh = indent, utf8.RuneCountInString(indent), true
		}
		if !fresh {
			line += " "
			n++
		}
		line += w
		n += wl
		fresh = false
	}
	b.WriteString(line + "\n")
	return b.String()
}
