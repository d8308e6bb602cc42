package handlers

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/faults"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// klaviyoLimits is the emulated limiter at Klaviyo's own numbers.
var klaviyoLimits = withRateLimits(limiter.Policy{})

// want429 asserts a faithful throttled response and returns its Retry-After.
func want429(t *testing.T, r *resp, rev string) int {
	t.Helper()
	er := wantError(t, r, 429, "throttled", nil)
	retry, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || retry < 1 {
		t.Fatalf("Retry-After %q", r.header.Get("Retry-After"))
	}
	unit := "seconds"
	if retry == 1 {
		unit = "second"
	}
	if want := "Request was throttled. Expected available in " + strconv.Itoa(retry) + " " + unit + "."; er["detail"] != want {
		t.Fatalf("detail %q, want %q", er["detail"], want)
	}
	for _, h := range []string{"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} {
		if r.header.Get(h) != "" {
			t.Fatalf("429 carries %s", h)
		}
	}
	validate(t, r, rev)
	return retry
}

func TestRateLimit_BurstLimitPlusOneIsThrottledUntilTheNextSecond(t *testing.T) {
	e := newEnv(t, klaviyoLimits)
	e.clock.Set(testNow.Add(300 * time.Millisecond))
	for i := 1; i <= 75; i++ {
		r := e.get(listPath, "revision: 2026-04-15")
		if r.status != 200 {
			t.Fatalf("request %d: %d", i, r.status)
		}
		// The burst window is the closer to exhaustion: its remaining and
		// its reset (0 whole seconds left) are the ones sent.
		if r.header.Get("RateLimit-Limit") != "75, 75;w=1, 750;w=60" || r.header.Get("RateLimit-Remaining") != strconv.Itoa(75-i) ||
			r.header.Get("RateLimit-Reset") != "0" {
			t.Fatalf("request %d headers: %v", i, r.header)
		}
	}
	if retry := want429(t, e.get(listPath, "revision: 2026-04-15"), "2026-04-15"); retry != 1 {
		t.Fatalf("Retry-After %d in the burst window, want 1", retry)
	}
	e.clock.Set(testNow.Add(time.Second))
	// A new second: now the steady window (674 of 750 left) binds.
	if r := e.get(listPath, "revision: 2026-04-15"); r.status != 200 || r.header.Get("RateLimit-Remaining") != "674" ||
		r.header.Get("RateLimit-Limit") != "750, 75;w=1, 750;w=60" || r.header.Get("RateLimit-Reset") != "59" {
		t.Fatalf("after the boundary: %d remaining %s", r.status, r.header.Get("RateLimit-Remaining"))
	}
}

func TestRateLimit_SteadyLimitBitesAcrossSeconds(t *testing.T) {
	e := newEnv(t, withRateLimits(limiter.Policy{Scale: 0.01})) // list at 2026-04-15: 1/s, 8/min
	for i := 0; i < 8; i++ {
		e.clock.Set(testNow.Add(time.Duration(i) * time.Second))
		if r := e.get(listPath, "revision: 2026-04-15"); r.status != 200 {
			t.Fatalf("second %d: %d", i, r.status)
		}
	}
	e.clock.Set(testNow.Add(8*time.Second + 500*time.Millisecond))
	if retry := want429(t, e.get(listPath, "revision: 2026-04-15"), "2026-04-15"); retry != 52 {
		t.Fatalf("Retry-After %d, want the 52 s left of the minute", retry)
	}
}

func TestRateLimit_LimitsDifferByRevisionAndOperation(t *testing.T) {
	e := newEnv(t, withRateLimits(limiter.Policy{Scale: 0.01}))
	// 2026-01-15: list 350/s -> 4/s; 2026-04-15: 75/s -> 1/s. Counters are per
	// account and operation, shared across revisions.
	for i := 0; i < 4; i++ {
		if r := e.get(listPath, "revision: 2026-01-15"); r.status != 200 || r.header.Get("RateLimit-Limit") != "4, 4;w=1, 35;w=60" {
			t.Fatalf("2026-01-15 request %d: %d limit %s", i, r.status, r.header.Get("RateLimit-Limit"))
		}
	}
	want429(t, e.get(listPath, "revision: 2026-01-15"), "2026-01-15")
	want429(t, e.get(listPath, "revision: 2026-04-15"), "2026-04-15")
	// GET one has its own counter.
	a, _ := e.store.Account(testKey)
	jobs, _ := snapshot(t, a)
	if r := e.get(listPath+"/"+jobs[0].ID, "revision: 2026-04-15"); r.status != 200 || r.header.Get("RateLimit-Limit") != "1, 1;w=1, 8;w=60" {
		t.Fatalf("get one: %d limit %s", r.status, r.header.Get("RateLimit-Limit"))
	}
}

