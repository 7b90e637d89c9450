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
}

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
	KindThrottled ReplyKind = "throttled" // still over it: send nothing at all
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
	Sources     []*facts.Source
	Topics      []TopicGroup
}

// Answered reports whether the reply answers the question from the sources.
func (r Reply) Answered() bool { return r.Kind == KindAnswer }

// Silent reports whether a front end should send nothing for this reply.
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
