package rcache

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCache_GetPutAndTheBudget(t *testing.T) {
	c := New[string](1<<20, 16)
	c.Put("a", []byte("alpha"))
	v, ok := c.Get("a")
	if !ok || string(v) != "alpha" {
		t.Fatalf("Get = %q %v", v, ok)
	}
	if _, ok := c.Get("b"); ok {
		t.Fatal("a key never put was found")
	}
	val := bytes.Repeat([]byte("x"), 1000)
	for i := 0; i < 100_000; i++ {
		c.Put(fmt.Sprint("k", i), val)
		if n := c.Bytes(); n > c.Budget() {
			t.Fatalf("after %d puts the cache holds %d bytes, budget %d", i+1, n, c.Budget())
		}
	}
	if c.Bytes() < c.Budget()/4 {
		t.Fatalf("a full cache holds only %d of %d bytes", c.Bytes(), c.Budget())
	}
	c.Put("huge", make([]byte, c.Budget()))
	if _, ok := c.Get("huge"); ok {
		t.Fatal("an entry larger than a shard's share was kept")
	}
}

func TestCache_WhatIsReadStays(t *testing.T) {
	c := New[int](64<<10, 16)
	val := make([]byte, 100)
	c.Put(-1, val)
	for i := 0; i < 10_000; i++ {
		c.Put(i, val)
		if _, ok := c.Get(-1); !ok {
			t.Fatalf("an entry read after every put was dropped after %d puts", i+1)
		}
	}
}

func TestCache_StoresACopy(t *testing.T) {
	c := New[string](1<<20, 16)
	v := []byte("abc")
	c.Put("k", v)
	v[0] = 'X'
	if got, _ := c.Get("k"); string(got) != "abc" {
		t.Fatalf("the cache kept the caller's slice: %q", got)
	}
}

func TestCache_ZeroBudgetKeepsNothing(t *testing.T) {
	c := New[string](0, 16)
	c.Put("k", []byte("v"))
	if _, ok := c.Get("k"); ok || c.Bytes() != 0 {
		t.Fatal("a zero-budget cache kept an entry")
	}
}

func TestCache_Concurrent(t *testing.T) {
	c := New[int](256<<10, 16)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 5000; i++ {
				k := (i * 7) % 500
				if v, ok := c.Get(k); ok && len(v) != k%50+1 {
					t.Errorf("key %d holds %d bytes", k, len(v))
					return
				}
				c.Put(k, make([]byte, k%50+1))
			}
		}(g)
	}
	wg.Wait()
	if c.Bytes() > c.Budget() {
		t.Fatalf("%d bytes over the budget %d", c.Bytes(), c.Budget())
	}
}

// A document's key carries the request's path and query, which a client
// chooses: long keys with small values must count against the budget.
func TestCache_LongKeysCountAgainstTheBudget(t *testing.T) {
	c := New[string](1<<20, 4)
	long := strings.Repeat("q", 10_000)
	for i := 0; i < 2_000; i++ {
		c.Put(fmt.Sprint(i, long), []byte("v"))
	}
	var held int64
	for i := range c.shards {
		for _, m := range []map[string][]byte{c.shards[i].cur, c.shards[i].prev} {
			for k, v := range m {
				held += int64(len(k) + len(v))
			}
		}
	}
	if held == 0 || held > c.Budget() {
		t.Fatalf("the cache holds %d bytes of keys and values, budget %d", held, c.Budget())
	}
}

// An entry put again is counted once, whichever generation held it, also
// when putting it again starts a new generation.
func TestCache_PutAgainIsCountedOnce(t *testing.T) {
	for _, inPrev := range []bool{false, true} {
		c := New[string](64<<10, 1)
		sh := &c.shards[0]
		c.Put("k", make([]byte, 1000))
		for i := 0; inPrev && sh.prev["k"] == nil; i++ {
			c.Put(fmt.Sprint("fill", i), make([]byte, 1000)) // until "k" is in the older generation
		}
		freed := int64(0)
		if !inPrev {
			freed = byteCost("k", make([]byte, 1000))
		}
		for i := 0; sh.curBytes-freed+byteCost("k", make([]byte, 2000)) <= c.limit; i++ {
			c.Put(fmt.Sprint("more", i), make([]byte, 500)) // until putting k again starts a generation
		}
		c.Put("k", make([]byte, 2000))
		var held int64
		for _, m := range []map[string][]byte{sh.cur, sh.prev} {
			for k, v := range m {
				held += byteCost(k, v)
			}
		}
		if c.Bytes() != held {
			t.Fatalf("k in the older generation %v: the cache counts %d bytes and holds %d", inPrev, c.Bytes(), held)
		}
		if v, _ := c.Get("k"); len(v) != 2000 {
			t.Fatalf("k holds %d bytes", len(v))
		}
	}
}

