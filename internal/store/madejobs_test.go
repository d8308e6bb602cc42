package store

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
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
	const budget = 256 << 10
	s := newJobSet(nil, newMadeJobs(budget))
	s.hist, s.histBase = h, 1000
	first := s.collect("", false, false, AllStatuses, 100, jobItemUpdate)
	if h.made != 100 {
		t.Fatalf("a page of 100 made %d jobs", h.made)
	}
	again := s.collect("", false, false, AllStatuses, 100, jobItemUpdate)
	if h.made != 100 {
		t.Fatalf("reading the page again made %d more jobs", h.made-100)
	}
	for i := range first {
		if again[i] != first[i] || again[i].Stamp() != s.histBase+uint64(i) || again[i].Kind != jobItemUpdate {
			t.Fatalf("job %d: %p %p stamp %d", i, again[i], first[i], again[i].Stamp())
		}
	}
	s.each(jobItemUpdate, func(*Job) bool { return true }) // every job once
	if held, limit := s.made.Bytes(), s.made.Budget(); held == 0 || held > limit || limit > budget {
		t.Fatalf("after reading 100k jobs the cache holds %d bytes, limit %d, budget %d", held, limit, budget)
	}
	// Without a cache every read makes its jobs.
	h2 := &countingHistory{testHistory: testHistory{n: 1000}}
	s2 := newJobSet(nil, newMadeJobs(-1))
	s2.hist = h2
	s2.collect("", false, false, AllStatuses, 10, jobItemUpdate)
	s2.collect("", false, false, AllStatuses, 10, jobItemUpdate)
	if h2.made != 20 {
		t.Fatalf("without a cache two reads of 10 made %d jobs", h2.made)
	}
}

// poolHistory's jobs name windows of one large id pool, as seeded jobs do.
type poolHistory struct {
	testHistory
	pool []string
}

func (h poolHistory) At(i int) *Job {
	j := h.testHistory.At(i)
	j.IDs = h.pool[i : i+3 : i+3]
	return j
}

// A kept job must not hold its history's whole id pool: once the account
// is gone, the pool is no longer counted anywhere.
func TestMadeJobs_KeptJobsDoNotHoldTheIDPool(t *testing.T) {
	pool := make([]string, 10_003)
	for i := range pool {
		pool[i] = EntityID(strings.Repeat("x", 20) + strconv.Itoa(i))
	}
	s := newJobSet(nil, newMadeJobs(1<<20))
	s.hist = poolHistory{testHistory{10_000}, pool}
	for _, j := range s.collect("", false, false, AllStatuses, 50, jobItemUpdate) {
		i := int(j.Stamp())
		if len(j.IDs) != 3 || j.IDs[0] != pool[i] || &j.IDs[0] == &pool[i] {
			t.Fatalf("job %d keeps %v (a window on the pool: %v)", i, j.IDs, &j.IDs[0] == &pool[i])
		}
	}
}

// In polls mode a GET of a seeded job finds it (it does not progress).
func TestPoll_FindsSeededJobs(t *testing.T) {
	s := New(Options{Seed: 1, Now: func() time.Time { return t0 }, Lifecycle: Lifecycle{Mode: Polls, Polls: 2},
		Seeder: func(key string, c Collection) Seed {
			if c == JobCollection(jobItemUpdate) {
				return Seed{History: testHistory{100}}
			}
			return Seed{}
		}})
	a, _ := s.Account("k")
	for _, i := range []int{0, 50, 99} {
		j, ok, err := a.Poll(jobItemUpdate, testHistory{100}.ID(i))
		if err != nil || !ok || j.ID != (testHistory{100}).ID(i) {
			t.Fatalf("seeded job %d: %v %v %v", i, j, ok, err)
		}
	}
}