func TestRateLimit_AccountsNeverShareCounters(t *testing.T) {
	e := newEnv(t, withRateLimits(limiter.Policy{Burst: 1, Steady: 100}))
	if r := e.get(listPath); r.status != 200 {
		t.Fatal(r.status)
	}
	want429(t, e.get(listPath), "2026-07-15")
	if r := e.get(listPath, "Authorization: Klaviyo-API-Key pk_other"); r.status != 200 {
		t.Fatalf("another key throttled: %d", r.status)
	}
	if r := e.get(listPath, "Authorization: Bearer tok"); r.status != 200 {
		t.Fatalf("a token throttled: %d", r.status)
	}
}

func TestRateLimit_HeadersOnlyOnRequestsThatReachedTheLimiter(t *testing.T) {
	e := newEnv(t, klaviyoLimits)
	with := []*resp{
		e.get(listPath),                                 // 200
		e.get(listPath + "?filter=bad"),                 // 400 from the operation
		e.get(listPath + "/01ZZZZZZZZZZZZZZZZZZZZZZZZ"), // 404 unknown job
		e.get(listPath, "Prefer: code=503"),             // simulated 5xx: reached the account
		e.get(listPath, "Prefer: code=404"),             // a Prefer it cannot simulate
	}
	for _, r := range with {
		if r.header.Get("RateLimit-Limit") == "" || r.header.Get("RateLimit-Remaining") == "" || r.header.Get("RateLimit-Reset") == "" {
			t.Errorf("%s %d lacks RateLimit-* headers", r.path, r.status)
		}
	}
	// Simulated answers are not counted: the list's remaining count moved
	// only for the two list requests the limiter admitted (the burst window
	// binds: 72 of 75 left).
	if got := e.get(listPath).header.Get("RateLimit-Remaining"); got != "72" {
		t.Errorf("RateLimit-Remaining after 3 admitted list requests = %s, want 72", got)
	}
	if r := e.get(listPath, "Prefer: code=429"); r.header.Get("RateLimit-Limit") != "" {
		t.Errorf("a simulated 429 carries RateLimit-* headers")
	}
	without := []*resp{
		e.get(listPath, "Authorization:"),      // 401
		e.get(listPath, "revision: nope"),      // 400 revision
		e.get("/api/unknown"),                  // 404 path
		e.req(http.MethodPatch, listPath, nil), // 405
	}
	for _, r := range without {
		if r.header.Get("RateLimit-Limit") != "" {
			t.Errorf("%s %d carries RateLimit-* headers", r.path, r.status)
		}
	}
}

func TestRateLimit_OffMeansNoLimitAndNoHeaders(t *testing.T) {
	e := newEnv(t, withRateLimits(limiter.Policy{Off: true, Burst: 1, Steady: 1}))
	for i := 0; i < 5; i++ {
		if r := e.get(listPath); r.status != 200 || r.header.Get("RateLimit-Limit") != "" {
			t.Fatalf("request %d: %d %v", i, r.status, r.header)
		}
	}
}

func TestRateLimit_429ShapeFollowsTheRevision(t *testing.T) {
	e := newEnv(t, withRateLimits(limiter.Policy{Burst: 1, Steady: 10}))
	e.get(listPath, "revision: 2023-02-22")
	old := e.get(listPath, "revision: 2023-02-22")
	want429(t, old, "2023-02-22")
	if !strings.Contains(string(old.body), `"source":{"pointer":"/data/"}}]}`) {
		t.Fatalf("2023 throttle body: %s", old.body)
	}
	e.clock.Set(testNow.Add(time.Second))
	e.get(listPath, "revision: 2024-10-15")
	modern := e.get(listPath, "revision: 2024-10-15")
	want429(t, modern, "2024-10-15")
	if !strings.Contains(string(modern.body), `"source":{"pointer":"/data"},"links":{"type":"https://developers.klaviyo.com/en/docs/rate_limits_and_error_handling#rate-limits"},"meta":{}`) {
		t.Fatalf("2024 throttle body: %s", modern.body)
	}
}

func TestRateLimit_ExactlyTheLimitUnderConcurrentHTTPClients(t *testing.T) {
	e := newEnv(t, klaviyoLimits)
	var ok, throttled atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				req, _ := http.NewRequest("GET", e.srv.URL+listPath+"?fields%5Bcatalog-item-bulk-update-job%5D=status", nil)
				req.Header.Set("revision", "2026-07-15")
				req.Header.Set("Authorization", "Klaviyo-API-Key "+testKey)
				res, err := e.srv.Client().Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				res.Body.Close()
				switch res.StatusCode {
				case 200:
					ok.Add(1)
				case 429:
					throttled.Add(1)
				default:
					t.Errorf("status %d", res.StatusCode)
				}
			}
		}()
	}
	wg.Wait()
	if ok.Load() != 75 || throttled.Load() != 325 {
		t.Fatalf("admitted %d, throttled %d of 400; want 75 and 325", ok.Load(), throttled.Load())
	}
}

