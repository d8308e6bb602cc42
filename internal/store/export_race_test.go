package store

import (
	"sync"
	"sync/atomic"
	"testing"
)

// TestExport_ConcurrentViewsDoNotRace: views are taken under the read lock,
// which others share; two taken at once (a state file save and a control
// API export) must not write the same tree. Run with -race.
func TestExport_ConcurrentViewsDoNotRace(t *testing.T) {
	var visits atomic.Int64
	a, _ := countedAccount(t, 1000, &visits)
	if _, err := a.Create(createReq([]string{EntityID("I0000001")})); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				if _, err := a.Export(); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
