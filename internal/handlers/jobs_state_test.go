package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Items created by a bulk job whose body is read in place (the elements'
// texts sharing one string each) are written to the state file as sent,
// and read back from it: the pending job's elements while it runs, each
// item once it is made.
func TestCreateJob_ItemsReadInPlaceRoundTripThroughTheStateFile(t *testing.T) {
	h := flowHandler()
	serve := func(method, target string, body []byte) []byte {
		t.Helper()
		w := httptest.NewRecorder()
		h.ServeHTTP(w, flowRequest(method, target, body))
		if w.Code/100 != 2 {
			t.Fatalf("%s %s: %d %.300s", method, target, w.Code, w.Body.Bytes())
		}
		return w.Body.Bytes()
	}
	id := jobID(serve(http.MethodPost, "/api/catalog-item-bulk-create-jobs", appendCreateBody(nil, 7)))
	a, err := h.opts.Store.Account(testKey)
	if err != nil {
		t.Fatal(err)
	}
	states, err := accountdoc.JobStates(a, jobItemCreate)
	if err != nil {
		t.Fatal(err)
	}
	var pending []accountdoc.JobState
	for _, st := range states {
		if st.ID == id {
			pending = append(pending, st)
		}
	}
	first, _ := json.Marshal(pending)
	var back []accountdoc.JobState
	if err := json.Unmarshal(first, &back); err != nil || len(back) != 1 || back[0].Pending == nil {
		t.Fatalf("the job %s is not pending in the state: %v %s", id, err, first)
	}
	if _, probs := accountdoc.JobsFromState(jobItemCreate, back, "/jobs", true); len(probs) > 0 {
		t.Fatalf("the pending job does not read back: %v", probs)
	}
	for _, want := range []string{`"external_id":"BENCH-7-3","title":"Bench item 3","description":"d","price":4.5,"url":"https://bench.example/7-3"`} {
		if !bytes.Contains(first, []byte(want)) {
			t.Fatalf("the pending elements lack %s: %s", want, first)
		}
	}
	for poll := 0; !bytes.Contains(serve(http.MethodGet, "/api/catalog-item-bulk-create-jobs/"+id, nil), []byte(`"status":"complete"`)); poll++ {
		if poll == 10 {
			t.Fatal("the job never completed")
		}
	}
	for j := range 10 {
		e, ok, err := a.Entity(itemKind, store.EntityID(fmt.Sprintf("BENCH-7-%d", j)))
		if err != nil || !ok {
			t.Fatalf("item %d was not made: %v", j, err)
		}
		raw := accountdoc.AppendEntityState(nil, e, 0)
		got, _, _, probs := accountdoc.EntityFromState(itemKind, raw, "/items/0", accountdoc.Whole)
		if len(probs) > 0 {
			t.Fatalf("item %d does not read back: %v\n%s", j, probs, raw)
		}
		if again := accountdoc.AppendEntityState(nil, got, 0); string(again) != string(raw) {
			t.Fatalf("item %d read back as\n%s\nwritten as\n%s", j, again, raw)
		}
		if want := fmt.Sprintf(`"title":"Bench item %d","description":"d","price":%d.5,`, j, j+1); !bytes.Contains(raw, []byte(want)) {
			t.Errorf("item %d is written %s, want %s", j, raw, want)
		}
	}
}
