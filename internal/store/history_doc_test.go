package store_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
	"github.com/klaviyo-mock/mockserver/internal/store"
	"github.com/klaviyo-mock/mockserver/internal/store/storetest"
)

// TestState_SeededHistoryIsWrittenAsWhatChanged: the state file form of an
// account holds its stored jobs and the ids of the history jobs deleted or
// replaced, not the history, and reads back into the same jobs.
func TestState_SeededHistoryIsWrittenAsWhatChanged(t *testing.T) {
	const n = 100_000
	seeder := func(key string, c store.Collection) store.Seed {
		if c == store.JobCollection(storetest.JobItemUpdate) {
			return store.Seed{History: store.ULIDHistory(n)}
		}
		return store.Seed{}
	}
	s1 := store.New(store.Options{Seed: 1, Seeder: seeder, Now: func() time.Time { return store.T0 }})
	a, _ := s1.Mutable("k")
	h := store.ULIDHistory(n)
	if !a.Delete(storetest.JobItemUpdate, h.ID(10)) || !a.Delete(storetest.JobItemUpdate, h.ID(n-1)) {
		t.Fatal("history jobs could not be deleted")
	}
	replaced := h.At(20)
	replaced.Kind, replaced.Status, replaced.IDs = storetest.JobItemUpdate, store.Queued, []string{store.EntityID("REPLACED")}
	if err := a.Put(replaced); err != nil {
		t.Fatal(err)
	}
	extra := &store.Job{ID: "01GSQPBF74000000000000020X", Kind: storetest.JobItemUpdate, Status: store.Queued, CreatedAt: store.T0, Total: 1,
		IDs: []string{store.EntityID("EXTRA")}, Errors: []store.JobError{}}
	if err := a.Put(extra); err != nil {
		t.Fatal(err)
	}
	want, _ := accountdoc.JobStates(a, storetest.JobItemUpdate)
	ex, err := a.Export()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := accountdoc.WriteState(&buf, ex); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > 4<<10 || !strings.Contains(buf.String(), `"seeded_jobs":{"item-bulk-update-jobs":{"count":100000,"first":"01GSQPBF740000000000000000",`+
		`"hidden":["01GSQPBF740000000000000010","01GSQPBF740000000000000020","01GSQPBF740000000000099999"]}}`) {
		t.Fatalf("the state of %d seeded jobs, 2 deleted and 1 replaced, is %d bytes:\n%.600s", n, buf.Len(), buf.String())
	}
	var st accountdoc.AccountState
	if err := json.Unmarshal(buf.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	b := store.New(store.Options{Seed: 1, Seeder: seeder, Now: func() time.Time { return store.T0 }})
	if err := accountdoc.Restore(b, st, store.T0); err != nil {
		t.Fatal(err)
	}
	a2, _ := b.Account("k")
	got, _ := accountdoc.JobStates(a2, storetest.JobItemUpdate)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after reading the state back: %d jobs, want %d", len(got), len(want))
	}
	// A document that does not describe this server's history is refused,
	// and changes nothing.
	for _, bad := range []struct{ from, to, problem string }{
		{`"count":100000`, `"count":99999`, "/seeded_jobs/item-bulk-update-jobs"},
		{`"first":"01GSQPBF740000000000000000"`, `"first":"01GSQPBF740000000000000001"`, "/seeded_jobs/item-bulk-update-jobs"},
		{`0010","01GSQPBF740000000000000020"`, `0010","01GSQPBF74000000000000002X"`, "/seeded_jobs/item-bulk-update-jobs/hidden/1"},
	} {
		var bst accountdoc.AccountState
		if err := json.Unmarshal([]byte(strings.Replace(buf.String(), bad.from, bad.to, 1)), &bst); err != nil {
			t.Fatal(err)
		}
		probs, err := accountdoc.Replace(a2, bst, accountdoc.ReplaceOptions{AllowPending: true, Now: store.T0})
		if err != nil || len(probs) != 1 || probs[0].Pointer != bad.problem {
			t.Fatalf("%s -> %s: %v %v", bad.from, bad.to, probs, err)
		}
		if got, _ := accountdoc.JobStates(a2, storetest.JobItemUpdate); !reflect.DeepEqual(got, want) {
			t.Fatalf("a refused document changed the jobs")
		}
	}
	// The full export (the control API) still writes every job.
	buf.Reset()
	if err := accountdoc.WriteJSON(&buf, ex); err != nil {
		t.Fatal(err)
	}
	if c := strings.Count(buf.String(), `"id":`); c < n-2 {
		t.Fatalf("the export holds %d jobs", c)
	}
}
