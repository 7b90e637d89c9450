package slack

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// DefaultAPIURL is Slack's own Web API base.
const DefaultAPIURL = "https://slack.com/api/"

// The environment variables the adapter reads.
const (
	EnvBotToken      = "SLACK_BOT_TOKEN"
	EnvAppToken      = "SLACK_APP_TOKEN"
	EnvSigningSecret = "SLACK_SIGNING_SECRET"
	EnvAPIURL        = "SLACK_API_URL"
)

// Mode is how the adapter receives events from Slack.
type Mode string

// The modes.
const (
	// ModeSocket receives events over a Socket Mode websocket (no public URL).
	ModeSocket Mode = "socket"
	// ModeHTTP receives events and slash commands as signed HTTP requests.
	ModeHTTP Mode = "http"
)

// Config is the adapter's configuration, usually read from the environment
// by ConfigFromEnv.
type Config struct {
	BotToken      string // SLACK_BOT_TOKEN, xoxb-…
	AppToken      string // SLACK_APP_TOKEN, xapp-…: Socket Mode
	SigningSecret string // SLACK_SIGNING_SECRET: Events API over HTTP
	APIURL        string // SLACK_API_URL; empty means DefaultAPIURL
}

// ConfigFromEnv reads the SLACK_ variables with getenv. It returns ok false
// when none of them is set (Slack is not configured), and an error naming
// each variable that is set wrongly. Errors never contain a token or secret.
func ConfigFromEnv(getenv func(string) string) (cfg Config, ok bool, err error) {
	cfg = Config{
		BotToken:      strings.TrimSpace(getenv(EnvBotToken)),
		AppToken:      strings.TrimSpace(getenv(EnvAppToken)),
		SigningSecret: strings.TrimSpace(getenv(EnvSigningSecret)),
		APIURL:        strings.TrimSpace(getenv(EnvAPIURL)),
	}
	if cfg == (Config{}) {
		return cfg, false, nil
	}
	if err := cfg.Validate(); err != nil {
		return cfg, true, err
	}
	cfg.APIURL = cfg.apiURL()
	return cfg, true, nil
}

// Mode says how the adapter receives events: Socket Mode when an app token
// is set (the default), else the Events API over HTTP.
func (c Config) Mode() Mode {
	if c.AppToken != "" {
		return ModeSocket
	}
	return ModeHTTP
}

// apiURL is the API base, ending in "/".
func (c Config) apiURL() string {
	u := c.APIURL
	if u == "" {
		return DefaultAPIURL
	}
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

// Validate reports every problem in c, one line per problem, each naming
// the variable to fix.
func (c Config) Validate() error {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	switch {
	case c.BotToken == "":
		add("%s is not set: it is the app's Bot User OAuth Token (xoxb-…)", EnvBotToken)
	case !strings.HasPrefix(c.BotToken, "xoxb-"):
		add("%s must start with xoxb- (got %s)", EnvBotToken, describe(c.BotToken))
	}
	if c.AppToken != "" && !strings.HasPrefix(c.AppToken, "xapp-") {
		add("%s must start with xapp- (got %s)", EnvAppToken, describe(c.AppToken))
	}
	if k := tokenKind(c.SigningSecret); k != "" {
		add("%s must be the app's Signing Secret, not a token (got %s)", EnvSigningSecret, k)
	}
	if c.AppToken == "" && c.SigningSecret == "" {
		add("set %s (xapp-…, Socket Mode) or %s (Events API over HTTP) with %s", EnvAppToken, EnvSigningSecret, EnvBotToken)
	}
	if c.APIURL != "" {
		u, err := url.Parse(c.APIURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			add("%s must be an http:// or https:// URL such as %s", EnvAPIURL, DefaultAPIURL)
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}

// tokenKind names the kind of Slack token s looks like, without revealing
// more than its prefix; "" when s is no token.
func tokenKind(s string) string {
	for _, k := range []struct{ prefix, name string }{
		{"xoxb-", "a bot token"},
		{"xapp-", "an app-level token"},
		{"xoxp-", "a user token"},
		{"xoxe", "a refresh or config token"},
		{"xoxa-", "a workspace token"},
		{"xoxc-", "a browser session token"},
		{"xoxs-", "a session token"},
	} {
		if strings.HasPrefix(s, k.prefix) {
			return k.name + " " + k.prefix + "…"
		}
	}
	return ""
}

// describe says what s is, for an error message, without revealing it.
func describe(s string) string {
	if k := tokenKind(s); k != "" {
		return k
	}
	return "something else"
}
