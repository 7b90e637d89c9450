package main

import (
	"github.com/liberterra/liberterra/adapters/slack"
	"github.com/liberterra/liberterra/bot"
)

// newSlackAdapter starts Slack when any SLACK_ variable is set: Socket Mode
// with SLACK_APP_TOKEN, the Events API with SLACK_SIGNING_SECRET.
func newSlackAdapter(env adapterEnv) (bot.Adapter, error) {
	cfg, ok, err := slack.ConfigFromEnv(env.Getenv)
	if !ok || err != nil {
		return nil, err
	}
	a, err := slack.New(cfg, env.Bot, slack.Options{Log: env.Log, Mux: env.Mux, Queue: env.Queue,
		Dedupe: env.Dedupe, Observer: env.Observer, Limits: env.SlackLimits, Feedback: env.Feedback, Sources: env.Sources})
	if err != nil {
		return nil, err // never a typed nil in the interface
	}
	return a, nil
}
