package slack

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/liberterra/liberterra/bot"
)

func TestConfigFromEnv(t *testing.T) {
	const bot, app = "xoxb-1-secretpart", "xapp-1-secretpart"
	for _, tc := range []struct {
		name    string
		env     map[string]string
		ok      bool
		mode    Mode
		wantErr []string
	}{
		{name: "nothing set", env: nil, ok: false},
		{name: "socket mode", env: map[string]string{EnvBotToken: bot, EnvAppToken: app}, ok: true, mode: ModeSocket},
		{name: "http mode", env: map[string]string{EnvBotToken: bot, EnvSigningSecret: "abc123"}, ok: true, mode: ModeHTTP},
		{name: "both", env: map[string]string{EnvBotToken: bot, EnvAppToken: app, EnvSigningSecret: "abc"}, ok: true, mode: ModeSocket},
		{name: "no bot token", env: map[string]string{EnvAppToken: app}, ok: true, wantErr: []string{"SLACK_BOT_TOKEN is not set"}},
		{name: "app token as bot token", env: map[string]string{EnvBotToken: app, EnvAppToken: app}, ok: true,
			wantErr: []string{"SLACK_BOT_TOKEN must start with xoxb- (got an app-level token xapp-…)"}},
		{name: "bot token as app token", env: map[string]string{EnvBotToken: bot, EnvAppToken: bot}, ok: true,
			wantErr: []string{"SLACK_APP_TOKEN must start with xapp- (got a bot token xoxb-…)"}},
		{name: "user token", env: map[string]string{EnvBotToken: "xoxp-123", EnvAppToken: app}, ok: true,
			wantErr: []string{"SLACK_BOT_TOKEN must start with xoxb- (got a user token xoxp-…)"}},
		{name: "garbage", env: map[string]string{EnvBotToken: "hello", EnvAppToken: app}, ok: true,
			wantErr: []string{"SLACK_BOT_TOKEN must start with xoxb- (got something else)"}},
		{name: "no mode", env: map[string]string{EnvBotToken: bot}, ok: true, wantErr: []string{"set SLACK_APP_TOKEN"}},
		{name: "token as secret", env: map[string]string{EnvBotToken: bot, EnvSigningSecret: bot}, ok: true,
			wantErr: []string{"SLACK_SIGNING_SECRET must be the app's Signing Secret"}},
		{name: "bad api url", env: map[string]string{EnvBotToken: bot, EnvAppToken: app, EnvAPIURL: "localhost:1234"}, ok: true,
			wantErr: []string{"SLACK_API_URL must be an http:// or https:// URL"}},
		{name: "only api url", env: map[string]string{EnvAPIURL: "http://127.0.0.1:1/api"}, ok: true,
			wantErr: []string{"SLACK_BOT_TOKEN is not set", "set SLACK_APP_TOKEN"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, ok, err := ConfigFromEnv(func(k string) string { return tc.env[k] })
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if len(tc.wantErr) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				if ok && cfg.Mode() != tc.mode {
					t.Errorf("mode %s, want %s", cfg.Mode(), tc.mode)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tc.wantErr)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "secretpart") {
				t.Errorf("error reveals a token: %q", err)
			}
		})
	}
	t.Run("api url gets a slash", func(t *testing.T) {
		env := map[string]string{EnvBotToken: bot, EnvAppToken: app, EnvAPIURL: "http://127.0.0.1:9/api"}
		cfg, _, err := ConfigFromEnv(func(k string) string { return env[k] })
		if err != nil || cfg.APIURL != "http://127.0.0.1:9/api/" {
			t.Errorf("got %q, %v", cfg.APIURL, err)
		}
	})
}

