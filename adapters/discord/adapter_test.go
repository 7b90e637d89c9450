package discord

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/liberterra/liberterra/bot"
)

// fakeSession records what the adapter sends, in place of discordgo. Its
// Open says READY, as the gateway does.
type fakeSession struct {
	mu        sync.Mutex
	sent      []*discordgo.MessageSend
	respond   []*discordgo.InteractionResponse
	edits     []*discordgo.WebhookEdit
	deletes   int
	followups []*discordgo.WebhookParams
	handlers  []any
}

func (f *fakeSession) AddHandler(h any) func() { f.handlers = append(f.handlers, h); return func() {} }
func (f *fakeSession) Open() error {
	for _, h := range f.handlers {
		if ready, ok := h.(func(*discordgo.Session, *discordgo.Ready)); ok {
			ready(nil, &discordgo.Ready{User: &discordgo.User{ID: "100", Username: "liberterra", Bot: true}})
		}
	}
	return nil
}
func (f *fakeSession) Close() error { return nil }
func (f *fakeSession) ApplicationCommandBulkOverwrite(_, _ string, c []*discordgo.ApplicationCommand, _ ...discordgo.RequestOption) ([]*discordgo.ApplicationCommand, error) {
	return c, nil
}
func (f *fakeSession) ChannelMessageSendComplex(_ string, m *discordgo.MessageSend, _ ...discordgo.RequestOption) (*discordgo.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, m)
	return &discordgo.Message{}, nil
}
func (f *fakeSession) InteractionRespond(_ *discordgo.Interaction, r *discordgo.InteractionResponse, _ ...discordgo.RequestOption) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.respond = append(f.respond, r)
	return nil
}
func (f *fakeSession) InteractionResponseEdit(_ *discordgo.Interaction, e *discordgo.WebhookEdit, _ ...discordgo.RequestOption) (*discordgo.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.edits = append(f.edits, e)
	return &discordgo.Message{}, nil
}
func (f *fakeSession) InteractionResponseDelete(*discordgo.Interaction, ...discordgo.RequestOption) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.deletes++
	return nil
}

func (f *fakeSession) FollowupMessageCreate(_ *discordgo.Interaction, _ bool, p *discordgo.WebhookParams, _ ...discordgo.RequestOption) (*discordgo.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.followups = append(f.followups, p)
	return &discordgo.Message{}, nil
}
func (f *fakeSession) UserChannelCreate(user string, _ ...discordgo.RequestOption) (*discordgo.Channel, error) {
	return &discordgo.Channel{ID: "dm-" + user, Type: discordgo.ChannelTypeDM}, nil
}
func (f *fakeSession) Channel(id string, _ ...discordgo.RequestOption) (*discordgo.Channel, error) {
	return &discordgo.Channel{ID: id, Type: discordgo.ChannelTypeGuildText}, nil
}

func newTestAdapter(t *testing.T, b bot.Answerer) (*Adapter, *fakeSession) {
	t.Helper()
	f := &fakeSession{}
	// One worker: the replies come in the order asked.
	a := newAdapter(Config{Token: "x"}, f, b, Options{Queue: bot.NewQueue(bot.QueueConfig{Workers: 1})})
	a.onReady(nil, &discordgo.Ready{User: &discordgo.User{ID: "100", Username: "liberterra", Bot: true}})
	return a, f
}

// settle waits until every job queued so far has run.
func settle(t *testing.T, a *Adapter) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		st := a.queue.Stats()
		if st.Succeeded+st.Failed == st.Accepted {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs still running: %+v", st)
		}
	}
}

func userMessage(id, guild, author, content string, mentioned bool) *discordgo.MessageCreate {
	m := &discordgo.Message{ID: id, ChannelID: "c", GuildID: guild, Author: &discordgo.User{ID: author}, Content: content}
	if mentioned {
		m.Mentions = []*discordgo.User{{ID: "100"}}
	}
	return &discordgo.MessageCreate{Message: m}
}

