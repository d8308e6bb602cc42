package handlers

import (
	"net/http/httptest"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/resource"
)

// TestParseQuery_KeepsTheParsedRequestOnTheStack counts what reading a
// valid query string allocates: the parameters' list (query.Parse) and
// nothing for the parsed request itself, which parseQuery returns by
// value (it went to the heap when the parameter reader held a pointer to
// it beside strings that error details send to the heap).
func TestParseQuery_KeepsTheParsedRequestOnTheStack(t *testing.T) {
	reg := resource.Default()
	items, ok := reg.Named("catalog-items")
	if !ok {
		t.Fatal("no catalog-items resource")
	}
	p := reg.Revisions().Newest()
	ep := resource.Endpoint{Res: items, Op: resource.OpList}
	c := &call{r: httptest.NewRequest("GET", "/api/catalog-items?page%5Bsize%5D=5&sort=-created", nil),
		res: items, ep: ep, p: p}
	revs := reg.Revisions().All()
	q, errs := parseQuery(c, revs)
	if len(errs) != 0 || q.size != 5 || !q.desc {
		t.Fatalf("parsed %+v, errors %v", q, errs)
	}
	// query.Parse's list, and the key it unescapes.
	const want = 2
	if n := testing.AllocsPerRun(100, func() { _, _ = parseQuery(c, revs) }); n > want {
		t.Errorf("%v allocations to read a valid query, want at most %d", n, want)
	}
}
