package handlers

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func TestRequestURILen_IsTheLengthOfRequestURI(t *testing.T) {
	for _, raw := range []string{
		"http://h/api/catalog-items", "http://h/api/catalog-items?page%5Bsize%5D=2", "http://h", "http://h?", "http://h/?x=1",
		"http://h/api/catalog-items/a%2Fb/variants?include=variants", "http://h/api/caf\u00e9?q=%C3%A9", "http://h/a%20b?",
		"mailto:someone@example.com", "http:opaque?q=1", "*",
	} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := requestURILen(u, escapedPath(u)), len(u.RequestURI()); got != want {
			t.Errorf("%s: requestURILen = %d, len(RequestURI()) = %d", raw, got, want)
		}
	}
	u := &url.URL{Opaque: "//h/p", Scheme: "http", RawQuery: "q=1"}
	if got, want := requestURILen(u, escapedPath(u)), len(u.RequestURI()); got != want {
		t.Errorf("%#v: requestURILen = %d, len(RequestURI()) = %d", u, got, want)
	}
}

func TestCheckLimits_AQueryStringAllocatesNothing(t *testing.T) {
	h, _ := cachedReadHandler(t)
	r := httptest.NewRequest(http.MethodGet, "/api/catalog-items?filter=equals(published,true)&page%5Bsize%5D=2", nil)
	r.Header.Set("Authorization", "Klaviyo-API-Key "+testKey)
	if n := testing.AllocsPerRun(100, func() {
		var hd requestHeaders
		hd.see(r.Header)
		if aerr := h.checkLimits(r, hd.size, escapedPath(r.URL)); aerr != nil {
			t.Fatal(aerr)
		}
	}); n != 0 {
		t.Fatalf("%.0f allocations per request, want 0", n)
	}
}