func TestMessagesIgnored(t *testing.T) {
	a, f := newTestAdapter(t, newTestBot(t))
	tests := []struct {
		name string
		m    *discordgo.MessageCreate
	}{
		{"own message", userMessage("1", "g", "100", "<@100> who is Ilias Chatzis?", true)},
		{"another bot", func() *discordgo.MessageCreate {
			m := userMessage("2", "g", "7", "<@100> who is Ilias Chatzis?", true)
			m.Author.Bot = true
			return m
		}()},
		{"no mention in a guild", userMessage("3", "g", "7", "who is Ilias Chatzis?", false)},
		{"no author", &discordgo.MessageCreate{Message: &discordgo.Message{ID: "4", Content: "hi"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a.onMessage(nil, tt.m)
			settle(t, a)
			if len(f.sent) != 0 {
				t.Errorf("sent %d messages, want none", len(f.sent))
			}
		})
	}
}

func TestMentionOnlyGetsHelp(t *testing.T) {
	a, f := newTestAdapter(t, newTestBot(t))
	a.onMessage(nil, userMessage("1", "g", "7", "<@100>", true))
	settle(t, a)
	if len(f.sent) != 1 || len(f.sent[0].Embeds) != 1 || f.sent[0].Embeds[0].Title != "Liberterra" {
		t.Fatalf("sent %+v, want the help embed", f.sent)
	}
}

// TestFlood checks the rate limit: one polite slow-down, then silence.
func TestFlood(t *testing.T) {
	lim := bot.NewLimiter(newTestBot(t), time.Hour, 2)
	a, f := newTestAdapter(t, lim)
	for i := range 5 {
		a.onMessage(nil, userMessage(string(rune('a'+i)), "", "7", "who is Ilias Chatzis?", false))
	}
	settle(t, a)
	if len(f.sent) != 3 {
		t.Fatalf("sent %d messages, want 2 answers and 1 slow-down", len(f.sent))
	}
	if got := f.sent[2].Content; got != bot.SlowDownText {
		t.Errorf("third reply %q, want the slow-down", got)
	}
	// Over slash commands: the slow-down is ephemeral, then, as Discord
	// wants every interaction answered, a short ephemeral "still working".
	ask := func(id string) {
		a.onInteraction(nil, &discordgo.InteractionCreate{Interaction: &discordgo.Interaction{
			ID: id, Type: discordgo.InteractionApplicationCommand, User: &discordgo.User{ID: "8"},
			Data: discordgo.ApplicationCommandInteractionData{Name: "ask", Options: []*discordgo.ApplicationCommandInteractionDataOption{
				{Name: "question", Type: discordgo.ApplicationCommandOptionString, Value: "who is Ilias Chatzis?"},
			}},
		}})
	}
	for i := range 4 {
		ask(fmt.Sprint("i", i))
	}
	settle(t, a)
	if len(f.respond) != 4 {
		t.Fatalf("%d interaction responses, want 4", len(f.respond))
	}
	if r := f.respond[2]; r.Data.Content != bot.SlowDownText || r.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("slow-down response %+v, want ephemeral", r.Data)
	}
	if r := f.respond[3]; r.Data.Content != bot.ThrottledText || r.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("throttled response %+v, want ThrottledText, ephemeral", r.Data)
	}
}

// TestDeferredThenThrottledStillAnswers: a throttled interaction gets its
// (ephemeral) text, so Discord never shows "did not respond".
func TestDeferredThenThrottledStillAnswers(t *testing.T) {
	slow := bot.AnswererFunc(func(ctx context.Context, q bot.Question) (bot.Reply, error) {
		time.Sleep(50 * time.Millisecond)
		return bot.Reply{Kind: bot.KindThrottled, Text: bot.ThrottledText, Visibility: bot.Private}, nil
	})
	a, f := newTestAdapter(t, slow)
	a.deferAfter = time.Millisecond
	a.onInteraction(nil, &discordgo.InteractionCreate{Interaction: &discordgo.Interaction{
		Type: discordgo.InteractionApplicationCommand, User: &discordgo.User{ID: "8"},
		Data: discordgo.ApplicationCommandInteractionData{Name: "topics"},
	}})
	settle(t, a)
	if len(f.respond) != 1 || f.respond[0].Type != discordgo.InteractionResponseDeferredChannelMessageWithSource ||
		f.respond[0].Data.Flags&discordgo.MessageFlagsEphemeral == 0 || f.deletes != 0 || len(f.edits) != 1 || *f.edits[0].Content != bot.ThrottledText {
		t.Errorf("responses %d, deletes %d, edits %d; want one private deferral, then the throttled text", len(f.respond), f.deletes, len(f.edits))
	}
}

func TestRunRegistersCommands(t *testing.T) {
	a, _ := newTestAdapter(t, newTestBot(t))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	for deadline := time.Now().Add(10 * time.Second); !a.Connected(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("never connected")
		}
	}
	if err := a.Run(context.Background()); err == nil {
		t.Error("a second Run while running should fail")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if a.Connected() {
		t.Error("connected after Run returned")
	}
}
