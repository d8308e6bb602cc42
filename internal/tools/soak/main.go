// Command soak runs mixed and hostile load against a mockserver binary for a
// given time and reports its resident memory at intervals and the latency of
// API reads: walks following links.next, job creates and polls, a flood of
// distinct keys, requests with ~1 MB headers, oversized control API bodies
// and resets, clock moves; and the connection attacks of attacks.go (idle
// keep-alive connections past --max-connections, silent connections, slow
// bodies) while small requests are timed and health is probed over TCP. It
// fails (exit 1) when the server's RSS ever exceeds its --memory-budget, when
// it answers a 5xx nobody asked for, or when a health probe fails.
//
//	go run ./internal/tools/soak -duration 2m            (scripts/soak wraps it)
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/tools/proc"
)

func main() {
	duration := flag.Duration("duration", time.Minute, "how long to run the load")
	interval := flag.Duration("interval", 5*time.Second, "how often to sample the server's RSS")
	bin := flag.String("bin", "", "mockserver binary (default: build ./cmd/mockserver)")
	budget := flag.String("memory-budget", "512MiB", "the server's --memory-budget")
	var o loads
	flag.IntVar(&o.keyWorkers, "key-workers", 3, "goroutines touching ever new keys")
	flag.IntVar(&o.idleConns, "idle-conns", 1100, "keep-alive connections of the idle flood (more than --max-connections)")
	flag.BoolVar(&o.mixed, "mixed", true, "run the mixed and hostile load besides the connection attacks (false: time the attacks alone)")
	flag.Parse()
	if err := run(*duration, *interval, *bin, *budget, o); err != nil {
		fmt.Fprintln(os.Stderr, "soak:", err)
		os.Exit(1)
	}
}

// loads says which loads run.
type loads struct {
	keyWorkers int
	idleConns  int
	mixed      bool
}

type stats struct {
	mu        sync.Mutex
	latencies map[string][]time.Duration // of the timed kinds: API reads (walk), small requests, health probes
	statuses  map[string]map[int]int     // status 0: no answer
	unasked5x atomic.Int64               // 5xx other than a 503 with Retry-After
	requests  atomic.Int64
}

func (s *stats) record(kind string, status int, d time.Duration, timed bool) {
	s.requests.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.statuses[kind] == nil {
		s.statuses[kind] = map[int]int{}
	}
	s.statuses[kind][status]++
	if timed && len(s.latencies[kind]) < 2_000_000 {
		s.latencies[kind] = append(s.latencies[kind], d)
	}
}

// print writes the request counts, read latencies and statuses, and sorts
// the latencies.
func (s *stats) print(keys int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.latencies {
		slices.Sort(l)
	}
	reads := s.latencies["walk"]
	fmt.Printf("distinct keys: %d\n", keys)
	fmt.Printf("requests: %d; API reads: p50 %v, p99 %v, max %v\n", s.requests.Load(),
		percentile(reads, 0.5), percentile(reads, 0.99), percentile(reads, 1))
	kinds := make([]string, 0, len(s.statuses))
	for k := range s.statuses {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		fmt.Printf("  %-14s %v\n", k, s.statuses[k])
	}
}

// percentile is the p-th of sorted durations (0 when there are none).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

