package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
)

// hintOf returns meta.hint of r's first error, and whether the error
// object has a meta member at all.
func hintOf(t *testing.T, r *resp) (string, bool) {
	t.Helper()
	obj := r.doc(t)["errors"].([]any)[0].(map[string]any)
	meta, ok := obj["meta"].(map[string]any)
	if !ok {
		return "", false
	}
	h, _ := meta["hint"].(string)
	return h, true
}

// detailOf returns the detail of r's first error.
func detailOf(t *testing.T, r *resp) string {
	t.Helper()
	return r.doc(t)["errors"].([]any)[0].(map[string]any)["detail"].(string)
}

// loggedHint returns the hint logged at info level with r's request id.
func loggedHint(t *testing.T, log *logBuffer, r *resp) string {
	t.Helper()
	id := r.header.Get("X-Klaviyo-Req-Id")
	m := regexp.MustCompile(`level=INFO msg="client error" request_id=` + regexp.QuoteMeta(id) + ` .*hint="((?:[^"\\]|\\.)*)"`).
		FindStringSubmatch(log.String())
	if id == "" || m == nil {
		t.Fatalf("%s %s: no hint logged with request id %q:\n%s", r.method, r.path, id, log.String())
	}
	return strings.ReplaceAll(m[1], `\"`, `"`)
}

const itemsPath = "/api/catalog-items"

// TestHints_UnknownFieldListsTheFieldsOfTheRevision: the detail stays
// Klaviyo's; the hint lists every name fields[catalog-item] takes at the
// served revision, and each of them is accepted there.
func TestHints_UnknownFieldListsTheFieldsOfTheRevision(t *testing.T) {
	var log logBuffer
	e := newEnv(t, withLog(&log))
	for _, rev := range []string{"2026-07-15", "2024-05-15", "2023-02-22"} {
		r := e.get(itemsPath+"?fields%5Bcatalog-item%5D=bogus", "revision: "+rev)
		wantError(t, r, 400, "invalid", map[string]any{"parameter": "fields[catalog-item]"})
		if d := detailOf(t, r); d != "'bogus' is not a valid field for the resource 'catalog-item'." {
			t.Errorf("%s: detail %q", rev, d)
		}
		hint, hasMeta := hintOf(t, r)
		if logged := loggedHint(t, &log, r); hasMeta && logged != hint {
			t.Errorf("%s: logged hint %q, meta.hint %q", rev, logged, hint)
		} else if !hasMeta {
			hint = logged
		}
		if hasMeta != (rev >= "2024-05-15") {
			t.Errorf("%s: meta present %v", rev, hasMeta)
		}
		_, list, ok := strings.Cut(hint, ": ")
		names := strings.Split(strings.TrimSuffix(list, "."), ", ")
		if !ok || len(names) < 5 {
			t.Fatalf("%s: hint %q lists no fields", rev, hint)
		}
		for _, name := range names {
			if r := e.get(itemsPath+"?fields%5Bcatalog-item%5D="+url.QueryEscape(name), "revision: "+rev); r.status != 200 {
				t.Errorf("%s: the hint lists %q, which answers %d", rev, name, r.status)
			}
		}
	}
}

// TestHints_UnknownTypeInFieldsSuggestsTheNearestType: fields[catalog-items]
// (the path's plural) is not a type; the hint names fields[catalog-item].
func TestHints_UnknownTypeInFieldsSuggestsTheNearestType(t *testing.T) {
	e := newEnv(t)
	r := e.get(itemsPath + "?fields%5Bcatalog-items%5D=title")
	wantError(t, r, 400, "invalid", map[string]any{"parameter": "fields[catalog-items]"})
	if d := detailOf(t, r); d != "'catalog-items' is not a valid resource type for sparse fieldsets on this endpoint." {
		t.Errorf("detail %q", d)
	}
	if hint, _ := hintOf(t, r); !strings.Contains(hint, "fields[catalog-item]=") {
		t.Errorf("hint %q does not suggest fields[catalog-item]", hint)
	}
	r = e.get(itemsPath + "?include=variants&fields%5Bcatalog-variants%5D=sku")
	if hint, _ := hintOf(t, r); !strings.Contains(hint, "fields[catalog-variant]=") {
		t.Errorf("with include=variants: hint %q does not suggest fields[catalog-variant]", hint)
	}
}

