package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// worker sends the load to the fleet's current server.
type worker struct {
	f       *fleet
	client  *http.Client
	st      *stats
	keys    atomic.Int64
	acks    acks         // the writers' last acknowledged writes (handover.go)
	resetMu sync.RWMutex // held by resets; a handover holds it to keep them out
}

const listPath = "/api/catalog-item-bulk-update-jobs"

func (w *worker) do(ctx context.Context, kind, method, url string, body []byte, hdr map[string]string) (int, []byte) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	if !w.f.ready(ctx) {
		return 0, nil
	}
	req, err := http.NewRequestWithContext(ctx, method, w.f.rebase(url), rd)
	if err != nil {
		return 0, nil
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	t0 := time.Now()
	res, err := w.client.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			w.st.record(kind, 0, 0, false)
		}
		return 0, nil
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	d := time.Since(t0)
	switch {
	case res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") != "":
		// The server had no slot for the connection (attacks.go): an
		// answer to overload, counted in the status table.
	case res.StatusCode >= 500:
		w.st.unasked5x.Add(1)
	}
	w.st.record(kind, res.StatusCode, d, kind == "walk" || kind == "small")
	return res.StatusCode, b
}

func apiHeaders(key string) map[string]string {
	return map[string]string{"revision": "2026-07-15", "Authorization": "Klaviyo-API-Key " + key}
}

// follow reads url and the pages its links.next lead to, at most max
// pages (negative: to the end), as kind.
func (w *worker) follow(ctx context.Context, kind, url, key string, max int) {
	for pages := 0; url != "" && pages != max && ctx.Err() == nil; pages++ {
		status, b := w.do(ctx, kind, "GET", url, nil, apiHeaders(key))
		if status != 200 {
			return
		}
		var doc struct {
			Links struct {
				Next *string `json:"next"`
			} `json:"links"`
		}
		json.Unmarshal(b, &doc)
		url = ""
		if doc.Links.Next != nil {
			url = *doc.Links.Next
		}
	}
}

// walk pages through a few accounts' jobs, again and again.
func (w *worker) walk(ctx context.Context, id int) {
	for ctx.Err() == nil {
		key := fmt.Sprintf("pk_walk_%02d_%d", id, rand.IntN(4))
		w.follow(ctx, "walk", w.f.Base()+listPath, key, -1)
	}
}

// createAndPoll creates jobs and polls them until complete.
func (w *worker) createAndPoll(ctx context.Context, id int) {
	key := fmt.Sprintf("pk_create_%02d", id)
	_, b := w.do(ctx, "admin-items", "GET", w.f.Base()+"/__admin/accounts/"+key+"/items", nil, nil)
	var items struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	json.Unmarshal(b, &items)
	if len(items.Items) == 0 {
		return
	}
	for n := 0; ctx.Err() == nil; n++ {
		body := fmt.Sprintf(`{"data":{"type":"catalog-item-bulk-update-job","attributes":{"items":{"data":[{"type":"catalog-item","id":%q,"attributes":{"title":"soak %d"}}]}}}}`,
			items.Items[n%len(items.Items)].ID, n)
		h := apiHeaders(key)
		h["Content-Type"] = "application/vnd.api+json"
		gen := w.acks.generation()
		status, b := w.do(ctx, "create", "POST", w.f.Base()+listPath, []byte(body), h)
		if status != 202 {
			continue
		}
		var doc struct {
			Data struct {
				ID string `json:"id"`
			} `json:"data"`
		}
		json.Unmarshal(b, &doc)
		w.acks.record(key, key, listPath+"/"+doc.Data.ID, gen)
		for i := 0; i < 5 && ctx.Err() == nil; i++ {
			w.do(ctx, "poll", "GET", w.f.Base()+listPath+"/"+doc.Data.ID, nil, apiHeaders(key))
		}
	}
}

// catalogWriter creates catalog items with ~90 KB of metadata each, until
// the memory budget refuses them, and pages through the catalog now and
// then.
func (w *worker) catalogWriter(ctx context.Context, id int) {
	key := fmt.Sprintf("pk_catalog_%02d", id)
	meta := `{"blob":"` + strings.Repeat("x", 90<<10) + `"}`
	h := apiHeaders(key)
	h["Content-Type"] = "application/vnd.api+json"
	for n := 0; ctx.Err() == nil; n++ {
		body := fmt.Sprintf(`{"data":{"type":"catalog-item","attributes":{"external_id":"SOAK-%d","title":"soak %d",`+
			`"description":"d","url":"https://shop.example/%d","custom_metadata":%s}}}`, n, n, n, meta)
		gen := w.acks.generation()
		if status, _ := w.do(ctx, "entity-create", "POST", w.f.Base()+"/api/catalog-items", []byte(body), h); status == 201 {
			w.acks.record(key, key, itemPath(fmt.Sprintf("SOAK-%d", n)), gen)
		}
		if n%50 == 0 {
			w.follow(ctx, "entity-list", w.f.Base()+"/api/catalog-items?include=variants", key, 20)
		}
	}
}

// distinctKeys touches ever new keys: each is a new account.
func (w *worker) distinctKeys(ctx context.Context, id int) {
	for n := 0; ctx.Err() == nil; n++ {
		w.keys.Add(1)
		w.do(ctx, "new-key", "GET", w.f.Base()+listPath, nil, apiHeaders(fmt.Sprintf("pk_key_%d_%08d", id, n)))
	}
}

// hugeHeaders sends requests with ~1 MB of headers.
func (w *worker) hugeHeaders(ctx context.Context, id int) {
	pad := strings.Repeat("h", 1000<<10)
	for ctx.Err() == nil {
		h := apiHeaders("pk_headers")
		h["X-Padding"] = pad
		w.do(ctx, "huge-header", "GET", w.f.Base()+listPath, nil, h)
	}
}

// hostileAdmin sends what the control API must refuse without growing:
// a 10M-job reset, a 59 MB items PUT, and exports, with clock moves.
func (w *worker) hostileAdmin(ctx context.Context, _ int) {
	var big bytes.Buffer
	big.WriteString(`{"items":[`)
	for i := 0; big.Len() < 59<<20; i++ {
		if i > 0 {
			big.WriteByte(',')
		}
		fmt.Fprintf(&big, `{"external_id":"SOAK-%08d","title":"%s"}`, i, strings.Repeat("t", 200))
	}
	big.WriteString("]}")
	js := map[string]string{"Content-Type": "application/json"}
	for n := 0; ctx.Err() == nil; n++ {
		w.reset(ctx, js)
		w.do(ctx, "put-59MB", "PUT", w.f.Base()+"/__admin/accounts/pk_put/items", big.Bytes(), js)
		w.do(ctx, "export", "GET", w.f.Base()+"/__admin/accounts/pk_walk_00_0", nil, nil)
		w.do(ctx, "journal", "GET", w.f.Base()+"/__admin/requests", nil, nil)
		w.do(ctx, "clock", "POST", w.f.Base()+"/__admin/clock", []byte(`{"advance":"1s"}`), js)
	}
}

// reset asks for a reset to ten million jobs of each kind. If the server
// accepts, every account is dropped: the writes acknowledged so far are
// forgotten (acks.reset), and a handover waits for it (resetMu).
func (w *worker) reset(ctx context.Context, js map[string]string) {
	w.resetMu.RLock()
	defer w.resetMu.RUnlock()
	w.acks.reset()
	defer w.acks.reset()
	w.do(ctx, "reset-10M", "POST", w.f.Base()+"/__admin/reset", []byte(`{"jobs":10000000}`), js)
}
