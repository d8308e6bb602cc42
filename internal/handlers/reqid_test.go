package handlers

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/journal"
)

// TestJournal_RequestIDIsTheReqIDTheClientReceived: every /api answer (an
// operation, an unknown path, a 405, a refused credential) carries an
// x-klaviyo-req-id, and its journal entry is found by that value, through
// the journal's filter and the control API's ?request_id=.
func TestJournal_RequestIDIsTheReqIDTheClientReceived(t *testing.T) {
	e := newEnv(t)
	replies := []*resp{
		e.get(listPath),
		e.get("/api/catalog-nothing"),
		e.req(http.MethodPatch, listPath, nil),
		e.get(listPath, "Authorization: Klaviyo-API-Key abc"),
	}
	seen := map[string]bool{}
	for _, r := range replies {
		id := r.header.Get("X-Klaviyo-Req-Id")
		if len(id) != 36 || seen[id] {
			t.Fatalf("%s %s (%d): x-klaviyo-req-id %q, want a UUID of its own", r.method, r.path, r.status, id)
		}
		seen[id] = true
		got := e.h.opts.Journal.List(journal.Filter{RequestID: id})
		if len(got) != 1 || got[0].RequestID != id || got[0].Path != r.path || got[0].Status != r.status {
			t.Fatalf("journal entries for %s: %+v; want the one of %s %s (%d)", id, got, r.method, r.path, r.status)
		}
		a := e.adminReq(http.MethodGet, "/requests?request_id="+id, "", "")
		var doc struct {
			Requests []journal.Entry `json:"requests"`
		}
		if err := json.Unmarshal(a.body, &doc); err != nil || len(doc.Requests) != 1 || doc.Requests[0].RequestID != id {
			t.Fatalf("GET /__admin/requests?request_id=%s: %d %s", id, a.status, a.body)
		}
	}
	if all := e.h.opts.Journal.List(journalFilterAll); len(all) != len(replies) {
		t.Fatalf("%d journal entries for %d requests", len(all), len(replies))
	}
}
