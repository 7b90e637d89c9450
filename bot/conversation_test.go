package bot_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/liberterra/liberterra/bot"
	"github.com/liberterra/liberterra/bot/conversationtest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestConversations answers the conversations of testdata/conversations.txt
// and compares what a user would see with testdata/conversations.golden.
// A change to the fact base or the matcher shows up as a reviewable diff;
// accept it with -update.
// runID keeps the conversations of one run of a test apart from the next
// (go test -count=2 shares the test bot).
func runID() string { return fmt.Sprintf("run%d-", testRuns.Add(1)) }

var testRuns atomic.Int64

func TestConversations(t *testing.T) {
	b := newBot(t)
	run := runID()
	f, err := os.Open("testdata/conversations.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out strings.Builder
	conv := 1
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "#"):
			continue
		case strings.TrimSpace(line) == "":
			if out.Len() > 0 && !strings.HasSuffix(out.String(), "\n\n") {
				out.WriteString("\n")
			}
			conv++
			continue
		}
		r, err := b.Answer(context.Background(), bot.Question{Text: line, Conversation: fmt.Sprintf("%sgolden-%d", run, conv)})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&out, "> %s\n%s", line, transcript(r))
	}
	golden(t, "testdata/conversations.golden", out.String())
}

// transcript shows a reply as a user reads it, with its kind.
func transcript(r bot.Reply) string {
	var s strings.Builder
	fmt.Fprintf(&s, "[%s", r.Kind)
	if r.FactID != "" {
		fmt.Fprintf(&s, " %s", r.FactID)
	}
	fmt.Fprintf(&s, "] %s\n", r.Text)
	for _, c := range r.Citations {
		fmt.Fprintf(&s, "  - %s: %q\n", c.Source.Outlet(), c.Quote)
	}
	if len(r.Suggestions) > 0 {
		fmt.Fprintf(&s, "  you could ask about: %s\n", strings.Join(r.Suggestions, "; "))
	}
	return s.String()
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./bot -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test ./bot -update accepts the change):\n%s", path, lineDiff(string(want), got))
	}
}

// lineDiff lists the lines that differ, for a readable failure.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %q\n  got  %q\n", i+1, wl, gl)
		}
	}
	return b.String()
}

// TestWrappingNeverChangesTheAnswer: greetings, mentions anywhere, emoji,
// markdown, fillers and sign-offs around a question leave its answer as it
// is, through every front end's raw text.
func TestWrappingNeverChangesTheAnswer(t *testing.T) {
	b := newBot(t)
	questions := []string{
		"how many people were arrested",
		"how many victims were rescued",
		"what happened in Algeria",
		"who is Stephen Kavanagh",
		"how many arrests were made in Turkey",
		"what did police find in North Macedonia nightclubs",
		"when did the operation take place",
		"what does NCA stand for",
		"what is the capital of Senegal",
	}
	wrappers := []string{
		"I'm curious %s",
		"quick question team: %s?",
		"%s? ty",
		"hey <@U024BE7LH> %s?",
		"<!channel> %s?",
		"<!here> <#C024BE7LH|general> %s :coffee:",
		"<@!80351110224678912> <@&165511591545143296> %s? 🙏",
		"Hello! Hope you're well. %s? Many thanks, Priya",
		"hiya, sorry to bother you. %s?? thx xx",
		"> a line someone quoted\n\n%s?",
		"*%s*?",
		"Hey team, two things. First, the coffee machine is broken again :sob: Second: %s? That's all.",
		"Good afternoon. I'm writing a piece on this. %s? Thank you for your help.",
		"%s, cheers",
		"@everyone %s",
		"%s\u200b?",
	}
	for _, q := range questions {
		plain, err := b.Answer(context.Background(), bot.Question{Text: q + "?"})
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range wrappers {
			text := fmt.Sprintf(w, q)
			t.Run(text, func(t *testing.T) {
				r, err := b.Answer(context.Background(), bot.Question{Text: text})
				if err != nil {
					t.Fatal(err)
				}
				if r.Kind != plain.Kind || r.FactID != plain.FactID {
					t.Errorf("%q -> %s %s, but %q -> %s %s", text, r.Kind, r.FactID, q, plain.Kind, plain.FactID)
				}
				if strings.Contains(r.Question, "\u200b") || strings.Contains(r.Question, "<@") || strings.Contains(r.Question, "<!") || strings.Contains(r.Question, "<#") {
					t.Errorf("%q echoed as %q: markup or invisible characters shown back", text, r.Question)
				}
			})
		}
	}
}

