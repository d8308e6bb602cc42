package store

import (
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/clock"
)

// Every request to an account with a job in progress settles the account:
// it plans each job in progress, and most plans find nothing to do (in
// polls mode, every request but the job's own GET). Planning a job that
// does not move allocated a function for its schedule.
func TestSettle_AJobThatDoesNotMoveAllocatesNothing(t *testing.T) {
	clk := clock.NewFrozen(t0)
	a, ids := lifecycleStore(Polls, clk)
	j, err := a.Create(createReq(ids))
	if err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, a.settle); n != 0 {
		t.Fatalf("settling an account whose one job does not move allocates %.1f times, want 0", n)
	}
	if got := job(t, a, j.ID); got.Status != Queued || got.Completed != 0 {
		t.Fatalf("the job moved: %s %d", got.Status, got.Completed)
	}
}
