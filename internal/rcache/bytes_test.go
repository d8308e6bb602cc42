package rcache

import (
	"fmt"
	"testing"
)

func TestGetBytes_FindsWhatGetFinds(t *testing.T) {
	c := New[string](64<<10, 4)
	c.Put("a", []byte("alpha"))
	key := []byte("a")
	if v, ok := GetBytes(c, key); !ok || string(v) != "alpha" {
		t.Fatalf("GetBytes = %q %v", v, ok)
	}
	if _, ok := GetBytes(c, []byte("b")); ok {
		t.Fatal("a key never put was found")
	}
	if hits, misses := c.Stats(); hits != 1 || misses != 1 {
		t.Fatalf("Stats = %d hits, %d misses, want 1 and 1", hits, misses)
	}
	// An entry of the older generation moves to the current one under a
	// key of its own: the caller's bytes change after the call.
	val := make([]byte, 100)
	s := c.shard("a")
	for i := 0; s.prev["a"] == nil; i++ {
		if i == 10_000 {
			t.Fatal("a never moved to the older generation")
		}
		c.Put(fmt.Sprint("k", i), val)
	}
	if _, ok := GetBytes(c, key); !ok {
		t.Fatal("an entry of the older generation was not found")
	}
	if s.cur["a"] == nil || s.prev["a"] != nil {
		t.Fatal("an entry of the older generation GetBytes found was not moved to the current one")
	}
	if hits, misses := c.Stats(); hits != 2 || misses != 1 {
		t.Fatalf("Stats = %d hits, %d misses, want 2 and 1", hits, misses)
	}
	key[0] = 'z'
	if v, ok := c.Get("a"); !ok || string(v) != "alpha" {
		t.Fatalf("after the caller's bytes changed, Get(a) = %q %v", v, ok)
	}
}

func TestGetBytes_AHitAllocatesNothing(t *testing.T) {
	c := New[string](1<<20, 4)
	c.Put("some key of a document", []byte("doc"))
	var buf [64]byte
	key := append(buf[:0], "some key of a document"...)
	if n := testing.AllocsPerRun(100, func() {
		if _, ok := GetBytes(c, key); !ok {
			t.Fatal("not found")
		}
	}); n != 0 {
		t.Fatalf("%.0f allocations per hit, want 0", n)
	}
}

func TestGetBytes_ZeroBudgetKeepsNothing(t *testing.T) {
	c := New[string](0, 4)
	c.Put("a", []byte("alpha"))
	if _, ok := GetBytes(c, []byte("a")); ok {
		t.Fatal("a cache without a budget found a value")
	}
}

// A list read after every change misses the document cache every time: the
// miss made the key's string only to look it up again in both generations
// (an allocation of every such read). A miss is now looked up in both by
// the caller's bytes; only an entry found in the older generation makes
// the string it moves under.
func TestGetBytes_AMissAllocatesNothing(t *testing.T) {
	c := New[string](1<<20, 4)
	c.Put("another key", []byte("doc"))
	var buf [64]byte
	key := append(buf[:0], "some key of a document"...)
	if n := testing.AllocsPerRun(100, func() {
		if _, ok := GetBytes(c, key); ok {
			t.Fatal("found a key never put")
		}
	}); n != 0 {
		t.Fatalf("%.0f allocations per miss, want 0", n)
	}
	if _, misses := c.Stats(); misses != 101 {
		t.Fatalf("%d misses counted, want 101", misses)
	}
}
