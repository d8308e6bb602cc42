package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/store"
)

func withCache(bytes int64) envOption {
	return func(o *Options, _ *store.Options) { o.CacheBytes = bytes }
}

func withPublicURL(u string) envOption {
	return func(o *Options, _ *store.Options) { o.PublicURL = u }
}

// twin is the same request sequence against an emulator with caches and
// one without, over identical stores and clocks.
type twin struct {
	t              *testing.T
	cached, direct *env
}

// do sends one request to both; reads go three times to the cached one
// (a document is cached at its second rendering, so the third is served
// from the cache) and every answer must be the bytes the
// uncached emulator wrote. It returns the cached emulator's last answer.
func (tw *twin) do(method, path, rev string, body []byte) *resp {
	tw.t.Helper()
	send := func(e *env) *resp {
		hdr := []string{"revision: " + rev}
		if body != nil {
			hdr = append(hdr, "Content-Type: application/vnd.api+json")
		}
		if strings.HasPrefix(path, "/__admin") {
			hdr = append(hdr, "Content-Type: application/json")
		}
		return e.req(method, path, bytes.NewReader(body), hdr...)
	}
	want := send(tw.direct)
	tries := 1
	if method == http.MethodGet {
		tries = 3
	}
	var got *resp
	for i := 0; i < tries; i++ {
		got = send(tw.cached)
		if got.status != want.status || !bytes.Equal(got.body, want.body) {
			tw.t.Fatalf("%s %s (%s), answer %d: the cached emulator said %d\n%.600s\nthe uncached one %d\n%.600s",
				method, path, rev, i+1, got.status, got.body, want.status, want.body)
		}
	}
	return got
}

