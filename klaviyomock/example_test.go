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
	const apiKey = "pk_0123456789abcdef0123456789abcdef01"

	list := func() *http.Response {
		req, _ := http.NewRequest("GET", m.URL()+"/api/catalog-item-bulk-update-jobs", nil)
		req.Header.Set("revision", "2026-07-15")
		req.Header.Set("Authorization", "Klaviyo-API-Key "+apiKey)
		res, err := http.DefaultClient.Do(req)
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

	m.ThrottleNext(apiKey, 1)
	res = list()
	res.Body.Close()
	fmt.Println(res.StatusCode, "Retry-After:", res.Header.Get("Retry-After"))

	// Waiting is done by moving the server clock, not by sleeping.
	m.Freeze()
	m.Advance(time.Second)
	res = list()
	res.Body.Close()
	fmt.Println(res.StatusCode)

	fmt.Println(len(m.Requests()), "requests journaled")
	// Output:
	// 200 3 jobs
	// 429 Retry-After: 1
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
		req, _ := http.NewRequest("GET", m.URL()+"/api/catalog-item-bulk-update-jobs", nil)
		req.Header.Set("revision", "2026-07-15")
		req.Header.Set("Authorization", "Klaviyo-API-Key pk_0123456789abcdef0123456789abcdef01")
		res, err := http.DefaultClient.Do(req)
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
