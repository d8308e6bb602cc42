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
