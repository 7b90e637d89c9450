package discord

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liberterra/liberterra/bot"
)

// startFake runs an adapter against a fresh fake Discord and waits until it
// is connected.
func startFake(t *testing.T, b bot.Answerer, opts Options) (*fakeDiscord, *Adapter) {
	t.Helper()
	fake := newFakeDiscord(t)
	a := newE2EAdapter(t, map[string]string{EnvToken: fakeToken, EnvAPIURL: fake.srv.URL, EnvGuildID: fakeGuildID}, b, opts)
	ctx, cancel := context.WithCancel(context.Background())
	runErr := make(chan error, 1)
	go func() { runErr <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-runErr:
		case <-time.After(10 * time.Second):
			t.Error("Run did not return")
		}
	})
	for deadline := time.Now().Add(10 * time.Second); !a.Connected(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("never connected")
		}
	}
	return fake, a
}

// sentMessage is what the tests read of a message or an interaction
// response's data.
type sentMessage struct {
	Content string `json:"content"`
	Flags   int    `json:"flags"`
	Embeds  []struct {
		Title       string `json:"title"`
		Description string `json:"description"`
		Fields      []struct{ Name, Value string }
	} `json:"embeds"`
	Components json.RawMessage `json:"components"`
	Reference  *struct {
		MessageID string `json:"message_id"`
	} `json:"message_reference"`
}

// customIDs lists the buttons' custom ids.
func (m sentMessage) customIDs() []string {
	var rows []struct {
		Components []struct {
			CustomID string `json:"custom_id"`
		} `json:"components"`
	}
	json.Unmarshal(m.Components, &rows)
	var out []string
	for _, r := range rows {
		for _, c := range r.Components {
			out = append(out, c.CustomID)
		}
	}
	return out
}

func (m sentMessage) button(prefix string) string {
	for _, id := range m.customIDs() {
		if strings.HasPrefix(id, prefix) {
			return id
		}
	}
	return ""
}

