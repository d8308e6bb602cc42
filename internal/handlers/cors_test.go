package handlers

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

// TestCORS_AnswersWithoutAnOriginVaryByOrigin pins what go-chi/cors adds
// to an /api answer to a request without an Origin (no browser's): Vary:
// Origin, once, and no other CORS header, on reads, errors and writes;
// with an Origin, the CORS headers too.
func TestCORS_AnswersWithoutAnOriginVaryByOrigin(t *testing.T) {
	e := newEnv(t)
	for _, r := range []*resp{
		e.get(listPath),
		e.get(listPath, "Authorization: Bearer"),
		e.req(http.MethodPost, listPath, strings.NewReader("{}"), "Content-Type: application/vnd.api+json"),
		e.req(http.MethodOptions, listPath, nil),
		e.get("/api/no-such-path"),
	} {
		if got := r.header.Values("Vary"); !reflect.DeepEqual(got, []string{"Origin"}) {
			t.Fatalf("%s %s (%d): Vary %q", r.method, r.path, r.status, got)
		}
		for k := range r.header {
			if strings.HasPrefix(k, "Access-Control-") {
				t.Fatalf("%s %s: %s without an Origin", r.method, r.path, k)
			}
		}
	}
	r := e.get(listPath, "Origin: http://localhost:5173")
	if r.header.Get("Access-Control-Allow-Origin") != "*" || !reflect.DeepEqual(r.header.Values("Vary"), []string{"Origin"}) {
		t.Fatalf("with an Origin: %v", r.header)
	}
}

// TestCORS_VaryIsNotMadePerAnswer checks that answers to requests without
// an Origin share one Vary value instead of each appending its own.
func TestCORS_VaryIsNotMadePerAnswer(t *testing.T) {
	e := newEnv(t)
	var vary [2]*string
	for i := range vary {
		r := httptest.NewRequest(http.MethodGet, listPath, nil)
		r.Header.Set("revision", "2026-07-15")
		r.Header.Set("Authorization", "Klaviyo-API-Key "+testKey)
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, r)
		if vs := w.Header()["Vary"]; w.Code != http.StatusOK || len(vs) != 1 {
			t.Fatalf("status %d, Vary %q", w.Code, vs)
		}
		vary[i] = &w.Header()["Vary"][0]
	}
	if vary[0] != vary[1] {
		t.Fatal("each answer makes its own Vary value")
	}
}