// TestCache_NeverServesAStaleByte runs a long random sequence of reads and
// changes (jobs created and progressing as the clock moves, clock jumps,
// entity and relationship writes, control API PUTs, forgotten accounts and
// resets) against an emulator with its caches and one without: every
// answer must be byte for byte the uncached one.
func TestCache_NeverServesAStaleByte(t *testing.T) {
	opts := []envOption{withLifecycle(store.Lifecycle{Mode: store.Duration, Duration: 4 * time.Second}), withPublicURL("https://a.klaviyo.test")}
	tw := &twin{t: t, cached: newEnv(t, append(opts, withCache(16<<20))...), direct: newEnv(t, append(opts, withCache(-1))...)}
	if tw.cached.h.pages == nil || tw.direct.h.pages != nil {
		t.Fatal("the twins do not differ in caching")
	}
	checkDocumentStates(t, tw.cached.h)
	a, _ := tw.direct.store.Account(testKey)
	items := entityIDs(t, a, itemKind)
	cats := entityIDs(t, a, categoryKind)
	rng := rand.New(rand.NewPCG(7, 11))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	revs := []string{"2022-10-17", "2023-07-15", "2024-05-15", "2026-07-15"}
	reads := []func(rev string) string{
		func(rev string) string { return at(rev, "/api/catalog-item-bulk-update-jobs") },
		func(rev string) string {
			return at(rev, "/api/catalog-item-bulk-update-jobs") + "?filter=" + url.QueryEscape("equals(status,'processing')")
		},
		func(rev string) string { return at(rev, "/api/catalog-variant-bulk-create-jobs") },
		func(rev string) string { return at(rev, "/api/catalog-items") + "?include=variants" },
		func(rev string) string { return at(rev, "/api/catalog-items") + "?sort=-created" },
		func(rev string) string { return at(rev, "/api/catalog-variants") },
		func(rev string) string { return at(rev, "/api/catalog-categories") },
		func(rev string) string { return at(rev, "/api/catalog-items/"+pick(items)) },
		func(rev string) string { return at(rev, "/api/catalog-items/"+pick(items)+"/variants") },
		func(rev string) string { return at(rev, "/api/catalog-categories/"+pick(cats)+"/items") },
		func(rev string) string { return at(rev, "/api/catalog-categories/"+pick(cats)+"/relationships/items") },
		func(rev string) string { return at(rev, "/api/catalog-items/"+pick(items)+"/relationships/categories") },
	}
	jobIDs := func() []string {
		jobs, _ := a.AllJobs(jobItemUpdate)
		out := make([]string, 0, len(jobs))
		for _, j := range jobs {
			out = append(out, j.ID)
		}
		return out
	}
	n := 0
	for step := 0; step < 700; step++ {
		rev := revs[rng.IntN(len(revs))]
		switch r := rng.IntN(100); {
		case r < 55:
			tw.do("GET", reads[rng.IntN(len(reads))](rev), rev, nil)
		case r < 62:
			ids := jobIDs()
			tw.do("GET", at(rev, "/api/catalog-item-bulk-update-jobs/"+ids[len(ids)-1-rng.IntN(min(5, len(ids)))])+"?include=items", rev, nil)
		case r < 70: // a job that changes an item, then progresses with the clock
			body := fmt.Sprintf(`{"data":{"type":"catalog-item-bulk-update-job","attributes":{"items":{"data":[`+
				`{"type":"catalog-item","id":%q,"attributes":{"title":"step %d"}}]}}}}`, pick(items), step)
			tw.do("POST", "/api/catalog-item-bulk-update-jobs", "2026-07-15", []byte(body))
		case r < 78:
			d := time.Duration(rng.IntN(3000)) * time.Millisecond
			if rng.IntN(10) == 0 {
				d = 48 * time.Hour // a clock jump
			}
			tw.cached.clock.Advance(d)
			tw.direct.clock.Advance(d)
		case r < 83:
			n++
			ext := fmt.Sprintf("CACHE-%d", n)
			tw.do("POST", "/api/catalog-items", "2026-07-15", []byte(fmt.Sprintf(`{"data":{"type":"catalog-item","attributes":`+
				`{"external_id":%q,"title":"t","description":"d","url":"https://x.example/%d"}}}`, ext, n)))
			items = append(items, store.EntityID(ext))
		case r < 87:
			id := pick(items)
			tw.do("PATCH", "/api/catalog-items/"+id, "2026-07-15", []byte(fmt.Sprintf(
				`{"data":{"type":"catalog-item","id":%q,"attributes":{"price":%d}}}`, id, step)))
		case r < 90:
			tw.do("POST", "/api/catalog-variants", "2026-07-15", []byte(fmt.Sprintf(`{"data":{"type":"catalog-variant","attributes":`+
				`{"external_id":"V-%d","title":"v","description":"d","sku":"S","inventory_quantity":1,"price":1,"url":"https://x.example/v"},`+
				`"relationships":{"item":{"data":{"type":"catalog-item","id":%q}}}}}`, step, pick(items))))
		case r < 93:
			method := []string{"POST", "PATCH", "DELETE"}[rng.IntN(3)]
			tw.do(method, "/api/catalog-categories/"+pick(cats)+"/relationships/items", "2026-07-15",
				[]byte(fmt.Sprintf(`{"data":[{"type":"catalog-item","id":%q}]}`, pick(items))))
		case r < 95:
			tw.do("DELETE", "/api/catalog-items/"+pick(items), "2026-07-15", nil)
		case r < 96: // the control API replaces the items
			ex := tw.direct.req("GET", "/__admin/accounts/"+testKey+"/items", nil)
			var doc struct {
				Items []map[string]any `json:"items"`
			}
			if err := json.Unmarshal(ex.body, &doc); err != nil || len(doc.Items) == 0 {
				t.Fatalf("export: %v %.200s", err, ex.body)
			}
			doc.Items[0]["title"] = fmt.Sprint("PUT at step ", step)
			b, _ := json.Marshal(doc)
			tw.do("PUT", "/__admin/accounts/"+testKey+"/items", "", b)
		case r < 97: // the control API replaces the variants, leaving one out
			ex := tw.direct.req("GET", "/__admin/accounts/"+testKey+"/variants", nil)
			var doc struct {
				Variants []map[string]any `json:"variants"`
			}
			if err := json.Unmarshal(ex.body, &doc); err != nil || len(doc.Variants) == 0 {
				t.Fatalf("export: %v %.200s", err, ex.body)
			}
			// Its item shows its variants at 2022-10-17: read it before and after.
			item := at("2022-10-17", "/api/catalog-items/"+doc.Variants[0]["item"].(string))
			tw.do("GET", item, "2022-10-17", nil)
			doc.Variants = doc.Variants[1:]
			b, _ := json.Marshal(doc)
			tw.do("PUT", "/__admin/accounts/"+testKey+"/variants", "", b)
			tw.do("GET", item, "2022-10-17", nil)
		case r < 98:
			tw.do("DELETE", "/__admin/accounts/"+testKey, "", nil)
		default:
			for _, e := range []*env{tw.cached, tw.direct} {
				e.store.Reset(0, nil, nil)
			}
			items = entityIDs(t, a, itemKind)
		}
		a, _ = tw.direct.store.Account(testKey)
		if step%50 == 0 {
			items = entityIDs(t, a, itemKind)
		}
	}
	hits, _ := tw.cached.h.pages.Stats()
	fhits, _ := tw.cached.h.frags.Cache().Stats()
	if hits < 100 || fhits < 100 {
		t.Fatalf("the sequence hardly used the caches: %d document hits, %d object hits", hits, fhits)
	}
	t.Logf("%d document hits, %d object hits", hits, fhits)
	var health struct {
		Cache map[string]int64 `json:"render_cache"`
	}
	if err := json.Unmarshal(tw.cached.req("GET", "/__admin/health", nil).body, &health); err != nil {
		t.Fatal(err)
	}
	if c := health.Cache; c["hits"] != hits+fhits || c["bytes"] <= 0 || c["bytes"] > c["limit_bytes"] || c["limit_bytes"] > 16<<20 {
		t.Fatalf("/__admin/health reports the caches as %v (%d hits)", c, hits+fhits)
	}
}
