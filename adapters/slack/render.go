package slack

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/liberterra/liberterra/bot"
)

// Slack's limits on a message, in characters.
const (
	MaxSectionText = 3000 // text of a section block
	MaxContextText = 3000 // text of one context element
	MaxBlocks      = 50   // blocks in one message
	MaxFallback    = 3000 // the plain-text fallback (Slack truncates long ones)
)

// ConflictNote heads an answer where the sources disagree.
const ConflictNote = ":warning: *The sources disagree.* Each version is cited below."

// Message is a rendered reply: Block Kit blocks, and Text, the plain
// fallback shown in notifications and by clients that can't draw blocks.
type Message struct {
	Text   string        `json:"text"`
	Blocks []slack.Block `json:"blocks"`
}

// RenderOptions changes how Render draws a reply.
type RenderOptions struct {
	// Echo shows the question above the answer (for slash commands, whose
	// replies don't sit under the question).
	Echo bool
}

// Render draws a reply for Slack. Everything from the bot or the asker is
// escaped, so it can't mention anyone or draw links, and cut to Slack's
// limits. A silent (throttled) reply renders as the zero Message.
func Render(r bot.Reply, opt RenderOptions) Message {
	if r.Silent() {
		return Message{}
	}
	var blocks []slack.Block
	var text strings.Builder
	if q := oneLine(bot.Visible(r.Question)); opt.Echo && q != "" {
		blocks = append(blocks, contextBlock(fitMrkdwn("*Asked:* "+escapePlain(q), MaxContextText)))
	}
	switch r.Kind {
	case bot.KindAnswer:
		body := escapePlain(r.Text)
		fallback := r.Text
		if r.Conflict {
			body = ConflictNote + "\n" + body
			fallback = "The sources disagree. " + fallback
		}
		blocks = append(blocks, section(fitMrkdwn(body, MaxSectionText)))
		var outlets []string
		for _, c := range r.Citations {
			blocks = append(blocks, contextBlock(citation(c)))
			if c.Source != nil {
				outlets = append(outlets, c.Source.Outlet())
			}
		}
		text.WriteString(fallback)
		if len(outlets) > 0 {
			text.WriteString(" (" + strings.Join(dedupeStrings(outlets), "; ") + ")")
		}
	case bot.KindDeclined:
		blocks = append(blocks, section(fitMrkdwn(escapePlain(r.Text), MaxSectionText)))
		text.WriteString(r.Text)
		if len(r.Suggestions) > 0 {
			var b strings.Builder
			b.WriteString("*You could ask about:*")
			for _, s := range r.Suggestions {
				b.WriteString("\n• " + escapePlain(oneLine(s)))
			}
			blocks = append(blocks, section(fitMrkdwn(b.String(), MaxSectionText)))
			text.WriteString(" You could ask about: " + strings.Join(r.Suggestions, "; ") + ".")
		}
	case bot.KindSources:
		blocks = append(blocks, section(fitMrkdwn(escapePlain(r.Text), MaxSectionText)))
		text.WriteString(r.Text)
		var lines []string
		for _, s := range r.Sources {
			line := "• *" + escapePlain(s.Outlet()) + "*: " + link(s.URL, s.Title)
			if s.Date != "" {
				line += " (" + escapePlain(s.Date) + ")"
			}
			lines = append(lines, line)
			text.WriteString(" " + s.Outlet() + ": " + s.Title + ".")
		}
		blocks = append(blocks, sections(lines)...)
	case bot.KindTopics:
		blocks = append(blocks, section(fitMrkdwn(escapePlain(r.Text), MaxSectionText)))
		text.WriteString(r.Text)
		var lines []string
		for _, g := range r.Topics {
			lines = append(lines, "*"+escapePlain(g.Title)+"*: "+escapePlain(strings.Join(g.Topics, "; ")))
			text.WriteString(" " + g.Title + ".")
		}
		blocks = append(blocks, sections(lines)...)
	default: // help, invalid, slow down, and any kind added later
		blocks = append(blocks, section(fitMrkdwn(escapePlain(r.Text), MaxSectionText)))
		text.WriteString(r.Text)
	}
	if len(blocks) > MaxBlocks {
		more := len(blocks) - (MaxBlocks - 1)
		blocks = append(blocks[:MaxBlocks-1], contextBlock(fmt.Sprintf("…and %d more not shown.", more)))
	}
	return Message{Text: fitPlain(escapeText(text.String()), MaxFallback), Blocks: blocks}
}