// TestCompare checks the worked comparisons: each figure, the result and
// the working, cited.
func TestCompare(t *testing.T) {
	for _, tc := range []struct {
		q     string
		kind  bot.ReplyKind
		wants []string
	}{
		{"Which had more arrests, Serbia or Montenegro?", bot.KindAnswer, []string{"12", "11", "Serbia", "12 − 11 = 1"}},
		{"How many more suspects did Turkey arrest than the UK's NCA?", bot.KindAnswer, []string{"94", "9", "94 − 9 = 85"}},
		{"How many suspects were arrested in Serbia, Montenegro and North Macedonia combined?", bot.KindAnswer, []string{"12 + 11 + 13 = 36"}},
		{"What share of the people intercepted in Tunisia were children?", bot.KindAnswer, []string{"21", "27", "77.8%"}},
		{"How many more potential trafficking victims were rescued than people arrested?", bot.KindAnswer, []string{"3,222 − 2,517 = 705"}},
		{"On average, how many irregular migrants were identified per participating country?", bot.KindAnswer, []string{"17,793", "17,800", "116", "different figures"}},
		{"Which had more arrests, Turkey or Spain?", bot.KindNotGiven, []string{"don't give a figure for Spain", "94"}},
	} {
		t.Run(tc.q, func(t *testing.T) {
			r := ask(t, tc.q)
			if r.Kind != tc.kind {
				t.Fatalf("%q -> %s %q, want %s", tc.q, r.Kind, r.Text, tc.kind)
			}
			for _, w := range tc.wants {
				if !strings.Contains(r.Text, w) {
					t.Errorf("%q -> %q, want it to say %q", tc.q, r.Text, w)
				}
			}
			if len(r.Citations) == 0 {
				t.Errorf("%q: figures not cited", tc.q)
			}
		})
	}
}

// TestSmalltalk: small talk gets the bot's own voice, never an answer or
// a refusal, and is not logged as a gap (KindSmalltalk).
func TestSmalltalk(t *testing.T) {
	for q, want := range map[string]string{
		"hey 👋": "Hello", "thanks!": "welcome", "bye": "Goodbye", "who are you?": "bot",
		"are you a person?": "not a person", "how are you?": "bot", "good bot": "glad",
		"bad bot": "Sorry", "Combien de personnes ont été arrêtées ?": "English",
	} {
		r := ask(t, q)
		if r.Kind != bot.KindSmalltalk || r.Answered() || !strings.Contains(r.Text, want) {
			t.Errorf("%q -> %s %q, want small talk with %q", q, r.Kind, r.Text, want)
		}
	}
	if r := ask(t, "what can you do?"); r.Kind != bot.KindHelp {
		t.Errorf("what can you do? -> %s, want the help", r.Kind)
	}
}

