package slack

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/slack-go/slack"

	"github.com/liberterra/liberterra/bot"
)

// chatAPI is the part of the Slack Web API the adapter uses. *slack.Client
// provides all but PostWebhookContext (see sdkClient); tests hand in a fake.
type chatAPI interface {
	AuthTestContext(ctx context.Context) (*slack.AuthTestResponse, error)
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error)
	// PostWebhookContext posts a slash command's reply to its response_url.
	PostWebhookContext(ctx context.Context, url string, msg *slack.WebhookMessage) error
	// PublishViewContext draws a user's App Home tab.
	PublishViewContext(ctx context.Context, req slack.PublishViewContextRequest) (*slack.ViewResponse, error)
}

// sdkClient is the real chatAPI.
type sdkClient struct {
	*slack.Client
	http *http.Client
}

func (c sdkClient) PostWebhookContext(ctx context.Context, url string, msg *slack.WebhookMessage) error {
	return slack.PostWebhookCustomHTTPContext(ctx, url, c.http, msg)
}

// sdkRetry is slack-go's own retry of single HTTP calls to the Web API:
// dropped connections and 5xx answers, a few times, quickly. Rate limits
// (429) are left to the adapter's retry, which honours Retry-After, waits
// when Slack sends none, and covers response_url posts too.
func sdkRetry() slack.RetryConfig {
	cfg := slack.RetryConfig{
		MaxRetries:     2,
		BackoffInitial: 200 * time.Millisecond,
		BackoffMax:     2 * time.Second,
		BackoffJitter:  200 * time.Millisecond,
	}
	cfg.Handlers = []slack.RetryHandler{slack.NewConnectionErrorRetryHandler(), slack.NewServerErrorRetryHandler(cfg)}
	return cfg
}

// defaultRetry retries the adapter's calls to Slack (auth.test, posts)
// while they fail for a while: rate limits with or without Retry-After,
// 5xx answers, Slack's own transient errors, dropped connections and
// timeouts. The job's deadline bounds it.
var defaultRetry = bot.Retry{Backoff: bot.Backoff{Min: time.Second, Max: 30 * time.Second}, Transient: transient}

// transient reports whether a Slack call that failed with err may succeed
// if tried again, and the wait Slack asked for.
func transient(err error) (bool, time.Duration) {
	if errors.Is(err, context.Canceled) {
		return false, 0
	}
	if rl, ok := errors.AsType[*slack.RateLimitedError](err); ok {
		return true, rl.RetryAfter
	}
	if sc, ok := errors.AsType[slack.StatusCodeError](err); ok {
		return sc.Code == http.StatusTooManyRequests || sc.Code >= 500, 0
	}
	if se, ok := errors.AsType[slack.SlackErrorResponse](err); ok {
		switch se.Err {
		case "ratelimited", "rate_limited", "internal_error", "fatal_error", "service_unavailable", "request_timeout":
			return true, 0
		}
		return false, 0 // channel_not_found, not_in_channel, invalid_blocks, …: trying again won't help
	}
	return true, 0 // a dropped connection, a timeout, a garbled answer
}

// badToken reports whether err says Slack refuses a token: definite, so
// retrying can't help and the operator must replace it.
func badToken(err error) bool {
	se, ok := errors.AsType[slack.SlackErrorResponse](err)
	if !ok {
		return false
	}
	switch se.Err {
	case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type", "ekm_access_denied", "team_access_not_granted":
		return true
	}
	return false
}

// tokenError is the one message serve stops with when Slack refuses a token.
func tokenError(variable string, err error) *bot.ConfigError {
	what := "the app's Bot User OAuth Token (xoxb-…, on the app's OAuth & Permissions page)"
	if variable == EnvAppToken {
		what = "an app-level token with the connections:write scope (xapp-…, on the app's Basic Information page)"
	}
	return &bot.ConfigError{Var: variable, Err: err,
		Msg: fmt.Sprintf("Slack refused %s: set it to %s", variable, what)}
}

// describeErr shortens an error for a log line: a URL error names the
// host and the cause, not the whole URL (which may hold a response_url's
// secret path).
func describeErr(err error) string {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		host := ""
		if u, perr := url.Parse(ue.URL); perr == nil {
			host = u.Host
		}
		return fmt.Sprintf("%s %s: %v", ue.Op, host, ue.Err)
	}
	return err.Error()
}