// waitMessage waits for the next request to path not seen yet and reads
// its message (the data of an interaction callback).
func (f *fakeDiscord) waitMessage(t *testing.T, method, path string, seen *int) sentMessage {
	t.Helper()
	var got *recorded
	f.waitFor(method+" "+path, func(reqs []recorded) bool {
		n := 0
		for i := range reqs {
			if reqs[i].Method == method && reqs[i].Path == path {
				n++
				if n > *seen {
					got = &reqs[i]
					return true
				}
			}
		}
		return false
	})
	*seen++
	var m sentMessage
	if strings.HasSuffix(path, "/callback") {
		var cb struct {
			Type int         `json:"type"`
			Data sentMessage `json:"data"`
		}
		if err := json.Unmarshal(got.Body, &cb); err != nil {
			t.Fatal(err)
		}
		return cb.Data
	}
	if err := json.Unmarshal(got.Body, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func user(id, name string) map[string]any { return map[string]any{"id": id, "username": name} }

var me = map[string]any{"id": fakeBotID, "username": "liberterra", "bot": true}

// TestFollowUpsForAUserInAChannel: in a channel each user is a
// conversation; in a thread, the thread is.
func TestFollowUpsForAUserInAChannel(t *testing.T) {
	fake, _ := startFake(t, bot.New(newTestBot(t).Base()), Options{})
	seen := map[string]*int{}
	say := func(id, channel string, who map[string]any, text string) sentMessage {
		t.Helper()
		fake.dispatch <- fakeEvent{"MESSAGE_CREATE", messageEvent(id, channel, fakeGuildID, who, "<@"+fakeBotID+"> "+text, me)}
		path := api + "/channels/" + channel + "/messages"
		if seen[path] == nil {
			seen[path] = new(int)
		}
		return fake.waitMessage(t, "POST", path, seen[path])
	}
	alice, bob := user("200", "alice"), user("201", "bob")
	say("f1", "500", alice, "how many arrests were made in Turkey?")
	say("f2", "500", bob, "how many victims were found in North Macedonia?")
	if m := say("f3", "500", alice, "and in Serbia?"); m.button(idVoteUp) != idVoteUp+"serbia-12-suspects" {
		t.Errorf("alice's follow-up in the channel: %v %.200v", m.customIDs(), m.Embeds)
	}
	if m := say("f4", "500", bob, "and in Serbia?"); m.button(idVoteUp) == idVoteUp+"serbia-12-suspects" {
		t.Errorf("bob's follow-up was read in alice's light: %v", m.customIDs())
	}
	// In a thread (the fake's channels 9…), everyone shares the conversation.
	say("f5", "901", alice, "how many arrests were made in Turkey?")
	if m := say("f6", "901", bob, "and in Serbia?"); m.button(idVoteUp) != idVoteUp+"serbia-12-suspects" {
		t.Errorf("bob's follow-up in the thread: %v", m.customIDs())
	}
}

// TestRoleMentionAndPrivateReplies: a mention of the bot's managed role
// addresses it; a private reply to a mention goes to the asker's DM.
func TestRoleMentionAndPrivateReplies(t *testing.T) {
	fake, _ := startFake(t, newTestBot(t), Options{})
	fake.dispatch <- fakeEvent{"GUILD_CREATE", map[string]any{"id": fakeGuildID, "name": "g", "unavailable": false,
		"roles":    []any{map[string]any{"id": "777", "name": "liberterra", "managed": true, "tags": map[string]any{"bot_id": fakeBotID}}, map[string]any{"id": "778", "name": "other", "managed": true, "tags": map[string]any{"bot_id": "555"}}},
		"channels": []any{map[string]any{"id": "500", "type": 0}}, "threads": []any{}}}
	other := messageEvent("r0", "500", fakeGuildID, user("200", "alice"), "<@&778> who is Ilias Chatzis?")
	other["mention_roles"] = []string{"778"}
	fake.dispatch <- fakeEvent{"MESSAGE_CREATE", other}
	m := messageEvent("r1", "500", fakeGuildID, user("200", "alice"), "<@&777> who is Ilias Chatzis?")
	m["mention_roles"] = []string{"777"}
	fake.dispatch <- fakeEvent{"MESSAGE_CREATE", m}
	n := 0
	reply := fake.waitMessage(t, "POST", api+"/channels/500/messages", &n)
	if reply.Reference == nil || reply.Reference.MessageID != "r1" || len(reply.Embeds) != 1 || !strings.Contains(reply.Embeds[0].Description, "UNODC") {
		t.Errorf("role mention: %+v", reply)
	}
	long := messageEvent("r2", "500", fakeGuildID, user("200", "alice"), "<@"+fakeBotID+"> "+strings.Repeat("why ", 400), me)
	fake.dispatch <- fakeEvent{"MESSAGE_CREATE", long}
	n = 0
	dm := fake.waitMessage(t, "POST", api+"/channels/dm200/messages", &n)
	if dm.Content == "" || dm.Reference != nil {
		t.Errorf("private reply in the DM: %+v", dm)
	}
	if c := countReqs(fake.requests(), "POST", "/channels/500/messages"); c != 1 {
		t.Errorf("%d replies in the channel, want 1 (the other bot's role is not ours, the long one goes to the DM)", c)
	}
}

// lockedLog is a Journal for the tests.
type lockedLog struct {
	mu    sync.Mutex
	votes []bot.Feedback
}

func (l *lockedLog) Append(_ context.Context, e any) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.votes = append(l.votes, e.(bot.Feedback))
	return nil
}

func (l *lockedLog) get() []bot.Feedback {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]bot.Feedback(nil), l.votes...)
}

