package discord

import (
	"strings"
	"testing"
)

func TestConfigFromEnv(t *testing.T) {
	const token = "MTAx.secret-token.value"
	tests := []struct {
		name    string
		env     map[string]string
		want    *Config // compared by String() and fields below
		wantErr []string
	}{
		{name: "unset is off", env: map[string]string{EnvGuildID: "123"}},
		{name: "token only", env: map[string]string{EnvToken: token}, want: &Config{Token: token}},
		{name: "Bot prefix accepted", env: map[string]string{EnvToken: "Bot " + token}, want: &Config{Token: token}},
		{name: "guild", env: map[string]string{EnvToken: token, EnvGuildID: "123456789012345678"}, want: &Config{Token: token, GuildID: "123456789012345678"}},
		{name: "bad guild", env: map[string]string{EnvToken: token, EnvGuildID: "my-server"}, wantErr: []string{EnvGuildID}},
		{name: "api url", env: map[string]string{EnvToken: token, EnvAPIURL: "http://127.0.0.1:8081/"}, want: &Config{Token: token}},
		{name: "api url with path", env: map[string]string{EnvToken: token, EnvAPIURL: "http://127.0.0.1:8081/api/v9"}, wantErr: []string{EnvAPIURL}},
		{name: "api url scheme", env: map[string]string{EnvToken: token, EnvAPIURL: "ws://127.0.0.1"}, wantErr: []string{EnvAPIURL}},
		{name: "api url no host", env: map[string]string{EnvToken: token, EnvAPIURL: "http://"}, wantErr: []string{EnvAPIURL}},
		{name: "shards", env: map[string]string{EnvToken: token, EnvShardID: "1", EnvShardCount: "4"}, want: &Config{Token: token, ShardID: 1, ShardCount: 4}},
		{name: "shard id only", env: map[string]string{EnvToken: token, EnvShardID: "1"}, wantErr: []string{EnvShardID, "both or neither"}},
		{name: "shard count only", env: map[string]string{EnvToken: token, EnvShardCount: "2"}, wantErr: []string{EnvShardCount, "both or neither"}},
		{name: "shard id not a number", env: map[string]string{EnvToken: token, EnvShardID: "one", EnvShardCount: "2"}, wantErr: []string{EnvShardID, "whole number"}},
		{name: "shard count not a number", env: map[string]string{EnvToken: token, EnvShardID: "0", EnvShardCount: "2.5"}, wantErr: []string{EnvShardCount, "whole number"}},
		{name: "shard id too big", env: map[string]string{EnvToken: token, EnvShardID: "2", EnvShardCount: "2"}, wantErr: []string{EnvShardID}},
		{name: "shard id negative", env: map[string]string{EnvToken: token, EnvShardID: "-1", EnvShardCount: "2"}, wantErr: []string{EnvShardID}},
		{name: "shard count zero", env: map[string]string{EnvToken: token, EnvShardID: "0", EnvShardCount: "0"}, wantErr: []string{EnvShardCount, "at least 1"}},
		{name: "token with spaces", env: map[string]string{EnvToken: "abc def"}, wantErr: []string{EnvToken}},
		{name: "several problems", env: map[string]string{EnvToken: token, EnvGuildID: "x", EnvShardID: "9", EnvShardCount: "2"}, wantErr: []string{EnvGuildID, EnvShardID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
			if len(tt.wantErr) > 0 {
				if err == nil || !ok {
					t.Fatalf("no error (ok %v), want one naming %v", ok, tt.wantErr)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not mention %q", err, w)
					}
				}
				if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "abc def") {
					t.Errorf("error %q shows the token", err)
				}
				if n := strings.Count(err.Error(), "\n") + 1; tt.name == "several problems" && n != 2 {
					t.Errorf("want one line per problem (2), got %d: %q", n, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("error %v", err)
			}
			if tt.want == nil {
				if ok {
					t.Fatalf("got %+v, want Discord off", got)
				}
				return
			}
			if !ok || got.Token != tt.want.Token || got.GuildID != tt.want.GuildID || got.ShardID != tt.want.ShardID || got.ShardCount != tt.want.ShardCount {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			if strings.Contains(got.String(), token) {
				t.Errorf("String() shows the token: %s", got)
			}
			if raw := tt.env[EnvAPIURL]; raw != "" && (got.APIURL == nil || got.APIURL.Host != "127.0.0.1:8081") {
				t.Errorf("APIURL = %v", got.APIURL)
			}
		})
	}
}
