package journal

import (
	"fmt"
	"sync"
	"testing"
)

func TestJournal_NeverGrowsPastItsCap(t *testing.T) {
	j := New(5)
	for i := 0; i < 12; i++ {
		j.Record(Entry{Path: fmt.Sprintf("/p%d", i)})
	}
	got := j.List(Filter{})
	if len(got) != 5 || j.Len() != 5 {
		t.Fatalf("%d entries held, want 5", len(got))
	}
	for i, e := range got {
		if want := fmt.Sprintf("/p%d", 7+i); e.Path != want || e.Seq != uint64(8+i) {
			t.Fatalf("entry %d: %s seq %d, want %s seq %d", i, e.Path, e.Seq, want, 8+i)
		}
	}
}

func TestJournal_FiltersAndLimit(t *testing.T) {
	j := New(100)
	j.Record(Entry{Method: "GET", Path: "/api/a", Account: "k1", Status: 200, Revision: "2024-10-15", Operation: "list"})
	j.Record(Entry{Method: "POST", Path: "/api/a", Account: "k2", Status: 202, Revision: "2024-10-15", Operation: "create"})
	j.Record(Entry{Method: "GET", Path: "/api/b/1", Account: "k1", Status: 404, Revision: "2026-07-15", Operation: "get"})
	cases := []struct {
		f    Filter
		want int
	}{
		{Filter{}, 3},
		{Filter{Method: "get"}, 2},
		{Filter{PathPrefix: "/api/b"}, 1},
		{Filter{Account: "k1"}, 2},
		{Filter{Status: 202}, 1},
		{Filter{Revision: "2024-10-15", Method: "GET"}, 1},
		{Filter{Operation: "get"}, 1},
		{Filter{Limit: 2}, 2},
	}
	for _, c := range cases {
		if got := j.List(c.f); len(got) != c.want {
			t.Errorf("%+v: %d entries, want %d", c.f, len(got), c.want)
		}
	}
	if last := j.List(Filter{Limit: 1}); last[0].Path != "/api/b/1" {
		t.Fatalf("Limit keeps %s, want the newest", last[0].Path)
	}
	j.Clear()
	if j.Len() != 0 || len(j.List(Filter{})) != 0 {
		t.Fatal("Clear kept entries")
	}
}

func TestJournal_ZeroCapRecordsNothingAndConcurrentUseIsSafe(t *testing.T) {
	if j := New(0); func() int { j.Record(Entry{}); return j.Len() }() != 0 {
		t.Fatal("a disabled journal recorded")
	}
	j := New(50)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				j.Record(Entry{Method: "GET"})
				j.List(Filter{Method: "GET", Limit: 3})
			}
		}()
	}
	wg.Wait()
	if j.Len() != 50 {
		t.Fatalf("%d entries", j.Len())
	}
}
