package store

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/clock"
)

func lifecycleStore(mode Mode, clk *clock.Clock) (*Account, []string) {
	items := make([]*Item, 8)
	ids := make([]string, 10)
	for i := range items {
		items[i] = &Item{ID: ItemID(fmt.Sprint("I", i)), ExternalID: fmt.Sprint("I", i)}
		ids[i] = items[i].ID
	}
	ids[8], ids[9] = ItemID("MISSING-1"), ItemID("MISSING-2")
	s := New(Options{Seed: 1, Now: clk.Now, Lifecycle: Lifecycle{Mode: mode, Duration: 10 * time.Second, Polls: 2},
		Seeder: func(string) ([]*Job, []*Item) { return nil, items }})
	a, _ := s.Mutable("k")
	return a, ids
}

func createReq(ids []string) CreateRequest {
	req := CreateRequest{ItemPointer: "/data/attributes/items/data"}
	for _, id := range ids {
		title := "new"
		req.Items = append(req.Items, ItemUpdate{ID: id, Set: AttrTitle, Values: Item{Title: &title}})
	}
	return req
}

func TestLifecycle_ProgressNeverGoesBackWhenTheClockDoes(t *testing.T) {
	clk := clock.NewFrozen(t0)
	a, ids := lifecycleStore(Duration, clk)
	j, err := a.Create(createReq(ids))
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(6 * time.Second)
	mid, _ := a.Job(j.ID)
	if mid.Status != Processing || mid.Completed != 5 {
		t.Fatalf("at 6 s: %s %d", mid.Status, mid.Completed)
	}
	clk.Advance(-5900 * time.Millisecond) // back to 0.1 s: the target says queued, 0 done
	back, _ := a.Job(j.ID)
	if back.Status != Processing || back.Completed != 5 {
		t.Fatalf("after the clock went back: %s %d, want processing 5", back.Status, back.Completed)
	}
	clk.Advance(20 * time.Second)
	done, _ := a.Job(j.ID)
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
			a.Poll(id)
			a.Poll(id)
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < 50; i++ {
			for _, js := range a.State().Jobs {
				if js.Pending != nil && js.Pending.Processed > js.TotalCount {
					t.Errorf("torn pending state %+v", js.Pending)
				}
			}
		}
	}()
	wg.Wait()
	if a.InProgress() != 0 {
		t.Fatalf("%d jobs still in progress after two polls each", a.InProgress())
	}
}