func TestQuestionFrom(t *testing.T) {
	me := self{UserID: "UBOT", BotID: "BBOT"}
	for _, tc := range []struct {
		name       string
		ev         innerEvent
		ok         bool
		text, tsTo string
		conv       string
		via        bot.Via
	}{
		{"mention", innerEvent{Type: "app_mention", User: "U1", Text: "<@UBOT> how many?", TS: "1.1", Channel: "C1"}, true, "how many?", "1.1", "slack:T1:C1:1.1", bot.ViaMention},
		{"mention in thread", innerEvent{Type: "app_mention", User: "U1", Text: "<@UBOT|liberterra>: who?", TS: "2.2", ThreadTS: "1.1", Channel: "C1"}, true, "who?", "1.1", "slack:T1:C1:1.1", bot.ViaMention},
		{"bare mention", innerEvent{Type: "app_mention", User: "U1", Text: "<@UBOT>", TS: "1.1", Channel: "C1"}, true, "help", "1.1", "slack:T1:C1:1.1", bot.ViaMention},
		{"other mention kept", innerEvent{Type: "app_mention", User: "U1", Text: "<@UOTHER> ask <@UBOT>", TS: "1.1", Channel: "C1"}, true, "@UOTHER ask @UBOT", "1.1", "slack:T1:C1:1.1", bot.ViaMention},
		{"dm", innerEvent{Type: "message", ChannelType: "im", User: "U1", Text: "a &amp; b &lt;c&gt; <https://x.org|x>", TS: "1.1", Channel: "D1"}, true, "a & b <c> x", "", "slack:T1:D1", bot.ViaDirect},
		{"dm in thread", innerEvent{Type: "message", ChannelType: "im", User: "U1", Text: "q", TS: "2.1", ThreadTS: "1.1", Channel: "D1"}, true, "q", "1.1", "slack:T1:D1:1.1", bot.ViaDirect},
		{"mention in dm left to message.im", innerEvent{Type: "app_mention", User: "U1", Text: "<@UBOT> q", TS: "1.1", Channel: "D1"}, false, "", "", "", ""},
		{"own message", innerEvent{Type: "message", ChannelType: "im", User: "UBOT", Text: "answer", TS: "1.1", Channel: "D1"}, false, "", "", "", ""},
		{"own bot id", innerEvent{Type: "message", ChannelType: "im", User: "UX", BotID: "BBOT", Text: "answer", TS: "1.1", Channel: "D1"}, false, "", "", "", ""},
		{"other bot", innerEvent{Type: "app_mention", User: "UOTHERBOT", BotID: "B2", Text: "<@UBOT> q", TS: "1.1", Channel: "C1"}, false, "", "", "", ""},
		{"bot_message", innerEvent{Type: "message", ChannelType: "im", Subtype: "bot_message", Text: "q", TS: "1.1", Channel: "D1"}, false, "", "", "", ""},
		{"edit", innerEvent{Type: "message", ChannelType: "im", Subtype: "message_changed", TS: "1.1", Channel: "D1"}, false, "", "", "", ""},
		{"delete", innerEvent{Type: "message", ChannelType: "im", Subtype: "message_deleted", TS: "1.1", Channel: "D1"}, false, "", "", "", ""},
		{"channel message", innerEvent{Type: "message", ChannelType: "channel", User: "U1", Text: "q", TS: "1.1", Channel: "C1"}, false, "", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j, ok := questionFrom("T1", tc.ev, me)
			if ok != tc.ok {
				t.Fatalf("ok = %v, want %v", ok, tc.ok)
			}
			if ok && (j.Text != tc.text || j.ThreadTS != tc.tsTo || j.Channel != tc.ev.Channel || j.User != tc.ev.User || j.Conversation != tc.conv || j.Via != tc.via) {
				t.Errorf("got %+v, want text %q thread %q conversation %q via %q", j, tc.text, tc.tsTo, tc.conv, tc.via)
			}
		})
	}
}

func TestSlashJob(t *testing.T) {
	for _, tc := range []struct {
		in, text string
		share    bool
	}{
		{"how many?", "how many?", false},
		{"-p how many?", "how many?", true},
		{"--public  who?", "who?", true},
		{"--private  who?", "who?", false},
		{"-p", "help", true},
		{"", "help", false},
		{"  topics ", "topics", false},
		{"-pretend", "-pretend", false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			j := slashJob(tc.in, "T1", "U1", "C1", "")
			if j.Text != tc.text || j.Share != tc.share || !j.Slash || j.Via != bot.ViaSlash || j.Conversation != "slack:T1:C1:user:U1" {
				t.Errorf("got %+v", j)
			}
		})
	}
	if j := slashJob("q", "T1", "U1", "D9", ""); j.Conversation != "slack:T1:D9" {
		t.Errorf("a slash command in a DM: conversation %q, want the DM's", j.Conversation)
	}
}

func TestHomeTabEvent(t *testing.T) {
	j, ok := questionFrom("T1", innerEvent{Type: "app_home_opened", User: "U1", Tab: "home"}, self{UserID: "UBOT"})
	if !ok || j.Action != actionHome || j.User != "U1" {
		t.Errorf("app_home_opened: %+v %v", j, ok)
	}
	if _, ok := questionFrom("T1", innerEvent{Type: "app_home_opened", User: "U1", Tab: "messages"}, self{}); ok {
		t.Error("the messages tab drew the home tab")
	}
}

// fakeAPI is a chatAPI that records posts and can refuse with 429s.
type fakeAPI struct {
	mu        sync.Mutex
	limited   int
	posts     []url.Values
	ephemeral []url.Values
	got       chan struct{}
}