// click is the MESSAGE_COMPONENT interaction of a click on a button of msg.
func click(id, token, customID string, msg sentMessage) map[string]any {
	var raw map[string]any
	b, _ := json.Marshal(msg)
	json.Unmarshal(b, &raw)
	raw["id"], raw["channel_id"], raw["timestamp"] = "bot-msg-"+id, "500", "2026-11-27T10:00:00Z"
	raw["author"] = me
	return map[string]any{
		"id": id, "application_id": fakeBotID, "type": 3, "token": token, "version": 1,
		"channel_id": "500", "guild_id": fakeGuildID,
		"member":  map[string]any{"user": user("200", "alice")},
		"message": raw,
		"data":    map[string]any{"custom_id": customID, "component_type": 2},
	}
}

// TestClicks: a click on a suggestion answers it; a 👎 lands in the
// feedback log; a private /ask reply is shared into the channel; Show
// source shows the sentences around the quotes.
func TestClicks(t *testing.T) {
	votes := &lockedLog{}
	fake, _ := startFake(t, newTestBot(t), Options{Feedback: &bot.FeedbackLog{Log: votes}})
	callback := func(id, token string) sentMessage {
		n := 0
		return fake.waitMessage(t, "POST", api+"/interactions/"+id+"/"+token+"/callback", &n)
	}

	// A refusal's suggestion, clicked.
	fake.dispatch <- fakeEvent{"INTERACTION_CREATE", askInteraction("c1", "t1", "what is the capital of France", false)}
	declined := callback("c1", "t1")
	suggestion := declined.button(idAsk)
	if suggestion == "" || declined.Flags&64 == 0 {
		t.Fatalf("a private refusal with suggestion buttons: flags %d, %v", declined.Flags, declined.customIDs())
	}
	fake.dispatch <- fakeEvent{"INTERACTION_CREATE", click("c2", "t2", suggestion, declined)}
	answered := callback("c2", "t2")
	if answered.Flags&64 == 0 || len(answered.Embeds) != 1 || answered.Embeds[0].Title != strings.TrimPrefix(suggestion, idAsk) || answered.button(idVoteDown) == "" {
		t.Errorf("the suggestion's answer (private, as the refusal was): %+v", answered)
	}

	// A private answer, shared into the channel, its sources shown, marked wrong.
	fake.dispatch <- fakeEvent{"INTERACTION_CREATE", askInteraction("c3", "t3", "who is Ilias Chatzis?", false)}
	private := callback("c3", "t3")
	share := private.button(idShare)
	if private.Flags&64 == 0 || share == "" {
		t.Fatalf("private answer: flags %d, buttons %v", private.Flags, private.customIDs())
	}
	private.Flags = 64
	fake.dispatch <- fakeEvent{"INTERACTION_CREATE", click("c4", "t4", share, private)}
	public := callback("c4", "t4")
	if public.Flags&64 != 0 || len(public.Embeds) != 1 || public.Embeds[0].Description != private.Embeds[0].Description || public.button(idShare) != "" || public.button(idVoteDown) == "" {
		t.Errorf("shared: flags %d, buttons %v", public.Flags, public.customIDs())
	}
	fake.dispatch <- fakeEvent{"INTERACTION_CREATE", click("c5", "t5", private.button(idSource), private)}
	if ctx := callback("c5", "t5"); ctx.Flags&64 == 0 || len(ctx.Embeds) != 1 || !strings.Contains(ctx.Embeds[0].Description, bot.ContextIntro) {
		t.Errorf("show source: %+v", ctx)
	}
	fake.dispatch <- fakeEvent{"INTERACTION_CREATE", click("c6", "t6", public.button(idVoteDown), public)}
	if thanks := callback("c6", "t6"); thanks.Flags&64 == 0 || thanks.Content != bot.FeedbackDownText {
		t.Errorf("thanks: %+v", thanks)
	}
	got := votes.get()
	if len(got) != 1 || got[0].Vote != bot.VoteDown || got[0].Frontend != "discord" || got[0].Question != "who is Ilias Chatzis?" ||
		got[0].FactID != strings.TrimPrefix(public.button(idVoteDown), idVoteDown) || got[0].FactID == "" || got[0].User != "" {
		t.Errorf("votes logged: %+v", got)
	}
}
