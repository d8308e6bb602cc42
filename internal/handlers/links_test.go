package handlers

import (
	"net/http/httptest"
	"testing"
)

// A document's self link is the base, the escaped path and the query as
// sent, made as one string (not the path's string, then the query's): every poll of a job writes one.
func TestSelfURL_IsThePathAndQueryAsSentInOneString(t *testing.T) {
	const base = "http://127.0.0.1:8080"
	for _, tc := range []struct{ target, want string }{
		{"/api/catalog-item-bulk-create-jobs/01J?include=items", base + "/api/catalog-item-bulk-create-jobs/01J?include=items"},
		{"/api/catalog-items", base + "/api/catalog-items"},
		{"/api/catalog-items/%24custom%3A%3A%3A%24default%3A%3A%3AA%20B?fields%5Bcatalog-item%5D=title",
			base + "/api/catalog-items/%24custom%3A%3A%3A%24default%3A%3A%3AA%20B?fields%5Bcatalog-item%5D=title"},
	} {
		r := httptest.NewRequest("GET", tc.target, nil)
		if got := selfURL(base, r); got != tc.want {
			t.Errorf("selfURL(%s) = %q, want %q", tc.target, got, tc.want)
		}
		// EscapedPath checks a raw path by unescaping it (an allocation
		// of its own); the link is one more.
		esc := testing.AllocsPerRun(100, func() { _ = r.URL.EscapedPath() })
		if n := testing.AllocsPerRun(100, func() { _ = selfURL(base, r) }); n > esc+1 {
			t.Errorf("selfURL(%s) allocates %v times, want %v (the link, besides EscapedPath's %v)", tc.target, n, esc+1, esc)
		}
	}
}
