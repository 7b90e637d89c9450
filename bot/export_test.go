package bot

import "time"

// SetClock lets tests move a store's clock.
func SetClock(m *MemoryConversations, now func() time.Time) { m.now = now }
