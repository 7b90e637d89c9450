package redisstore

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// libraryLog receives go-redis's own messages (a failed dial, a pool
// problem); they repeat while Redis is unreachable, so they go at debug
// level, the Client's state changes being what operators read.
var libraryLog atomic.Pointer[slog.Logger]

func init() {
	libraryLog.Store(slog.New(slog.DiscardHandler))
	redis.SetLogger(libraryLogger{})
}

// SetLibraryLogger sends go-redis's messages to l at debug level
// (process-wide: go-redis has one logger). They are discarded until then.
func SetLibraryLogger(l *slog.Logger) {
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	libraryLog.Store(l)
}

type libraryLogger struct{}

func (libraryLogger) Printf(ctx context.Context, format string, v ...any) {
	libraryLog.Load().DebugContext(ctx, "go-redis: "+strings.TrimSpace(fmt.Sprintf(format, v...)))
}
