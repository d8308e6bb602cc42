package handlers

import (
	"fmt"
	"net/url"
	"testing"
)

// TestCache_ACategoryChangedTwiceInOneInstantShowsItsItems: a category's
// items change twice at the same instant of the clock (two relationship
// writes on a frozen clock, or within one microsecond). Its updated moves
// only once, yet every read that carries its items' identifiers (revisions
// before 2023-12-15 write them in relationships) must show both changes,
// byte for byte what the uncached emulator writes.
func TestCache_ACategoryChangedTwiceInOneInstantShowsItsItems(t *testing.T) {
	tw := newTwin(t)
	a, _ := tw.direct.store.Account(testKey)
	cat := entityIDs(t, a, categoryKind)[0]
	var items []string
	for n := 1; n <= 2; n++ {
		ext := fmt.Sprint("TOUCH-", n)
		tw.do("POST", "/api/catalog-items", "2026-07-15", fmt.Appendf(nil, `{"data":{"type":"catalog-item","attributes":`+
			`{"external_id":%q,"title":"t","description":"d","url":"https://x.example/%d"}}}`, ext, n))
		items = append(items, ext)
	}
	reads := []string{
		"/api/catalog-categories/" + url.PathEscape(cat),
		"/api/catalog-categories",
		"/api/catalog-items/$custom:::$default:::TOUCH-1/categories",
	}
	for _, rev := range []string{"2022-10-17", "2023-07-15"} {
		for _, path := range reads {
			tw.do("GET", path, rev, nil)
		}
	}
	for _, ext := range items {
		tw.do("POST", "/api/catalog-categories/"+url.PathEscape(cat)+"/relationships/items", "2026-07-15",
			fmt.Appendf(nil, `{"data":[{"type":"catalog-item","id":"$custom:::$default:::%s"}]}`, ext))
		for _, rev := range []string{"2022-10-17", "2023-07-15"} {
			for _, path := range reads {
				tw.do("GET", path, rev, nil)
			}
		}
	}
}
