package main

import (
	"github.com/liberterra/liberterra/adapters/discord"
	"github.com/liberterra/liberterra/bot"
)

// The Discord front end starts when DISCORD_BOT_TOKEN is set.
func init() {
	adapterFactories = append(adapterFactories, newDiscordAdapter)
}

func newDiscordAdapter(env adapterEnv) (bot.Adapter, error) {
	a, err := discord.FromEnv(env.Getenv, env.Bot, env.Log)
	if err != nil || a == nil {
		return nil, err // never a typed nil in the interface
	}
	return a, nil
}
