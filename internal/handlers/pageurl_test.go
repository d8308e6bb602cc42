package handlers

import (
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/query"
)

// pageURLJoined is pageURL as it was written before: the link in a byte
// slice, then copied into a string.
func pageURLJoined(base, path string, params query.Params, cursor string) string {
	b := append([]byte(base), path...)
	b = append(b, '?')
	n := len(b)
	b = params.Encode(b, query.ParamCursor)
	if len(b) > n {
		b = append(b, '&')
	}
	b = append(b, "page%5Bcursor%5D="...)
	b = append(b, url.QueryEscape(cursor)...)
	return string(b)
}

// A list's next and prev links were written into a byte slice and then
// copied into a string: two allocations each. They are written once, into
// the string's own buffer, the same bytes.
func TestPageURL_IsTheLinkWrittenOnce(t *testing.T) {
	for _, target := range []string{
		"/api/catalog-items",
		"/api/catalog-items/?page%5Bcursor%5D=abc",
		"/api/catalog-items?fields%5Bcatalog-item%5D=title,price&filter=equals(published,true)&page[size]=5&page[cursor]=x",
		"/api/catalog-categories/$custom:::$default:::C%20D/items?sort=-created&include=variants",
	} {
		r := httptest.NewRequest("GET", target, nil)
		params, perr := query.Parse(r.URL.RawQuery)
		if perr != nil {
			t.Fatal(target, perr)
		}
		for _, cursor := range []string{"WzE3MDAwMDAwMDAsIkEiXQ", "a b/c+d=e&f", ""} {
			got := pageURL("http://h.example", &call{r: r}, params, cursor)
			if want := pageURLJoined("http://h.example", r.URL.EscapedPath(), params, cursor); got != want {
				t.Errorf("%s cursor %q:\n got  %s\n want %s", target, cursor, got, want)
			}
		}
	}
	// (a parameter whose key or value must be escaped costs its escape
	// besides: url.QueryEscape's)
	r := httptest.NewRequest("GET", "/api/catalog-items?include=variants&page%5Bcursor%5D=abc", nil)
	params, perr := query.Parse(r.URL.RawQuery)
	if perr != nil {
		t.Fatal(perr)
	}
	var link string
	c := &call{r: r}
	if n := testing.AllocsPerRun(20, func() { link = pageURL("http://h.example", c, params, "WzE3MDAwMDAwMDAsIkEiXQ") }); n > 1 {
		t.Fatalf("a next link allocates %.0f times, want 1 (%s)", n, link)
	}
}