// TestRateLimit_ClientHonouringRetryAfterSucceeds plays a client that, like
// Klaviyo's SDKs, waits Retry-After seconds on a 429 and retries; the
// waiting is done by advancing the server clock.
func TestRateLimit_ClientHonouringRetryAfterSucceeds(t *testing.T) {
	e := newEnv(t, withRateLimits(limiter.Policy{Scale: 0.01}))
	e.clock.Set(testNow.Add(400 * time.Millisecond))
	waited := 0
	for i := 0; i < 20; i++ {
		for attempt := 0; ; attempt++ {
			r := e.get(listPath, "revision: 2026-07-15")
			if r.status == 200 {
				break
			}
			retry := want429(t, r, "2026-07-15")
			if attempt > 3 {
				t.Fatalf("request %d still throttled after %d retries", i, attempt)
			}
			waited += retry
			e.clock.Advance(time.Duration(retry) * time.Second)
		}
	}
	if waited == 0 {
		t.Fatal("never throttled: the test proves nothing")
	}
}

func TestFaults_PreferSimulatesAFaithful429AndServerErrors(t *testing.T) {
	e := newEnv(t, withRateLimits(limiter.Policy{Burst: 1, Steady: 100}))
	simulatedR := e.get(listPath, "Prefer: code=429")
	want429(t, simulatedR, "2026-07-15")
	e.get(listPath) // uses the one admitted request: simulated ones are not counted
	realR := e.get(listPath)
	want429(t, realR, "2026-07-15")
	idRe := regexp.MustCompile(`"id":"[^"]+"`)
	if idRe.ReplaceAllString(string(simulatedR.body), "") != idRe.ReplaceAllString(string(realR.body), "") ||
		simulatedR.header.Get("Retry-After") != realR.header.Get("Retry-After") {
		t.Fatalf("simulated and real 429 differ:\n%s\n%s", simulatedR.body, realR.body)
	}
	for _, code := range []int{500, 502, 503, 504} {
		r := e.get(listPath, "Prefer: code="+strconv.Itoa(code))
		wantCode := "error"
		if code == 503 {
			wantCode = "service_unavailable"
		}
		er := wantError(t, r, code, wantCode, nil)
		if er["title"] == "" {
			t.Fatal("no title")
		}
		validate(t, r, "2026-07-15")
	}
	bad := e.get(listPath, "Prefer: code=404")
	wantError(t, bad, 400, "invalid", map[string]any{"parameter": "Prefer"})
}

func TestFaults_ThrottleNextNRequestsOfOneAccount(t *testing.T) {
	e := newEnv(t)
	if _, err := e.h.opts.Faults.Add(faults.Rule{Match: faults.Match{Account: testKey}, Effect: faults.Effect{Status: 429, RetryAfter: 7}, Count: 3}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if retry := want429(t, e.get(listPath), "2026-07-15"); retry != 7 {
			t.Fatalf("Retry-After %d, want 7", retry)
		}
		if r := e.get(listPath, "Authorization: Klaviyo-API-Key pk_other"); r.status != 200 {
			t.Fatalf("another account hit: %d", r.status)
		}
	}
	if r := e.get(listPath); r.status != 200 {
		t.Fatalf("4th request: %d", r.status)
	}
}

func TestFaults_ThrottleProbabilityIsDeterministicUnderTheSeed(t *testing.T) {
	run := func() string {
		e := newEnv(t, func(o *Options, _ *store.Options) { o.Faults = faults.New(o.Seed, 0.25) })
		var b strings.Builder
		for i := 0; i < 60; i++ {
			r := e.get(listPath + "?fields%5Bcatalog-item-bulk-update-job%5D=status")
			if r.status == 429 {
				want429(t, r, "2026-07-15")
			}
			b.WriteString(strconv.Itoa(r.status / 100))
		}
		return b.String()
	}
	a, b := run(), run()
	if a != b || !strings.Contains(a, "4") || !strings.Contains(a, "2") {
		t.Fatalf("sequences %s / %s", a, b)
	}
}