func (f *fakeAPI) AuthTestContext(context.Context) (*slack.AuthTestResponse, error) {
	return &slack.AuthTestResponse{UserID: "UBOT", BotID: "BBOT"}, nil
}

func (f *fakeAPI) values(channel string, opts []slack.MsgOption) url.Values {
	_, v, _ := slack.UnsafeApplyMsgOptions("xoxb-x", channel, "http://127.0.0.1/", opts...)
	return v
}

func (f *fakeAPI) PostMessageContext(_ context.Context, channel string, opts ...slack.MsgOption) (string, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.limited > 0 {
		f.limited--
		return "", "", &slack.RateLimitedError{RetryAfter: time.Millisecond}
	}
	f.posts = append(f.posts, f.values(channel, opts))
	f.got <- struct{}{}
	return channel, "1.0", nil
}

func (f *fakeAPI) PostEphemeralContext(_ context.Context, channel, user string, opts ...slack.MsgOption) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v := f.values(channel, opts)
	v.Set("user", user)
	f.ephemeral = append(f.ephemeral, v)
	f.got <- struct{}{}
	return "1.0", nil
}

func (f *fakeAPI) PostWebhookContext(context.Context, string, *slack.WebhookMessage) error {
	panic("not used")
}

func (f *fakeAPI) PublishViewContext(context.Context, slack.PublishViewContextRequest) (*slack.ViewResponse, error) {
	panic("not used")
}

func TestAdapterWithFake(t *testing.T) {
	api := &fakeAPI{limited: 2, got: make(chan struct{}, 20)}
	limited := bot.NewLimiter(realBot(t), time.Hour, 1)
	a := newAdapter(Config{BotToken: "xoxb-x", SigningSecret: "s"}, limited, Options{}, api)
	start(t, a)
	wait := func() {
		t.Helper()
		select {
		case <-api.got:
		case <-time.After(5 * time.Second):
			t.Fatal("nothing posted")
		}
	}
	ev := func(id, text string) []byte {
		return []byte(eventJSON(id, mention("<@UBOT> "+text, "9."+id, "")))
	}
	queue := func(payload []byte) {
		t.Helper()
		j, ok, err := a.callbackJob(payload)
		if !ok || err != nil || !a.enqueue(j) {
			t.Fatalf("event not queued: %v %v", ok, err)
		}
	}
	// Two 429s, then the answer.
	queue(ev("1", "how many victims were rescued?"))
	wait()
	// Over the limit: slow down once (only to the asker), then nothing.
	queue(ev("2", "how many victims were rescued?"))
	wait()
	queue(ev("3", "how many victims were rescued?"))
	select {
	case <-api.got:
		t.Error("a throttled question was answered")
	case <-time.After(50 * time.Millisecond):
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	if len(api.posts) != 1 || api.posts[0].Get("thread_ts") != "9.1" || !strings.Contains(api.posts[0].Get("text"), "3,222") {
		t.Errorf("posts %v", api.posts)
	}
	if len(api.ephemeral) != 1 || api.ephemeral[0].Get("text") != bot.SlowDownText || api.ephemeral[0].Get("user") != "UASKER" {
		t.Errorf("ephemeral %v", api.ephemeral)
	}
}

func TestTransient(t *testing.T) {
	for _, c := range []struct {
		err   error
		retry bool
		after time.Duration
	}{
		{&slack.RateLimitedError{RetryAfter: 7 * time.Second}, true, 7 * time.Second},
		{slack.StatusCodeError{Code: http.StatusTooManyRequests}, true, 0}, // 429 without Retry-After
		{slack.StatusCodeError{Code: http.StatusBadGateway}, true, 0},
		{slack.StatusCodeError{Code: http.StatusNotFound}, false, 0},
		{slack.SlackErrorResponse{Err: "internal_error"}, true, 0},
		{slack.SlackErrorResponse{Err: "channel_not_found"}, false, 0},
		{&url.Error{Op: "Post", URL: "https://slack.com/api/chat.postMessage", Err: io.ErrUnexpectedEOF}, true, 0},
		{context.Canceled, false, 0},
	} {
		retry, after := transient(c.err)
		if retry != c.retry || after != c.after {
			t.Errorf("transient(%v) = %v, %v; want %v, %v", c.err, retry, after, c.retry, c.after)
		}
	}
	if !badToken(slack.SlackErrorResponse{Err: "invalid_auth"}) || badToken(slack.SlackErrorResponse{Err: "channel_not_found"}) {
		t.Error("badToken misreads Slack's errors")
	}
}
