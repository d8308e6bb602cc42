package store_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/store"
	"github.com/klaviyo-mock/mockserver/internal/store/storetest"
)

// TestLifecycle_WhatJobsDoDependsOnTheClockOnly sends the same requests at
// the same times to two accounts, one looked at every 100 ms and one only
// when a request comes: two jobs whose elements interleave in time (one
// retitles items a second one deletes, with elements that fail), a control
// API replace while they run, and a job created after them. Both must end
// the same, down to job ids and job error ids: a render cache looks at the
// account's versions more often than the uncached emulator does, and must
// not change what the jobs do.
func TestLifecycle_WhatJobsDoDependsOnTheClockOnly(t *testing.T) {
	run := func(look bool) string {
		clk := clock.NewFrozen(store.T0)
		a, ids := store.LifecycleStore(store.Duration, clk)
		wait := func(d time.Duration) {
			for ; d > 0; d -= 100 * time.Millisecond {
				clk.Advance(100 * time.Millisecond)
				if look {
					a.Version(storetest.CollItems)
				}
			}
		}
		mustCreate := func(req store.CreateRequest) string {
			j, err := a.Create(req)
			if err != nil {
				t.Fatal(err)
			}
			return j.ID
		}
		// Retitles I0..I7 (and two missing items) from 2 s to 10 s.
		first := mustCreate(store.CreateReq(ids))
		wait(time.Second)
		// Deletes I4..I7 at 5, 7, 9 and 11 s: I4 before it is retitled.
		del := store.CreateRequest{Kind: storetest.JobItemDelete, Pointer: "/data/attributes/items/data"}
		for _, id := range ids[4:8] {
			del.Elements = append(del.Elements, store.Element{ID: id})
		}
		second := mustCreate(del)
		wait(5500 * time.Millisecond)
		// At 6.5 s the items become I0..I5 and a new one.
		var st accountdoc.AccountState
		doc := `{"items":[{"external_id":"I0"},{"external_id":"I1"},{"external_id":"I2"},{"external_id":"I3"},{"external_id":"I4"},{"external_id":"I5"},{"external_id":"NEW"}]}`
		if err := json.Unmarshal([]byte(doc), &st); err != nil {
			t.Fatal(err)
		}
		if probs, err := accountdoc.Replace(a, st, accountdoc.ReplaceOptions{Now: clk.Now()}); err != nil || len(probs) > 0 {
			t.Fatal(probs, err)
		}
		wait(6 * time.Second)
		third := mustCreate(store.CreateReq(ids[:1]))
		wait(11 * time.Second)
		ex, err := a.Export(storetest.CollItems, store.JobCollection(storetest.JobItemUpdate), store.JobCollection(storetest.JobItemDelete))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := accountdoc.WriteJSON(&buf, ex); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("jobs %s %s %s\n%s", first, second, third, buf.String())
	}
	looked, unlooked := run(true), run(false)
	if looked != unlooked {
		t.Fatalf("looked at every 100 ms:\n%s\n\nlooked at only by requests:\n%s", looked, unlooked)
	}
}
