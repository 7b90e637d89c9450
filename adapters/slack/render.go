package slack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
)

// Slack's limits on a message, in characters.
const (
	MaxSectionText = 3000 // text of a section block
	MaxContextText = 3000 // text of one context element
	MaxBlocks      = 50   // blocks in one message
	MaxFallback    = 3000 // the plain-text fallback (Slack truncates long ones)
	MaxButtonText  = 75   // a button's text
	MaxButtonValue = 2000 // a button's value
	maxContextElts = 10   // elements in one context block
)

// Action ids of the buttons the adapter draws; the interactive endpoint
// and Socket Mode read them back.
const (
	ActionAsk        = "lt_ask"   // ask the question in the value (ActionAsk_0, _1, …)
	ActionVoteUp     = "lt_up"    // 👍 on an answer
	ActionVoteDown   = "lt_down"  // 👎 on an answer
	ActionShowSource = "lt_src"   // the sentence around each quote
	ActionShare      = "lt_share" // post a private answer in the channel
)

// actionValue is what a button carries back when clicked: everything the
// click needs, so that it works on any replica and after a restart
// (Show source and Share find the reply itself in the adapter's Recent).
type actionValue struct {
	Q string `json:"q,omitempty"` // the question to ask, or the one answered
	C string `json:"c,omitempty"` // the conversation the answer belongs to
	F string `json:"f,omitempty"` // the fact the answer gave
	R string `json:"r,omitempty"` // the reply's id in Recent
}

// encode is the value as a button's value, the question cut so it fits.
func (v actionValue) encode() string {
	for {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(v)
		s := strings.TrimSuffix(b.String(), "\n")
		if len(s) <= MaxButtonValue || v.Q == "" {
			return s
		}
		r := []rune(v.Q)
		v.Q = string(r[:len(r)*3/4])
	}
}

// decodeValue reads a button's value.
func decodeValue(s string) (actionValue, error) {
	var v actionValue
	err := json.Unmarshal([]byte(s), &v)
	return v, err
}

// Message is a rendered reply: Block Kit blocks, and Text, the plain
// fallback shown in notifications and by clients that can't draw blocks.
type Message struct {
	Text   string        `json:"text"`
	Blocks []slack.Block `json:"blocks"`
}

// RenderOptions changes how Render draws a reply.
type RenderOptions struct {
	// Echo shows the question above the answer (for slash commands and
	// shared answers, whose replies don't sit under the question).
	Echo bool
	// Conversation is the conversation the reply belongs to: a click on a
	// suggestion or related question asks it there.
	Conversation string
	// ReplyID is the reply's id in the adapter's Recent: with it an answer
	// gets the Show source action (and Share, with Shareable).
	ReplyID string
	// Shareable adds "Share in channel" under a private answer.
	Shareable bool
}

