package klaviyomock_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/klaviyo-mock/mockserver/klaviyomock"
)

// Example runs the emulator in-process, lists jobs as a client would, makes
// the next request throttled, and checks what the client sent.
func Example() {
	m, err := klaviyomock.Run("--jobs=3", "--job-transition=immediate")
	if err != nil {
		panic(err)
	}
	defer m.Close()

	// Do sends the newest revision and m.Key(), as an SDK would.
	list := func() *http.Response {
		res, err := m.Do("GET", "/api/catalog-item-bulk-update-jobs", "")
		if err != nil {
			panic(err)
		}
		return res
	}

	res := list()
	var doc struct {
		Data []struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	json.NewDecoder(res.Body).Decode(&doc)
	res.Body.Close()
	fmt.Println(res.StatusCode, len(doc.Data), "jobs")

	rule, _ := m.ThrottleNext(m.Key(), 1)
	res = list()
	res.Body.Close()
	fmt.Println(res.StatusCode, "Retry-After:", res.Header.Get("Retry-After"), "from", rule.ID)

	// Waiting is done by moving the server clock, not by sleeping.
	m.Freeze()
	m.Advance(time.Second)
	res = list()
	res.Body.Close()
	fmt.Println(res.StatusCode)

	fmt.Println(len(m.Requests()), "requests journaled")
	// Output:
	// 200 3 jobs
	// 429 Retry-After: 1 from fault-1
	// 200
	// 3 requests journaled
}

// ExampleServer_AddFault makes the next two job lists fail with a 503, the
// way an SDK's retry logic can be tested, then checks the journal.
func ExampleServer_AddFault() {
	m, err := klaviyomock.Run("--jobs=3")
	if err != nil {
		panic(err)
	}
	defer m.Close()

	rule, err := m.AddFault(klaviyomock.Fault{
		Match:  klaviyomock.FaultMatch{Method: "GET", Path: "/api/catalog-item-bulk-update-jobs"},
		Status: 503,
		Count:  2,
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(rule.ID, "added")

	for i := 0; i < 3; i++ {
		res, err := m.Do("GET", "/api/catalog-item-bulk-update-jobs", "")
		if err != nil {
			panic(err)
		}
		res.Body.Close()
		fmt.Println(res.StatusCode)
	}
	for _, r := range m.RequestsMatching(klaviyomock.Filter{Status: 503}) {
		fmt.Println(r.Method, r.Path, r.Status, r.Fault)
	}
	fmt.Println(len(m.Faults()), "rules left")
	// Output:
	// fault-1 added
	// 503
	// 503
	// 200
	// GET /api/catalog-item-bulk-update-jobs 503 fault-1
	// GET /api/catalog-item-bulk-update-jobs 503 fault-1
	// 0 rules left
}

// ExampleServer_RequestsMatching finds in the journal the request behind
// an answer the client got, by the X-Klaviyo-Req-Id it carried, and
// selects requests by method and path prefix.
func ExampleServer_RequestsMatching() {
	m, err := klaviyomock.Run()
	if err != nil {
		panic(err)
	}
	defer m.Close()

	res, _ := m.Do("GET", "/api/catalog-items/$custom:::$default:::NOPE", "")
	res.Body.Close()
	res2, _ := m.Do("GET", "/api/catalog-categories", "")
	res2.Body.Close()

	got := m.RequestsMatching(klaviyomock.Filter{RequestID: res.Header.Get("X-Klaviyo-Req-Id")})
	fmt.Println(len(got), got[0].Method, got[0].Path, got[0].Status, got[0].Revision, got[0].Operation)
	fmt.Println(got[0].Account == klaviyomock.Fingerprint(m.Key()))
	fmt.Println(len(m.RequestsMatching(klaviyomock.Filter{Method: "GET", Path: "/api/catalog-cat"})), "category request")
	// Output:
	// 1 GET /api/catalog-items/$custom:::$default:::NOPE 404 2026-07-15 get_catalog_item
	// true
	// 1 category request
}
