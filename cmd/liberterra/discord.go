package main

import (
	"github.com/liberterra/liberterra/adapters/discord"
	"github.com/liberterra/liberterra/bot"
)

// newDiscordAdapter starts Discord when DISCORD_BOT_TOKEN is set.
func newDiscordAdapter(env adapterEnv) (bot.Adapter, error) {
	cfg, ok, err := discord.ConfigFromEnv(env.Getenv)
	if !ok || err != nil {
		return nil, err
	}
	a, err := discord.New(cfg, env.Bot, discord.Options{Log: env.Log, Queue: env.Queue, Dedupe: env.Dedupe, Observer: env.Observer,
		Feedback: env.Feedback})
	if err != nil {
		return nil, err // never a typed nil in the interface
	}
	return a, nil
}
