// Package ops holds what running the bot in production needs around the
// core: Prometheus metrics and an Answerer middleware that counts and times
// every question, health and readiness handlers, a swappable bot so the
// fact base can be reloaded while serving, a drain for graceful shutdown,
// and the gaps log of questions the bot could not answer well.
//
// It depends on bot and facts only; front ends (adapters) plug in through
// the bot.Adapter and bot.Answerer interfaces.
package ops
