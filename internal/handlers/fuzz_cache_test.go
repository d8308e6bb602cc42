package handlers

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/admin"
	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// FuzzCache_NeverServesAStaleByte is TestCache_NeverServesAStaleByte with
// the sequence chosen by the fuzzer: the input is a program of operations
// (see cacheProgram.step for its encoding), run against an emulator with
// its caches and one without, in-process. Reads go twice to the cached
// one, so the second is a hit when the first was cached; every answer must
// be the uncached one's bytes (error ids aside: they count requests, and
// the cached emulator is asked more often).
//
// go test runs the seed corpus in testdata/fuzz/FuzzCache_NeverServesAStaleByte
// (among them the include sequence: a job read with include=items, one of
// its items PATCHed, the same read again); run
// `go test -run '^$' -fuzz FuzzCache_NeverServesAStaleByte ./internal/handlers/`
// (or scripts/fuzz) to explore.
func FuzzCache_NeverServesAStaleByte(f *testing.F) {
	seeds, reg := memoSeeder(fixtures.Seeder(fuzzCatalog)), resource.Default()
	f.Fuzz(func(t *testing.T, prog []byte) {
		if len(prog) > maxProgram {
			prog = prog[:maxProgram]
		}
		cp := &cacheProgram{t: t, tw: newHandlerTwin(t, reg, seeds), reg: reg, in: prog, revs: reg.Revisions().All()}
		for len(cp.in) > 0 && cp.ops < maxOps {
			cp.step()
		}
	})
}

// Bounds on one program, so an input runs in milliseconds.
const (
	maxProgram = 512
	maxOps     = 48
)

// handlerTwin is a cached and an uncached handler over identical stores
// and clocks, without a network.
type handlerTwin struct {
	cached, direct *handlerEnv
}

type handlerEnv struct {
	h     *Handler
	store *store.Store
	clock *clock.Clock
}

// fuzzCatalog is a small catalog, so random picks collide often.
var fuzzCatalog = fixtures.Params{Seed: 1, Jobs: 12, Counts: fixtures.Counts{"items": 100, "variants": 40, "categories": 4}}

// memoSeeder returns seeder remembering what it generates: each call
// returns shallow copies of the jobs and entities, which the store may
// stamp (it never changes a stored value in place: a change stores a new
// one). Generating the catalog was most of an input's time.
func memoSeeder(seeder store.Seeder) store.Seeder {
	var mu sync.Mutex
	memo := map[string]store.Seed{}
	return func(key string, c store.Collection) store.Seed {
		mu.Lock()
		s, ok := memo[key+"/"+c.Name()]
		if !ok {
			s = seeder(key, c)
			memo[key+"/"+c.Name()] = s
		}
		mu.Unlock()
		out := store.Seed{History: s.History, Members: s.Members}
		for _, j := range s.Jobs {
			cp := *j
			out.Jobs = append(out.Jobs, &cp)
		}
		for _, e := range s.Entities {
			cp := *e
			out.Entities = append(out.Entities, &cp)
		}
		return out
	}
}

func newHandlerTwin(tb testing.TB, reg *resource.Registry, seeder store.Seeder) *handlerTwin {
	tb.Helper()
	mk := func(cacheBytes int64) *handlerEnv {
		clk := clock.NewFrozen(testNow)
		st := store.New(store.Options{Seed: 1, Now: clk.Now, Seeder: seeder, MaxAccounts: 10,
			Lifecycle: store.Lifecycle{Mode: store.Duration, Duration: 4 * time.Second}})
		h := New(Options{Store: st, Clock: clk, Resources: reg, Seed: 1, PublicURL: fuzzBase,
			RateLimits: limiter.Policy{Off: true}, CacheBytes: cacheBytes})
		return &handlerEnv{h: h, store: st, clock: clk}
	}
	tw := &handlerTwin{cached: mk(4 << 20), direct: mk(-1)}
	if tw.cached.h.pages == nil || tw.direct.h.pages != nil {
		tb.Fatal("the twins do not differ in caching")
	}
	checkDocumentStates(tb, tw.cached.h)
	return tw
}

// fuzzBase is the base URL of the twins' links.
const fuzzBase = "https://a.klaviyo.test"

// serve sends one request in-process.
func (e *handlerEnv) serve(method, target, rev string, body []byte) (int, []byte) {
	req := httptest.NewRequest(method, "http://127.0.0.1"+target, bytes.NewReader(body))
	req.Host, req.RemoteAddr = "127.0.0.1:8080", "127.0.0.1:1"
	req.Header.Set("Authorization", "Klaviyo-API-Key "+testKey)
	if rev != "" {
		req.Header.Set("revision", rev)
	}
	switch {
	case strings.HasPrefix(target, admin.Prefix) && body != nil:
		req.Header.Set("Content-Type", "application/json")
	case body != nil:
		req.Header.Set("Content-Type", revision.JSONAPI)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// errorIDs matches the ids of error objects, which count requests.
var errorIDs = regexp.MustCompile(`"id":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"`)

// do sends one request to both (a GET twice to the cached one) and fails
// unless every answer is the uncached one's. It returns the answer.
func (tw *handlerTwin) do(t *testing.T, method, target, rev string, body []byte) (int, []byte) {
	t.Helper()
	status, want := tw.direct.serve(method, target, rev, body)
	tries := 1
	if method == http.MethodGet {
		tries = 2
	}
	for i := 0; i < tries; i++ {
		got, b := tw.cached.serve(method, target, rev, body)
		same := bytes.Equal(b, want)
		if !same && status >= 400 {
			same = bytes.Equal(errorIDs.ReplaceAll(b, nil), errorIDs.ReplaceAll(want, nil))
		}
		if got != status || !same {
			t.Fatalf("%s %s (revision %s), answer %d: the cached emulator said %d\n%.800s\nthe uncached one %d\n%.800s",
				method, target, rev, i+1, got, b, status, want)
		}
	}
	return status, want
}

// advance moves both clocks.
func (tw *handlerTwin) advance(d time.Duration) {
	tw.cached.clock.Advance(d)
	tw.direct.clock.Advance(d)
}

// account is the direct twin's account, where ids are picked from.
func (tw *handlerTwin) account(t *testing.T) *store.Account {
	t.Helper()
	a, err := tw.direct.store.Account(testKey)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// idsByType returns the ids of the catalog entities an answer shows (in
// data and included), by type, so later operations can change what a read
// showed.
func idsByType(body []byte) map[string][]string {
	var doc struct {
		Data     json.RawMessage   `json:"data"`
		Included []json.RawMessage `json:"included"`
	}
	if json.Unmarshal(body, &doc) != nil {
		return nil
	}
	var list []json.RawMessage
	if json.Unmarshal(doc.Data, &list) != nil {
		list = []json.RawMessage{doc.Data}
	}
	out := map[string][]string{}
	for _, raw := range append(list, doc.Included...) {
		var o struct {
			Type, ID string
		}
		if json.Unmarshal(raw, &o) == nil && strings.HasPrefix(o.ID, store.IDPrefix) {
			out[o.Type] = append(out[o.Type], o.ID)
		}
	}
	return out
}