// TestHints_PageSizeBeforeItsRevisionSaysFromWhen: page[size] before
// 2026-04-15 keeps the observed detail and pointer; the hint names the
// revision that accepts it.
func TestHints_PageSizeBeforeItsRevisionSaysFromWhen(t *testing.T) {
	var log logBuffer
	e := newEnv(t, withLog(&log))
	r := e.get(itemsPath+"?page%5Bsize%5D=5", "revision: 2025-07-15")
	wantError(t, r, 400, "invalid", map[string]any{"pointer": "/data/attributes/page_size"})
	if d := detailOf(t, r); d != "'page_size' is not a valid field for the resource 'catalog-item'." {
		t.Errorf("detail %q", d)
	}
	if hint, _ := hintOf(t, r); !strings.Contains(hint, "page[size] is accepted from revision 2026-04-15") {
		t.Errorf("hint %q", hint)
	}
	r = e.get(itemsPath+"?page%5Bsize%5D=5", "revision: 2023-06-15")
	if _, hasMeta := hintOf(t, r); hasMeta || !strings.Contains(loggedHint(t, &log, r), "2026-04-15") {
		t.Errorf("2023-06-15: meta %v; want the hint in the log only", hasMeta)
	}
	if r := e.get(itemsPath+"?page%5Bsize%5D=5", "revision: 2026-04-15"); r.status != 200 {
		t.Errorf("page[size] at 2026-04-15: %d", r.status)
	}
}

// TestHints_IDWithoutItsPrefixIsLoggedWithTheFullForm: a 404 carries no
// meta (as Klaviyo's does not), so the full id form is in the log.
func TestHints_IDWithoutItsPrefixIsLoggedWithTheFullForm(t *testing.T) {
	var log logBuffer
	e := newEnv(t, withLog(&log))
	r := e.get(itemsPath + "/GKA-00001")
	wantError(t, r, 404, "not_found", map[string]any{"pointer": "/data/"})
	if d := detailOf(t, r); d != "A catalog-item with id GKA-00001 does not exist." {
		t.Errorf("detail %q", d)
	}
	if _, hasMeta := hintOf(t, r); hasMeta {
		t.Error("a 404 with meta")
	}
	if h := loggedHint(t, &log, r); !strings.Contains(h, "$custom:::$default:::GKA-00001") {
		t.Errorf("logged hint %q", h)
	}
	before := log.String()
	if r := e.get(itemsPath + "/" + url.PathEscape("$custom:::$default:::NOPE")); r.status != 404 || log.String() != before &&
		strings.Contains(log.String()[len(before):], "client error") {
		t.Errorf("a full-form id that does not exist: %d, and a hint logged:\n%s", r.status, log.String()[len(before):])
	}
}

// TestHints_RefusedKeyLogsItsExpectedForm: Klaviyo's 401 carries no meta,
// so what a key looks like goes to the log with the request id, never the
// key itself.
func TestHints_RefusedKeyLogsItsExpectedForm(t *testing.T) {
	var log logBuffer
	e := newEnv(t, withLog(&log))
	r := e.get(listPath, "Authorization: Klaviyo-API-Key abc")
	wantError(t, r, 401, "authentication_failed", map[string]any{"pointer": "/data/"})
	if d := detailOf(t, r); d != "Incorrect authentication credentials." {
		t.Errorf("detail %q", d)
	}
	if _, hasMeta := hintOf(t, r); hasMeta {
		t.Error("a 401 with meta")
	}
	if h := loggedHint(t, &log, r); !strings.Contains(h, "pk_ followed by 34 lowercase hexadecimal characters") {
		t.Errorf("logged hint %q", h)
	}
	if strings.Contains(log.String(), "Klaviyo-API-Key abc") {
		t.Errorf("the log shows the refused key:\n%s", log.String())
	}
}

