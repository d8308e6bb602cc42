package handlers

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/journal"
)

// fastRouteMethods are the methods FuzzFastRoutes_AnswerAsChi picks from.
var fastRouteMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodOptions, http.MethodDelete}

// fastRouteRevisions are the revisions FuzzFastRoutes_AnswerAsChi picks
// from: the first, the last with the generic relationship path, one
// between, and the newest with agent hints.
var fastRouteRevisions = []string{"2022-10-17", "2023-01-24", "2023-06-15", "2026-07-15"}

// FuzzFastRoutes_AnswerAsChi sends the same request to two handlers made
// alike, one routing the API's reads by fastRoutes and one by chi alone,
// and checks that the answers (status, every header, body) and the
// journal's entries are the same, at revisions whose shapes differ.
func FuzzFastRoutes_AnswerAsChi(f *testing.F) {
	_, targets := cachedReadHandler(f)
	job, cat, item := targets[0], targets[1], targets[2]
	cat = strings.TrimSuffix(cat, "/items")
	item = strings.TrimSuffix(item, "/relationships/categories/")
	for _, p := range []string{
		listPath, listPath + "/", listPath + "//", job, job + "/", job + "//", job + "/items", job + "/relationships/items",
		job + "/relationships/items/", job + "/relationships/nope", job + "/nope", job + "/x/y/z",
		cat, cat + "/items", cat + "/items/", cat + "/relationships/items", cat + "/relationships/items//",
		item, item + "/variants", item + "/relationships/categories", item + "/relationships/", item + "/relationships",
		"/api/catalog-items/%24custom%3A%3A%3A%24default%3A%3A%3AGKA-00001", "/api/catalog-items/a%2Fb/variants",
		"/api/catalog-items?page%5Bsize%5D=2", "/api/catalog-items/?filter=equals(published,true)", "/api/catalog-items//variants",
		"/api/", "/api", "/api/nope", "/api/nope/x", "/apix/catalog-items", "/__admin/health", "/client/catalog-items",
	} {
		for m := range fastRouteMethods {
			for r := range fastRouteRevisions {
				f.Add(uint8(m), uint8(r), p, false)
			}
		}
		f.Add(uint8(0), uint8(len(fastRouteRevisions)-1), p, true)
	}
	f.Fuzz(func(t *testing.T, method, rev uint8, target string, origin bool) {
		m := fastRouteMethods[int(method)%len(fastRouteMethods)]
		head := m + " " + target + " HTTP/1.1\r\nHost: example.test\r\nrevision: " +
			fastRouteRevisions[int(rev)%len(fastRouteRevisions)] + "\r\n" +
			"Authorization: Klaviyo-API-Key " + testKey + "\r\n"
		if origin {
			head += "Origin: https://shop.example\r\n"
		}
		read := func() *http.Request {
			r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(head + "\r\n")))
			if err != nil {
				t.Skip(err)
			}
			return r
		}
		fast, _ := cachedReadHandler(t)
		slow, _ := cachedReadHandler(t)
		slow.fast = nil
		for i := range 3 { // rendered, kept, read from the cache
			a, b := httptest.NewRecorder(), httptest.NewRecorder()
			fast.ServeHTTP(a, read())
			slow.ServeHTTP(b, read())
			if a.Code != b.Code || !reflect.DeepEqual(a.Header(), b.Header()) || !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) {
				t.Fatalf("%s %s, request %d: fast %d %v\n%s\nchi %d %v\n%s", m, target, i, a.Code, a.Header(), a.Body, b.Code, b.Header(), b.Body)
			}
		}
		if ea, eb := journalShown(t, fast), journalShown(t, slow); ea != eb {
			t.Fatalf("%s %s: journal entries differ\nfast %s\nchi  %s", m, target, ea, eb)
		}
	})
}

// TestFastRoutes_TakeTheAPIsReads checks that fastRoutes routes the reads
// the benchmark's single rows make, and leaves chi what it must route.
func TestFastRoutes_TakeTheAPIsReads(t *testing.T) {
	h, targets := cachedReadHandler(t)
	for _, c := range []struct {
		method, target, origin string
		want                   bool
	}{
		{http.MethodGet, targets[0], "", true},
		{http.MethodHead, targets[1], "", true},
		{http.MethodGet, targets[2], "", true},
		{http.MethodGet, listPath + "?page%5Bsize%5D=2", "", true},
		{http.MethodGet, targets[0], "https://shop.example", false},
		{http.MethodPost, listPath, "", false},
		{http.MethodGet, "/api/catalog-items/a%2Fb", "", false},
		{http.MethodGet, listPath + "//", "", false},
		{http.MethodGet, "/api/catalog-items/x/relationships/nope", "", false},
		{http.MethodGet, "/__admin/health", "", false},
	} {
		r := httptest.NewRequest(c.method, c.target, nil)
		if c.origin != "" {
			r.Header.Set("Origin", c.origin)
		}
		if _, _, got := h.fast.match(r, fromBrowser(r)); got != c.want {
			t.Errorf("%s %s (Origin %q): routed by fastRoutes %v, want %v", c.method, c.target, c.origin, got, c.want)
		}
	}
}

// journalShown is h's journal as the control API shows it, without the
// entries' times and durations.
func journalShown(t *testing.T, h *Handler) string {
	t.Helper()
	es := h.opts.Journal.List(journal.Filter{})
	for i := range es {
		es[i].Time, es[i].DurationMicros = time.Time{}, 0
	}
	b, err := json.Marshal(es)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
