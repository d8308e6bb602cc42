package store

import (
	"sync"
	"testing"
)

// countingHistory counts the jobs it makes.
type countingHistory struct {
	testHistory
	mu   sync.Mutex
	made int
}

func (h *countingHistory) At(i int) *Job {
	h.mu.Lock()
	h.made++
	h.mu.Unlock()
	return h.testHistory.At(i)
}

// A page read again takes the history jobs made the first time; the
// cache stays within its bytes whatever is read.
func TestMadeJobs_APageReadAgainMakesNoJobAndTheCacheIsBounded(t *testing.T) {
	h := &countingHistory{testHistory: testHistory{n: 100_000}}
	const budget = 64 << 10
	s := newJobSet(nil, newMadeJobs(budget))
	s.hist, s.histBase = h, 1000
	first := s.collect("", false, false, AllStatuses, 100, ItemUpdate)
	if h.made != 100 {
		t.Fatalf("a page of 100 made %d jobs", h.made)
	}
	again := s.collect("", false, false, AllStatuses, 100, ItemUpdate)
	if h.made != 100 {
		t.Fatalf("reading the page again made %d more jobs", h.made-100)
	}
	for i := range first {
		if again[i] != first[i] || again[i].Stamp() != s.histBase+uint64(i) || again[i].Kind != ItemUpdate {
			t.Fatalf("job %d: %p %p stamp %d", i, again[i], first[i], again[i].Stamp())
		}
	}
	s.each(ItemUpdate, func(*Job) bool { return true }) // every job once
	if held, limit := s.made.bytes(), s.made.limit*2*int64(len(s.made.shards)); held == 0 || held > limit || limit > budget {
		t.Fatalf("after reading 100k jobs the cache holds %d bytes, limit %d, budget %d", held, limit, budget)
	}
	// Without a cache every read makes its jobs.
	h2 := &countingHistory{testHistory: testHistory{n: 1000}}
	s2 := newJobSet(nil, newMadeJobs(-1))
	s2.hist = h2
	s2.collect("", false, false, AllStatuses, 10, ItemUpdate)
	s2.collect("", false, false, AllStatuses, 10, ItemUpdate)
	if h2.made != 20 {
		t.Fatalf("without a cache two reads of 10 made %d jobs", h2.made)
	}
}
