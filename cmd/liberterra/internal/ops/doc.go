// Package ops holds what serve needs around the bot to run in production:
// Prometheus metrics and the Answerer middleware that counts and times every
// question, the liveness and readiness handlers, and the redaction of
// secrets from logs and error messages.
//
// It is internal to cmd/liberterra. The answerer middlewares that belong to
// the core (the swappable Holder, the gaps log, the rate limiter, the work
// queue) live in package bot.
package ops
