package store

import (
	"sync/atomic"
	"testing"
	"time"
)

// TestReplace_TheFirstKeptHistoryAtFaultIsReportedInDeclarationOrder:
// when several kept seeded histories are not this server's, the one
// reported is the first job kind declared, whatever the order Go iterates
// maps in.
func TestReplace_TheFirstKeptHistoryAtFaultIsReportedInDeclarationOrder(t *testing.T) {
	seeder := func(_ string, c Collection) Seed {
		if _, ok := c.IsJobs(); ok {
			return Seed{History: ulidHistory{testHistory{10}}}
		}
		return Seed{}
	}
	a, _ := New(Options{Seed: 1, Seeder: seeder, Now: func() time.Time { return t0 }}).Mutable("k")
	in := &Contents{Jobs: map[JobKind][]*Job{}, Seeded: map[JobKind]KeptHistory{}}
	for _, k := range JobKinds() {
		in.Jobs[k] = []*Job{}
		in.Seeded[k] = KeptHistory{Count: 11, First: "01GSQPBF740000000000000000"}
	}
	want := JobCollection(JobKinds()[0])
	for range 20 {
		cs, err := a.Replace(in, ReplaceOptions{Now: t0})
		if err != nil || len(cs) != 1 || cs[0].Collection != want {
			t.Fatalf("conflicts %v (%v), want one about %s", cs, err, want.Name())
		}
	}
}

// jobSeeder returns a seeder whose job collections are a history of n
// jobs, counting the calls that make one in calls.
func jobSeeder(n int, calls *atomic.Int64) Seeder {
	return func(_ string, c Collection) Seed {
		if _, ok := c.IsJobs(); ok {
			calls.Add(1)
			return Seed{History: ulidHistory{testHistory{n}}}
		}
		return Seed{}
	}
}

// keptContents are contents keeping the seeded history of the first job
// kind as h describes it, with no stored job beside it.
func keptContents(count int, first string) *Contents {
	k := JobKinds()[0]
	return &Contents{Jobs: map[JobKind][]*Job{k: {}}, Seeded: map[JobKind]KeptHistory{k: {Count: count, First: first}}}
}

// TestReplace_AKeptHistoryPreparedAheadIsNotMadeAgain: the state file
// makes kept seeded histories on its reading cores (PrepareHistories);
// the Replace that takes them checks them without calling the seeder,
// and the history is the account's.
func TestReplace_AKeptHistoryPreparedAheadIsNotMadeAgain(t *testing.T) {
	var calls atomic.Int64
	s := New(Options{Seed: 1, Seeder: jobSeeder(10, &calls), Now: func() time.Time { return t0 }})
	in := keptContents(10, ulidHistory{testHistory{10}}.ID(0))
	s.PrepareHistories("k", in)
	if calls.Load() != 1 {
		t.Fatalf("preparing made %d histories, want 1", calls.Load())
	}
	a, _ := s.Mutable("k")
	if cs, err := a.Replace(in, ReplaceOptions{Now: t0}); err != nil || len(cs) > 0 {
		t.Fatal(cs, err)
	}
	if calls.Load() != 1 {
		t.Fatalf("the replace made the history again (%d made)", calls.Load())
	}
	if n := a.Len(JobKinds()[0]); n != 10 {
		t.Fatalf("the account holds %d jobs, want the history's 10", n)
	}
}

// TestReplace_AHistoryPreparedBeforeAResetIsMadeAgain: histories prepared
// with the seeder of before a reset are not taken by an account of after
// it; the account's own seeder decides.
func TestReplace_AHistoryPreparedBeforeAResetIsMadeAgain(t *testing.T) {
	var before, after atomic.Int64
	s := New(Options{Seed: 1, Seeder: jobSeeder(10, &before), Now: func() time.Time { return t0 }})
	in := keptContents(10, ulidHistory{testHistory{10}}.ID(0))
	s.PrepareHistories("k", in)
	s.Reset(0, jobSeeder(12, &after), nil)
	a, _ := s.Mutable("k")
	cs, err := a.Replace(in, ReplaceOptions{Now: t0})
	if err != nil || len(cs) != 1 || cs[0].Hidden != -1 {
		t.Fatalf("conflicts %v (%v), want the history refused as not this server's", cs, err)
	}
	if after.Load() != 1 {
		t.Fatalf("the seeder of after the reset made %d histories, want 1", after.Load())
	}
}
