package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// newest is the revision the checks send.
const newest = "2026-07-15"

var client = &http.Client{Timeout: 30 * time.Second}

// answer is one response, read whole.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// call sends method to base+path as the account of key (none when key is
// empty) at the newest revision.
func call(method, base, key, path, body string) (answer, error) {
	req, err := http.NewRequest(method, base+path, strings.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("revision", newest)
	if key != "" {
		req.Header.Set("Authorization", "Klaviyo-API-Key "+key)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/vnd.api+json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, b}, err
}

// keyOf is the i-th test key.
func keyOf(i int) string { return fmt.Sprintf("pk_scale%026d", i) }

// waitReady polls the proxy until it answers a request (its servers are
// found), for at most 30 seconds.
func waitReady(proxy string) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		a, err := call("GET", proxy, keyOf(0), "/api/catalog-items?page[size]=1", "")
		if err == nil && a.status == 200 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the proxy never answered 200 (last: %d %v)", a.status, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// journalCount is how many requests of key the process at base journaled.
func journalCount(base, key string) (int, error) {
	a, err := call("GET", base, "", "/__admin/requests?account="+url.QueryEscape(key), "")
	if err != nil || a.status != 200 {
		return 0, fmt.Errorf("journal of %s: %d %v", base, a.status, err)
	}
	var doc struct {
		Requests []json.RawMessage `json:"requests"`
	}
	if err := json.Unmarshal(a.body, &doc); err != nil {
		return 0, err
	}
	return len(doc.Requests), nil
}

// sticky: every request of one key reaches one process, the whole count
// journaled there and nothing elsewhere; keys spread over the processes.
func sticky(o options, f *fleet) error {
	spread := make([]int, len(f.bases))
	for k := 1; k <= o.keys; k++ {
		key := keyOf(k)
		for range o.perKey {
			if a, err := call("GET", f.proxy, key, "/api/catalog-items?page[size]=1", ""); err != nil || a.status != 200 {
				return fmt.Errorf("GET through the proxy for %s: %d %v", key, a.status, err)
			}
		}
		holders := 0
		for i, base := range f.bases {
			n, err := journalCount(base, key)
			if err != nil {
				return err
			}
			if n == 0 {
				continue
			}
			if n != o.perKey {
				return fmt.Errorf("key %d: process %d journaled %d of its %d requests; want all or none", k, i+1, n, o.perKey)
			}
			holders++
			spread[i]++
		}
		if holders != 1 {
			return fmt.Errorf("key %d reached %d processes; want exactly one", k, holders)
		}
	}
	fmt.Printf("ok  one key, one process: %d keys × %d requests, keys per process %v\n", o.keys, o.perKey, spread)
	return nil
}

// dataHolds: an item created through the proxy is read back by every later
// request through it, and a change to it too.
func dataHolds(o options, f *fleet) error {
	key, id := keyOf(1000), "$custom:::$default:::SCALE-1"
	create := `{"data":{"type":"catalog-item","attributes":{"external_id":"SCALE-1","title":"Before","description":"d",` +
		`"url":"https://example.com/scale-1","catalog_type":"$default","integration_type":"$custom"}}}`
	if a, err := call("POST", f.proxy, key, "/api/catalog-items", create); err != nil || a.status != 201 {
		return fmt.Errorf("create through the proxy: %d %v %.300s", a.status, err, a.body)
	}
	patch := `{"data":{"type":"catalog-item","id":"` + id + `","attributes":{"title":"After"}}}`
	path := "/api/catalog-items/" + url.PathEscape(id)
	for _, step := range []struct{ method, body, want string }{{"GET", "", `"Before"`}, {"PATCH", patch, `"After"`}, {"GET", "", `"After"`}} {
		for range o.perKey {
			a, err := call(step.method, f.proxy, key, path, step.body)
			if err != nil || a.status != 200 || !strings.Contains(string(a.body), `"title":`+step.want) {
				return fmt.Errorf("%s %s through the proxy: %d %v, want 200 with title %s", step.method, path, a.status, err, step.want)
			}
			if step.method == "PATCH" {
				break
			}
		}
	}
	fmt.Printf("ok  an item created, read %d times, changed and read %d times more through the proxy\n", o.perKey, o.perKey)
	return nil
}

// limitsHold: GET /api/accounts allows one request a second per account;
// with the clocks frozen, of five requests through the proxy exactly the
// first passes, whichever process holds the account.
func limitsHold(_ options, f *fleet) error {
	key := keyOf(2000)
	var statuses []int
	for range 5 {
		a, err := call("GET", f.proxy, key, "/api/accounts", "")
		if err != nil {
			return err
		}
		if a.status == 429 && a.header.Get("Retry-After") == "" {
			return fmt.Errorf("a 429 without Retry-After")
		}
		statuses = append(statuses, a.status)
	}
	if fmt.Sprint(statuses) != "[200 429 429 429 429]" {
		return fmt.Errorf("GET /api/accounts five times through the proxy: %v, want [200 429 429 429 429] (one a second, counted in one process)", statuses)
	}
	fmt.Println("ok  rate limits held across the proxy: GET /api/accounts ×5 answered", statuses)
	return nil
}

// controlReachable: each process's control API answers on its own address.
func controlReachable(_ options, f *fleet) error {
	for i, base := range f.bases {
		if a, err := call("GET", base, "", "/__admin/health", ""); err != nil || a.status != 200 {
			return fmt.Errorf("process %d's /__admin/health: %d %v", i+1, a.status, err)
		}
	}
	fmt.Printf("ok  every process's control API answers at its own address (%d)\n", len(f.bases))
	return nil
}
