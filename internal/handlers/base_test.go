package handlers

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Every entity write and list joined the scheme and the Host header into
// the base URL of its links anew: an allocation a request, the same
// string each time. The last base made is kept and given again to a
// request of the same scheme and host; another host gets its own.
func TestBase_ARequestOfTheLastHostAllocatesNothing(t *testing.T) {
	h := flowHandler()
	request := func(host string, secure bool) *http.Request {
		r := httptest.NewRequest("GET", "/api/catalog-items", nil)
		r.Host = host
		if secure {
			r.TLS = &tls.ConnectionState{}
		}
		return r
	}
	r := request("shop.example:8080", false)
	if got := h.base(r); got != "http://shop.example:8080" {
		t.Fatalf("base %q", got)
	}
	var kept string // the base outlives the call, as a renderer's does
	if n := testing.AllocsPerRun(20, func() { kept = h.base(r) }); n != 0 || kept != "http://shop.example:8080" {
		t.Fatalf("the base of the last host allocates %.0f times, want 0", n)
	}
	// Each row follows the one before it: the memo holds the last base
	// made, so a row that differs from it in the scheme alone, or in the
	// host alone (of the same length), would be answered the last row's
	// base by a memo that compared less than both.
	for i, c := range []struct {
		host   string
		secure bool
		want   string
	}{
		{"other.example", false, "http://other.example"},
		{"other.example", true, "https://other.example"},
		{"other.example", false, "http://other.example"},
		{"otter.example", false, "http://otter.example"},
		{"other.example", false, "http://other.example"},
		{"other.example", false, "http://other.example"},
		{"shop.example:8080", true, "https://shop.example:8080"},
		{"shop.example:8081", true, "https://shop.example:8081"},
		{"shop.example:8080", false, "http://shop.example:8080"},
	} {
		if got := h.base(request(c.host, c.secure)); got != c.want {
			t.Errorf("row %d: base of %s (TLS %v): %q, want %q", i, c.host, c.secure, got, c.want)
		}
	}
}
