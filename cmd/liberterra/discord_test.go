package main

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/liberterra/liberterra/bot"
)

func TestDiscordFactory(t *testing.T) {
	answerer := bot.AnswererFunc(nil)
	env := func(vars map[string]string) adapterEnv {
		return adapterEnv{Getenv: func(k string) string { return vars[k] }, Bot: answerer, Log: slog.New(slog.DiscardHandler), Mux: http.NewServeMux()}
	}
	t.Run("off when unset", func(t *testing.T) {
		a, err := newDiscordAdapter(env(nil))
		if a != nil || err != nil {
			t.Fatalf("got %v, %v; want nil, nil", a, err)
		}
	})
	t.Run("bad variables", func(t *testing.T) {
		a, err := newDiscordAdapter(env(map[string]string{"DISCORD_BOT_TOKEN": "tok", "DISCORD_SHARD_ID": "3", "DISCORD_SHARD_COUNT": "2"}))
		if a != nil || err == nil || !strings.Contains(err.Error(), "DISCORD_SHARD_ID") || strings.Contains(err.Error(), "tok") {
			t.Fatalf("got %v, %v; want an error naming DISCORD_SHARD_ID without the token", a, err)
		}
	})
	t.Run("configured", func(t *testing.T) {
		a, err := newDiscordAdapter(env(map[string]string{"DISCORD_BOT_TOKEN": "tok"}))
		if err != nil || a == nil || a.Name() != "discord" || a.Connected() {
			t.Fatalf("got %v, %v", a, err)
		}
	})
}
