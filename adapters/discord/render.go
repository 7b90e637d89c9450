package discord

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf16"

	"github.com/bwmarrin/discordgo"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
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

// Discord's limits on components.
const (
	maxCustomID    = 100 // a component's custom_id
	maxButtonLabel = 80  // a button's label
	maxRowButtons  = 5   // buttons in an action row
)

// Custom ids of the buttons the adapter draws: a prefix, then what the
// click needs.
const (
	idAsk      = "ask:"     // + the question to ask
	idVoteUp   = "fb:up:"   // + the fact the answer gave
	idVoteDown = "fb:down:" // + the fact the answer gave
	idSource   = "src:"     // + the reply's id in Recent
	idShare    = "share:"   // + the reply's id in Recent
)

// message is what the adapter sends for one reply: plain content, or
// embeds, with buttons. Private asks for a reply only the asker sees
// (ephemeral for interactions; a direct message for mentions).
type message struct {
	Content    string
	Embeds     []*discordgo.MessageEmbed
	Components []discordgo.MessageComponent
	Private    bool
}

// renderOptions change how render draws a reply.
type renderOptions struct {
	// ReplyID is the reply's id in the adapter's Recent: with it an answer
	// gets Show source (and Share in channel, with Shareable).
	ReplyID   string
	Shareable bool
}

// render turns a reply into a Discord message within Discord's limits:
// the answer, each quote as its article has it (only markdown escaped),
// numbered by source and tied to the list of sources; 👍 / 👎, Show source
// and the related questions as buttons under an answer, the suggestions
// under a refusal. A silent reply (throttled) renders as the zero message.
func render(r bot.Reply, opt renderOptions) message {
	private := r.Visibility == bot.Private
	switch r.Kind {
	case bot.KindThrottled:
		return message{}
	case bot.KindAnswer, bot.KindNotGiven:
		comps := append(askRow(r.Related), answerRow(r, opt))
		return message{Embeds: []*discordgo.MessageEmbed{answerEmbed(r)}, Components: comps, Private: private}
	case bot.KindDeclined:
		return message{Embeds: []*discordgo.MessageEmbed{declinedEmbed(r)}, Components: askRow(r.Suggestions), Private: private}
	case bot.KindHelp:
		e := &discordgo.MessageEmbed{
			Title:       "Liberterra",
			Description: escape(r.Text) + "\n\n" + escape(bot.WaysToAsk("discord")),
			Color:       colorInfo,
		}
		return message{Embeds: []*discordgo.MessageEmbed{fit(e)}, Private: private}
	case bot.KindSources:
		return message{Embeds: []*discordgo.MessageEmbed{sourcesEmbed(r)}, Private: private}
	case bot.KindTopics:
		return message{Embeds: []*discordgo.MessageEmbed{topicsEmbed(r)}, Private: private}
	default: // small talk, invalid, slow down, error, and any kind added later
		return message{Content: cut(escape(r.Text), maxContent), Private: private}
	}
}

// answerEmbed draws an answer: the question as the title, the answer, a
// field a citation ("[1] The National": the quote), the list of sources,
// and the confidence in the footer (no internal ids).
func answerEmbed(r bot.Reply) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Color: colorAnswer}
	e.Title = cut(escape(oneLine(bot.Visible(r.Question))), maxTitle)
	if e.Title == "" {
		e.Title = "Answer"
	}
	desc := escape(r.Text)
	if r.Conflict {
		e.Color = colorConflict
		desc = "⚠️ **" + escape(bot.ConflictNote) + "**\n\n" + desc
	}
	if len(r.Related) > 0 {
		desc += "\n\n**" + escape(bot.RelatedIntro) + "**" + unbuttoned(r.Related)
	}
	e.Description = cut(desc, maxDescription)
	cited := r.Cited()
	num := map[*facts.Source]int{}
	for _, s := range cited {
		num[s.Source] = s.N
	}
	for _, c := range r.Citations {
		if c.Source == nil {
			continue
		}
		name := fmt.Sprintf("[%d] %s", num[c.Source], bot.SourceName(c.Source))
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: cut(oneLine(name), maxFieldName),
			Value: cut("“"+escape(c.Shown()), maxFieldValue-1) + "”"})
	}
	if f := sourcesField(cited); f != nil {
		// The list of sources goes last; fit drops quotes before it.
		e.Fields = append(e.Fields, f)
	}
	if r.Answered() {
		e.Footer = &discordgo.MessageEmbedFooter{Text: fmt.Sprintf("%s %.2f", bot.ConfidenceLabel, r.Confidence)}
	}
	return fitKeepLast(e)
}

