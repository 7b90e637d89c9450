package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/liberterra/liberterra/adapters/slack"
	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/bot/redisstore/redistest"
	"github.com/liberterra/liberterra/facts"
)

// Two serve processes ("replicas") share one redis-server, behind no
// balancer: the tests send each event to the replica they choose.

// startReplicas runs n serve processes with the Slack Events API against
// one fake Slack API, sharing the Redis at redisURL.
func startReplicas(t *testing.T, n int, redisURL string, args ...string) ([]*server, *fakeSlackAPI) {
	t.Helper()
	rs, api, _ := startRecordedReplicas(t, n, redisURL, args...)
	return rs, api
}

// answered is what a replica's bot answered, by question.
type answered struct {
	mu      sync.Mutex
	replies map[string][]bot.Reply // question text -> replies, in order
}

func (a *answered) get(q string) []bot.Reply {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]bot.Reply(nil), a.replies[q]...)
}

// startRecordedReplicas is startReplicas, recording each replica's answers.
func startRecordedReplicas(t *testing.T, n int, redisURL string, args ...string) ([]*server, *fakeSlackAPI, []*answered) {
	t.Helper()
	api := newFakeSlackAPI(t)
	var out []*server
	var recs []*answered
	for range n {
		env := slackEnv(api)
		env[redisVar] = redisURL
		rec := &answered{replies: map[string][]bot.Reply{}}
		recs = append(recs, rec)
		wrap := func(next bot.Answerer) bot.Answerer {
			return bot.AnswererFunc(func(ctx context.Context, q bot.Question) (bot.Reply, error) {
				r, err := next.Answer(ctx, q)
				rec.mu.Lock()
				rec.replies[q.Text] = append(rec.replies[q.Text], r)
				rec.mu.Unlock()
				return r, err
			})
		}
		s := startServe(t, args, env, wrap)
		s.fake.connected.Store(true)
		s.waitReady()
		out = append(out, s)
	}
	return out, api, recs
}

// mention posts a signed app_mention event with its id to s, as Slack
// sends it (and sends it again, with the same id, when it retries).
func mention(t *testing.T, s *server, id, user, text string) {
	t.Helper()
	mentionIn(t, s, id, user, text, "")
}

// mentionIn is mention in the thread under the message threadTS ("" for
// a message in the channel, which starts a thread of its own).
func mentionIn(t *testing.T, s *server, id, user, text, threadTS string) {
	t.Helper()
	n, _ := strconv.Atoi(strings.TrimLeft(id, "Ev"))
	ts := fmt.Sprintf("2000.%06d", n)
	inner := map[string]any{"type": "app_mention", "user": user, "text": "<@UBOT> " + text,
		"ts": ts, "channel": "C1", "event_ts": ts}
	if threadTS != "" {
		inner["thread_ts"] = threadTS
	}
	ev, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T1", "event_id": id, "event_time": 1,
		"event": inner})
	if code, body := signedPost(t, s.base, "/slack/events", string(ev), time.Now()); code != 200 {
		t.Fatalf("event %s to %s: %d %s", id, s.base, code, body)
	}
}

// threadPosts is how many answers were posted to the thread of event id.
func (f *fakeSlackAPI) threadPosts(id string) int {
	n, _ := strconv.Atoi(strings.TrimLeft(id, "Ev"))
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.posts[fmt.Sprintf("2000.%06d", n)]
}

// sum adds up one sample over servers ("" counts as 0).
func sum(servers []*server, sample string) int {
	total := 0
	for _, s := range servers {
		v, _ := strconv.ParseFloat(s.metric(sample), 64)
		total += int(v)
	}
	return total
}

// askIn asks a question in a conversation through s's fake front end.
func askIn(t *testing.T, s *server, text, user, conv string) bot.Reply {
	t.Helper()
	ch := make(chan fakeReply, 1)
	select {
	case s.fake.asks <- fakeAsk{bot.Question{Text: text, User: user, Frontend: "fake", Conversation: conv}, ch}:
	case <-time.After(testWait):
		t.Fatalf("the front end did not take %q", text)
	}
	return waitReply(t, ch)
}

const duplicatesSample = `liberterra_duplicates_total{adapter="slack"}`