func TestFaults_DropClosesTheConnection(t *testing.T) {
	e := newEnv(t)
	e.h.opts.Faults.Add(faults.Rule{Effect: faults.Effect{Drop: true}, Count: 1})
	req, _ := http.NewRequest("GET", e.srv.URL+listPath, nil)
	req.Header.Set("revision", "2026-07-15")
	req.Header.Set("Authorization", "Klaviyo-API-Key "+testKey)
	if res, err := e.srv.Client().Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("dropped request answered %d", res.StatusCode)
	}
	if r := e.get(listPath); r.status != 200 {
		t.Fatalf("next request: %d", r.status)
	}
}

func TestAllow_OnEveryAnswerOfAnAPIRoute(t *testing.T) {
	e := newEnv(t, withRateLimits(limiter.Policy{Burst: 1, Steady: 100}))
	coll := "GET, POST, HEAD, OPTIONS"
	for _, r := range []*resp{
		e.get(listPath),                       // 200
		e.get(listPath),                       // 429 from the limiter (observed with Allow)
		e.get(listPath+"/", "Authorization:"), // 401
		e.req(http.MethodOptions, listPath, nil),
		e.req(http.MethodPut, listPath, nil), // 405
	} {
		if got := r.header.Get("Allow"); got != coll {
			t.Errorf("%s %s %d: Allow %q, want %q", r.method, r.path, r.status, got, coll)
		}
	}
	if r := e.get(listPath); r.status != 429 {
		t.Fatalf("second list in the burst second: %d", r.status)
	}
	if got := e.get(listPath + "/01ZZZZZZZZZZZZZZZZZZZZZZZZ").header.Get("Allow"); got != "GET, HEAD, OPTIONS" {
		t.Errorf("one-job route Allow %q", got)
	}
}

// TestRateLimit_HeaderValuesAreIndependent: the three rate-limit values
// are cut from one string and their slices from one array; a middleware
// appending to one header (Header.Add) must leave the others as they were.
func TestRateLimit_HeaderValuesAreIndependent(t *testing.T) {
	hd := http.Header{}
	setLimitHeaders(hd, limiter.Decision{Allowed: true,
		Burst:  limiter.Window{Limit: 350, Remaining: 349, Reset: 1},
		Steady: limiter.Window{Limit: 3500, Remaining: 3499, Reset: 60}})
	want := map[string]string{"Ratelimit-Limit": "350, 350;w=1, 3500;w=60", "Ratelimit-Remaining": "349", "Ratelimit-Reset": "1"}
	for k, v := range want {
		if got := hd.Values(k); len(got) != 1 || got[0] != v {
			t.Fatalf("%s: %q, want %q", k, got, v)
		}
	}
	hd.Add("Ratelimit-Limit", "x")
	hd.Add("Ratelimit-Remaining", "y")
	if got := hd.Values("Ratelimit-Remaining"); len(got) != 2 || got[0] != "349" {
		t.Fatalf("Ratelimit-Remaining after adding to Ratelimit-Limit: %q", got)
	}
	if got := hd.Values("Ratelimit-Reset"); len(got) != 1 || got[0] != "1" {
		t.Fatalf("Ratelimit-Reset after adding to the others: %q", got)
	}
}

// Every admitted answer sets the three rate-limit headers: their text was
// one string and their slices one array, two allocations an answer. Both
// are now one value. Each answer's values are its own: a later answer's
// leave an earlier one's as they were.
func TestRateLimit_HeadersAreOneAllocation(t *testing.T) {
	small := limiter.Decision{Allowed: true, Burst: limiter.Window{Limit: 350, Remaining: 349, Reset: 1},
		Steady: limiter.Window{Limit: 3500, Remaining: 3499, Reset: 60}}
	large := limiter.Decision{Allowed: true, Burst: limiter.Window{Limit: 1 << 30, Remaining: 1<<30 - 1, Reset: 1},
		Steady: limiter.Window{Limit: 1 << 30, Remaining: 1<<30 - 1, Reset: 60}}
	for _, d := range []limiter.Decision{small, large} {
		hd := http.Header{}
		if n := testing.AllocsPerRun(100, func() { setLimitHeaders(hd, d) }); n != 1 {
			t.Errorf("%d: %.0f allocations, want 1", d.Burst.Limit, n)
		}
	}
	first, second := http.Header{}, http.Header{}
	setLimitHeaders(first, small)
	setLimitHeaders(second, large)
	want := map[string]string{"Ratelimit-Limit": "350, 350;w=1, 3500;w=60", "Ratelimit-Remaining": "349", "Ratelimit-Reset": "1"}
	for k, v := range want {
		if got := first.Values(k); len(got) != 1 || got[0] != v {
			t.Errorf("%s after a later answer: %q, want %q", k, got, v)
		}
	}
	if got := second.Get("Ratelimit-Limit"); got != "1073741824, 1073741824;w=1, 1073741824;w=60" {
		t.Errorf("the large limit: %q", got)
	}
}
