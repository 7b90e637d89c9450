package discord

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/bwmarrin/discordgo"
	"github.com/liberterra/liberterra/bot"
)

// Discord's limits on one message, in characters.
const (
	maxContent     = 2000
	maxTitle       = 256
	maxDescription = 4096
	maxFields      = 25
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFooter      = 2048
	maxEmbedTotal  = 6000
)

// Embed colours by kind of reply.
const (
	colorAnswer   = 0x2e7d32 // green
	colorConflict = 0xf9a825 // amber: the sources disagree
	colorDeclined = 0x757575 // grey
	colorInfo     = 0x1565c0 // blue: help, sources, topics
)

// ConflictNote opens the description of an answer where the sources disagree.
const ConflictNote = "⚠️ **The sources disagree.** Each version is cited below."

// DeclinedTitle heads the reply to a question the sources don't cover.
const DeclinedTitle = "The sources don't cover that"

// message is what the adapter sends for one reply: plain content, or
// embeds. Private asks for an ephemeral reply where one is possible (slash
// commands): for notices meant for the asker alone.
type message struct {
	Content string
	Embeds  []*discordgo.MessageEmbed
	Private bool
}

// render turns a reply into a Discord message within Discord's limits.
// A silent reply (throttled) renders as the zero message.
func render(r bot.Reply) message {
	switch r.Kind {
	case bot.KindThrottled:
		return message{}
	case bot.KindAnswer:
		return message{Embeds: []*discordgo.MessageEmbed{answerEmbed(r)}}
	case bot.KindDeclined:
		return message{Embeds: []*discordgo.MessageEmbed{declinedEmbed(r)}}
	case bot.KindHelp:
		e := &discordgo.MessageEmbed{
			Title:       "Liberterra: how to ask",
			Description: escape(r.Text) + "\n\nOn Discord: `/ask`, `/topics`, `/sources`, `/help`, or mention me with a question. In a DM, just write.",
			Color:       colorInfo,
		}
		return message{Embeds: []*discordgo.MessageEmbed{fit(e)}}
	case bot.KindSources:
		return message{Embeds: []*discordgo.MessageEmbed{sourcesEmbed(r)}}
	case bot.KindTopics:
		return message{Embeds: []*discordgo.MessageEmbed{topicsEmbed(r)}}
	case bot.KindSlowDown:
		return message{Content: cut(escape(r.Text), maxContent), Private: true}
	default: // invalid, and any kind added later
		return message{Content: cut(escape(r.Text), maxContent), Private: true}
	}
}

func answerEmbed(r bot.Reply) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Color: colorAnswer}
	e.Title = cut(escape(oneLine(bot.Visible(r.Question))), maxTitle)
	if e.Title == "" {
		e.Title = "Answer"
	}
	desc := escape(r.Text)
	if r.Conflict {
		e.Color = colorConflict
		desc = ConflictNote + "\n\n" + desc
	}
	e.Description = cut(desc, maxDescription)
	for _, c := range r.Citations {
		e.Fields = append(e.Fields, citationField(c))
	}
	footer := fmt.Sprintf("Confidence %.2f", r.Confidence)
	if r.FactID != "" {
		footer += " · fact " + r.FactID
	}
	e.Footer = &discordgo.MessageEmbedFooter{Text: footer}
	return fit(e)
}

// citationField is one citation: "outlet — title", then the quote and a
// link to the article where the source has a URL.
func citationField(c bot.Citation) *discordgo.MessageEmbedField {
	name, link := "Source", ""
	if s := c.Source; s != nil {
		name = s.Outlet()
		if s.Title != "" {
			name += " — " + s.Title
		}
		if s.URL != "" {
			link = "\n[Read the article](" + s.URL + ")"
		}
	}
	if len(link) > maxFieldValue/2 {
		link = "\n<" + cut(c.Source.URL, maxFieldValue/2) + ">"
	}
	quote := "“" + escape(oneLine(c.Quote))
	quote = cut(quote, maxFieldValue-textLen(link)-1) + "”"
	return &discordgo.MessageEmbedField{Name: cut(oneLine(name), maxFieldName), Value: quote + link}
}

func declinedEmbed(r bot.Reply) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Title: DeclinedTitle, Color: colorDeclined}
	var b strings.Builder
	b.WriteString(escape(r.Text))
	if len(r.Suggestions) > 0 {
		b.WriteString("\n\n**You could ask about:**")
		for _, s := range r.Suggestions {
			b.WriteString("\n• " + escape(oneLine(s)))
		}
	}
	e.Description = cut(b.String(), maxDescription)
	if q := oneLine(bot.Visible(r.Question)); q != "" {
		e.Footer = &discordgo.MessageEmbedFooter{Text: cut("You asked: "+q, maxFooter)}
	}
	return fit(e)
}

func sourcesEmbed(r bot.Reply) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Title: "Sources", Description: cut(escape(r.Text), maxDescription), Color: colorInfo}
	for _, s := range r.Sources {
		name := s.Outlet()
		if s.Title != "" {
			name += " — " + s.Title
		}
		var parts []string
		if s.Date != "" {
			parts = append(parts, escape(s.Date))
		}
		if s.URL != "" {
			parts = append(parts, "<"+s.URL+">")
		}
		parts = append(parts, "id `"+strings.ReplaceAll(s.ID, "`", "'")+"`")
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: cut(oneLine(name), maxFieldName), Value: cut(strings.Join(parts, " · "), maxFieldValue)})
	}
	return fit(e)
}