// sourcesField lists the sources cited, numbered, one a line, with links.
func sourcesField(cited []bot.CitedSource) *discordgo.MessageEmbedField {
	if len(cited) == 0 {
		return nil
	}
	var lines []string
	n := 0
	for _, s := range cited {
		line := fmt.Sprintf("[%d] %s", s.N, escape(bot.DescribeSource(s.Source)))
		if u := s.Source.URL; usableURL(u) {
			line += " · [" + bot.ReadArticleLabel + "](" + u + ")"
		}
		line = cut(line, maxFieldValue/len(cited)+200)
		if n+textLen(line)+1 > maxFieldValue {
			lines = append(lines, "…")
			break
		}
		lines = append(lines, line)
		n += textLen(line) + 1
	}
	return &discordgo.MessageEmbedField{Name: bot.SourcesHeading, Value: strings.Join(lines, "\n")}
}

// usableURL reports whether u can stand in a markdown link.
func usableURL(u string) bool {
	return (strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) && !strings.ContainsAny(u, " ()<>\n")
}

func declinedEmbed(r bot.Reply) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Color: colorDeclined}
	if q := oneLine(bot.Visible(r.Question)); q != "" {
		e.Title = cut(escape(q), maxTitle)
	}
	var b strings.Builder
	b.WriteString(escape(r.Text))
	if len(r.Suggestions) > 0 {
		b.WriteString("\n\n**" + escape(bot.SuggestIntro) + "**" + unbuttoned(r.Suggestions))
	}
	e.Description = cut(b.String(), maxDescription)
	return fit(e)
}

// unbuttoned lists the questions too long for a button's custom id, one a
// line; the others are buttons.
func unbuttoned(questions []string) string {
	var b strings.Builder
	for _, q := range questions {
		if len(idAsk)+len(q) > maxCustomID {
			b.WriteString("\n• " + escape(oneLine(q)))
		}
	}
	return b.String()
}

// askRow is a row of buttons that ask the questions given (suggestions,
// related questions), in the clicker's conversation.
func askRow(questions []string) []discordgo.MessageComponent {
	var row discordgo.ActionsRow
	for _, q := range questions {
		if len(idAsk)+len(q) > maxCustomID || len(row.Components) == maxRowButtons {
			continue
		}
		row.Components = append(row.Components, discordgo.Button{Label: cut(oneLine(q), maxButtonLabel),
			Style: discordgo.SecondaryButton, CustomID: idAsk + q})
	}
	if len(row.Components) == 0 {
		return nil
	}
	return []discordgo.MessageComponent{row}
}

