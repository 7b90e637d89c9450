package bot

import (
	"fmt"
	"sync"
	"testing"
)

// TestMemo: values put are got back, from any goroutine, before and after
// they are published; a key's text is copied.
func TestMemo(t *testing.T) {
	var m memo[string, int]
	if _, ok := m.get("absent"); ok {
		t.Fatal("empty memo has a value")
	}
	const n = 1000
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range n {
				k := fmt.Sprint(i)
				if g == 0 {
					m.put(k, i)
				}
				if v, ok := m.get(k); ok && v != i {
					t.Errorf("get(%q) = %d", k, v)
				}
			}
		}()
	}
	wg.Wait()
	for i := range n {
		if v, ok := m.get(fmt.Sprint(i)); !ok || v != i {
			t.Fatalf("get(%d) = %d, %v", i, v, ok)
		}
	}
	buf := []byte("word")
	m.put(string(buf[:]), 7)
	buf[0] = 'c'
	if v, ok := m.get("word"); !ok || v != 7 {
		t.Errorf("a key changed with the text it came from: %d, %v", v, ok)
	}
}
