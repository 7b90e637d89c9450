package discord

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Environment variables the adapter reads.
const (
	EnvToken      = "DISCORD_BOT_TOKEN"
	EnvGuildID    = "DISCORD_GUILD_ID"
	EnvAPIURL     = "DISCORD_API_URL"
	EnvShardID    = "DISCORD_SHARD_ID"
	EnvShardCount = "DISCORD_SHARD_COUNT"
)

// Config is the adapter's configuration, usually read from the environment
// by ConfigFromEnv.
type Config struct {
	// Token is the bot token from the developer portal, without "Bot ".
	Token string
	// GuildID, when set, registers the slash commands in that one guild
	// (instant) instead of globally (which can take a while to appear).
	GuildID string
	// APIURL, when set, sends every request that would go to Discord
	// (REST and gateway discovery) to this scheme, host and port instead,
	// with paths unchanged: for a local test server or a proxy.
	APIURL *url.URL
	// ShardID and ShardCount shard the gateway connection; ShardCount 0
	// (or 1) means no sharding.
	ShardID, ShardCount int
}

// String describes the configuration for logs, without the token.
func (c Config) String() string {
	var b strings.Builder
	b.WriteString("token=(set)")
	if c.GuildID != "" {
		fmt.Fprintf(&b, " guild=%s", c.GuildID)
	}
	if c.APIURL != nil {
		fmt.Fprintf(&b, " api=%s", c.APIURL)
	}
	if c.ShardCount > 0 {
		fmt.Fprintf(&b, " shard=%d/%d", c.ShardID, c.ShardCount)
	}
	return b.String()
}

// ConfigFromEnv reads the configuration through getenv. It returns ok
// false when DISCORD_BOT_TOKEN is unset (the Discord front end is off), and
// an error with one line per problem, each naming its variable, when the
// variables are set wrongly. The token never appears in an error.
func ConfigFromEnv(getenv func(string) string) (cfg Config, ok bool, err error) {
	token := strings.TrimSpace(getenv(EnvToken))
	if token == "" {
		return Config{}, false, nil
	}
	var problems []error
	token = strings.TrimSpace(strings.TrimPrefix(token, "Bot "))
	switch {
	case token == "":
		problems = append(problems, fmt.Errorf("%s holds only \"Bot \"; set it to the bot token from the developer portal", EnvToken))
	case strings.ContainsFunc(token, func(r rune) bool { return r <= ' ' || r >= 0x7f }):
		problems = append(problems, fmt.Errorf("%s contains spaces or characters a Discord token never has; copy the token again from the Bot page of the developer portal", EnvToken))
	}
	c := Config{Token: token, GuildID: strings.TrimSpace(getenv(EnvGuildID))}
	if c.GuildID != "" && !isSnowflake(c.GuildID) {
		problems = append(problems, fmt.Errorf("%s must be a guild (server) id, a number such as 123456789012345678, got %q", EnvGuildID, c.GuildID))
	}
	if raw := strings.TrimSpace(getenv(EnvAPIURL)); raw != "" {
		u, err := parseAPIURL(raw)
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: %w", EnvAPIURL, err))
		}
		c.APIURL = u
	}
	rawID, rawCount := strings.TrimSpace(getenv(EnvShardID)), strings.TrimSpace(getenv(EnvShardCount))
	switch {
	case rawID == "" && rawCount == "":
	case rawID == "":
		problems = append(problems, fmt.Errorf("%s is set but %s is not; set both or neither", EnvShardCount, EnvShardID))
	case rawCount == "":
		problems = append(problems, fmt.Errorf("%s is set but %s is not; set both or neither", EnvShardID, EnvShardCount))
	default:
		id, errID := strconv.Atoi(rawID)
		count, errCount := strconv.Atoi(rawCount)
		if errID != nil {
			problems = append(problems, fmt.Errorf("%s must be a whole number, got %q", EnvShardID, rawID))
		}
		if errCount != nil {
			problems = append(problems, fmt.Errorf("%s must be a whole number, got %q", EnvShardCount, rawCount))
		}
		if errID == nil && errCount == nil {
			switch {
			case count < 1:
				problems = append(problems, fmt.Errorf("%s must be at least 1, got %d", EnvShardCount, count))
			case id < 0 || id >= count:
				problems = append(problems, fmt.Errorf("%s must be from 0 to %s-1 (%d), got %d", EnvShardID, EnvShardCount, count-1, id))
			}
		}
		c.ShardID, c.ShardCount = id, count
	}
	if len(problems) > 0 {
		return c, true, errors.Join(problems...)
	}
	return c, true, nil
}

// parseAPIURL checks a DISCORD_API_URL: http or https, a host, no path.
func parseAPIURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("not a URL: %q", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("must start with http:// or https://, got %q", raw)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("names no host, got %q", raw)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("must be only scheme, host and port (paths stay Discord's, such as /api/v10/...), got %q", raw)
	}
	if u.User != nil {
		return nil, fmt.Errorf("must not hold a user name or password")
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

// isSnowflake reports whether s looks like a Discord id: digits only.
func isSnowflake(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
