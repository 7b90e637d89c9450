package bot

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// A large fact base is mostly memory that stays: on the 100k-fact base the
// bot is a live heap of about 190 MB, which Go's default GOGC=100 lets grow
// towards twice that, garbage included, before it collects.
// BenchmarkSustained100k (20,000 answers) peaked at 303 MB resident
// without a collection, and a server answering on goes further; under the
// limit LimitMemory sets (about 280 MB) at 260 MB, after one collection,
// at the same latency (measured when written: 365 MB against 274 MB, with
// five collections, when answering made more garbage). serve calls it
// once a base is loaded.

// Headroom that LimitMemory allows over the memory the heap holds: a
// quarter of the live heap, at least limitHeadroomMin.
const limitHeadroomMin = 32 << 20

// minLimitedHeap is the smallest live heap LimitMemory limits: below it
// (the embedded base is a few megabytes) collections would cost CPU for
// memory no one misses.
const minLimitedHeap = 64 << 20

var memLimit struct {
	sync.Mutex
	set bool // the limit in force is LimitMemory's
}

// LimitMemory sets the Go runtime's soft memory limit
// (runtime/debug.SetMemoryLimit) to the memory the heap holds plus a
// quarter of the live heap (at least 32 MB), for a process that serves a
// large fact base: call it once the bot is loaded, and again once a reload
// has replaced it. It collects first, to measure the heap. It returns the
// limit set, or 0 when it sets none: a live heap under 64 MB, or GOMEMLIMIT
// set (the operator's limit stands). A limit it set before is lifted when
// the heap is now small.
//
// A reload holds two bases a while: the limit set for one makes the
// collector work harder meanwhile (Go caps that at about half the CPU), and
// keeps the resident set lower.
func LimitMemory() int64 {
	if os.Getenv("GOMEMLIMIT") != "" {
		return 0
	}
	memLimit.Lock()
	defer memLimit.Unlock()
	runtime.GC()
	live, inUse := heapMemory()
	if live < minLimitedHeap {
		if memLimit.set {
			debug.SetMemoryLimit(math.MaxInt64)
			memLimit.set = false
		}
		return 0
	}
	limit := inUse + max(live/4, limitHeadroomMin)
	debug.SetMemoryLimit(int64(limit))
	memLimit.set = true
	return int64(limit)
}

// heapMemory reads the live heap as the last collection found it, and the
// memory the runtime holds that counts towards its limit and that it
// cannot give back: all of it but what was released to the system and the
// free heap it may release. The difference from the live heap (the part
// of spans objects leave unused, the collector's metadata: about a fifth
// on the 100k base) is no headroom.
func heapMemory() (live, inUse uint64) {
	s := []metrics.Sample{
		{Name: "/gc/heap/live:bytes"},
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
	}
	metrics.Read(s)
	for _, v := range s {
		if v.Value.Kind() != metrics.KindUint64 {
			return 0, 0 // not this runtime's metrics: no limit
		}
	}
	return s[0].Value.Uint64(), s[1].Value.Uint64() - s[2].Value.Uint64() - s[3].Value.Uint64()
}
