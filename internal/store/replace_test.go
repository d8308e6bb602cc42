package store

import (
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