// TestConversationsAreSeparate: a follow-up is read in its own
// conversation only, and a question without one is read alone.
func TestConversationsAreSeparate(t *testing.T) {
	b := newBot(t)
	ctx := context.Background()
	run := runID()
	askIn := func(conv, q string) bot.Reply {
		r, err := b.Answer(ctx, bot.Question{Text: q, Conversation: run + conv})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	askIn("thread-1", "how many arrests were made in Turkey?")
	askIn("thread-2", "What happened in Mali?")
	if r := askIn("thread-1", "and in Serbia?"); !strings.Contains(r.Text, "12") {
		t.Errorf("thread-1 follow-up -> %q, want Serbia's 12 arrests", r.Text)
	}
	if r := askIn("thread-2", "how many women were found?"); !strings.Contains(r.Text, "24") {
		t.Errorf("thread-2 follow-up -> %q, want Mali's 24 women", r.Text)
	}
	if r := askIn("", "and in Serbia?"); r.Answered() && strings.Contains(r.Text, "arrest") && !strings.Contains(r.Text, "Serbia") {
		t.Errorf("a question without a conversation was read in another's light: %q", r.Text)
	}
}

func TestMemoryConversations(t *testing.T) {
	conversationtest.Run(t, func(*testing.T) bot.ConversationStore { return bot.NewMemoryConversations(time.Hour, 100) })

	t.Run("idle conversations end", func(t *testing.T) {
		now := time.Unix(1_700_000_000, 0)
		m := bot.NewMemoryConversations(30*time.Minute, 10)
		bot.SetClock(m, func() time.Time { return now })
		ctx := context.Background()
		m.Save(ctx, "a", bot.Conversation{Shown: []string{"x"}})
		now = now.Add(29 * time.Minute)
		if c, _ := m.Load(ctx, "a"); len(c.Shown) != 1 {
			t.Error("forgotten before 30 minutes")
		}
		m.Save(ctx, "a", bot.Conversation{Shown: []string{"x"}})
		now = now.Add(31 * time.Minute)
		if c, _ := m.Load(ctx, "a"); len(c.Shown) != 0 {
			t.Error("remembered after 30 idle minutes")
		}
	})
	t.Run("bounded, least recently used first", func(t *testing.T) {
		m := bot.NewMemoryConversations(time.Hour, 3)
		ctx := context.Background()
		for _, k := range []string{"a", "b", "c"} {
			m.Save(ctx, k, bot.Conversation{Shown: []string{k}})
		}
		m.Load(ctx, "a") // a is now more recent than b
		m.Save(ctx, "a", bot.Conversation{Shown: []string{"a"}})
		m.Save(ctx, "d", bot.Conversation{Shown: []string{"d"}})
		if m.Len() != 3 {
			t.Errorf("%d conversations kept, want 3", m.Len())
		}
		if c, _ := m.Load(ctx, "b"); len(c.Shown) != 0 {
			t.Error("b, the least recently used, was kept")
		}
		if c, _ := m.Load(ctx, "a"); len(c.Shown) != 1 {
			t.Error("a, recently used, was dropped")
		}
	})
}

// BenchmarkConversationStore measures a lookup and a save in a store of
// 100,000 live conversations, and the memory each takes (README).
func BenchmarkConversationStore(b *testing.B) {
	const n = 100_000
	m := bot.NewMemoryConversations(time.Hour, n)
	ctx := context.Background()
	var before, after runtimeMem
	before.read()
	for i := range n {
		m.Save(ctx, fmt.Sprintf("slack:T024BE7LD:C024BE91L:17000%05d.000200", i), sampleConversation(i))
	}
	after.read()
	perConversation := float64(after.heap-before.heap) / n
	for i := 0; b.Loop(); i++ {
		key := fmt.Sprintf("slack:T024BE7LD:C024BE91L:17000%05d.000200", i%n)
		c, _ := m.Load(ctx, key)
		m.Save(ctx, key, c)
	}
	// Reported after the loop: b.Loop resets the metrics reported before.
	b.ReportMetric(perConversation, "bytes/conversation")
}

// BenchmarkConversationLoad is the lookup alone: what a conversation adds
// to an answer.
func BenchmarkConversationLoad(b *testing.B) {
	const n = 100_000
	m := bot.NewMemoryConversations(time.Hour, n)
	ctx := context.Background()
	keys := make([]string, n)
	for i := range n {
		keys[i] = fmt.Sprintf("discord:%018d:%018d", i, i*7)
		m.Save(ctx, keys[i], sampleConversation(i))
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m.Load(ctx, keys[i%n])
	}
}

// sampleConversation is a conversation as large as they get: every turn
// and every shown fact.
func sampleConversation(i int) bot.Conversation {
	var c bot.Conversation
	for j := range 3 {
		c.Turns = append(c.Turns, bot.Turn{Question: fmt.Sprintf("how many arrests were made in Turkey, question %d?", j),
			Fact: "turkey-94-smugglers-arrested", Entities: []string{"turkey"}, Terms: []string{"arrest", "suspect"},
			Covers: []float32{0.5, 0.6}, Want: 2, Place: "turkey"})
	}
	for j := range 16 {
		c.Shown = append(c.Shown, fmt.Sprintf("fact-%d-%d", i%50, j))
	}
	return c
}

type runtimeMem struct{ heap uint64 }

func (m *runtimeMem) read() {
	var s runtimeMemStats
	readMemStats(&s)
	m.heap = s.HeapAlloc
}

type runtimeMemStats = runtime.MemStats

func readMemStats(s *runtime.MemStats) {
	runtime.GC()
	runtime.ReadMemStats(s)
}
