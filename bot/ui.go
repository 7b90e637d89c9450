package bot

import (
	"strings"

	"github.com/liberterra/liberterra/facts"
)

// Words the front ends show around a reply, worded here once: front ends
// add layout only (bold, emoji, buttons, links).
const (
	// AskedLabel introduces the question above a reply that doesn't sit
	// under it (a slash command's).
	AskedLabel = "Asked:"
	// SourcesHeading heads the numbered list of sources under an answer.
	SourcesHeading = "Sources"
	// DescriptionNote follows a source's title when the title is the
	// curators' description of an article whose text gives no headline.
	DescriptionNote = "(our description; no headline)"
	// ReadArticleLabel is the text of a link to an article.
	ReadArticleLabel = "Read the article"
	// ConfidenceLabel introduces how sure the matcher is of an answer.
	ConfidenceLabel = "Confidence"
	// ShowSourceLabel is the action that shows the sentence around each
	// quote of an answer.
	ShowSourceLabel = "Show source"
	// ContextIntro heads what Show source shows.
	ContextIntro = "Where each quote stands in its article:"
	// ShareLabel is the action that posts a private answer for everyone.
	ShareLabel = "Share in channel"
	// VoteUpLabel and VoteDownLabel are the feedback actions on an
	// answer; the hints describe them to screen readers.
	VoteUpLabel   = "👍"
	VoteDownLabel = "👎"
	VoteUpHint    = "This answer is right"
	VoteDownHint  = "This answer is wrong"
	// FeedbackUpText and FeedbackDownText thank the asker, privately.
	FeedbackUpText   = "Thanks, glad it helped."
	FeedbackDownText = "Thanks for telling me. The curators will look at this answer and its sources."
	// TopicsHeading heads the topics command's reply where a front end
	// draws a title.
	TopicsHeading = "Topics"
	// MoreQuotesFormat notes the quotes a front end had no room for.
	MoreQuotesFormat = "…and %d more quotes not shown."
	// ReplyGoneText answers an action on a reply the front end no longer
	// holds (it restarted, or the reply is old).
	ReplyGoneText = "I no longer have that answer at hand. Please ask the question again."
	// BusyText, RestartText and NotReadyText answer, privately, a
	// question a front end cannot take now and the platform will not send
	// again.
	BusyText     = "I'm answering a lot of questions right now. Please ask again in a minute."
	RestartText  = "I'm restarting. Please ask again in a minute."
	NotReadyText = "I'm still connecting. Please ask again in a minute."
)

// WaysToAsk says how to ask the bot on a front end ("slack", "discord"),
// for its help and home page; "" for the others, where HelpText says it.
func WaysToAsk(frontend string) string {
	switch frontend {
	case "slack":
		return "In Slack: mention me in a channel (@liberterra how many victims were rescued?) and I answer in a thread, " +
			"where follow-ups work; send me a direct message; or use /liberterra followed by your question: only you see " +
			"the answer, with a button to share it in the channel (/liberterra -p posts it for everyone at once). " +
			"/liberterra help, /liberterra topics and /liberterra sources work too."
	case "discord":
		return "On Discord: /ask with your question (only you see the answer, with a button to share it; set public to " +
			"post it for everyone at once), /topics, /sources and /help; or mention me with a question in a channel or " +
			"a thread. In a direct message, just write."
	}
	return ""
}

// Examples are questions a new user can try.
var Examples = []string{
	"How many victims were rescued?",
	"What happened in Algeria?",
	"Which had more arrests, Serbia or Montenegro?",
	"Who is Stephen Kavanagh?",
	"How long did the operation last?",
}

// CitedSource is one source a reply cites, with the number front ends
// show for it ([1], [2], …) and its citations, in the reply's order.
type CitedSource struct {
	N      int
	Source *facts.Source
	Cites  []Citation
}

// Cited numbers the sources of r's citations in the order they are first
// cited, each with its citations: the numbered list of sources front ends
// show under an answer, every quote tied to its source's number.
func (r Reply) Cited() []CitedSource {
	var out []CitedSource
	at := map[*facts.Source]int{}
	for _, c := range r.Citations {
		if c.Source == nil {
			continue
		}
		i, ok := at[c.Source]
		if !ok {
			i = len(out)
			at[c.Source] = i
			out = append(out, CitedSource{N: i + 1, Source: c.Source})
		}
		out[i].Cites = append(out[i].Cites, c)
	}
	return out
}

// Shown is the quote as the article has it, character for character
// (facts.Source.Verbatim), white space folded.
func (c Citation) Shown() string {
	if c.Source == nil {
		return oneLine(c.Quote)
	}
	return c.Source.Verbatim(c.Quote)
}

// Context is the sentence around the quote as the article has it; "" when
// it is not known.
func (c Citation) Context() string {
	if c.Source == nil || c.Sentence == "" {
		return ""
	}
	return c.Source.Verbatim(c.Sentence)
}

// notNamed is what a label says when the text names no outlet.
const notNamed = "(outlet not named)"

// SourceName names a source beside a quote: its outlet, without the
// "(outlet not named)" of a label, which the list of sources says once.
func SourceName(s *facts.Source) string {
	if s == nil {
		return "unknown source"
	}
	return strings.TrimSpace(strings.TrimSuffix(s.Outlet(), notNamed))
}

// SourceTitle is a source's title as the list of sources shows it, and
// whether it is the article's own headline. A description (no headline)
// loses a closing remark in brackets that only repeats who published it
// ("(article, outlet not named)", "(article by George Allison)"): the
// outlet stands beside it.
func SourceTitle(s *facts.Source) (title string, headline bool) {
	if s == nil {
		return "", false
	}
	t := strings.TrimSpace(s.Title)
	if s.Headline {
		return t, true
	}
	if strings.HasSuffix(t, ")") {
		if i := strings.LastIndex(t, " ("); i > 0 {
			remark := strings.ToLower(t[i:])
			if strings.Contains(remark, "outlet not named") ||
				s.Author != "" && strings.Contains(remark, strings.ToLower(s.Author)) ||
				s.Publisher != "" && strings.Contains(remark, strings.ToLower(s.Publisher)) {
				t = strings.TrimSpace(t[:i])
			}
		}
	}
	return t, false
}

// DescribeSource describes a source in the list of sources: its outlet
// (as Outlet says it), then its headline in quotation marks, or its
// description followed by DescriptionNote, then its date when known.
// Front ends add the link to the article.
func DescribeSource(s *facts.Source) string {
	if s == nil {
		return "unknown source"
	}
	title, headline := SourceTitle(s)
	line := s.Outlet()
	switch {
	case headline:
		line += ", \u201c" + title + "\u201d"
	case title != "":
		line += ": " + title + " " + DescriptionNote
	}
	if s.Date != "" {
		line += ", " + s.Date
	}
	return line
}
