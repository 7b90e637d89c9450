package bot

import (
	"context"
	"encoding/json"
	"io"
	"sync"
)

// Journal is where the bot's logs for curators go (the gaps log, the
// feedback log): records appended in order, read back by `liberterra gaps`.
// One process writes JSON lines to a file (FileJournal); replicas share a
// capped Redis stream. Appending never fails a question: callers report
// errors and go on.
type Journal interface {
	// Append records one entry (a Gap, a Feedback) as one JSON object.
	Append(ctx context.Context, entry any) error
}

// FileJournal appends entries to W as JSON lines, one write a line so that
// concurrent appends to a file opened with O_APPEND stay whole.
type FileJournal struct {
	W  io.Writer
	mu sync.Mutex
}

// Append writes entry as one JSON line.
func (j *FileJournal) Append(_ context.Context, entry any) error {
	line, err := json.Marshal(entry)
	if err != nil {
		return err
	}
	line = append(line, '\n')
	j.mu.Lock()
	defer j.mu.Unlock()
	_, err = j.W.Write(line)
	return err
}
