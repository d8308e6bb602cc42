package store

import (
	"fmt"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/schema"
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

// A created entity starts from its kind's defaults, then takes what its
// element sets. Each default was a new value for every entity (five for an
// item, ten items a job in the creating row), though entities are never
// changed in place: the defaults are now shared, and the slots made once.
func TestNewElementEntity_AllocatesOnlyItsSlots(t *testing.T) {
	el := Element{ID: EntityID("NEW-1"), Set: itemKind.SetOf("external_id", "title"), Values: *ent(itemKind, "NEW-1", "title", "t")}
	var e Entity
	n := testing.AllocsPerRun(100, func() {
		var eerr *ElementError
		if e, eerr = newElementEntity(itemKind, nil, &el, t0); eerr != nil {
			t.Fatal(eerr)
		}
	})
	if n > 1 {
		t.Fatalf("a new item allocates %.1f times, want its slots alone", n)
	}
	for i, a := range itemKind.Attrs() {
		if a.Role != schema.Plain || a.Default == schema.Null {
			continue
		}
		if got, want := fmt.Sprint(valueText(e.Value(i))), fmt.Sprint(valueText(defaultValue(&a))); got != want {
			t.Errorf("%s = %s, want its default %s", a.Name, got, want)
		}
	}
}

// valueText is what a value as Entity.Vals holds it points at.
func valueText(v any) any {
	switch v := v.(type) {
	case *string:
		return *v
	case *bool:
		return *v
	case *[]string:
		return *v
	case *int:
		return *v
	case *float64:
		return *v
	}
	return fmt.Sprintf("%s", v)
}
