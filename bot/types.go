package bot

import (
	"context"

	"github.com/liberterra/liberterra/facts"
)

// Question is what a person asked, and where from.
type Question struct {
	// Text is the message as typed, platform markup and all: the core
	// cleans it (mentions, emoji, markdown, greetings and fillers).
	Text     string
	User     string // platform user id, for rate limiting; may be empty
	Frontend string // "repl", "cli", "slack", "discord"
	// Conversation identifies the conversation the question belongs to (a
	// Slack thread, a Discord user in a channel, a REPL session), so a
	// follow-up is read in its light; empty for a question on its own.
	Conversation string
	// Via is how the question was asked (the Via constants); it decides
	// who sees the reply and how the reply tells the asker to reach the
	// commands.
	Via Via
	// Share asks for a slash command's reply to be posted for everyone to
	// see, not only the asker (Slack "/liberterra -p …", "Share in channel").
	Share bool
	// Private says the question was asked where only the asker sees the
	// exchange (a click under a private reply): the reply stays private.
	Private bool
}

// Via is how a question reached the bot.
type Via string

// The ways a question reaches the bot.
const (
	ViaTerminal Via = ""        // the REPL or ask: everything is the asker's
	ViaMention  Via = "mention" // a mention in a channel or thread
	ViaDirect   Via = "direct"  // a direct message
	ViaSlash    Via = "slash"   // a slash command (/liberterra, /ask)
	ViaButton   Via = "button"  // a click on a suggestion or related question
)

// Visibility says who sees a reply.
type Visibility string

// The visibilities.
const (
	Public  Visibility = "public"  // everyone in the channel or thread
	Private Visibility = "private" // the asker only (Slack and Discord ephemeral messages)
)

// ReplyKind says what sort of reply the bot gives; front ends render each.
type ReplyKind string

// The kinds of reply.
const (
	KindAnswer    ReplyKind = "answer"    // a fact, with citations
	KindDeclined  ReplyKind = "declined"  // the sources don't cover it; Suggestions may help
	KindNotGiven  ReplyKind = "not_given" // the sources cover the event but not what was asked; Citations say what they do say
	KindSmalltalk ReplyKind = "smalltalk" // hello, thanks, who are you: Text is the bot's reply
	KindHelp      ReplyKind = "help"      // the help command
	KindSources   ReplyKind = "sources"   // the sources command: Sources lists them
	KindTopics    ReplyKind = "topics"    // the topics command: Topics lists them
	KindInvalid   ReplyKind = "invalid"   // empty, too long, binary: Text says why
	KindSlowDown  ReplyKind = "slow_down" // the asker is over the rate limit (said once)
	KindThrottled ReplyKind = "throttled" // still over it: send nothing unasked (Text is for replies that must be sent)
	KindError     ReplyKind = "error"     // the bot failed to answer: Text apologises (ErrorReply)
)

// Citation is a quote that backs an answer, with the source it stands in.
type Citation struct {
	Source *facts.Source
	Quote  string
	// Sentence is the sentence around the quote in the article.
	Sentence string
}

// TopicGroup is a heading and the topics under it, for the topics command.
type TopicGroup struct {
	Title  string
	Topics []string
}

// Reply is the bot's answer to one question. Text is always plain text
// (no markup); front ends escape and format it for their platform.
type Reply struct {
	Question    string
	Kind        ReplyKind
	Text        string
	Confidence  float64 // in [0, 1]; how sure the matcher is of FactID
	FactID      string
	Topic       string
	Conflict    bool // the sources disagree, and Text says who says what
	Citations   []Citation
	Suggestions []string // topics the bot can answer, when it declines
	// Related are up to three questions to ask next, under an answer: the
	// next facts on its topic ("tell me more").
	Related []string
	Sources []*facts.Source
	Topics  []TopicGroup
	// Visibility says who should see the reply; front ends honour it.
	Visibility Visibility
}

// Answered reports whether the reply answers the question from the sources.
func (r Reply) Answered() bool { return r.Kind == KindAnswer }

// Silent reports whether a front end should send nothing for this reply
// unless the platform requires an answer (a Discord interaction, a Slack
// slash command); then it sends Text, privately.
func (r Reply) Silent() bool { return r.Kind == KindThrottled }

// Answerer is the one method front ends call. *Bot implements it, and so
// do the wrappers that add rate limiting, metrics or logging around it.
type Answerer interface {
	Answer(ctx context.Context, q Question) (Reply, error)
}

// AnswererFunc adapts a function to Answerer.
type AnswererFunc func(ctx context.Context, q Question) (Reply, error)

// Answer calls f.
func (f AnswererFunc) Answer(ctx context.Context, q Question) (Reply, error) { return f(ctx, q) }

// Adapter is a front end serving the bot on a chat platform. The core owns
// this port; adapters/slack and adapters/discord implement it.
type Adapter interface {
	// Name is the front end's name in logs and metrics, e.g. "slack".
	Name() string
	// Run serves until ctx is done or a fatal error, then closes its
	// connections. It returns nil after a clean shutdown.
	Run(ctx context.Context) error
	// Connected reports whether the adapter is connected to its platform.
	Connected() bool
}

// Words the front ends show with a reply, decided here once.
const (
	// ConflictNote follows an answer on which the sources disagree.
	ConflictNote = "The sources disagree; each version is cited below."
	// SuggestIntro introduces the topics offered with a refusal.
	SuggestIntro = "You could ask about:"
	// RelatedIntro introduces the related questions under an answer.
	RelatedIntro = "Related questions:"
	// ErrorText is the reply when the bot fails to answer.
	ErrorText = "Sorry, something went wrong on my side and I couldn't answer that. Please try again in a moment."
	// ThrottledText answers a flooding user where a reply must be sent.
	ThrottledText = "I'm still working through your earlier questions. Please wait a few seconds and ask again."
)

// ErrorReply is the reply when answering q failed (a timeout, a front end
// error): an apology, to the asker only. Front ends send it instead of
// nothing.
func ErrorReply(q Question) Reply {
	return Reply{Question: Visible(q.Text), Kind: KindError, Text: ErrorText, Visibility: Private}
}

// visibility decides who sees a reply to q: refusals of the input itself,
// rate limits and errors only the asker; a slash command's reply only the
// asker unless they asked to share it; the rest everyone.
func visibility(q Question, k ReplyKind) Visibility {
	switch {
	case k == KindInvalid || k == KindSlowDown || k == KindThrottled || k == KindError:
		return Private
	case (q.Via == ViaSlash || q.Private) && !q.Share:
		return Private
	}
	return Public
}

// topicsHint tells the asker how to see the topics where they are.
func topicsHint(q Question) string {
	switch {
	case q.Via == ViaSlash && q.Frontend == "slack":
		return "type /liberterra topics to see what I know"
	case q.Via == ViaSlash:
		return "use /topics to see what I know"
	case q.Via == ViaMention:
		return "mention me with \"topics\" to see what I know"
	case q.Via == ViaDirect:
		return "send \"topics\" to see what I know"
	case q.Via == ViaButton:
		return "ask me for \"topics\" to see what I know"
	}
	return "type \"topics\" to see what I know"
}