func topicsEmbed(r bot.Reply) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Title: "Topics", Description: cut(escape(r.Text)+"\nAsk with `/ask` or mention me.", maxDescription), Color: colorInfo}
	for _, g := range r.Topics {
		topics := make([]string, len(g.Topics))
		for i, t := range g.Topics {
			topics[i] = escape(t)
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: cut(oneLine(g.Title), maxFieldName), Value: cut(strings.Join(topics, "; "), maxFieldValue)})
	}
	return fit(e)
}

// fit cuts an embed to Discord's limits: each part to its own limit, at
// most 25 fields, and 6,000 characters in all (dropping fields from the end
// first, then shortening the description).
func fit(e *discordgo.MessageEmbed) *discordgo.MessageEmbed {
	e.Type = discordgo.EmbedTypeRich
	e.Title = cut(e.Title, maxTitle)
	e.Description = cut(e.Description, maxDescription)
	if len(e.Fields) > maxFields {
		e.Fields = e.Fields[:maxFields]
	}
	for _, f := range e.Fields {
		f.Name = cut(f.Name, maxFieldName)
		f.Value = cut(f.Value, maxFieldValue)
		if strings.TrimSpace(f.Name) == "" {
			f.Name = "\u200b" // Discord rejects empty field names
		}
		if strings.TrimSpace(f.Value) == "" {
			f.Value = "\u200b"
		}
	}
	if e.Footer != nil {
		e.Footer.Text = cut(e.Footer.Text, maxFooter)
	}
	for embedLen(e) > maxEmbedTotal && len(e.Fields) > 0 {
		e.Fields = e.Fields[:len(e.Fields)-1]
	}
	if over := embedLen(e) - maxEmbedTotal; over > 0 {
		e.Description = cut(e.Description, max(0, textLen(e.Description)-over))
	}
	return e
}

// embedLen counts the characters Discord counts towards an embed's total.
func embedLen(e *discordgo.MessageEmbed) int {
	n := textLen(e.Title) + textLen(e.Description)
	for _, f := range e.Fields {
		n += textLen(f.Name) + textLen(f.Value)
	}
	if e.Footer != nil {
		n += textLen(e.Footer.Text)
	}
	if e.Author != nil {
		n += textLen(e.Author.Name)
	}
	return n
}

// textLen counts characters as Discord does (UTF-16 code units, which is
// never fewer than the runes, so a cut by it is always within the limit).
func textLen(s string) int {
	n := 0
	for _, r := range s {
		if l := utf16.RuneLen(r); l > 0 {
			n += l
		} else {
			n++
		}
	}
	return n
}

// cut shortens s to at most n characters. A cut ends at a word boundary
// where one is near, drops trailing spaces and punctuation, and ends in "…".
func cut(s string, n int) string {
	if textLen(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	limit := n - 1 // room for the ellipsis
	units, end := 0, len(s)
	for i, r := range s {
		l := utf16.RuneLen(r)
		if l < 1 {
			l = 1
		}
		if units+l > limit {
			end = i
			break
		}
		units += l
	}
	prefix := s[:end]
	if next := []rune(s[end:]); len(next) > 0 && !unicode.IsSpace(next[0]) {
		// mid-word: go back to the last space, unless that loses over half
		if i := strings.LastIndexFunc(prefix, unicode.IsSpace); i > len(prefix)/2 {
			prefix = prefix[:i]
		}
	}
	prefix = strings.TrimRightFunc(prefix, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:—–-(\\", r)
	})
	return prefix + "…"
}

// oneLine folds runs of white space, newlines included, into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// escape makes plain text safe from Discord's markdown.
func escape(s string) string {
	var b strings.Builder
	lineStart := true
	for _, r := range s {
		switch {
		case strings.ContainsRune("\\*_~`|[]", r):
			b.WriteByte('\\')
		case lineStart && strings.ContainsRune(">#", r):
			b.WriteByte('\\')
		}
		b.WriteRune(r)
		if r == '\n' {
			lineStart = true
		} else if !unicode.IsSpace(r) {
			lineStart = false
		}
	}
	return b.String()
}

var (
	userMention  = regexp.MustCompile(`<@!?(\d+)>`)
	otherMention = regexp.MustCompile(`<(?:@&|#)\d+>`)
)

// questionText turns a message's content into the question: the bot's own
// mention (<@id> or <@!id>) removed, other users' mentions replaced by their
// names where known, role and channel mentions dropped, spaces folded.
func questionText(content, botID string, mentions []*discordgo.User) string {
	names := map[string]string{}
	for _, u := range mentions {
		if u != nil {
			names[u.ID] = u.Username
		}
	}
	text := userMention.ReplaceAllStringFunc(content, func(m string) string {
		id := userMention.FindStringSubmatch(m)[1]
		if id == botID {
			return " "
		}
		if name := names[id]; name != "" {
			return "@" + name
		}
		return " "
	})
	text = otherMention.ReplaceAllString(text, " ")
	text = oneLine(text)
	return strings.TrimLeft(text, ",:;-— ")
}

// mentions reports whether a message mentions the bot.
func mentions(m *discordgo.Message, botID string) bool {
	for _, u := range m.Mentions {
		if u != nil && u.ID == botID {
			return true
		}
	}
	return strings.Contains(m.Content, "<@"+botID+">") || strings.Contains(m.Content, "<@!"+botID+">")
}