func run(duration, interval time.Duration, bin, budget string, o loads) error {
	bin, cleanup, err := proc.Binary(bin)
	if err != nil {
		return err
	}
	defer cleanup()
	budgetBytes, err := parseSize(budget)
	if err != nil {
		return err
	}
	// As many connections as a quarter of the budget holds with 1 MiB headers.
	conns := strconv.FormatInt(min(1024, budgetBytes/4/(1<<20+16<<10)), 10)
	srv, err := proc.Start(bin, "--memory-budget", budget, "--job-transition", "duration",
		"--job-duration", "2s", "--max-header-bytes", "1048576", "--rate-limits", "off", "--max-connections", conns)
	if err != nil {
		return err
	}
	defer srv.Stop()
	base := srv.Base
	fmt.Printf("soak: %s for %v, --memory-budget %s (%d MiB), --max-connections %s, pid %d\n",
		base, duration, budget, budgetBytes>>20, conns, srv.Pid())

	ctx, cancel := context.WithTimeout(context.Background(), duration)
	defer cancel()
	st := &stats{statuses: map[string]map[int]int{}, latencies: map[string][]time.Duration{}}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	w := &worker{base: base, client: client, st: st}
	var wg sync.WaitGroup
	spawn := func(n int, fn func(ctx context.Context, id int)) {
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(id int) { defer wg.Done(); fn(ctx, id) }(i)
		}
	}
	if o.mixed {
		spawn(6, w.walk)
		spawn(2, w.createAndPoll)
		spawn(2, w.catalogWriter)
		spawn(o.keyWorkers, w.distinctKeys)
		spawn(2, w.hugeHeaders)
		spawn(1, w.hostileAdmin)
	}
	atk := startAttacks(ctx, &wg, w, o.idleConns)

	maxRSS := int64(0)
	start := time.Now()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	sample := func() {
		rss, _ := proc.RSS(srv.Pid())
		maxRSS = max(maxRSS, rss)
		fmt.Printf("t=%5.0fs rss=%4d MiB requests=%d\n", time.Since(start).Seconds(), rss>>20, st.requests.Load())
	}
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-tick.C:
			sample()
		}
	}
	wg.Wait()
	sample()

	st.print(w.keys.Load())
	fmt.Printf("max RSS %d MiB of a %d MiB budget (%.0f%%)\n", maxRSS>>20, budgetBytes>>20, 100*float64(maxRSS)/float64(budgetBytes))
	attacksErr := atk.report(st.latencies["small"], st.latencies["health"]) // the workers are done
	switch {
	case st.unasked5x.Load() > 0:
		return fmt.Errorf("%d answers were 5xx", st.unasked5x.Load())
	case maxRSS > budgetBytes:
		return fmt.Errorf("RSS reached %d MiB, over the %d MiB budget", maxRSS>>20, budgetBytes>>20)
	}
	return attacksErr
}

type worker struct {
	base   string
	client *http.Client
	st     *stats
	keys   atomic.Int64
}

const listPath = "/api/catalog-item-bulk-update-jobs"

func (w *worker) do(ctx context.Context, kind, method, url string, body []byte, hdr map[string]string) (int, []byte) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
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
		w.follow(ctx, "walk", w.base+listPath, key, -1)
	}
}

// createAndPoll creates jobs and polls them until complete.
func (w *worker) createAndPoll(ctx context.Context, id int) {
	key := fmt.Sprintf("pk_create_%02d", id)
	_, b := w.do(ctx, "admin-items", "GET", w.base+"/__admin/accounts/"+key+"/items", nil, nil)
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
		status, b := w.do(ctx, "create", "POST", w.base+listPath, []byte(body), h)
		if status != 202 {
			continue
		}
		var doc struct {
			Data struct {
				ID string `json:"id"`
			} `json:"data"`
		}
		json.Unmarshal(b, &doc)
		for i := 0; i < 5 && ctx.Err() == nil; i++ {
			w.do(ctx, "poll", "GET", w.base+listPath+"/"+doc.Data.ID, nil, apiHeaders(key))
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
		w.do(ctx, "entity-create", "POST", w.base+"/api/catalog-items", []byte(body), h)
		if n%50 == 0 {
			w.follow(ctx, "entity-list", w.base+"/api/catalog-items?include=variants", key, 20)
		}
	}
}

// distinctKeys touches ever new keys: each is a new account.
func (w *worker) distinctKeys(ctx context.Context, id int) {
	for n := 0; ctx.Err() == nil; n++ {
		w.keys.Add(1)
		w.do(ctx, "new-key", "GET", w.base+listPath, nil, apiHeaders(fmt.Sprintf("pk_key_%d_%08d", id, n)))
	}
}

// hugeHeaders sends requests with ~1 MB of headers.
func (w *worker) hugeHeaders(ctx context.Context, id int) {
	pad := strings.Repeat("h", 1000<<10)
	for ctx.Err() == nil {
		h := apiHeaders("pk_headers")
		h["X-Padding"] = pad
		w.do(ctx, "huge-header", "GET", w.base+listPath, nil, h)
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
		w.do(ctx, "reset-10M", "POST", w.base+"/__admin/reset", []byte(`{"jobs":10000000}`), js)
		w.do(ctx, "put-59MB", "PUT", w.base+"/__admin/accounts/pk_put/items", big.Bytes(), js)
		w.do(ctx, "export", "GET", w.base+"/__admin/accounts/pk_walk_00_0", nil, nil)
		w.do(ctx, "journal", "GET", w.base+"/__admin/requests", nil, nil)
		w.do(ctx, "clock", "POST", w.base+"/__admin/clock", []byte(`{"advance":"1s"}`), js)
	}
}

func parseSize(s string) (int64, error) {
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			return n * u.mult, err
		}
	}
	return strconv.ParseInt(s, 10, 64)
}
