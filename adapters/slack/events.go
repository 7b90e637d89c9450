package slack

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strings"
	"time"
)

// How long a delivery is remembered, so that the same event or command
// arriving again is not answered twice.
const (
	// EventWindow covers Slack's retries of an event (it retries for up
	// to an hour when it gets no 200 in time) and Socket Mode redeliveries.
	EventWindow = time.Hour
	// CommandWindow covers a replay of a signed slash command: a signature
	// is accepted for 5 minutes either side of its timestamp.
	CommandWindow = 10 * time.Minute
)

// outerEvent is the envelope of an Events API callback, the same over HTTP
// and inside a Socket Mode events_api envelope.
type outerEvent struct {
	Type      string          `json:"type"` // event_callback, url_verification
	Challenge string          `json:"challenge"`
	EventID   string          `json:"event_id"`
	Event     json.RawMessage `json:"event"`
}

// innerEvent holds the fields of app_mention and message events we read.
type innerEvent struct {
	Type        string `json:"type"`    // app_mention, message
	Subtype     string `json:"subtype"` // bot_message, message_changed, …
	User        string `json:"user"`
	BotID       string `json:"bot_id"`
	Text        string `json:"text"`
	TS          string `json:"ts"`
	ThreadTS    string `json:"thread_ts"`
	Channel     string `json:"channel"`
	ChannelType string `json:"channel_type"` // im, channel, group, mpim (message events only)
}

// job is one question to answer, and where the reply goes.
type job struct {
	Text      string
	User      string
	Channel   string
	ThreadTS  string // reply in this thread; empty for top level
	Ephemeral bool   // only the asker sees the reply

	// Slash commands reply through the response URL when there is one.
	ResponseURL string
	Slash       bool

	// Key identifies the delivery for deduplication (the same event
	// delivered again has the same key), remembered for Window.
	Key    string
	Window time.Duration
}

// eventKey is the dedupe key of an event callback: its event_id, or, for
// an event without one, a hash of the event itself (each message has its
// own channel and ts, so two different events never share it).
func eventKey(outer outerEvent) string {
	if outer.EventID != "" {
		return "slack:event:" + outer.EventID
	}
	return "slack:event-sha256:" + hashHex(outer.Event)
}

// hashHex is the SHA-256 of the parts, in hex.
func hashHex(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// self is who the bot is, learned from auth.test, to ignore its own messages.
type self struct {
	UserID string
	BotID  string
}

// questionFrom turns an event into a job, or reports false when the event
// is not a question for the bot: its own or another bot's message, an edit
// or deletion, a channel message that doesn't mention it.
func questionFrom(ev innerEvent, me self) (job, bool) {
	if ev.BotID != "" || ev.Subtype != "" || ev.User == "" {
		return job{}, false // bots (bot_id, bot_message), edits, deletions, joins
	}
	if ev.User == me.UserID || (me.BotID != "" && ev.BotID == me.BotID) {
		return job{}, false
	}
	j := job{User: ev.User, Channel: ev.Channel}
	switch {
	case ev.Type == "app_mention":
		if isDM(ev.Channel, "") {
			return job{}, false // the message.im event answers it
		}
		j.ThreadTS = ev.ThreadTS
		if j.ThreadTS == "" {
			j.ThreadTS = ev.TS
		}
	case ev.Type == "message" && isDM(ev.Channel, ev.ChannelType):
		j.ThreadTS = ev.ThreadTS // stay in a thread if asked in one
	default:
		return job{}, false
	}
	j.Text = plainText(stripMention(ev.Text, me.UserID))
	if strings.TrimSpace(j.Text) == "" {
		j.Text = "help" // a bare mention: say what the bot does
	}
	return j, true
}

// isDM reports whether a channel is a direct message with the bot.
func isDM(channel, channelType string) bool {
	if channelType != "" {
		return channelType == "im"
	}
	return strings.HasPrefix(channel, "D")
}

var leadingMention = regexp.MustCompile(`^\s*<@([A-Z0-9]+)(?:\|[^>]*)?>[\s,:;]*`)

// stripMention removes a leading mention of the bot (<@U123> or
// <@U123|name>) and the punctuation after it.
func stripMention(text, botUserID string) string {
	m := leadingMention.FindStringSubmatchIndex(text)
	if m == nil || (botUserID != "" && text[m[2]:m[3]] != botUserID) {
		return text
	}
	return text[m[1]:]
}

var markup = regexp.MustCompile(`<([^<>]*)>`)

// plainText undoes Slack's message markup: links show their label (or the
// URL), mentions of users, channels and groups show as @name or #name, and
// &amp; &lt; &gt; are unescaped.
func plainText(s string) string {
	s = markup.ReplaceAllStringFunc(s, func(m string) string {
		inner := m[1 : len(m)-1]
		target, label, hasLabel := strings.Cut(inner, "|")
		switch {
		case strings.HasPrefix(target, "@"):
			if hasLabel {
				return "@" + label
			}
			return target
		case strings.HasPrefix(target, "#"):
			if hasLabel {
				return "#" + label
			}
			return target
		case strings.HasPrefix(target, "!"):
			if hasLabel {
				return label
			}
			name, _, _ := strings.Cut(target[1:], "^")
			return "@" + name
		case hasLabel:
			return label
		}
		return strings.TrimPrefix(target, "mailto:")
	})
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}

// slashJob turns a slash command into a job: "-p" (or --private) makes the
// reply ephemeral; empty text asks for help.
func slashJob(text, user, channel, responseURL string) job {
	text = strings.TrimSpace(text)
	j := job{User: user, Channel: channel, ResponseURL: responseURL, Slash: true}
	for _, flag := range []string{"-p", "--private", "-private"} {
		if text == flag || strings.HasPrefix(text, flag+" ") || strings.HasPrefix(text, flag+"\t") {
			j.Ephemeral = true
			text = strings.TrimSpace(text[len(flag):])
			break
		}
	}
	j.Text = plainText(text)
	if j.Text == "" {
		j.Text = "help"
	}
	return j
}
