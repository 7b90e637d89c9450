package bot

import (
	"container/list"
	"context"
	"slices"
	"sync"
	"time"
)

// A conversation is what the bot remembers of a Slack thread, a Discord
// user in a channel, a REPL session or an `ask --json` conversation id, so
// that a follow-up ("and in Serbia?", "who said that?", "tell me more") is
// read in its light. It is small: the last turns, and the facts already
// shown.

// Conversation is the state of one conversation.
type Conversation struct {
	// Turns are the latest questions with what the bot made of them, the
	// most recent last; at most maxTurns.
	Turns []Turn `json:"turns,omitempty"`
	// Shown are the facts already given in this conversation, so "tell me
	// more" never repeats one; at most maxShown, the oldest forgotten first.
	Shown []string `json:"shown,omitempty"`
}

// Turn is one question of a conversation as the bot understood it.
type Turn struct {
	Question string `json:"q"`
	// Fact is the fact answered (or, when not given, the one that said
	// what the articles do say); empty for a refusal.
	Fact string `json:"fact,omitempty"`
	// Entities are the entities the question was about, resolved.
	Entities []string `json:"entities,omitempty"`
	// Terms are the question's own words as terms (stems), without its
	// entities: what a follow-up may carry on ("arrests" in "and in Serbia?").
	Terms []string `json:"terms,omitempty"`
	// Covers are the terms' weights (see qterm.cover).
	Covers []float32 `json:"covers,omitempty"`
	// Want is what the question asked for ("a number").
	Want uint8 `json:"want,omitempty"`
	// Person and Place are who "he"/"she" and "there" point at next.
	Person string `json:"person,omitempty"`
	Place  string `json:"place,omitempty"`
}

// Limits of a conversation's state.
const (
	maxTurns = 3
	maxShown = 16
)

// last returns the most recent turn, or nil.
func (c *Conversation) last() *Turn {
	if len(c.Turns) == 0 {
		return nil
	}
	return &c.Turns[len(c.Turns)-1]
}

// add appends a turn and notes its fact as shown.
func (c *Conversation) add(t Turn) {
	c.Turns = append(c.Turns, t)
	if len(c.Turns) > maxTurns {
		c.Turns = append(c.Turns[:0], c.Turns[len(c.Turns)-maxTurns:]...)
	}
	if t.Fact != "" && !c.shown(t.Fact) {
		c.Shown = append(c.Shown, t.Fact)
		if len(c.Shown) > maxShown {
			c.Shown = append(c.Shown[:0], c.Shown[len(c.Shown)-maxShown:]...)
		}
	}
}

func (c *Conversation) shown(id string) bool {
	for _, s := range c.Shown {
		if s == id {
			return true
		}
	}
	return false
}

// ConversationStore keeps conversations by key: in memory for one process
// (MemoryConversations), or in a store several replicas share. Load of an
// unknown or expired key returns an empty Conversation and no error.
//
// What Load returns may share memory with the store: a caller reads it and
// appends to its lists (which leaves the store as it was), but never
// changes an element in place. Save keeps its own copy.
type ConversationStore interface {
	Load(ctx context.Context, key string) (Conversation, error)
	Save(ctx context.Context, key string, c Conversation) error
	Delete(ctx context.Context, key string) error
}

// Defaults of the in-memory store: a conversation ends after 30 minutes
// without a message, and at most 100,000 are kept (least recently used
// go first).
const (
	DefaultConversationIdle = 30 * time.Minute
	DefaultConversationMax  = 100_000
)

// MemoryConversations is a ConversationStore in memory, bounded in size
// and idle time. The zero value is not usable; use NewMemoryConversations.
type MemoryConversations struct {
	idle time.Duration
	max  int
	now  func() time.Time

	mu    sync.Mutex
	items map[string]*list.Element
	order *list.List // front: most recently used
}

type memoryEntry struct {
	key  string
	conv Conversation
	seen time.Time
}

// NewMemoryConversations keeps up to max conversations, each until idle
// passes without a message. Zero or negative values take the defaults.
func NewMemoryConversations(idle time.Duration, max int) *MemoryConversations {
	if idle <= 0 {
		idle = DefaultConversationIdle
	}
	if max <= 0 {
		max = DefaultConversationMax
	}
	return &MemoryConversations{idle: idle, max: max, now: time.Now, items: map[string]*list.Element{}, order: list.New()}
}

// Load returns the conversation under key, or an empty one.
func (m *MemoryConversations) Load(_ context.Context, key string) (Conversation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	el, ok := m.items[key]
	if !ok {
		return Conversation{}, nil
	}
	e := el.Value.(*memoryEntry)
	if m.now().Sub(e.seen) > m.idle {
		m.order.Remove(el)
		delete(m.items, key)
		return Conversation{}, nil
	}
	// Not copied (see ConversationStore): what Save stored is never
	// written to again, and its lists are full, so a caller's append makes
	// a new array. A look-up is then a map access, well under a
	// microsecond.
	return e.conv, nil
}

// Save stores the conversation under key, forgetting the least recently
// used one when full.
func (m *MemoryConversations) Save(_ context.Context, key string, c Conversation) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if el, ok := m.items[key]; ok {
		e := el.Value.(*memoryEntry)
		e.conv, e.seen = c.clone(), now
		m.order.MoveToFront(el)
		return nil
	}
	for m.order.Len() >= m.max {
		oldest := m.order.Back()
		m.order.Remove(oldest)
		delete(m.items, oldest.Value.(*memoryEntry).key)
	}
	m.items[key] = m.order.PushFront(&memoryEntry{key: key, conv: c.clone(), seen: now})
	return nil
}

// Delete forgets the conversation under key.
func (m *MemoryConversations) Delete(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if el, ok := m.items[key]; ok {
		m.order.Remove(el)
		delete(m.items, key)
	}
	return nil
}

// Len is how many conversations the store holds.
func (m *MemoryConversations) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.order.Len()
}

// clone copies a conversation so the store never shares an array a caller
// may write.
// The copy's slices are full (capacity = length), so appending to one
// never writes into the copy.
func (c Conversation) clone() Conversation {
	out := Conversation{Shown: slices.Clip(slices.Clone(c.Shown))}
	if len(c.Turns) > 0 {
		out.Turns = make([]Turn, 0, len(c.Turns))
	}
	for _, t := range c.Turns {
		t.Entities = slices.Clip(slices.Clone(t.Entities))
		t.Terms = slices.Clip(slices.Clone(t.Terms))
		t.Covers = slices.Clip(slices.Clone(t.Covers))
		out.Turns = append(out.Turns, t)
	}
	return out
}
