package klaviyomock_test

import (
	"testing"

	"github.com/klaviyo-mock/mockserver/klaviyomock"
)

// TestRequestsMatching_ByTheReqIDTheClientReceived: a client holding an
// answer's x-klaviyo-req-id finds that request's journal entry with it.
func TestRequestsMatching_ByTheReqIDTheClientReceived(t *testing.T) {
	m := klaviyomock.RunT(t, "--jobs=3")
	first := api(t, m.URL(), "GET", "/api/catalog-items", nil)
	api(t, m.URL(), "GET", "/api/catalog-items", nil)
	id := first.header.Get("X-Klaviyo-Req-Id")
	got := m.RequestsMatching(klaviyomock.Filter{RequestID: id})
	if id == "" || len(got) != 1 || got[0].RequestID != id || got[0].Seq != m.Requests()[0].Seq {
		t.Fatalf("x-klaviyo-req-id %q: RequestsMatching gives %+v", id, got)
	}
}