// answerRow is 👍, 👎, Show source and, for a private answer, Share.
func answerRow(r bot.Reply, opt renderOptions) discordgo.ActionsRow {
	fact := r.FactID
	if len(idVoteDown)+len(fact) > maxCustomID {
		fact = ""
	}
	row := discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Emoji: &discordgo.ComponentEmoji{Name: bot.VoteUpLabel}, Style: discordgo.SecondaryButton, CustomID: idVoteUp + fact},
		discordgo.Button{Emoji: &discordgo.ComponentEmoji{Name: bot.VoteDownLabel}, Style: discordgo.SecondaryButton, CustomID: idVoteDown + fact},
	}}
	if opt.ReplyID != "" {
		for _, c := range r.Citations {
			if c.Context() != "" {
				row.Components = append(row.Components, discordgo.Button{Label: bot.ShowSourceLabel, Style: discordgo.SecondaryButton, CustomID: idSource + opt.ReplyID})
				break
			}
		}
	}
	if opt.ReplyID != "" && opt.Shareable {
		row.Components = append(row.Components, discordgo.Button{Label: bot.ShareLabel, Style: discordgo.PrimaryButton, CustomID: idShare + opt.ReplyID})
	}
	return row
}

// renderContext draws what Show source shows: each quote's sentence in its
// article, numbered like the answer's citations, privately.
func renderContext(r bot.Reply) message {
	e := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Title: cut(escape(oneLine(bot.Visible(r.Question))), maxTitle),
		Description: escape(bot.ContextIntro), Color: colorInfo}
	cited := r.Cited()
	num := map[*facts.Source]int{}
	for _, s := range cited {
		num[s.Source] = s.N
	}
	for _, c := range r.Citations {
		if c.Source == nil || c.Context() == "" {
			continue
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: cut(fmt.Sprintf("[%d] %s", num[c.Source], bot.SourceName(c.Source)), maxFieldName),
			Value: cut("“"+escape(c.Context()), maxFieldValue-1) + "”"})
	}
	if f := sourcesField(cited); f != nil {
		e.Fields = append(e.Fields, f)
	}
	return message{Embeds: []*discordgo.MessageEmbed{fitKeepLast(e)}, Private: true}
}

func sourcesEmbed(r bot.Reply) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Title: bot.SourcesHeading, Description: cut(escape(r.Text), maxDescription), Color: colorInfo}
	for i, s := range r.Sources {
		var parts []string
		title, headline := bot.SourceTitle(s)
		if headline {
			parts = append(parts, "“"+escape(title)+"”")
		} else if title != "" {
			parts = append(parts, escape(title)+" "+escape(bot.DescriptionNote))
		}
		if s.Date != "" {
			parts = append(parts, escape(s.Date))
		}
		if usableURL(s.URL) {
			parts = append(parts, "["+bot.ReadArticleLabel+"]("+s.URL+")")
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: cut(fmt.Sprintf("[%d] %s", i+1, oneLine(s.Outlet())), maxFieldName),
			Value: cut(strings.Join(parts, " · "), maxFieldValue)})
	}
	return fit(e)
}

func topicsEmbed(r bot.Reply) *discordgo.MessageEmbed {
	e := &discordgo.MessageEmbed{Type: discordgo.EmbedTypeRich, Title: bot.TopicsHeading, Description: cut(escape(r.Text), maxDescription), Color: colorInfo}
	for _, g := range r.Topics {
		topics := make([]string, len(g.Topics))
		for i, t := range g.Topics {
			topics[i] = escape(t)
		}
		e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: cut(oneLine(g.Title), maxFieldName), Value: cut(strings.Join(topics, "; "), maxFieldValue)})
	}
	return fit(e)
}

// fitKeepLast is fit for an embed whose last field must stay (the list of
// sources): fields before it are dropped first.
func fitKeepLast(e *discordgo.MessageEmbed) *discordgo.MessageEmbed {
	if len(e.Fields) == 0 {
		return fit(e)
	}
	last := e.Fields[len(e.Fields)-1]
	e.Fields = e.Fields[:len(e.Fields)-1]
	last.Value = cut(last.Value, maxFieldValue)
	for len(e.Fields) > maxFields-1 || len(e.Fields) > 0 && embedLen(e)+textLen(last.Name)+textLen(last.Value) > maxEmbedTotal {
		e.Fields = e.Fields[:len(e.Fields)-1]
	}
	e.Fields = append(e.Fields, last)
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
