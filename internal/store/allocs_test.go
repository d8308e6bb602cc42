package store

import (
	"fmt"
	"slices"
	"testing"
	"time"

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

// A job's GET with include=items looks up the job's entities: ten in the
// creating row. Each look-up made a map to drop an id named twice.
func TestEntities_AJobsEntitiesCostTheirListAlone(t *testing.T) {
	a, _ := lifecycleStore(Polls, clock.NewFrozen(t0))
	var ids []string
	for _, ext := range []string{"I3", "I1", "MISSING", "I3", "I0", "I1", "I7", "I6", "I5", "I4"} {
		ids = append(ids, EntityID(ext))
	}
	var got []*Entity
	n := testing.AllocsPerRun(100, func() {
		var err error
		if got, err = a.Entities(itemKind, ids); err != nil {
			t.Fatal(err)
		}
	})
	var names []string
	for _, e := range got {
		names = append(names, e.ExternalID)
	}
	if fmt.Sprint(names) != "[I3 I1 I0 I7 I6 I5 I4]" {
		t.Fatalf("entities %v, want [I3 I1 I0 I7 I6 I5 I4]: each once, in the order named", names)
	}
	if n > 1 {
		t.Fatalf("looking up %d entities allocates %.1f times, want their list alone", len(ids), n)
	}
}

// Past the entities looked at one by one, an id named twice is still
// listed once.
func TestEntities_ManyNamedTwiceAreListedOnce(t *testing.T) {
	s := New(Options{Seed: 1, Now: func() time.Time { return t0 }, Seeder: itemsSeeder(100)})
	a, _ := s.Mutable("k")
	var ids, want []string
	for i := range 100 {
		ids = append(ids, EntityID(fmt.Sprint("I", i%70)))
		if i < 70 {
			want = append(want, fmt.Sprint("I", i))
		}
	}
	got, err := a.Entities(itemKind, ids)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range got {
		names = append(names, e.ExternalID)
	}
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Fatalf("entities %v, want %v", names, want)
	}
}

// idCountingHistory is a testHistory that counts the ids it makes.
type idCountingHistory struct {
	testHistory
	ids *int
}

func (h idCountingHistory) ID(i int) string { *h.ids++; return h.testHistory.ID(i) }

// A job created through the API is looked for among the seeded history
// (a created job with a history job's id replaces it): a binary search
// that made a history job's id at each of its steps (ten for the thousand
// jobs of the creating row), though a job created now comes after every
// job of the history, which its last id says.
func TestHide_AJobAfterTheHistoryMakesOneHistoryID(t *testing.T) {
	made := 0
	s := &jobSet{hist: idCountingHistory{testHistory{1000}, &made}}
	if s.hide("J0000001") {
		t.Fatal("a job after the history hid a history job")
	}
	if made > 1 {
		t.Fatalf("looking for a job after the history made %d history ids, want 1", made)
	}
	for _, id := range []string{"H0000000", "H0000500", "H0000999"} {
		if !s.hide(id) {
			t.Errorf("%s not hidden", id)
		}
	}
	if i, ok := s.histIndex("H0000999~"); ok || i != 1000 {
		t.Errorf("histIndex past the last = %d, %v; want 1000, false", i, ok)
	}
	if i, ok := s.histIndex("H0000499~"); ok || i != 500 {
		t.Errorf("histIndex between = %d, %v; want 500, false", i, ok)
	}
}

// EntitiesTo lists what Entities lists, into the room it is given (what
// the room held is dropped):
// a poll's include lists its items in an array of its own stack, with no
// list made at every poll.
func TestEntitiesTo_ListsIntoTheRoomGiven(t *testing.T) {
	a, _ := lifecycleStore(Polls, clock.NewFrozen(t0))
	var ids []string
	for _, ext := range []string{"I3", "I1", "MISSING", "I3", "I0", "I1", "I7", "I6", "I5", "I4"} {
		ids = append(ids, EntityID(ext))
	}
	var want []*Entity // each existing one once, in the order asked
	for _, ext := range []string{"I3", "I1", "I0", "I7", "I6", "I5", "I4"} {
		e, ok, err := a.Entity(itemKind, EntityID(ext))
		if err != nil || !ok {
			t.Fatalf("%s: %v %v", ext, ok, err)
		}
		want = append(want, e)
	}
	room := make([]*Entity, 1, len(ids)) // what room holds is dropped

	var got []*Entity
	n := testing.AllocsPerRun(100, func() {
		var err error
		if got, err = a.EntitiesTo(room, itemKind, ids); err != nil {
			t.Fatal(err)
		}
	})
	if !slices.Equal(got, want) {
		t.Fatalf("EntitiesTo listed %v, want %v", got, want)
	}
	if n != 0 {
		t.Fatalf("listing %d entities into room allocates %.1f times, want 0", len(ids), n)
	}
}
