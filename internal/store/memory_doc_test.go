package store_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
	"github.com/klaviyo-mock/mockserver/internal/store"
	"github.com/klaviyo-mock/mockserver/internal/store/storetest"
)

func TestMemoryBudget_WritesThatDoNotFitChangeNothing(t *testing.T) {
	_, one := store.BudgetStore(t, 100, 0)
	s, _ := store.BudgetStore(t, 100, one+one/2)
	a, err := s.Mutable("a")
	if err != nil {
		t.Fatal(err)
	}
	store.Touch(t, a)
	big := make([]accountdoc.JobState, 0, 1000)
	for i := 0; i < 1000; i++ {
		big = append(big, accountdoc.JobState{ID: fmt.Sprintf("01J%023d", i), Status: "queued", CreatedAt: store.T0, TotalCount: 1, IDs: map[string][]string{"items": {store.EntityID("A")}}})
	}
	probs, err := accountdoc.Replace(a, accountdoc.AccountState{Jobs: map[store.JobKind][]accountdoc.JobState{storetest.JobItemUpdate: big}}, accountdoc.ReplaceOptions{Now: store.T0})
	if len(probs) > 0 || !errors.Is(err, store.ErrMemoryBudget) {
		t.Fatalf("Replace over the budget: %v %v", probs, err)
	}
	if got := a.Len(storetest.JobItemUpdate); got != 100 {
		t.Fatalf("a refused Replace changed the jobs: %d, want 100", got)
	}
	// Jobs are created until the budget is full, then refused.
	n := 0
	for ; n < 10_000; n++ {
		if _, err := a.Create(store.CreateReq([]string{store.EntityID("A")})); err != nil {
			if !errors.Is(err, store.ErrMemoryBudget) {
				t.Fatalf("create %d: %v", n, err)
			}
			break
		}
	}
	if n == 0 || n == 10_000 {
		t.Fatalf("%d jobs created before the budget refused one", n)
	}
	if used, limit := s.Used(); used > limit {
		t.Fatalf("%d bytes used, budget %d", used, limit)
	}
	if got := a.Len(storetest.JobItemUpdate); got != 100+n {
		t.Fatalf("%d jobs held, want %d", got, 100+n)
	}
}
