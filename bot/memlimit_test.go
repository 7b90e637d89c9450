package bot

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestLimitMemorySmallHeap: the embedded base is far below the heap
// LimitMemory limits, so it sets no limit, and lifts one it set before.
func TestLimitMemorySmallHeap(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "") // the operator's limit would stand
	if _, err := Embedded(); err != nil {
		t.Fatal(err)
	}
	memLimit.Lock()
	memLimit.set = true // as if a large base had been served
	memLimit.Unlock()
	debug.SetMemoryLimit(1 << 40)
	defer debug.SetMemoryLimit(math.MaxInt64)
	if limit := LimitMemory(); limit != 0 {
		t.Errorf("LimitMemory on the embedded base set a limit of %d bytes", limit)
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("the limit set before stays: %d", got)
	}
}