// TestHints_ParseErrorGivesThePosition: the detail is the framework's; the
// hint says where the body stops being JSON.
func TestHints_ParseErrorGivesThePosition(t *testing.T) {
	e := newEnv(t)
	r := e.req(http.MethodPost, listPath, strings.NewReader("{\"data\": {\"type\": x}}"),
		"Content-Type: application/vnd.api+json")
	wantError(t, r, 400, "parse_error", map[string]any{"pointer": "/data"})
	if d := detailOf(t, r); d != "JSON parse error - invalid character 'x' looking for beginning of value" {
		t.Errorf("detail %q", d)
	}
	if hint, _ := hintOf(t, r); !strings.Contains(hint, "line 1, column 19 (byte offset 18)") {
		t.Errorf("hint %q", hint)
	}
}

// TestEntityHints_AnEntitysHintIsOneString: the hint an entity's answer
// carries (every PATCH of the changing row) is the format's text, made as
// one string and its list, not through fmt (whose arguments each go to
// the heap).
func TestEntityHints_AnEntitysHintIsOneString(t *testing.T) {
	items, ok := resource.Default().Named("catalog-items")
	if !ok {
		t.Fatal("no catalog-items resource")
	}
	p, ok := revision.Default().Exact("2026-07-15")
	if !ok || !p.AgentHints {
		t.Fatal("no revision 2026-07-15 with agent hints")
	}
	h := &Handler{}
	c := &call{res: items, p: p}
	const id = "$custom:::$default:::ITEM 1"
	seg := pathSegment(id)
	want := fmt.Sprintf(hintEntityChange, items.Path(), seg, items.Path(), seg)
	if got := h.entityHints(nil, c, id); len(got) != 1 || got[0] != want {
		t.Fatalf("hints = %q, want [%q]", got, want)
	}
	var room [1]string
	if n := testing.AllocsPerRun(100, func() { _ = h.entityHints(room[:0], c, id) }); n > 2 {
		t.Fatalf("%v allocations for an entity's hint, want at most 2 (the escaped id, the hint: its list is the caller's)", n)
	}
}

// The agent hints' texts (2026-07-15+), as formats: the oracles the
// concatenating code is checked against.
const (
	hintEntityOne    = "Fetch one %s with GET %s/{id}."
	hintEntityChange = "Change it with PATCH %s/%s or remove it with DELETE %s/%s."
	hintRelatedList  = "Fetch the related %s with GET %s/%s/%s."
	hintNextPage     = "Fetch the next page of %s by following links.next."
)

// TestEntityHints_AListsHintsAreTheFormatsText: the hints every entity
// list carries (the changing row's list, each read) are their formats'
// text for every entity resource and relation, each made as one string:
// fmt put each argument on the heap besides.
func TestEntityHints_AListsHintsAreTheFormatsText(t *testing.T) {
	const id = "$custom:::$default:::ITEM 1"
	n := 0
	for _, res := range resource.Default().All() {
		if res.Entity == nil {
			continue
		}
		n++
		items := res.Entity.Kind.Plural()
		checkHint(t, func() string { return entityOneHint(res) }, fmt.Sprintf(hintEntityOne, res.Type, res.Path()))
		checkHint(t, func() string { return nextPageHint(items) }, fmt.Sprintf(hintNextPage, items))
		for _, rel := range res.Relations {
			plural := rel.Target.Entity.Kind.Plural()
			checkHint(t, func() string { return relatedListHint(res, rel, id) },
				fmt.Sprintf(hintRelatedList, plural, res.Path(), id, rel.Name))
		}
	}
	if n == 0 {
		t.Fatal("no entity resources")
	}
}

// checkHint fails unless hint() is want, made with one allocation.
func checkHint(t *testing.T, hint func() string, want string) {
	t.Helper()
	if got := hint(); got != want {
		t.Errorf("hint = %q, want %q", got, want)
	}
	if n := testing.AllocsPerRun(100, func() { _ = hint() }); n > 1 {
		t.Errorf("%v allocations for %q, want 1", n, want)
	}
}