// A Slack retry of an event one replica answered, sent to the other, is
// not answered again; neither is a slash command replayed to the other.
func TestReplicasRetryToTheOtherAnsweredOnce(t *testing.T) {
	srv := redistest.Start(t)
	rs, api := startReplicas(t, 2, srv.URL(), "--rate-every", "0")
	a, b := rs[0], rs[1]

	mention(t, a, "Ev1", "U1", "how many victims were rescued?")
	waitFor(t, "the answer", func() bool { return api.threadPosts("Ev1") == 1 })
	mention(t, b, "Ev1", "U1", "how many victims were rescued?") // Slack's retry, to the other replica
	mention(t, a, "Ev1", "U1", "how many victims were rescued?") // and back
	waitFor(t, "the retries to be recognised", func() bool { return sum(rs, duplicatesSample) == 2 })

	form := url.Values{"command": {"/liberterra"}, "text": {"who is Stephen Kavanagh?"}, "user_id": {"U2"},
		"channel_id": {"C1"}, "response_url": {api.srv.URL + "/respond"}, "trigger_id": {"1.2.3"}}
	ts := time.Now()
	for _, s := range []*server{a, b, b} {
		if code, body := signedPost(t, s.base, "/slack/commands", form.Encode(), ts); code != 200 {
			t.Fatalf("slash command: %d %s", code, body)
		}
	}
	waitFor(t, "the replays to be recognised", func() bool { return sum(rs, duplicatesSample) == 4 })
	for _, s := range rs {
		if code := s.stop(); code != 0 {
			t.Fatalf("exit status %d", code)
		}
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	if n := api.posts["2000.000001"]; n != 1 {
		t.Errorf("event answered %d times over two replicas, want once", n)
	}
	if api.responds != 1 {
		t.Errorf("slash command answered %d times over two replicas, want once", api.responds)
	}
}

// A user flooding the bot through both replicas gets one allowance, not
// one per replica: 16 rapid questions, 5 answered, one slow-down reply.
func TestReplicasShareTheRateLimit(t *testing.T) {
	srv := redistest.Start(t)
	rs, _ := startReplicas(t, 2, srv.URL(), "--rate-burst", "5", "--rate-every", "1h")
	for i := range 16 {
		mention(t, rs[i%2], fmt.Sprintf("Ev%d", 100+i), "UFLOOD", "how many people were arrested?")
	}
	q := func(outcome string) string {
		return fmt.Sprintf(`liberterra_questions_total{frontend="slack",outcome=%q}`, outcome)
	}
	waitFor(t, "all 16 questions", func() bool {
		return sum(rs, q("answered"))+sum(rs, q("slow_down"))+sum(rs, q("throttled")) == 16
	})
	if n := sum(rs, q("answered")); n != 5 {
		t.Errorf("%d of 16 questions over two replicas answered, want the burst of 5", n)
	}
	if n := sum(rs, q("slow_down")); n != 1 {
		t.Errorf("%d slow-down replies, want 1", n)
	}
	// Another user is not limited by the flood.
	mention(t, rs[1], "Ev200", "UCALM", "how many people were arrested?")
	waitFor(t, "the other user's answer", func() bool { return sum(rs, q("answered")) == 6 })
}

// followUp is a question and a follow-up that means something else
// without it: the follow-up answered in its conversation, and alone.
func followUp(t *testing.T) (first, next, withContext, alone string) {
	t.Helper()
	base, err := facts.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(base)
	ctx := context.Background()
	first, next = "how many arrests were made in Turkey?", "and in Serbia?"
	b.Answer(ctx, bot.Question{Text: first, Conversation: "c"})
	r, _ := b.Answer(ctx, bot.Question{Text: next, Conversation: "c"})
	r0, _ := b.Answer(ctx, bot.Question{Text: next})
	if r.FactID == "" || r.FactID == r0.FactID {
		t.Fatalf("%q reads the same with and without %q (%q): pick a follow-up that needs its context", next, first, r.FactID)
	}
	return first, next, r.FactID, r0.FactID
}

// A follow-up in a Slack thread answered by the other replica keeps the
// thread's context; "start over" on one replica ends it on both.
func TestReplicasShareConversations(t *testing.T) {
	first, next, withContext, _ := followUp(t)
	srv := redistest.Start(t)
	rs, api, recs := startRecordedReplicas(t, 2, srv.URL())
	mentionIn(t, rs[0], "Ev300", "U1", first, "")
	waitFor(t, "the first answer", func() bool { return api.threadPosts("Ev300") == 1 })
	if r := recs[0].get(first); len(r) != 1 || !r[0].Answered() {
		t.Fatalf("%q on replica A: %+v", first, r)
	}
	thread := "2000.000300"
	mentionIn(t, rs[1], "Ev301", "U1", next, thread)
	waitFor(t, "the follow-up's answer", func() bool { return len(recs[1].get(next)) == 1 })
	if r := recs[1].get(next)[0]; r.FactID != withContext {
		t.Errorf("follow-up %q in the thread, on replica B: fact %q (%s), want %q as in one process", next, r.FactID, r.Kind, withContext)
	}
	mentionIn(t, rs[0], "Ev302", "U1", "start over", thread)
	waitFor(t, "start over", func() bool { return len(recs[0].get("start over")) == 1 })
	mentionIn(t, rs[1], "Ev303", "U1", next, thread)
	waitFor(t, "the follow-up after start over", func() bool { return len(recs[1].get(next)) == 2 })
	if r := recs[1].get(next)[1]; r.FactID == withContext {
		t.Errorf("after start over, the other replica still answers in the old context: %q", r.FactID)
	}
	// Another thread has a conversation of its own.
	mentionIn(t, rs[1], "Ev304", "U1", next, "2000.000299")
	waitFor(t, "the question in another thread", func() bool { return len(recs[1].get(next)) == 3 })
	if r := recs[1].get(next)[2]; r.FactID == withContext {
		t.Errorf("another thread answered in this one's context: %q", r.FactID)
	}
}

// Redis stopped in the middle: both replicas answer on, say so once (log,
// /readyz, /metrics), and when Redis is back they find it by themselves
// and share their state again, including what they kept meanwhile.
func TestReplicasRideOutARedisRestart(t *testing.T) {
	srv := redistest.Start(t)
	rs, api := startReplicas(t, 2, srv.URL(), "--rate-every", "0")
	a, b := rs[0], rs[1]
	first, next, withContext, _ := followUp(t)
	conv := "slack:T1:C1:2000.000400"

	mention(t, a, "Ev1", "U1", "how many victims were rescued?")
	waitFor(t, "the answer before the outage", func() bool { return api.threadPosts("Ev1") == 1 })

	srv.Stop()
	// Questions go on being answered by both replicas.
	mention(t, a, "Ev2", "U2", "who is Stephen Kavanagh?")
	mention(t, b, "Ev3", "U3", "how many people were arrested?")
	waitFor(t, "the answers during the outage", func() bool { return api.threadPosts("Ev2") == 1 && api.threadPosts("Ev3") == 1 })
	// A retry to the replica that answered is still recognised there.
	mention(t, a, "Ev2", "U2", "who is Stephen Kavanagh?")
	waitFor(t, "the retry during the outage to be recognised", func() bool { return a.metric(duplicatesSample) == "1" })
	// A conversation during the outage, on one replica.
	if r := askIn(t, a, first, "U4", conv); !r.Answered() {
		t.Fatalf("%q during the outage: %s", first, r.Kind)
	}
	for _, s := range rs {
		if s.metric("liberterra_redis_up") != "0" || s.metric("liberterra_redis_outages_total") != "1" {
			t.Errorf("%s: redis_up %s, outages %s; want 0, 1", s.base, s.metric("liberterra_redis_up"), s.metric("liberterra_redis_outages_total"))
		}
		code, body := s.get("/readyz")
		if code != 200 || !strings.Contains(body, "degraded: redis unreachable") {
			t.Errorf("/readyz during the outage: %d %q, want 200 saying redis is unreachable", code, body)
		}
	}
	if v := a.metric(`liberterra_redis_fallbacks_total{store="dedupe"}`); v == "0" || v == "" {
		t.Errorf("dedupe fallbacks during the outage: %q", v)
	}

	srv.Start()
	waitFor(t, "both replicas to find Redis again", func() bool {
		return a.metric("liberterra_redis_up") == "1" && b.metric("liberterra_redis_up") == "1"
	})
	for _, s := range rs {
		if code, body := s.get("/readyz"); code != 200 || strings.Contains(body, "degraded") {
			t.Errorf("/readyz after recovery: %d %q", code, body)
		}
	}
	// Shared again: from before the outage (Redis kept it), from during it
	// (written back by the replica that kept it), and new.
	mention(t, b, "Ev1", "U1", "how many victims were rescued?")
	mention(t, b, "Ev2", "U2", "who is Stephen Kavanagh?")
	waitFor(t, "the retries after recovery to be recognised", func() bool { return b.metric(duplicatesSample) == "2" })
	mention(t, a, "Ev5", "U5", "what happened in algeria")
	waitFor(t, "a new answer after recovery", func() bool { return api.threadPosts("Ev5") == 1 })
	mention(t, b, "Ev5", "U5", "what happened in algeria")
	waitFor(t, "its retry to be recognised", func() bool { return b.metric(duplicatesSample) == "3" })
	if r := askIn(t, b, next, "U4", conv); r.FactID != withContext {
		t.Errorf("follow-up after recovery, of a conversation begun during the outage on the other replica: %q, want %q", r.FactID, withContext)
	}

	for _, s := range rs {
		if code := s.stop(); code != 0 {
			t.Fatalf("exit status %d", code)
		}
		log := s.stderr.String()
		if n := strings.Count(log, "redis unreachable"); n != 1 {
			t.Errorf("%d log lines about the outage, want 1:\n%s", n, log)
		}
		if n := strings.Count(log, "redis reachable again"); n != 1 {
			t.Errorf("%d log lines about the recovery, want 1:\n%s", n, log)
		}
	}
	for _, id := range []string{"Ev1", "Ev2", "Ev3", "Ev5"} {
		if n := api.threadPosts(id); n != 1 {
			t.Errorf("%s answered %d times, want once", id, n)
		}
	}
}

// serve starts with Redis down: it serves, says so, and finds Redis later.
func TestServeStartsWithRedisDown(t *testing.T) {
	srv := redistest.Start(t)
	srv.Stop()
	rs, api := startReplicas(t, 1, srv.URL(), "--rate-every", "0")
	s := rs[0]
	mention(t, s, "Ev1", "U1", "how many victims were rescued?")
	waitFor(t, "the answer", func() bool { return api.threadPosts("Ev1") == 1 })
	if code, body := s.get("/readyz"); code != 200 || !strings.Contains(body, "redis unreachable") {
		t.Errorf("/readyz: %d %q", code, body)
	}
	srv.Start()
	waitFor(t, "Redis found", func() bool { return s.metric("liberterra_redis_up") == "1" })
}

// --gaps redis: both replicas log gaps and votes to one stream each,
// which liberterra gaps reads with --redis-url (or LIBERTERRA_REDIS_URL) as
// it reads the files.
func TestGapsAndFeedbackStreamsSharedByReplicas(t *testing.T) {
	srv := redistest.Start(t)
	rs, api := startReplicas(t, 2, srv.URL(), "--gaps", "redis", "--gaps-users")
	for _, s := range rs {
		if r := askIn(t, s, "What is the capital of Senegal?", "U-secret", ""); r.Kind != bot.KindDeclined {
			t.Fatalf("kind %q, want declined", r.Kind)
		}
	}
	payload, _ := json.Marshal(map[string]any{
		"type": "block_actions", "team": map[string]any{"id": "T1"}, "user": map[string]any{"id": "UVOTER"},
		"channel": map[string]any{"id": "C1"}, "response_url": api.srv.URL + "/respond",
		"container": map[string]any{"type": "message", "message_ts": "5.5", "thread_ts": "5.1", "channel_id": "C1"},
		"actions": []any{map[string]any{"type": "button", "action_id": slack.ActionVoteDown, "block_id": "b1",
			"value": `{"q":"How many victims were rescued?","f":"op-victims-rescued"}`}},
	})
	if code, body := signedPost(t, rs[1].base, slack.InteractivePath, url.Values{"payload": {string(payload)}}.Encode(), time.Now()); code != 200 {
		t.Fatalf("click: %d %s", code, body)
	}
	waitFor(t, "the vote counted", func() bool { return rs[1].metric(`liberterra_feedback_total{frontend="slack",vote="down"}`) == "1" })
	for _, s := range rs {
		s.stop()
	}
	for _, args := range [][]string{{"gaps", "--redis-url", srv.URL()}, {"gaps"}} {
		var stdout, stderr bytes.Buffer
		m := &Main{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
			Getenv: func(k string) string { return map[string]string{redisVar: srv.URL()}[k] }}
		if code := m.Run(context.Background(), args); code != 0 {
			t.Fatalf("%q: exit status %d: %s", args, code, stderr.String())
		}
		out := stdout.String()
		for _, want := range []string{"2 question(s)", "    2    what is the capital of senegal", "Answers people marked wrong",
			"op-victims-rescued (Potential trafficking victims rescued)", "how many victims were rescued"} {
			if !strings.Contains(out, want) {
				t.Errorf("%q: no %q in\n%s", args, want, out)
			}
		}
	}
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	defer rdb.Close()
	msgs, err := rdb.XRange(context.Background(), "liberterra:gaps", "-", "+").Result()
	if err != nil || len(msgs) != 2 || !strings.Contains(fmt.Sprint(msgs[0].Values), "U-secret") {
		t.Errorf("stream liberterra:gaps: %v %v", msgs, err)
	}
	votes, err := rdb.XRange(context.Background(), "liberterra:feedback", "-", "+").Result()
	if err != nil || len(votes) != 1 || !strings.Contains(fmt.Sprint(votes[0].Values), "UVOTER") {
		t.Errorf("stream liberterra:feedback: %v %v", votes, err)
	}
}

// liberterra gaps reads the stream as it reads the file: the same report.
func TestGapsReportFromRedisGolden(t *testing.T) {
	srv := redistest.Start(t)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	defer rdb.Close()
	data, err := os.ReadFile(filepath.Join("testdata", "gaps.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if err := rdb.XAdd(context.Background(), &redis.XAddArgs{Stream: "liberterra:gaps", Values: []any{"entry", line}}).Err(); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr}
	if code := m.Run(context.Background(), []string{"gaps", "--redis-url", srv.URL()}); code != 0 {
		t.Fatalf("exit status %d: %s", code, stderr.String())
	}
	golden(t, "gaps.golden", stdout.String())
}

func TestRedisConfigProblems(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  string
		want string
	}{
		{[]string{"--gaps", "redis"}, "", "--gaps redis needs --redis-url or LIBERTERRA_REDIS_URL"},
		{[]string{"--feedback", "redis"}, "", "--feedback redis needs --redis-url or LIBERTERRA_REDIS_URL"},
		{nil, "http://:s3cret-password@cache:6379", `LIBERTERRA_REDIS_URL: scheme "http"`},
		{[]string{"--redis-url", "redis://:s3cret-password@cache:port/0"}, "", "--redis-url: "},
		{[]string{"--redis-url", "redis://:s3cret-password@cache:6379/zero"}, "", "--redis-url: "},
	} {
		var stderr syncBuffer
		m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr,
			Getenv: func(k string) string { return map[string]string{redisVar: tc.env}[k] }}
		code := m.Run(context.Background(), append([]string{"serve"}, tc.args...))
		out := stderr.String()
		if code != exitError || !strings.Contains(out, tc.want) {
			t.Errorf("%q %q: exit %d, want %d and %q:\n%s", tc.args, tc.env, code, exitError, tc.want, out)
		}
		if strings.Contains(out, "s3cret") {
			t.Errorf("%q %q: the password is shown:\n%s", tc.args, tc.env, out)
		}
	}
}

// Credentials Redis refuses stop serve with a message naming the variable.
func TestServeRefusedRedisPassword(t *testing.T) {
	srv := redistest.Start(t, "--requirepass", "right-password")
	api := newFakeSlackAPI(t)
	env := slackEnv(api)
	env[redisVar] = "redis://:wrong-password@" + srv.Addr() + "/0"
	var stderr syncBuffer
	m := &Main{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr, Getenv: func(k string) string { return env[k] }}
	code := m.Run(context.Background(), []string{"serve"})
	out := stderr.String()
	if code != exitError || !strings.Contains(out, "LIBERTERRA_REDIS_URL") || !strings.Contains(out, "credentials") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	if strings.Contains(out, "wrong-password") {
		t.Errorf("the password is shown:\n%s", out)
	}
}