// Render draws a reply for Slack. What the bot, the asker or an article
// says goes in plain_text elements, which Slack shows as they are (only
// &, < and > are escaped, as Slack requires): a quote is the article's
// word for word, and nothing anyone typed can mention people or draw
// links. Citations are numbered by source, [1] [2], and tied to the list
// of sources under them. Answers get 👍 / 👎 and Show source, refusals a
// button for each suggestion, answers their related questions as buttons.
// Everything is cut to Slack's limits. A silent (throttled) reply renders
// as the zero Message.
func Render(r bot.Reply, opt RenderOptions) Message {
	if r.Silent() {
		return Message{}
	}
	var blocks []slack.Block
	var text strings.Builder
	if q := oneLine(bot.Visible(r.Question)); opt.Echo && q != "" {
		blocks = append(blocks, contextBlock(mrkdwn("*"+bot.AskedLabel+"*"), plain(q)))
	}
	switch r.Kind {
	case bot.KindAnswer, bot.KindNotGiven:
		if r.Conflict {
			blocks = append(blocks, contextBlock(mrkdwn(":warning: *"+escapeText(bot.ConflictNote)+"*")))
			text.WriteString(bot.ConflictNote + " ")
		}
		blocks = append(blocks, section(r.Text))
		text.WriteString(r.Text)
		cited := r.Cited()
		cites, list := citations(r, cited), sourceList(cited)
		// Room for every source and the actions first; quotes past it are
		// left out, with a note.
		room := MaxBlocks - len(blocks) - len(list) - 4
		if len(cites) > room && room > 0 {
			more := len(cites) - room + 1
			cites = append(cites[:room-1], contextBlock(plain(fmt.Sprintf(bot.MoreQuotesFormat, more))))
		}
		blocks = append(blocks, cites...)
		blocks = append(blocks, list...)
		var names []string
		for _, s := range cited {
			names = append(names, fmt.Sprintf("[%d] %s", s.N, bot.SourceName(s.Source)))
		}
		if len(names) > 0 {
			text.WriteString(" (" + strings.Join(names, "; ") + ")")
		}
		if len(r.Related) > 0 {
			blocks = append(blocks, contextBlock(plain(bot.RelatedIntro)), askButtons(r.Related, opt.Conversation))
		}
		blocks = append(blocks, answerActions(r, opt))
	case bot.KindDeclined:
		blocks = append(blocks, section(r.Text))
		text.WriteString(r.Text)
		if len(r.Suggestions) > 0 {
			blocks = append(blocks, contextBlock(plain(bot.SuggestIntro)), askButtons(r.Suggestions, opt.Conversation))
			text.WriteString(" " + bot.SuggestIntro + " " + strings.Join(r.Suggestions, "; ") + ".")
		}
	case bot.KindSources:
		blocks = append(blocks, section(r.Text))
		text.WriteString(r.Text)
		for i, s := range r.Sources {
			blocks = append(blocks, sourceBlock(i+1, s))
			text.WriteString(fmt.Sprintf(" [%d] %s.", i+1, bot.DescribeSource(s)))
		}
	case bot.KindTopics:
		blocks = append(blocks, section(r.Text))
		text.WriteString(r.Text)
		for _, g := range r.Topics {
			blocks = append(blocks, section(g.Title+": "+strings.Join(g.Topics, "; ")))
			text.WriteString(" " + g.Title + ".")
		}
	case bot.KindHelp:
		blocks = append(blocks, section(r.Text), contextBlock(plain(bot.WaysToAsk("slack"))))
		text.WriteString(r.Text)
	default: // small talk, invalid, slow down, error, and any kind added later
		blocks = append(blocks, section(r.Text))
		text.WriteString(r.Text)
	}
	if len(blocks) > MaxBlocks {
		// Keep the last block (the actions) and say what was left out.
		more := len(blocks) - (MaxBlocks - 1)
		last := blocks[len(blocks)-1]
		blocks = append(blocks[:MaxBlocks-2], contextBlock(plain(fmt.Sprintf("…and %d more not shown.", more))), last)
	}
	return Message{Text: fitPlain(escapeText(text.String()), MaxFallback), Blocks: blocks}
}

// citations draws each citation in the reply's order: its source's number
// and name, then the quote as the article has it, in plain text.
func citations(r bot.Reply, cited []bot.CitedSource) []slack.Block {
	num := map[*facts.Source]int{}
	for _, s := range cited {
		num[s.Source] = s.N
	}
	var out []slack.Block
	for _, c := range r.Citations {
		if c.Source == nil {
			continue
		}
		out = append(out, contextBlock(mrkdwn(fmt.Sprintf("*[%d]*", num[c.Source])), plain(bot.SourceName(c.Source)+":"),
			plain("\u201c"+c.Shown()+"\u201d")))
	}
	return out
}

// sourceList draws the numbered list of the sources cited.
func sourceList(cited []bot.CitedSource) []slack.Block {
	if len(cited) == 0 {
		return nil
	}
	out := []slack.Block{contextBlock(mrkdwn("*" + bot.SourcesHeading + "*"))}
	for _, s := range cited {
		out = append(out, sourceBlock(s.N, s.Source))
	}
	return out
}

// sourceBlock is one numbered source: its description in plain text and a
// link to the article where there is one.
func sourceBlock(n int, s *facts.Source) slack.Block {
	elems := []slack.MixedElement{mrkdwn(fmt.Sprintf("*[%d]*", n)), plain(bot.DescribeSource(s))}
	if u := s.URL; usableURL(u) {
		elems = append(elems, mrkdwn("<"+escapeText(u)+"|"+bot.ReadArticleLabel+">"))
	}
	return contextBlock(elems...)
}

// askButtons draws one button a question (a suggestion, a related
// question): a click asks it in the conversation.
func askButtons(questions []string, conversation string) slack.Block {
	var elems []slack.BlockElement
	for i, q := range questions {
		v := actionValue{Q: q, C: conversation}
		elems = append(elems, button(fmt.Sprintf("%s_%d", ActionAsk, i), v.encode(), oneLine(q), ""))
		if len(elems) == 25 {
			break
		}
	}
	return slack.NewActionBlock("", elems...)
}

