package slack

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/facts"
)

// buttons reads the buttons of a posted message: action id to value.
func buttons(t *testing.T, blocksJSON string) map[string]string {
	t.Helper()
	var blocks []block
	if err := json.Unmarshal([]byte(blocksJSON), &blocks); err != nil {
		t.Fatalf("blocks: %v", err)
	}
	out := map[string]string{}
	for _, b := range blocks {
		for _, e := range b.Elements {
			if e.Type == "button" {
				out[e.ActionID] = e.Value
			}
		}
	}
	return out
}

// click is the form body Slack posts to the interactive endpoint when a
// user clicks a button of a message.
func click(actionID, value, channel, messageTS, threadTS string, ephemeral bool, responseURL string) string {
	cb := map[string]any{
		"type": "block_actions", "team": map[string]any{"id": "T1"}, "user": map[string]any{"id": "UCLICK"},
		"channel": map[string]any{"id": channel}, "response_url": responseURL, "trigger_id": "1.2.3",
		"container": map[string]any{"type": "message", "message_ts": messageTS, "thread_ts": threadTS, "channel_id": channel, "is_ephemeral": ephemeral},
		"actions":   []any{map[string]any{"type": "button", "action_id": actionID, "block_id": "b1", "value": value, "action_ts": "2.3"}},
	}
	b, _ := json.Marshal(cb)
	return url.Values{"payload": {string(b)}}.Encode()
}

// safeBuffer is a bytes.Buffer safe for the adapter's workers.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestThreadFollowUpsInTheirOwnLight: each Slack thread is a conversation.
// A follow-up in one thread is read in the light of that thread, even when
// another thread spoke last; the same words in a new thread stand alone.
func TestThreadFollowUpsInTheirOwnLight(t *testing.T) {
	h := startHTTP(t, bot.New(realBot(t).Base()), Options{})
	ask := func(text, ts, thread string) post {
		t.Helper()
		h.send(t, EventsPath, eventJSON("Ev"+ts, mention("<@UBOT> "+text, ts, thread)))
		return h.f.next(t)
	}
	if p := ask("how many arrests were made in Turkey?", "800.1", ""); !strings.Contains(p.Text, "94") || p.ThreadTS != "800.1" {
		t.Fatalf("thread A: %.200v", p)
	}
	if p := ask("how many victims were found in North Macedonia?", "810.1", ""); !strings.Contains(p.Text, "32") {
		t.Fatalf("thread B: %.200v", p)
	}
	// Thread A's follow-up: Serbia's arrests, not its victims, nor any Serbia fact.
	p := ask("and in Serbia?", "800.5", "800.1")
	if p.ThreadTS != "800.1" || !strings.Contains(p.Blocks, "serbia-12-suspects") {
		t.Errorf("thread A's follow-up: thread %q, blocks %.400s", p.ThreadTS, p.Blocks)
	}
	// The same words in a new thread are read on their own.
	if p := ask("and in Serbia?", "820.1", ""); strings.Contains(p.Blocks, "serbia-12-suspects") || !strings.Contains(p.Text, "Serbia") {
		t.Errorf("a new thread's question: %.400s", p.Blocks)
	}
}

