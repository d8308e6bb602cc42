package store

import (
	"testing"
	"time"
)

// A collection is generated on first use without the account's lock held
// (a seeder is a pure function of the key and the collection), so reads of
// the account's other collections go on meanwhile; only installing it
// takes the lock.
func TestEnsure_GeneratesWithoutHoldingTheLock(t *testing.T) {
	var a *Account
	var generated, readable int
	s := New(Options{Seed: 1, Now: func() time.Time { return t0 }, Seeder: func(key string, c Collection) Seed {
		generated++
		if a.mu.TryRLock() {
			readable++
			a.mu.RUnlock()
		}
		return catalogSeeder()(key, c)
	}})
	a, _ = s.Account("k")
	a.Count(collItems)
	a.Count(collCategories) // needs the items: generated already
	if generated != 2 || readable != generated {
		t.Fatalf("%d collections generated, %d of them with the account readable meanwhile", generated, readable)
	}
	if a.Count(collCategories) != 2 || a.Count(collItems) != 10 {
		t.Fatalf("after generation: %d categories, %d items", a.Count(collCategories), a.Count(collItems))
	}
}