// answerActions are the actions on an answer: 👍 and 👎, Show source, and
// Share in channel for a private one.
func answerActions(r bot.Reply, opt RenderOptions) slack.Block {
	vote := actionValue{Q: oneLine(bot.Visible(r.Question)), F: r.FactID}.encode()
	elems := []slack.BlockElement{
		button(ActionVoteUp, vote, bot.VoteUpLabel, bot.VoteUpHint),
		button(ActionVoteDown, vote, bot.VoteDownLabel, bot.VoteDownHint),
	}
	if opt.ReplyID != "" && hasContext(r) {
		elems = append(elems, button(ActionShowSource, actionValue{R: opt.ReplyID}.encode(), bot.ShowSourceLabel, ""))
	}
	if opt.ReplyID != "" && opt.Shareable {
		share := button(ActionShare, actionValue{R: opt.ReplyID, Q: oneLine(bot.Visible(r.Question)), C: opt.Conversation}.encode(), bot.ShareLabel, "")
		share.Style = slack.StylePrimary
		elems = append(elems, share)
	}
	return slack.NewActionBlock("", elems...)
}

// hasContext reports whether some citation knows the sentence around it.
func hasContext(r bot.Reply) bool {
	for _, c := range r.Citations {
		if c.Context() != "" {
			return true
		}
	}
	return false
}

// RenderContext draws what Show source shows: each quote's sentence in
// its article, numbered by source like the answer's citations.
func RenderContext(r bot.Reply) Message {
	blocks := []slack.Block{contextBlock(plain(bot.ContextIntro))}
	var text strings.Builder
	text.WriteString(bot.ContextIntro)
	cited := r.Cited()
	num := map[*facts.Source]int{}
	for _, s := range cited {
		num[s.Source] = s.N
	}
	for _, c := range r.Citations {
		sentence := c.Context()
		if c.Source == nil || sentence == "" {
			continue
		}
		head := fmt.Sprintf("[%d] %s:", num[c.Source], bot.SourceName(c.Source))
		blocks = append(blocks, section(head+" \u201c"+sentence+"\u201d"))
		text.WriteString(" " + head + " \u201c" + sentence + "\u201d")
	}
	blocks = append(blocks, sourceList(cited)...)
	if len(blocks) > MaxBlocks {
		blocks = blocks[:MaxBlocks]
	}
	return Message{Text: fitPlain(escapeText(text.String()), MaxFallback), Blocks: blocks}
}

// RenderHome draws the App Home tab: what the bot answers and how to ask
// (the help), how to ask in Slack, and the numbered list of sources.
func RenderHome(sources []*facts.Source) slack.HomeTabViewRequest {
	blocks := []slack.Block{section(bot.HelpText), section(bot.WaysToAsk("slack"))}
	if len(sources) > 0 {
		blocks = append(blocks, contextBlock(mrkdwn("*"+bot.SourcesHeading+"*")))
		for i, s := range sources {
			blocks = append(blocks, sourceBlock(i+1, s))
		}
	}
	if len(blocks) > 100 { // a view's limit
		blocks = blocks[:100]
	}
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}

// button is a button with plain text, cut to fit; hint (if any) is what a
// screen reader says.
func button(actionID, value, label, hint string) *slack.ButtonBlockElement {
	b := slack.NewButtonBlockElement(actionID, value, slack.NewTextBlockObject(slack.PlainTextType, fitPlain(escapeText(label), MaxButtonText), true, false))
	b.AccessibilityLabel = hint
	return b
}

// usableURL reports whether u can stand in a Slack link.
func usableURL(u string) bool {
	return u != "" && !strings.ContainsAny(u, "<>| \t\n") && (strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://"))
}

// section is a section block of plain text: shown as it is.
func section(text string) slack.Block {
	return slack.NewSectionBlock(plainObject(fitPlain(escapeText(text), MaxSectionText)), nil, nil)
}

// plain is a plain text element: shown as it is, white space folded.
func plain(text string) *slack.TextBlockObject {
	return plainObject(fitPlain(escapeText(oneLine(text)), MaxContextText))
}

func plainObject(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, text, false, false)
}

// mrkdwn is a mrkdwn element for the adapter's own layout (bold, links);
// the caller escapes what goes in it.
func mrkdwn(text string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, fitMrkdwn(text, MaxContextText), false, true)
}

// contextBlock is a context block of at most ten elements.
func contextBlock(elems ...slack.MixedElement) slack.Block {
	if len(elems) > maxContextElts {
		elems = elems[:maxContextElts]
	}
	return slack.NewContextBlock("", elems...)
}

// escapeText escapes the three characters Slack reserves, so text can't
// mention users (<@U…>, <!channel>) or draw links; Slack shows them as
// typed.
func escapeText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// oneLine folds runs of white space, newlines included, into one space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// fitPlain cuts escaped text to at most limit characters, at a word,
// ending in "…", never inside an entity (&amp;).
func fitPlain(s string, limit int) string { return cut(s, limit, true) }

// fitMrkdwn cuts mrkdwn text like fitPlain, never inside an entity or a
// link (<url|title>).
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
