package handlers

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/httpx"
	"github.com/klaviyo-mock/mockserver/internal/secret"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

func TestCORS_PreflightAndExposedHeaders(t *testing.T) {
	e := newEnv(t)
	pre := e.req(http.MethodOptions, listPath, nil, "Origin: http://localhost:5173",
		"Access-Control-Request-Method: POST", "Access-Control-Request-Headers: authorization, revision, prefer, content-type")
	if pre.status >= 300 || pre.header.Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(strings.ToLower(pre.header.Get("Access-Control-Allow-Headers")), "revision") {
		t.Fatalf("preflight %d %v", pre.status, pre.header)
	}
	r := e.get(listPath, "Origin: http://localhost:5173")
	if r.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("no Allow-Origin on a simple request: %v", r.header)
	}
	exposed := strings.ToLower(r.header.Get("Access-Control-Expose-Headers"))
	for _, h := range []string{"ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "retry-after"} {
		if !strings.Contains(exposed, h) {
			t.Errorf("%s not exposed: %q", h, exposed)
		}
	}
}

func TestCORS_OriginsAreConfigurable(t *testing.T) {
	e := newEnv(t, func(o *Options, _ *store.Options) { o.CORSOrigins = []string{"http://app.test"} })
	if r := e.get(listPath, "Origin: http://app.test"); r.header.Get("Access-Control-Allow-Origin") != "http://app.test" {
		t.Fatalf("allowed origin: %v", r.header)
	}
	if r := e.get(listPath, "Origin: http://evil.test"); r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("other origin allowed: %v", r.header)
	}
}

func TestLimits_OversizedHeadersAreAKlaviyoShaped431(t *testing.T) {
	e := newEnv(t, func(o *Options, _ *store.Options) { o.MaxHeaderBytes = 4096 })
	r := e.get(listPath, "X-Big: "+strings.Repeat("a", 5000))
	wantError(t, r, 431, "request_header_too_large", nil)
}

func TestLimits_BodyAboveTheServerCapIsAKlaviyoShaped413(t *testing.T) {
	e := newEnv(t, func(o *Options, _ *store.Options) { o.MaxBodyBytes = 1 << 20 })
	r := e.req(http.MethodPost, listPath, bytes.NewReader(bytes.Repeat([]byte("x"), 2<<20)),
		"Content-Type: application/vnd.api+json")
	wantError(t, r, 413, "request_too_large", nil)
}

func TestGet_WithABodyIsRefused(t *testing.T) {
	e := newEnv(t)
	r := e.req(http.MethodGet, listPath, strings.NewReader(`{"x":1}`))
	wantError(t, r, 400, "invalid", map[string]any{"pointer": "/data"})
}

func TestCreate_CustomMetadataKeepsOrderAndCharacters(t *testing.T) {
	e := newEnv(t, withLifecycle(store.Lifecycle{Mode: store.Immediate}))
	id := e.itemIDs(testKey, 1)[0]
	body := `{"data":{"type":"catalog-item-bulk-update-job","attributes":{"items":{"data":[{"type":"catalog-item","id":"` + id +
		`","attributes":{"custom_metadata":{"z":"\u003cb\u003e","a":[1,2.50],"m":{"é":true}}}}]}}}}`
	r := e.post("2026-07-15", []byte(body))
	if r.status != 202 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	got := e.get(listPath + "/" + createdID(t, r) + "?include=items&fields%5Bcatalog-item%5D=custom_metadata")
	if !strings.Contains(string(got.body), `"custom_metadata":{"z":"<b>","a":[1,2.50],"m":{"é":true}}`) {
		t.Fatalf("custom_metadata not kept as sent: %s", got.body)
	}
}

func TestJournal_RecordsAPIRequestsWithBodyAndFault(t *testing.T) {
	e := newEnv(t)
	e.h.Admin().ThrottleNext(testKey, 1, 2)
	e.get(listPath)
	e.post("2026-07-15", []byte(`{"data":`))
	entries := e.h.opts.Journal.List(journalFilterAll)
	if len(entries) != 2 {
		t.Fatalf("%d entries", len(entries))
	}
	if entries[0].Status != 429 || entries[0].Fault == "" || entries[0].Account != secret.Fingerprint(testKey) {
		t.Fatalf("throttled entry %+v", entries[0])
	}
	if entries[1].Body != `{"data":` || entries[1].Status != 400 || entries[1].Operation != "bulk_update_catalog_items" || !entries[1].Time.Equal(testNow) {
		t.Fatalf("POST entry %+v", entries[1])
	}
}

func TestLinks_RequestWithoutHostUsesTheLocalAddress(t *testing.T) {
	e := newEnv(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.0\r\nrevision: 2026-07-15\r\nAuthorization: Klaviyo-API-Key %s\r\n\r\n", listPath, testKey)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || !strings.Contains(string(body), `"self":"`+e.srv.URL+listPath) {
		t.Fatalf("%d %.300s", res.StatusCode, body)
	}
}

func TestRevision_TwoHeadersAreMalformed(t *testing.T) {
	e := newEnv(t)
	req, _ := http.NewRequest("GET", e.srv.URL+listPath, nil)
	req.Header.Add("revision", "2022-10-17")
	req.Header.Add("revision", "2026-07-15")
	req.Header.Set("Authorization", "Klaviyo-API-Key "+testKey)
	res, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	wantError(t, &resp{status: res.StatusCode, header: res.Header, body: body}, 400, "invalid", map[string]any{"parameter": "revision"})
}

func TestListJobs_BracketedFilterIsRefusedNotIgnored(t *testing.T) {
	e := newEnv(t)
	r := e.get(listPath + "?filter%5Bstatus%5D=queued")
	er := wantError(t, r, 400, "invalid", map[string]any{"parameter": "filter[status]"})
	if !strings.Contains(er["detail"].(string), "filter=equals(status,'queued')") {
		t.Fatalf("detail %q does not show the right form", er["detail"])
	}
}

// A body waiting for room in the body allowance does not hold up a
// shutdown: the server's drain ends the wait with the usual 429.
func TestLimits_ABodyWaitingForRoomEndsWhenTheServerStops(t *testing.T) {
	e := newEnv(t, withLifecycle(store.Lifecycle{Mode: store.Immediate}))
	id := e.itemIDs(testKey, 1)[0]
	body := []byte(`{"data":{"type":"catalog-item-bulk-update-job","attributes":{"items":{"data":[{"type":"catalog-item","id":"` + id +
		`","attributes":{"title":"t"}}]}}}}`)
	if r := e.post("2026-07-15", body); r.status != 202 {
		t.Fatalf("with room: %d %s", r.status, r.body)
	}
	hold := e.h.body.Open() // every byte of the allowance in use, by a request not waiting
	if got, err := hold.Take(e.h.body.Total(), e.h.body.Total(), 0, nil); err != nil || got != e.h.body.Total() {
		t.Fatalf("the allowance is not free: %d %v", got, err)
	}
	done := make(chan *resp, 1)
	go func() { done <- e.post("2026-07-15", body) }()
	e.h.Stop()
	select {
	case r := <-done:
		wantError(t, r, 429, "throttled", nil)
	case <-time.After(httpx.AdmissionWait / 2):
		t.Fatal("the waiting body held up the shutdown")
	}
}
