package handlers

import (
	"bytes"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/httpx"
	"github.com/klaviyo-mock/mockserver/internal/journal"
	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
)

// bothHooks is a status hook another step might put in front of the
// observed request's, to hear the status too.
type bothHooks [2]httpx.StatusHook

func (b bothHooks) StatusKnown() {
	for _, h := range b {
		h.StatusKnown()
	}
}

type noHook struct{}

func (noHook) StatusKnown() {}

// TestNewCall_TakesTheObservedCallWhateverHearsTheStatus: the pipeline
// takes its observed request's call (one allocation fewer a request)
// through the recorder's State, which observe sets for the steps after it,
// so a status hook wrapped around the observed request's does not lose the
// saving; a second call of the same request gets a call of its own.
func TestNewCall_TakesTheObservedCallWhateverHearsTheStatus(t *testing.T) {
	o := &observed{r: httptest.NewRequest(http.MethodGet, "/api/catalog-items", nil)}
	o.rec.State = o
	o.rec.OnStatus = bothHooks{noHook{}, o}
	if c, got := newCall(&o.rec); c != &o.call || got != o {
		t.Fatal("the call was not the observed request's own")
	}
	if c, _ := newCall(&o.rec); c == &o.call {
		t.Fatal("the observed request's call was handed out twice")
	}
	if c, got := newCall(&httpx.Recorder{OnStatus: o}); c == &o.call || got != nil {
		t.Fatal("a recorder without the observed request as its State took its call")
	}
}