// An entry may take half a shard's generation, budget/(4n), and no more.
func TestCache_TheLargestEntry(t *testing.T) {
	c := New[int](1<<20, 4)
	most := c.Budget() / (4 * 4)
	c.Put(1, make([]byte, most-entryOverhead))
	c.Put(2, make([]byte, most-entryOverhead+1))
	if _, ok := c.Get(1); !ok {
		t.Fatalf("an entry of %d bytes (budget/(4n)) was refused", most)
	}
	if _, ok := c.Get(2); ok {
		t.Fatalf("an entry of %d bytes (above budget/(4n)) was kept", most+1)
	}
}

func TestCache_OfferKeepsAKeyAtItsSecondOffer(t *testing.T) {
	c := New[string](1<<20, 4)
	c.Offer("k", []byte("first"))
	if v, ok := c.Get("k"); ok {
		t.Fatalf("a key offered once was kept (%q): a value made once and never read again costs a copy", v)
	}
	if n := c.Bytes(); n != 0 {
		t.Fatalf("a key offered once holds %d bytes", n)
	}
	v := []byte("second")
	c.Offer("k", v)
	v[0] = 'X'
	if got, ok := c.Get("k"); !ok || string(got) != "second" {
		t.Fatalf("a key offered twice: Get = %q %v, want the second value, copied", got, ok)
	}
	c.Offer("other", []byte("o"))
	if _, ok := c.Get("other"); ok {
		t.Fatal("offering one key twice admitted another")
	}
}

func TestCache_OfferWithoutBudgetKeepsNothing(t *testing.T) {
	c := New[string](0, 4)
	c.Offer("k", []byte("v"))
	c.Offer("k", []byte("v"))
	if _, ok := c.Get("k"); ok {
		t.Fatal("a cache without a budget kept an offered value")
	}
}

// TestCache_AMissTakesNoWriteLock: a key in neither generation is a miss
// under the shard's read lock alone, so misses (every key of a document
// after a change) do not queue behind one another or behind readers.
func TestCache_AMissTakesNoWriteLock(t *testing.T) {
	c := New[string](1<<20, 1)
	c.Put("a", []byte("alpha"))
	s := &c.shards[0]
	s.mu.RLock() // a reader in the shard: a write lock would wait for it
	done := make(chan bool)
	go func() {
		_, ok := c.Get("absent")
		done <- ok
	}()
	select {
	case ok := <-done:
		s.mu.RUnlock()
		if ok {
			t.Fatal("a key never put was found")
		}
	case <-time.After(10 * time.Second):
		s.mu.RUnlock()
		<-done
		t.Fatal("a miss waited for a reader of its shard: it took the write lock")
	}
}

// TestCache_AHitInTheOlderGenerationMovesToTheCurrentOne: the read lock
// finds a key in the older generation, which then moves under the write
// lock, counted once.
func TestCache_AHitInTheOlderGenerationMovesToTheCurrentOne(t *testing.T) {
	c := New[int](64<<10, 1)
	c.Put(-1, make([]byte, 100))
	for i := 0; len(c.shards[0].prev) == 0; i++ {
		c.Put(i, make([]byte, 100))
	}
	s := &c.shards[0]
	if _, ok := s.prev[-1]; !ok {
		t.Fatal("the first key is not in the older generation")
	}
	before := c.Bytes()
	if v, ok := c.Get(-1); !ok || len(v) != 100 {
		t.Fatalf("Get = %d bytes, %v", len(v), ok)
	}
	if _, ok := s.cur[-1]; !ok {
		t.Fatal("a key read in the older generation did not move to the current one")
	}
	if _, ok := s.prev[-1]; ok {
		t.Fatal("a moved key is still in the older generation")
	}
	if after := c.Bytes(); after != before {
		t.Fatalf("moving a key changed the bytes held: %d, then %d", before, after)
	}
}
