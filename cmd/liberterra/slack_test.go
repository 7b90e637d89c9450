package main

import (
	"net/http"
	"strings"
	"testing"
)

func TestSlackFactory(t *testing.T) {
	for _, tc := range []struct {
		name    string
		env     map[string]string
		want    bool
		wantErr string
	}{
		{"not configured", nil, false, ""},
		{"socket mode", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}, true, ""},
		{"http mode", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}, true, ""},
		{"swapped", map[string]string{"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"}, false, "SLACK_APP_TOKEN must start with xapp- (got a bot token xoxb-…)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := newSlackAdapter(adapterEnv{Getenv: func(k string) string { return tc.env[k] }, Mux: http.NewServeMux()})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (a != nil) != tc.want {
				t.Fatalf("adapter %v, want one: %v", a, tc.want)
			}
			if a != nil && a.Name() != "slack" {
				t.Errorf("name %q", a.Name())
			}
		})
	}
}