// TestJournal_ABodyTheHandlerReadsIsKeptWithoutACopy: the body the
// handler reads (a stated length, identity-encoded) is the journal
// entry's as read, not a copy made beside it. A 12 KB body that is not a
// document costs about 12 KB a request more than an empty one (the
// buffer it is read into), against 50 KB or more when the tap copies
// what is read (its buffer grown as the body comes, then made a string).
func TestJournal_ABodyTheHandlerReadsIsKeptWithoutACopy(t *testing.T) {
	h, _ := cachedReadHandler(t)
	large := []byte(`{"data":` + strings.Repeat(" ", 12000) + `null}`)
	perRequest := func(body []byte) int {
		serve := func() {
			r := httptest.NewRequest(http.MethodPost, "/api/catalog-item-bulk-create-jobs", bytes.NewReader(body))
			r.Header.Set("revision", "2026-07-15")
			r.Header.Set("Authorization", "Klaviyo-API-Key "+testKey)
			r.Header.Set("Content-Type", revision.JSONAPI)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusBadRequest {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
		}
		for range 20 {
			serve() // the journal full, its buffers reused
		}
		// TotalAlloc counts the whole process (parallel tests, the race
		// detector's runtime): the least of five blocks is the request's.
		const runs = 100
		least := math.MaxInt
		for range 5 {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for range runs {
				serve()
			}
			runtime.ReadMemStats(&after)
			least = min(least, int(after.TotalAlloc-before.TotalAlloc)/runs)
		}
		return least
	}
	small := perRequest([]byte(`{"data":null}`))
	// Kept without a copy, a body costs under 2x its size more (measured
	// 1x); copied, 4-6x (52-75 KB for this one).
	if more := perRequest(large) - small; more > 3*len(large) {
		t.Fatalf("a %d-byte body costs %d bytes a request more than an empty one: the journal copied it", len(large), more)
	}
	got := h.opts.Journal.List(journal.Filter{Limit: 1})[0]
	if got.Body != string(large) || got.Truncated {
		t.Fatalf("the entry kept %d bytes (truncated %v)", len(got.Body), got.Truncated)
	}
}

// TestParsers_LeaveTheBodyAsRead: no parser of a request's document
// (a job's, an entity's, a relationship's, a /client submission's)
// changes its bytes (escapes, numbers, nulls, errors), so the journal may
// keep the buffer read rather than a copy (call.body).
func TestParsers_LeaveTheBodyAsRead(t *testing.T) {
	reg := resource.Default()
	p := revision.Default().Newest()
	items, _ := reg.Named("catalog-items")
	jobs, _ := reg.Named("catalog-item-bulk-create-jobs")
	client, _ := reg.ClientNamed("back-in-stock-subscriptions")
	bodies := []string{
		string(appendCreateBody(nil, 1)),
		`{"data":{"type":"catalog-item","attributes":{"external_id":"a\u00e9\n\"b","title":"t\\/","price":1.5e2,` +
			`"description":null,"integration_type":"$custom","catalog_type":"$default","url":"https://x","published":true}}}`,
		`{"data":[{"type":"catalog-category","id":"$custom:::$default:::c\u0031"},{"type":"catalog-category","id":"x"}]}`,
		`{"data":{"type":"catalog-item-bulk-create-job","attributes":{"items":{"data":[{"type":"catalog-item","attributes":{"external_id":"\ud83d\ude00","price":-0.0}}]}}}}`,
		`{"data":{"type":"back-in-stock-subscription","attributes":{"channels":["EMAIL"],"profile":{"data":{"type":"profile",` +
			`"attributes":{"email":"a\u0040b.c"}}}},"relationships":{"variant":{"data":{"type":"catalog-variant","id":"$custom:::$default:::v\/1"}}}}}`,
		`{"data":`, `{"data":{"type":1}}`, `null`, `{"data":{"type":"catalog-item","attributes":{"title":"\x"}}}`,
	}
	for _, s := range bodies {
		parse := map[string]func(b []byte){
			"create":      func(b []byte) { payload.ParseCreate(jobs.At(p), b) },
			"entity":      func(b []byte) { payload.ParseEntity(items.At(p), b, 0, "") },
			"identifiers": func(b []byte) { payload.ParseIdentifiers(items.At(p), "catalog-category", b) },
			"submission":  func(b []byte) { payload.ParseSubmission(client.At(p), b) },
		}
		for name, fn := range parse {
			b := []byte(s)
			fn(b)
			if string(b) != s {
				t.Errorf("%s changed its body\n%s\nto\n%s", name, s, b)
			}
		}
	}
}

// TestRequestHeaders_NotedAsLookedUp: what observe's walk notes of a
// request's headers is what a step looking each one up would read, and
// their size what the 431 check summed, for random header sets.
func TestRequestHeaders_NotedAsLookedUp(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	names := []string{keyRequestRevision, keyAuthorization, keyOptOut, headerPrefer, keyOrigin, "Accept", "revision", "X-Other"}
	for i := range 2000 {
		hd := http.Header{}
		for _, name := range names {
			if r.IntN(2) == 0 {
				continue
			}
			vs := []string{}
			for n := r.IntN(3); n > 0; n-- {
				vs = append(vs, strings.Repeat("v", r.IntN(4)))
			}
			hd[name] = vs
		}
		var noted requestHeaders
		noted.see(hd)
		want := lookHeaders(hd)
		for k, vs := range hd {
			for _, v := range vs {
				want.size += len(k) + len(v) + 4
			}
		}
		if !reflect.DeepEqual(noted, want) {
			t.Fatalf("case %d, %v: noted %+v, looked up %+v", i, hd, noted, want)
		}
	}
}

// TestObserve_ARequestStartsFromNothingOfTheOneBefore: the observed
// request a request is followed by is given again to a later one, cleared:
// a request refused before the pipeline (a 431) shows no account,
// revision, operation, fault or body of the request answered before it,
// in its journal entry and its answer; and a request without credentials
// is not authenticated by the ones before it.
func TestObserve_ARequestStartsFromNothingOfTheOneBefore(t *testing.T) {
	h, targets := cachedReadHandler(t)
	h.opts.MaxHeaderBytes = 2048
	for range 50 {
		r := cachedReadRequest(targets[0])
		r.Header.Set(headerPrefer, "code=503")
		first := httptest.NewRecorder()
		h.ServeHTTP(first, r)
		if first.Code != http.StatusServiceUnavailable {
			t.Fatalf("the request asking for a 503 got %d", first.Code)
		}
		big := httptest.NewRequest(http.MethodGet, targets[1], nil)
		big.Header.Set("X-Big", strings.Repeat("x", 3000))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, big)
		if w.Code != http.StatusRequestHeaderFieldsTooLarge || w.Header().Get(headerRevision) != "" {
			t.Fatalf("status %d, revision %q", w.Code, w.Header().Get(headerRevision))
		}
		e := h.opts.Journal.List(journal.Filter{Limit: 1})[0]
		if e.Path != targets[1] || e.Account != "" || e.Revision != "" || e.Operation != "" || e.Fault != "" || e.Body != "" {
			t.Fatalf("the refused request's entry shows %+v", e)
		}
		anon := cachedReadRequest(targets[0])
		anon.Header.Del("Authorization")
		w = httptest.NewRecorder()
		h.ServeHTTP(w, anon)
		if w.Code != http.StatusUnauthorized {
			t.Fatalf("a request without credentials after one with them got %d, want 401", w.Code)
		}
	}
}
