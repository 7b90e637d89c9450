package slack

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"strings"
	"time"

	"github.com/liberterra/liberterra/bot"
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
	TeamID    string          `json:"team_id"`
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
	Tab         string `json:"tab"`          // app_home_opened: home, messages
}

// job is one question to answer, or one click to handle, and where the
// reply goes.
type job struct {
	Text     string
	User     string
	Channel  string
	ThreadTS string // reply in this thread; empty for top level
	// Conversation is the conversation the question belongs to (see
	// conversationKey).
	Conversation string
	Via          bot.Via
	Share        bool // a slash command's reply for everyone (-p)

	// Slash commands reply through the response URL when there is one,
	// and so do clicks.
	ResponseURL string
	Slash       bool

	// Action is the button clicked (one of the Action constants, ActionAsk
	// for any question button), or actionHome to draw the App Home tab;
	// empty for a question. Value is the button's value; Private is set
	// when the button was on a message only the clicker sees.
	Action  string
	Value   actionValue
	Private bool

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

// conversationKey names the conversation of a message: its thread, or,
// in a direct message outside a thread, the DM itself. A slash command
// outside a DM is its user's in that channel.
func conversationKey(team, channel, threadTS string) string {
	k := "slack:" + team + ":" + channel
	if threadTS != "" {
		k += ":" + threadTS
	}
	return k
}

// slashConversation is a slash command's conversation: the DM's when it is
// used in one, else its user's in the channel (its replies are private).
func slashConversation(team, channel, user string) string {
	if isDM(channel, "") {
		return conversationKey(team, channel, "")
	}
	return conversationKey(team, channel, "") + ":user:" + user
}

// actionHome is the job that draws a user's App Home tab.
const actionHome = "home"

// self is who the bot is, learned from auth.test, to ignore its own messages.
type self struct {
	UserID string
	BotID  string
}

// questionFrom turns an event into a job, or reports false when the event
// is not a question for the bot: its own or another bot's message, an edit
// or deletion, a channel message that doesn't mention it.
func questionFrom(team string, ev innerEvent, me self) (job, bool) {
	if ev.Type == "app_home_opened" {
		if ev.Tab != "home" || ev.User == "" {
			return job{}, false
		}
		return job{User: ev.User, Action: actionHome}, true
	}
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
		j.Via = bot.ViaMention
	case ev.Type == "message" && isDM(ev.Channel, ev.ChannelType):
		j.ThreadTS = ev.ThreadTS // stay in a thread if asked in one
		j.Via = bot.ViaDirect
	default:
		return job{}, false
	}
	j.Conversation = conversationKey(team, ev.Channel, j.ThreadTS)
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

// slashJob turns a slash command into a job. Its reply is private unless
// the text starts with -p (or --public): then it is posted for the channel
// at once; --private is the default, accepted and dropped. Empty text asks
// for help.
func slashJob(text, team, user, channel, responseURL string) job {
	text = strings.TrimSpace(text)
	j := job{User: user, Channel: channel, ResponseURL: responseURL, Slash: true, Via: bot.ViaSlash,
		Conversation: slashConversation(team, channel, user)}
	for _, flag := range []string{"-p", "--public", "-public", "--private", "-private"} {
		if text == flag || strings.HasPrefix(text, flag+" ") || strings.HasPrefix(text, flag+"\t") {
			j.Share = !strings.Contains(flag, "private")
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