// citation draws one citation: outlet, title (linked where the source has
// a URL) and the quote in italics.
func citation(c bot.Citation) string {
	head := "*unknown source*"
	if s := c.Source; s != nil {
		head = "*" + escapePlain(oneLine(s.Outlet())) + "*, " + link(s.URL, s.Title)
		if s.Date != "" {
			head += " (" + escapePlain(s.Date) + ")"
		}
	}
	head = fitMrkdwn(head, MaxContextText/3)
	quote := fitMrkdwn(escapePlain(oneLine(c.Quote)), MaxContextText-utf8.RuneCountInString(head)-8)
	if quote == "" {
		return head
	}
	return head + ": _“" + quote + "”_"
}

// link draws <url|title>, or the title alone when there is no usable URL.
func link(u, title string) string {
	t := escapePlain(oneLine(title))
	if t == "" {
		t = "untitled"
	}
	t = fitMrkdwn(t, 300)
	if u == "" || strings.ContainsAny(u, "<>| \t\n") || !(strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) {
		return "“" + t + "”"
	}
	return "<" + escapeText(u) + "|" + t + ">"
}

func section(text string) slack.Block {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, true), nil, nil)
}

func contextBlock(text string) slack.Block {
	return slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, text, false, true))
}

// sections packs lines into as few section blocks as the text limit allows.
func sections(lines []string) []slack.Block {
	var out []slack.Block
	var cur []string
	n := 0
	for _, l := range lines {
		l = fitMrkdwn(l, MaxSectionText)
		ln := utf8.RuneCountInString(l) + 1
		if len(cur) > 0 && n+ln > MaxSectionText {
			out = append(out, section(strings.Join(cur, "\n")))
			cur, n = nil, 0
		}
		cur = append(cur, l)
		n += ln
	}
	if len(cur) > 0 {
		out = append(out, section(strings.Join(cur, "\n")))
	}
	return out
}

// escapeText escapes the three characters Slack's mrkdwn reserves, so
// text can't mention users (<@U…>, <!channel>) or draw links.
func escapeText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// escapePlain escapes s and neutralises mrkdwn formatting characters, so
// plain text shows as typed: * _ ~ and ` become look-alikes that Slack
// doesn't read as bold, italics, strike or code. Slack has no backslash
// escape, and these are rare in questions, answers and quotes.
func escapePlain(s string) string {
	return strings.NewReplacer("*", "∗", "_", "ˍ", "~", "∼", "`", "ˋ").Replace(escapeText(s))
}

// oneLine folds runs of white space, newlines included, into one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// fitPlain cuts plain text to at most limit characters, at a word, ending in "…".
func fitPlain(s string, limit int) string { return cut(s, limit, false) }

// fitMrkdwn cuts mrkdwn text like fitPlain, never inside an entity (&amp;)
// or a link (<url|title>).
func fitMrkdwn(s string, limit int) string { return cut(s, limit, true) }

// cut shortens s to at most limit runes, "…" included, at the last white
// space before the limit (or at the limit in one very long word).
func cut(s string, limit int, mrkdwn bool) string {
	if limit < 1 {
		return ""
	}
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	runes := []rune(s)
	end := limit - 1 // room for "…"
	if mrkdwn {
		end = outsideMarkup(runes, end)
	}
	cutAt := end
	for i := end; i >= end/2 && i > 0; i-- {
		if unicode.IsSpace(runes[i]) {
			cutAt = i
			break
		}
	}
	if mrkdwn {
		cutAt = outsideMarkup(runes, cutAt)
	}
	return strings.TrimRightFunc(string(runes[:cutAt]), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",.:-–—", r)
	}) + "…"
}

// outsideMarkup moves a cut point back so runes[:i] doesn't end inside an
// entity (&…;) or a link (<…>).
func outsideMarkup(runes []rune, i int) int {
	for j := i - 1; j >= 0 && j >= i-10; j-- {
		if runes[j] == ';' {
			break
		}
		if runes[j] == '&' {
			i = j
			break
		}
	}
	for j := i - 1; j >= 0; j-- {
		if runes[j] == '>' {
			break
		}
		if runes[j] == '<' {
			return j
		}
	}
	return i
}

func dedupeStrings(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
