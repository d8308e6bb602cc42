package store

import (
	"fmt"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/clock"
)

// pollsAccount is an account in polls mode (a job completes at its third
// GET) seeded with eight items, holding n created item-update jobs of one
// element each, and their ids.
func pollsAccount(t *testing.T, n int) (*Store, *Account, []string) {
	t.Helper()
	s := New(Options{Seed: 1, Now: clock.NewFrozen(t0).Now, Lifecycle: Lifecycle{Mode: Polls, Polls: 3, MaxInProgress: n + 1},
		Seeder: itemsSeeder(8)})
	a, _ := s.Mutable("k")
	ids := make([]string, n)
	for i := range ids {
		j, err := a.Create(createReq([]string{EntityID(fmt.Sprint("I", i%8))}))
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = j.ID
	}
	return s, a, ids
}

// A poll that moves a job makes the job's new value; the plan of the move
// (what is due, when, the job before and after) lived on the heap as well,
// one more allocation at every poll of the creating row's three.
func TestPoll_AJobThatMovesAllocatesItsNewValueAlone(t *testing.T) {
	const runs = 100
	_, a, ids := pollsAccount(t, runs+1)
	next := 0
	n := testing.AllocsPerRun(runs, func() {
		// The first poll of a one-element job of three polls moves it from
		// queued to processing and applies nothing yet.
		j, ok, err := a.Poll(jobItemUpdate, ids[next])
		if !ok || err != nil || j.Status != Processing || j.Completed != 0 {
			t.Fatalf("poll of %s: %v %v %+v", ids[next], ok, err, j)
		}
		next++
	})
	if n > 1 {
		t.Fatalf("a poll that moves a job allocates %.1f times, want 1 (its new value)", n)
	}
}

// The account's size follows a job through its polls: while it runs, each
// new value shares its elements with the one before; at completion they
// are let go.
func TestMemoryBudget_SizesFollowAJobsPolls(t *testing.T) {
	s := New(Options{Seed: 1, Now: clock.NewFrozen(t0).Now, Lifecycle: Lifecycle{Mode: Polls, Polls: 3},
		Seeder: itemsSeeder(8)})
	a, _ := s.Mutable("k")
	ids := []string{EntityID("I0"), EntityID("I1"), EntityID("MISSING"), EntityID("I3")}
	j, err := a.Create(createReq(ids))
	if err != nil {
		t.Fatal(err)
	}
	for poll := 1; poll <= 4; poll++ {
		got, _, err := a.Poll(jobItemUpdate, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if size, want := a.Size(), contentSize(a); size != want {
			t.Fatalf("poll %d (%s, %d done): size %d, the content's %d", poll, got.Status, got.Completed+got.Failed, size, want)
		}
	}
	if used, _ := s.Used(); used != a.Size() {
		t.Fatalf("store counts %d, its one account %d", used, a.Size())
	}
}
