package bot

import (
	"container/list"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// Recent holds the replies a front end showed lately, so that an action
// under one (Show source, Share in channel) finds it again by the id the
// front end put in the action. It is bounded: past its capacity or its
// age limit the oldest go first. It lives in one process, so an action
// that reaches another replica, or comes after a restart, finds nothing:
// front ends then answer with ReplyGoneText or ask again.
type Recent struct {
	capacity int
	maxAge   time.Duration
	now      func() time.Time

	mu    sync.Mutex
	order *list.List // of *recentEntry, newest first
	byID  map[string]*list.Element
}

type recentEntry struct {
	id    string
	at    time.Time
	reply Reply
}

// Defaults for NewRecent.
const (
	DefaultRecentCapacity = 2000
	DefaultRecentMaxAge   = 24 * time.Hour
)

// NewRecent makes a store of at most capacity replies, each kept at most
// maxAge; zero values take the defaults.
func NewRecent(capacity int, maxAge time.Duration) *Recent {
	if capacity <= 0 {
		capacity = DefaultRecentCapacity
	}
	if maxAge <= 0 {
		maxAge = DefaultRecentMaxAge
	}
	return &Recent{capacity: capacity, maxAge: maxAge, now: time.Now, order: list.New(), byID: map[string]*list.Element{}}
}

// Put keeps r and returns its id: 16 hexadecimal digits, random, so ids of
// another process or an earlier run never find a wrong reply.
func (s *Recent) Put(r Reply) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	s.mu.Lock()
	defer s.mu.Unlock()
	s.byID[id] = s.order.PushFront(&recentEntry{id: id, at: s.now(), reply: r})
	for s.order.Len() > s.capacity {
		s.remove(s.order.Back())
	}
	return id
}

// Get returns the reply kept under id, if it is still kept.
func (s *Recent) Get(id string) (Reply, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	el, ok := s.byID[id]
	if !ok {
		return Reply{}, false
	}
	e := el.Value.(*recentEntry)
	if s.now().Sub(e.at) > s.maxAge {
		s.remove(el)
		return Reply{}, false
	}
	return e.reply, true
}

// Len is the number of replies kept.
func (s *Recent) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.order.Len()
}

func (s *Recent) remove(el *list.Element) {
	delete(s.byID, el.Value.(*recentEntry).id)
	s.order.Remove(el)
}
