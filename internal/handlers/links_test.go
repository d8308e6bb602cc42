package handlers

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A document's self link is the base, the escaped path and the query as
// sent, in parts that join into that URL; nothing is made for it but what
// EscapedPath makes (every poll of a job writes one).
func TestSelfAt_IsThePathAndQueryAsSent(t *testing.T) {
	const base = "http://127.0.0.1:8080"
	for _, tc := range []struct{ target, want string }{
		{"/api/catalog-item-bulk-create-jobs/01J?include=items", base + "/api/catalog-item-bulk-create-jobs/01J?include=items"},
		{"/api/catalog-items", base + "/api/catalog-items"},
		{"/api/catalog-items/", base + "/api/catalog-items/"},
		{"/api/catalog-items/%24custom%3A%3A%3A%24default%3A%3A%3AA%20B?fields%5Bcatalog-item%5D=title",
			base + "/api/catalog-items/%24custom%3A%3A%3A%24default%3A%3A%3AA%20B?fields%5Bcatalog-item%5D=title"},
	} {
		r := httptest.NewRequest("GET", tc.target, nil)
		c := &call{r: r}
		if self := selfAt(base, c); strings.Join(self[:], "") != tc.want {
			t.Errorf("selfAt(%s) = %q, want parts of %q", tc.target, self, tc.want)
		}
		// EscapedPath checks a raw path by unescaping it (an allocation
		// of its own); the link is none.
		esc := testing.AllocsPerRun(100, func() { _ = r.URL.EscapedPath() })
		if n := testing.AllocsPerRun(100, func() { _ = selfAt(base, c) }); n > esc {
			t.Errorf("selfAt(%s) allocates %v times, want %v (EscapedPath's)", tc.target, n, esc)
		}
	}
}

// selfURL is the self link made as one string, as the handlers made it
// before writing it in parts: the oracle documents are compared with.
func selfURL(base string, r *http.Request) string {
	if r.URL.RawQuery == "" {
		return base + r.URL.EscapedPath()
	}
	return base + r.URL.EscapedPath() + "?" + r.URL.RawQuery
}
