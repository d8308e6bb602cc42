package store

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/clock"
)

// itemsSeeder makes items I0..I<n-1> and nothing else.
func itemsSeeder(n int) Seeder {
	return func(_ string, c Collection) Seed {
		if c != collItems {
			return Seed{}
		}
		items := make([]*Entity, n)
		for i := range items {
			items[i] = &Entity{Kind: itemKind, ID: EntityID(fmt.Sprint("I", i)), ExternalID: fmt.Sprint("I", i)}
		}
		return Seed{Entities: items}
	}
}

func lifecycleStore(mode Mode, clk *clock.Clock) (*Account, []string) {
	ids := make([]string, 10)
	for i := 0; i < 8; i++ {
		ids[i] = EntityID(fmt.Sprint("I", i))
	}
	ids[8], ids[9] = EntityID("MISSING-1"), EntityID("MISSING-2")
	s := New(Options{Seed: 1, Now: clk.Now, Lifecycle: Lifecycle{Mode: mode, Duration: 10 * time.Second, Polls: 2},
		Seeder: itemsSeeder(8)})
	a, _ := s.Mutable("k")
	return a, ids
}

// createReq is an item update job retitling the items ids.
func createReq(ids []string) CreateRequest {
	req := CreateRequest{Kind: jobItemUpdate, Pointer: "/data/attributes/items/data"}
	for _, id := range ids {
		req.Elements = append(req.Elements, Element{ID: id, Set: itemKind.SetOf("title"), Values: *ent(itemKind, "", "title", "new")})
	}
	return req
}

func job(t *testing.T, a *Account, id string) *Job {
	t.Helper()
	j, ok, err := a.Job(jobItemUpdate, id)
	if !ok || err != nil {
		t.Fatalf("job %s: %v %v", id, ok, err)
	}
	return j
}

func TestLifecycle_ProgressNeverGoesBackWhenTheClockDoes(t *testing.T) {
	clk := clock.NewFrozen(t0)
	a, ids := lifecycleStore(Duration, clk)
	j, err := a.Create(createReq(ids))
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(6 * time.Second)
	mid := job(t, a, j.ID)
	if mid.Status != Processing || mid.Completed != 5 {
		t.Fatalf("at 6 s: %s %d", mid.Status, mid.Completed)
	}
	clk.Advance(-5900 * time.Millisecond) // back to 0.1 s: the target says queued, 0 done
	back := job(t, a, j.ID)
	if back.Status != Processing || back.Completed != 5 {
		t.Fatalf("after the clock went back: %s %d, want processing 5", back.Status, back.Completed)
	}
	clk.Advance(20 * time.Second)
	done := job(t, a, j.ID)
	if done.Status != Complete || done.Completed != 8 || done.Failed != 2 || len(done.Errors) != 2 {
		t.Fatalf("complete: %s %d+%d, %d errors", done.Status, done.Completed, done.Failed, len(done.Errors))
	}
}

func TestLifecycle_StateWhilePollingIsRaceFree(t *testing.T) {
	clk := clock.NewFrozen(t0)
	a, ids := lifecycleStore(Polls, clk)
	var jobIDs []string
	for i := 0; i < 20; i++ {
		j, _ := a.Create(createReq(ids[:3]))
		jobIDs = append(jobIDs, j.ID)
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for _, id := range jobIDs {
			a.Poll(jobItemUpdate, id)
			a.Poll(jobItemUpdate, id)
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < 50; i++ {
			ex, err := a.Export(JobCollection(jobItemUpdate))
			if err != nil {
				t.Error(err)
				return
			}
			for _, w := range ex.pending {
				if w.Processed > len(w.Elements) {
					t.Errorf("torn pending state %+v", w)
				}
			}
		}
	}()
	wg.Wait()
	if a.InProgress() != 0 {
		t.Fatalf("%d jobs still in progress after two polls each", a.InProgress())
	}
}
