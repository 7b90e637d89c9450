package slack

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/slack-go/slack"
)

// chatAPI is the part of the Slack Web API the adapter uses. *slack.Client
// provides all but PostWebhookContext (see sdkClient); tests hand in a fake.
type chatAPI interface {
	AuthTestContext(ctx context.Context) (*slack.AuthTestResponse, error)
	PostMessageContext(ctx context.Context, channelID string, options ...slack.MsgOption) (string, string, error)
	PostEphemeralContext(ctx context.Context, channelID, userID string, options ...slack.MsgOption) (string, error)
	// PostWebhookContext posts a slash command's reply to its response_url.
	PostWebhookContext(ctx context.Context, url string, msg *slack.WebhookMessage) error
}

// sdkClient is the real chatAPI.
type sdkClient struct {
	*slack.Client
	http *http.Client
}

func (c sdkClient) PostWebhookContext(ctx context.Context, url string, msg *slack.WebhookMessage) error {
	return slack.PostWebhookCustomHTTPContext(ctx, url, c.http, msg)
}

// retrier retries calls that Slack refused with 429 after its Retry-After.
type retrier struct {
	attempts int           // calls in all, the first included
	floor    time.Duration // wait at least this long (Retry-After 0 or missing)
	ceiling  time.Duration // and at most this long
}

var defaultRetrier = retrier{attempts: 4, floor: time.Second, ceiling: time.Minute}

// do calls f until it succeeds, fails with an error other than a rate
// limit, runs out of attempts or ctx is done.
func (r retrier) do(ctx context.Context, f func() error) error {
	for attempt := 1; ; attempt++ {
		err := f()
		rl, ok := errors.AsType[*slack.RateLimitedError](err)
		if !ok || attempt >= r.attempts {
			return err
		}
		wait := min(max(rl.RetryAfter, r.floor), r.ceiling)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
	}
}