// TestClicks: a click on a suggestion asks it in the thread; 👎 lands in the
// feedback log (without the user id) and thanks the voter privately; a
// private slash reply is shared into the channel; Show source shows the
// sentences around the quotes; a click under a private reply stays private.
func TestClicks(t *testing.T) {
	var log safeBuffer
	h := startHTTP(t, bot.New(realBot(t).Base()), Options{Feedback: &bot.FeedbackLog{Log: &bot.FileJournal{W: &log}}})
	respond := h.f.srv.GetAPIURL() + "respond"
	interact := func(body string) {
		t.Helper()
		if code, resp := h.send(t, InteractivePath, body); code != 200 {
			t.Fatalf("interactive: %d %q", code, resp)
		}
	}

	t.Run("a suggestion asked in its thread", func(t *testing.T) {
		h.send(t, EventsPath, eventJSON("EvDecl", mention("<@UBOT> what is the capital of France?", "830.1", "")))
		declined := h.f.next(t)
		b := buttons(t, declined.Blocks)
		v, err := decodeValue(b[ActionAsk+"_0"])
		if err != nil || v.Q == "" {
			t.Fatalf("no suggestion button: %v %.300s", err, declined.Blocks)
		}
		interact(click(ActionAsk+"_0", b[ActionAsk+"_0"], "C1", "830.9", "830.1", false, respond))
		p := h.f.next(t)
		if p.Path != "chat.postMessage" || p.Channel != "C1" || p.ThreadTS != "830.1" {
			t.Fatalf("the suggestion's answer went to %s %s thread %q", p.Path, p.Channel, p.ThreadTS)
		}
		if !strings.Contains(p.Blocks, `"text":"`+v.Q+`"`) || !strings.Contains(p.Blocks, ActionVoteDown) {
			t.Errorf("the answer doesn't echo %q or isn't an answer: %.300s", v.Q, p.Blocks)
		}
	})

	t.Run("a 👎 in the feedback log", func(t *testing.T) {
		h.send(t, EventsPath, eventJSON("EvFb", mention("<@UBOT> how many flights were monitored?", "840.1", "")))
		answer := h.f.next(t)
		interact(click(ActionVoteDown, buttons(t, answer.Blocks)[ActionVoteDown], "C1", "840.9", "840.1", false, respond))
		thanks := h.f.next(t)
		if thanks.Path != "respond" || thanks.ResponseType != "ephemeral" || thanks.Text != bot.FeedbackDownText {
			t.Errorf("thanks: %+v", thanks)
		}
		votes, bad, err := bot.ReadFeedback(strings.NewReader(log.String()))
		if err != nil || bad != 0 || len(votes) != 1 {
			t.Fatalf("feedback log %q", log.String())
		}
		if v := votes[0]; v.Vote != bot.VoteDown || v.Frontend != "slack" || v.Question != "how many flights were monitored?" || v.FactID == "" || v.User != "" {
			t.Errorf("vote %+v", v)
		}
	})

	t.Run("a private slash reply shared into the channel", func(t *testing.T) {
		form := url.Values{"command": {"/liberterra"}, "text": {"how many victims were rescued?"}, "team_id": {"T1"}, "user_id": {"UASKER"},
			"channel_id": {"C1"}, "response_url": {respond}}
		if code, body := h.send(t, CommandsPath, form.Encode()); code != 200 || body != "" {
			t.Fatalf("ack %d %q: want an empty (private) ack", code, body)
		}
		private := h.f.next(t)
		share := buttons(t, private.Blocks)[ActionShare]
		if private.ResponseType != "ephemeral" || share == "" {
			t.Fatalf("private reply: %s, share button %q", private.ResponseType, share)
		}
		interact(click(ActionShare, share, "C1", "", "", true, respond))
		public := h.f.next(t)
		if public.Path != "respond" || public.ResponseType != "in_channel" || public.Text != private.Text {
			t.Errorf("shared: %s %s %q, want the same answer in_channel", public.Path, public.ResponseType, public.Text)
		}
		if !strings.Contains(public.Blocks, `"text":"how many victims were rescued?"`) || strings.Contains(public.Blocks, ActionShare) {
			t.Errorf("shared blocks: %.300s", public.Blocks)
		}

		interact(click(ActionShowSource, buttons(t, private.Blocks)[ActionShowSource], "C1", "", "", true, respond))
		ctx := h.f.next(t)
		if ctx.ResponseType != "ephemeral" || !strings.Contains(ctx.Text, bot.ContextIntro) || !strings.Contains(ctx.Text, "[1] George Allison:") {
			t.Errorf("show source: %s %.300q", ctx.ResponseType, ctx.Text)
		}
	})

	t.Run("a suggestion under a private reply stays private", func(t *testing.T) {
		form := url.Values{"text": {"what is the capital of France?"}, "team_id": {"T1"}, "user_id": {"UASKER"}, "channel_id": {"C1"}, "response_url": {respond}}
		h.send(t, CommandsPath, form.Encode())
		declined := h.f.next(t)
		interact(click(ActionAsk+"_0", buttons(t, declined.Blocks)[ActionAsk+"_0"], "C1", "", "", true, respond))
		if p := h.f.next(t); p.Path != "respond" || p.ResponseType != "ephemeral" || !strings.Contains(p.Blocks, ActionVoteUp) {
			t.Errorf("answer to a private click: %s %s %.200s", p.Path, p.ResponseType, p.Blocks)
		}
	})

	t.Run("bad requests", func(t *testing.T) {
		if code, _ := h.send(t, InteractivePath, "payload=%7Bnot+json"); code != 400 {
			t.Errorf("malformed payload: %d", code)
		}
		resp, err := http.Post(h.url+InteractivePath, "application/x-www-form-urlencoded", strings.NewReader("payload=%7B%7D"))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("unsigned click: %d, want 401", resp.StatusCode)
		}
		h.f.none(t)
	})
}

func TestAppHome(t *testing.T) {
	base := realBot(t).Base()
	h := startHTTP(t, realBot(t), Options{Sources: func() []*facts.Source { return base.Sources }})
	ev := map[string]any{"type": "app_home_opened", "user": "UHOME", "channel": "D1", "tab": "home"}
	h.send(t, EventsPath, eventJSON("EvHome", ev))
	p := h.f.next(t)
	if p.Path != "views.publish" || p.User != "UHOME" || !strings.Contains(p.Blocks, `"type":"home"`) {
		t.Fatalf("home: %+v", p)
	}
	for _, w := range []string{"How many victims were rescued?", "/liberterra", bot.SourcesHeading, "Migrant Affairs"} {
		if !strings.Contains(p.Blocks, w) {
			t.Errorf("the home tab lacks %q", w)
		}
	}
}

// TestSocketModeClick: a click over Socket Mode is acknowledged and handled.
func TestSocketModeClick(t *testing.T) {
	var log safeBuffer
	_, f, ws := startSocket(t, realBot(t), Options{Feedback: &bot.FeedbackLog{Log: &bot.FileJournal{W: &log}}})
	c := ws.next(t)
	value := actionValue{Q: "who is Ilias Chatzis?", F: "people-chatzis-role"}.encode()
	var cb map[string]any
	q, _ := url.ParseQuery(click(ActionVoteUp, value, "C1", "1.1", "", false, "RESPOND"))
	json.Unmarshal([]byte(q.Get("payload")), &cb)
	c.send(t, map[string]any{"type": "interactive", "envelope_id": "i1", "accepts_response_payload": false, "payload": cb})
	if id := c.ack(t); id != "i1" {
		t.Fatalf("ack %s", id)
	}
	// The thanks goes to the response URL, which the fake can't reach;
	// the vote is in the log all the same.
	for deadline := time.Now().Add(testWait); !strings.Contains(log.String(), `"vote":"up"`); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no vote logged: %q", log.String())
		}
	}
	_ = f
}
