package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// The revisions the entity scenarios run at: the oldest (generic
// relationship paths, no relationships on variants and categories), one
// with the to-many variant relationship, one with links only on reads, one
// without the trailing slash and the newest.
var entityRevisions = []string{"2022-10-17", "2023-02-22", "2024-05-15", "2024-10-15", "2026-07-15"}

// at returns path in revision rev's form (a trailing slash up to
// 2024-07-15).
func at(rev, path string) string {
	p, _ := revision.Default().Exact(rev)
	if p != nil && p.TrailingSlash {
		path, q, hasQuery := strings.Cut(path, "?")
		if hasQuery {
			return path + "/?" + q
		}
		return path + "/"
	}
	return path
}

// send sends a JSON:API document (nil: no body) at revision rev.
func (e *env) send(method, path, rev string, doc any) *resp {
	e.t.Helper()
	var body *bytes.Reader
	if doc != nil {
		b, err := json.Marshal(doc)
		if err != nil {
			e.t.Fatal(err)
		}
		body = bytes.NewReader(b)
	} else {
		body = bytes.NewReader(nil)
	}
	return e.req(method, at(rev, path), body, "revision: "+rev, "Content-Type: application/vnd.api+json")
}

// wantStatus fails unless r has status.
func wantStatus(t *testing.T, r *resp, status int) map[string]any {
	t.Helper()
	if r.status != status {
		t.Fatalf("%s %s (%s): status %d, want %d\n%s", r.method, r.path, r.rev, r.status, status, r.body)
	}
	if status == http.StatusNoContent {
		if len(r.body) != 0 || r.header.Get("Content-Type") != "" {
			t.Fatalf("%s %s: a 204 with %q and body %q", r.method, r.path, r.header.Get("Content-Type"), r.body)
		}
		return nil
	}
	return r.doc(t)
}

func dataOf(doc map[string]any) map[string]any { return doc["data"].(map[string]any) }

func attributesOf(res map[string]any) map[string]any { return res["attributes"].(map[string]any) }

// idsOf returns the ids of a list document's data.
func idsOf(doc map[string]any) []string {
	var out []string
	for _, x := range doc["data"].([]any) {
		out = append(out, x.(map[string]any)["id"].(string))
	}
	return out
}

// relData returns the ids in relationships.<key>.data (a to-one
// relationship gives one id) and whether data is there.
func relData(res map[string]any, key string) ([]string, bool) {
	rels, _ := res["relationships"].(map[string]any)
	rel, _ := rels[key].(map[string]any)
	data, ok := rel["data"]
	if !ok {
		return nil, false
	}
	if one, isOne := data.(map[string]any); isOne {
		return []string{one["id"].(string)}, true
	}
	var out []string
	for _, x := range data.([]any) {
		out = append(out, x.(map[string]any)["id"].(string))
	}
	return out, true
}

// encodeID percent-encodes an id as Klaviyo's examples do
// (%24custom%3A%3A%3A%24default%3A%3A%3A…).
func encodeID(id string) string {
	return strings.NewReplacer("$", "%24", ":", "%3A").Replace(url.PathEscape(id))
}

func item(ext string, extra map[string]any) map[string]any {
	attrs := map[string]any{"external_id": ext, "title": "Title " + ext, "description": "About " + ext, "url": "https://shop.example/" + ext}
	for k, v := range extra {
		attrs[k] = v
	}
	return map[string]any{"data": map[string]any{"type": "catalog-item", "attributes": attrs}}
}

// timestamp is the form of catalog times: to the millisecond, written with
// six digits (2026-07-02T04:48:48.762000+00:00), or none when it is 0.
var timestamp = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}000)?\+00:00$`)

// TestEntities_EveryOperationAtEachRevision runs every entity, related
// and relationship operation at five revisions. The test client validates
// every answer against the spec of the revision that served it; the test
// checks what the catalog shows after each write.
func TestEntities_EveryOperationAtEachRevision(t *testing.T) {
	for _, rev := range entityRevisions {
		t.Run(rev, func(t *testing.T) {
			e := newEnv(t)
			p, _ := revision.Default().Exact(rev)
			a, _ := e.store.Account(testKey)
			cats := entityIDs(t, a, categoryKind)

			// Create an item in a category: 201, Klaviyo's defaults.
			body := item("NEW-1", nil)
			body["data"].(map[string]any)["relationships"] = map[string]any{"categories": map[string]any{"data": []any{ident("catalog-category", cats[0])}}}
			created := wantStatus(t, e.send("POST", "/api/catalog-items", rev, body), 201)
			d := dataOf(created)
			id := store.EntityID("NEW-1")
			attrs := attributesOf(d)
			if d["id"] != id || attrs["price"] != nil || attrs["image_full_url"] != "" || attrs["image_thumbnail_url"] != "" ||
				fmt.Sprint(attrs["images"]) != "[]" || fmt.Sprint(attrs["custom_metadata"]) != "map[]" || attrs["published"] != true {
				t.Fatalf("created item %v", d)
			}
			if attrs["created"] != attrs["updated"] || !timestamp.MatchString(attrs["created"].(string)) {
				t.Fatalf("created %v updated %v", attrs["created"], attrs["updated"])
			}
			if self := d["links"].(map[string]any)["self"]; self != e.srv.URL+"/api/catalog-items/"+id+"/" {
				t.Fatalf("links.self %v", self)
			}
			_, hasRels := d["relationships"]
			if hasRels != (rev >= "2023-02-22") {
				t.Fatalf("relationships on the POST answer: %v", d["relationships"])
			}
			if _, ok := created["links"]; ok != p.DocumentSelfLink {
				t.Fatalf("top-level links: %v", created["links"])
			}

			// The id in the path, raw or percent-encoded.
			raw := wantStatus(t, e.send("GET", "/api/catalog-items/"+id, rev, nil), 200)
			enc := wantStatus(t, e.send("GET", "/api/catalog-items/"+encodeID(id), rev, nil), 200)
			if fmt.Sprint(dataOf(raw)) != fmt.Sprint(dataOf(enc)) || fmt.Sprint(attributesOf(dataOf(raw))) != fmt.Sprint(attrs) {
				t.Fatalf("raw %v\nencoded %v", raw, enc)
			}
			variants, hasData := relData(dataOf(raw), "variants")
			if hasData != (rev < "2024-05-15") || len(variants) != 0 {
				t.Fatalf("variants data %v %v", variants, hasData)
			}

			// A duplicate is refused and changes nothing.
			wantError(t, e.send("POST", "/api/catalog-items", rev, item("NEW-1", map[string]any{"title": "dup"})), 409, "conflict",
				map[string]any{"pointer": "/data/attributes/external_id"})
			if it, _, _ := a.Entity(itemKind, id); attrStr(it, "title") != "Title NEW-1" {
				t.Fatalf("the duplicate changed the item: %q", attrStr(it, "title"))
			}
			// Each missing required attribute is one error, all sharing an id.
			r := e.send("POST", "/api/catalog-items", rev, map[string]any{"data": map[string]any{"type": "catalog-item",
				"attributes": map[string]any{"external_id": "X", "title": "t"}}})
			wantError(t, r, 400, "invalid", map[string]any{"pointer": "/data/attributes/description"})
			errs := r.doc(t)["errors"].([]any)
			if len(errs) != 2 || errs[0].(map[string]any)["id"] != errs[1].(map[string]any)["id"] ||
				errs[1].(map[string]any)["detail"] != "'url' is a required field for the resource 'catalog-item'." {
				t.Fatalf("missing attributes: %s", r.body)
			}

			// PATCH changes what it sends, refuses what cannot change, and
			// bumps updated.
			e.clock.Advance(1500 * time.Millisecond)
			patch := func(attrs map[string]any) *resp {
				return e.send("PATCH", "/api/catalog-items/"+id, rev, map[string]any{"data": map[string]any{"type": "catalog-item", "id": id, "attributes": attrs}})
			}
			wantError(t, patch(map[string]any{"external_id": "OTHER"}), 400, "invalid", map[string]any{"pointer": "/data/attributes/external_id"})
			wantError(t, e.send("PATCH", "/api/catalog-items/"+store.EntityID("NEW-2"), rev, map[string]any{"data": map[string]any{
				"type": "catalog-item", "id": id, "attributes": map[string]any{}}}), 400, "invalid", map[string]any{"pointer": "/data/id"})
			patched := attributesOf(dataOf(wantStatus(t, patch(map[string]any{"price": 12.5, "published": false}), 200)))
			if patched["price"] != 12.5 || patched["published"] != false || patched["title"] != "Title NEW-1" ||
				patched["created"] != attrs["created"] || patched["updated"] == attrs["updated"] {
				t.Fatalf("patched %v", patched)
			}

			// A variant under it, in the revision's parent shape.
			vbody := map[string]any{"data": map[string]any{"type": "catalog-variant", "attributes": map[string]any{
				"external_id": "NEW-1-V", "title": "v", "description": "d", "sku": "SKU-NEW-1", "inventory_quantity": 4, "price": 3.25,
				"url": "https://shop.example/v"}, "relationships": parent(updateJobs, rev, id)}}
			vd := dataOf(wantStatus(t, e.send("POST", "/api/catalog-variants", rev, vbody), 201))
			vid := store.EntityID("NEW-1-V")
			if attributesOf(vd)["inventory_policy"] != 0.0 {
				t.Fatalf("variant %v", vd)
			}
			under := wantStatus(t, e.send("GET", "/api/catalog-items/"+id+"/variants", rev, nil), 200)
			if got := idsOf(under); !slices.Equal(got, []string{vid}) {
				t.Fatalf("the item's variants %v", got)
			}
			wantError(t, e.send("GET", "/api/catalog-items/"+store.EntityID("GONE")+"/variants", rev, nil), 404, "not_found", nil)
			inc := wantStatus(t, e.send("GET", "/api/catalog-items/"+id+"?include=variants&fields%5Bcatalog-variant%5D=sku", rev, nil), 200)
			included := inc["included"].([]any)
			if len(included) != 1 || fmt.Sprint(attributesOf(included[0].(map[string]any))) != "map[sku:SKU-NEW-1]" {
				t.Fatalf("included %v", included)
			}
			if got, _ := relData(dataOf(inc), "variants"); !slices.Equal(got, []string{vid}) {
				t.Fatalf("with include, the item's variants data %v", got)
			}

			// Categories both ways, through the relationship endpoints.
			cat := cats[0]
			itemCats := func() []string {
				return idsOf(wantStatus(t, e.send("GET", "/api/catalog-items/"+id+"/relationships/categories", rev, nil), 200))
			}
			catItems := func() []string {
				return idsOf(wantStatus(t, e.send("GET", "/api/catalog-categories/"+cat+"/relationships/items", rev, nil), 200))
			}
			if got := itemCats(); !slices.Equal(got, []string{cat}) || !slices.Contains(catItems(), id) {
				t.Fatalf("the created item's categories %v", got)
			}
			ids := func(typ string, list ...string) map[string]any {
				var data []any
				for _, x := range list {
					data = append(data, ident(typ, x))
				}
				return map[string]any{"data": data}
			}
			wantStatus(t, e.send("POST", "/api/catalog-items/"+id+"/relationships/categories", rev, ids("catalog-category", cats[1], cats[2])), 204)
			if got := idsOf(wantStatus(t, e.send("GET", "/api/catalog-items/"+id+"/categories", rev, nil), 200)); len(got) != 3 {
				t.Fatalf("after adding two: %v", got)
			}
			wantStatus(t, e.send("DELETE", "/api/catalog-items/"+id+"/relationships/categories", rev, ids("catalog-category", cats[0])), 204)
			wantStatus(t, e.send("PATCH", "/api/catalog-categories/"+cat+"/relationships/items", rev, ids("catalog-item", id)), 204)
			if got := catItems(); !slices.Equal(got, []string{id}) {
				t.Fatalf("the replaced category holds %v", got)
			}
			if got := itemCats(); len(got) != 3 || !slices.Contains(got, cat) {
				t.Fatalf("the item's categories after the category's PATCH: %v", got)
			}
			wantError(t, e.send("POST", "/api/catalog-items/"+id+"/relationships/categories", rev, ids("catalog-category", cats[3], store.EntityID("NOPE"))),
				400, "invalid", map[string]any{"pointer": "/data/1/id"})
			if got := itemCats(); slices.Contains(got, cats[3]) {
				t.Fatal("a refused relationship write added the valid half")
			}
			// A category PATCH renames it; its items see it.
			catDoc := wantStatus(t, e.send("PATCH", "/api/catalog-categories/"+cat, rev, map[string]any{"data": map[string]any{
				"type": "catalog-category", "id": cat, "attributes": map[string]any{"name": "Renamed"}}}), 200)
			if attributesOf(dataOf(catDoc))["name"] != "Renamed" {
				t.Fatalf("category %v", catDoc)
			}
			seen := false
			for _, x := range wantStatus(t, e.send("GET", "/api/catalog-items/"+id+"/categories", rev, nil), 200)["data"].([]any) {
				seen = seen || attributesOf(x.(map[string]any))["name"] == "Renamed"
			}
			if !seen {
				t.Fatal("the item's categories do not show the renamed category")
			}

			// Unknown relationship names: a refused parameter while the path
			// was generic, no such path after.
			bad := e.send("GET", "/api/catalog-items/"+id+"/relationships/items", rev, nil)
			if p.Date < "2023-02-22" {
				wantError(t, bad, 400, "invalid", map[string]any{"parameter": "related_resource"})
			} else {
				wantError(t, bad, 404, "not_found", nil)
			}
			vrel := e.send("GET", "/api/catalog-items/"+id+"/relationships/variants", rev, nil)
			if rev >= "2024-10-15" {
				if got := idsOf(wantStatus(t, vrel, 200)); !slices.Equal(got, []string{vid}) {
					t.Fatalf("relationships/variants %v", got)
				}
			} else {
				// The endpoint does not exist yet: Klaviyo's answer for a
				// path no revision up to this one has.
				if d := wantError(t, vrel, 404, "not_found", map[string]any{"parameter": "revision"})["detail"]; d != apierror.DetailNoValidRevision {
					t.Fatalf("relationships/variants before 2024-10-15: %v", d)
				}
			}

			// Deleting the item: 204, then gone with its variant and its
			// memberships.
			wantStatus(t, e.send("DELETE", "/api/catalog-items/"+encodeID(id), rev, nil), 204)
			wantError(t, e.send("GET", "/api/catalog-items/"+id, rev, nil), 404, "not_found", nil)
			wantError(t, e.send("GET", "/api/catalog-variants/"+vid, rev, nil), 404, "not_found", nil)
			wantError(t, e.send("DELETE", "/api/catalog-items/"+id, rev, nil), 404, "not_found", nil)
			if got := catItems(); len(got) != 0 {
				t.Fatalf("the deleted item is still in its category: %v", got)
			}
			wantStatus(t, e.send("DELETE", "/api/catalog-categories/"+cat, rev, nil), 204)
			wantError(t, e.send("GET", "/api/catalog-categories/"+cat+"/items", rev, nil), 404, "not_found", nil)
		})
	}
}

// nextLink returns links.next of a list document ("" when null).
func nextLink(doc map[string]any) string {
	s, _ := doc["links"].(map[string]any)["next"].(string)
	return s
}

// TestEntities_ListFeatures pages, sorts and filters entity lists as each
// revision allows, and refuses what it does not.
func TestEntities_ListFeatures(t *testing.T) {
	e := newEnv(t)
	a, _ := e.store.Account(testKey)
	all, err := a.EntityPage(store.EntityPageRequest{Kind: itemKind, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	want := idList(all.Entities)

	// Following links.next visits every item once, oldest first; -created
	// is the reverse; page[size] from 2026-04-15 only.
	var seen []string
	for link := "/api/catalog-items?page%5Bsize%5D=30"; link != ""; {
		doc := wantStatus(t, e.get(link, "revision: 2026-04-15"), 200)
		seen = append(seen, idsOf(doc)...)
		link = nextLink(doc)
	}
	if len(seen) != 200 || !slices.Equal(seen[:100], want) {
		t.Fatalf("%d items paged, first page differs: %v", len(seen), seen[:3])
	}
	desc := wantStatus(t, e.get("/api/catalog-items?sort=-created&page%5Bsize%5D=5", "revision: 2026-04-15"), 200)
	if got := idsOf(desc); got[0] != seen[199] || got[4] != seen[195] {
		t.Fatalf("sort=-created starts %v", got)
	}
	wantError(t, e.get("/api/catalog-items?page%5Bsize%5D=5", "revision: 2026-01-15"), 400, "invalid",
		map[string]any{"pointer": "/data/attributes/page_size"})
	for _, bad := range []string{"0", "101", "x"} {
		wantError(t, e.get("/api/catalog-items?page%5Bsize%5D="+bad, "revision: 2026-04-15"), 400, "invalid", map[string]any{"parameter": "page[size]"})
	}
	wantError(t, e.get("/api/catalog-items?sort=updated"), 400, "invalid", map[string]any{"parameter": "sort"})
	// links.prev leads back.
	second := wantStatus(t, e.get(nextLink(wantStatus(t, e.get("/api/catalog-items?page%5Bsize%5D=10", "revision: 2026-04-15"), 200)),
		"revision: 2026-04-15"), 200)
	prev, _ := second["links"].(map[string]any)["prev"].(string)
	if got := idsOf(wantStatus(t, e.get(prev, "revision: 2026-04-15"), 200)); !slices.Equal(got, want[:10]) {
		t.Fatalf("links.prev gave %v", got)
	}

	// Filters, with the field names of each revision.
	cats := entityIDs(t, a, categoryKind)
	inCat := func(rev, field string) *resp {
		return e.get(at(rev, "/api/catalog-items")+"?filter="+urlEscape(fmt.Sprintf("equals(%s,'%s')", field, cats[0])), "revision: "+rev)
	}
	old, now := wantStatus(t, inCat("2023-06-15", "category"), 200), wantStatus(t, inCat("2023-07-15", "category.id"), 200)
	if len(idsOf(old)) == 0 || !slices.Equal(idsOf(old), idsOf(now)) {
		t.Fatalf("category filters: %d then %d items", len(idsOf(old)), len(idsOf(now)))
	}
	wantError(t, inCat("2023-07-15", "category"), 400, "invalid", map[string]any{"parameter": "filter"})
	wantError(t, inCat("2023-06-15", "category.id"), 400, "invalid", map[string]any{"parameter": "filter"})
	related := wantStatus(t, e.get("/api/catalog-categories/"+cats[0]+"/items"), 200)
	if !slices.Equal(idsOf(related), idsOf(now)) {
		t.Fatal("a category's items differ from the items filtered by it")
	}
	ids := fmt.Sprintf(`any(ids,["%s","%s"]),equals(published,%v)`, want[7], want[3], true)
	got := idsOf(wantStatus(t, e.get("/api/catalog-items?filter="+urlEscape(ids)), 200))
	var wantIDs []string // want[3] and want[7], in list order, if published
	for _, id := range want[:8] {
		if it, _, _ := a.Entity(itemKind, id); (id == want[3] || id == want[7]) && isPublished(it) {
			wantIDs = append(wantIDs, id)
		}
	}
	if len(wantIDs) == 0 || !slices.Equal(got, wantIDs) {
		t.Fatalf("any(ids) and published returned %v, want %v", got, wantIDs)
	}
	first, _, _ := a.Entity(itemKind, want[0])
	word := strings.Fields(attrStr(first, "title"))[0]
	matched := wantStatus(t, e.get("/api/catalog-items?filter="+urlEscape("contains(title,'"+word+"')")), 200)["data"].([]any)
	if len(matched) == 0 || idsOf(map[string]any{"data": matched})[0] != want[0] {
		t.Fatalf("contains(title,%q) did not return %s first (%d matched)", word, want[0], len(matched))
	}
	for _, x := range matched {
		if !strings.Contains(attributesOf(x.(map[string]any))["title"].(string), word) {
			t.Fatalf("contains(title,%q) returned %v", word, x)
		}
	}
	v := entityIDs(t, a, variantKind)[0]
	variant, _, _ := a.Entity(variantKind, v)
	bySKU := idsOf(wantStatus(t, e.get("/api/catalog-variants?filter="+urlEscape(fmt.Sprintf("equals(sku,'%s'),equals(item.id,'%s')", attrStr(variant, "sku"), parentID(variant)))), 200))
	if !slices.Contains(bySKU, v) {
		t.Fatalf("sku and item.id filter: %v", bySKU)
	}
	// A related list ANDs its path with its filter.
	another := want[0]
	if another == parentID(variant) {
		another = want[1]
	}
	under := "/api/catalog-items/" + parentID(variant) + "/variants?filter="
	if got := idsOf(wantStatus(t, e.get(under+urlEscape("equals(item.id,'"+another+"')")), 200)); len(got) != 0 {
		t.Fatalf("a filter naming another item still listed %v", got)
	}
	if got := idsOf(wantStatus(t, e.get(under+urlEscape("equals(item.id,'"+parentID(variant)+"')")), 200)); !slices.Contains(got, v) {
		t.Fatalf("a filter naming the path's item lists %v", got)
	}
	// Relationship reads take filter and sort from 2024-10-15 only.
	wantError(t, e.get(at("2024-07-15", "/api/catalog-categories/"+cats[0]+"/relationships/items")+"?sort=-created", "revision: 2024-07-15"),
		400, "invalid", map[string]any{"parameter": "sort"})
	rel := idsOf(wantStatus(t, e.get("/api/catalog-categories/"+cats[0]+"/relationships/items?sort=-created", "revision: 2024-10-15"), 200))
	if !slices.Equal(rel, reversed(idsOf(now))) {
		t.Fatalf("relationship ids sorted -created: %v", rel)
	}
	// include=variants: every item's variants, once each, sparse.
	inc := wantStatus(t, e.get("/api/catalog-items?include=variants&fields%5Bcatalog-item%5D=title&fields%5Bcatalog-variant%5D=sku,price"), 200)
	n := 0
	for _, x := range inc["data"].([]any) {
		vs, _ := relData(x.(map[string]any), "variants")
		n += len(vs)
		if len(attributesOf(x.(map[string]any))) != 1 {
			t.Fatalf("sparse item %v", x)
		}
	}
	if got := len(inc["included"].([]any)); got != n || n == 0 {
		t.Fatalf("%d included for %d variant identifiers", got, n)
	}
	wantError(t, e.get("/api/catalog-variants?include=item"), 400, "invalid", map[string]any{"parameter": "include"})
	wantError(t, e.get("/api/catalog-categories?fields%5Bcatalog-item%5D=title"), 400, "invalid", map[string]any{"parameter": "fields[catalog-item]"})
	// An unknown cursor entity, and a forged cursor.
	wantError(t, e.get("/api/catalog-items?page%5Bcursor%5D="+b64("next::id::$custom:::$default:::GONE")), 400, "invalid", nil)
	wantError(t, e.get("/api/catalog-items?page%5Bcursor%5D="+b64(`[1, 2, true]`)), 400, "invalid", nil)
	// A job list refuses a cursor of an entity list.
	wantError(t, e.get(listPath+"?page%5Bcursor%5D="+b64(`[1,"x",true]`)), 400, "invalid", nil)
}

// TestCatalog_JobsAndEntityEndpointsShareOneCatalog: what the bulk jobs do
// is what the entity endpoints show, and the reverse.
func TestCatalog_JobsAndEntityEndpointsShareOneCatalog(t *testing.T) {
	const rev = "2026-07-15"
	e := newEnv(t, withLifecycle(store.Lifecycle{Mode: store.Immediate}))
	job := func(name string) *resource.Resource {
		r, ok := resource.Default().Named(name)
		if !ok {
			t.Fatalf("no resource %s", name)
		}
		return r
	}
	// A create job, then the item through GET.
	ic := job("catalog-item-bulk-create-jobs")
	e.runJob(ic, rev, jobBody(t, ic, rev, map[string]any{"type": "catalog-item", "attributes": map[string]any{"external_id": "J-1",
		"title": "From a job", "description": "d", "url": "https://shop.example/j1", "price": 5}}))
	id := store.EntityID("J-1")
	got := attributesOf(dataOf(wantStatus(t, e.get("/api/catalog-items/"+id), 200)))
	if got["title"] != "From a job" || got["price"] != 5.0 {
		t.Fatalf("the created item %v", got)
	}
	// An update job, then the new price.
	iu := job("catalog-item-bulk-update-jobs")
	e.runJob(iu, rev, jobBody(t, iu, rev, map[string]any{"type": "catalog-item", "id": id, "attributes": map[string]any{"price": 7.25}}))
	if got := attributesOf(dataOf(wantStatus(t, e.get("/api/catalog-items/"+id), 200))); got["price"] != 7.25 {
		t.Fatalf("after the update job: %v", got["price"])
	}
	// An item created by POST is updated by a job.
	wantStatus(t, e.send("POST", "/api/catalog-items", rev, item("P-1", nil)), 201)
	e.runJob(iu, rev, jobBody(t, iu, rev, map[string]any{"type": "catalog-item", "id": store.EntityID("P-1"), "attributes": map[string]any{"title": "Job title"}}))
	if got := attributesOf(dataOf(wantStatus(t, e.get("/api/catalog-items/"+store.EntityID("P-1")), 200))); got["title"] != "Job title" {
		t.Fatalf("a POSTed item after an update job: %v", got["title"])
	}
	// A variant job under it shows in its variants.
	vc := job("catalog-variant-bulk-create-jobs")
	e.runJob(vc, rev, jobBody(t, vc, rev, map[string]any{"type": "catalog-variant", "attributes": map[string]any{"external_id": "J-1-V",
		"title": "v", "description": "d", "sku": "JV", "inventory_quantity": 1, "price": 1, "url": "https://shop.example/jv"},
		"relationships": parent(vc, rev, id)}))
	if got := idsOf(wantStatus(t, e.get("/api/catalog-items/"+id+"/variants"), 200)); !slices.Equal(got, []string{store.EntityID("J-1-V")}) {
		t.Fatalf("variants after the variant job: %v", got)
	}
	// A category job holding it; a category PATCH is seen from the item.
	cc := job("catalog-category-bulk-create-jobs")
	e.runJob(cc, rev, jobBody(t, cc, rev, map[string]any{"type": "catalog-category", "attributes": map[string]any{"external_id": "J-CAT", "name": "Jobs"},
		"relationships": map[string]any{"items": map[string]any{"data": []any{ident("catalog-item", id)}}}}))
	cat := store.EntityID("J-CAT")
	wantStatus(t, e.send("PATCH", "/api/catalog-categories/"+cat, rev, map[string]any{"data": map[string]any{"type": "catalog-category", "id": cat,
		"attributes": map[string]any{"name": "Renamed by PATCH"}}}), 200)
	cs := wantStatus(t, e.get("/api/catalog-items/"+id+"/categories"), 200)["data"].([]any)
	if len(cs) != 1 || attributesOf(cs[0].(map[string]any))["name"] != "Renamed by PATCH" {
		t.Fatalf("the item's categories %v", cs)
	}
	// The control API and the state export see the same catalog.
	admin := e.req("GET", "/__admin/accounts/"+testKey+"/items", nil)
	if admin.status != 200 || !bytes.Contains(admin.body, []byte(`"P-1"`)) || !bytes.Contains(admin.body, []byte("Job title")) {
		t.Fatalf("the control API's items: %d %.200s", admin.status, admin.body)
	}
	// A delete job: 404, and gone from any(ids,…).
	id2 := job("catalog-item-bulk-delete-jobs")
	e.runJob(id2, rev, jobBody(t, id2, rev, ident("catalog-item", id)))
	wantError(t, e.get("/api/catalog-items/"+id), 404, "not_found", nil)
	wantError(t, e.get("/api/catalog-variants/"+store.EntityID("J-1-V")), 404, "not_found", nil)
	if got := idsOf(wantStatus(t, e.get("/api/catalog-items?filter="+urlEscape(`any(ids,["`+id+`","`+store.EntityID("P-1")+`"])`)), 200)); !slices.Equal(got, []string{store.EntityID("P-1")}) {
		t.Fatalf("any(ids) after the delete job: %v", got)
	}
	if got := idsOf(wantStatus(t, e.get("/api/catalog-categories/"+cat+"/relationships/items"), 200)); len(got) != 0 {
		t.Fatalf("the category still holds %v", got)
	}
}

// TestEntities_RateLimitsPerOperation: entity reads are 350/s 3500/m at
// every revision, writes 75/s 700/m then 750/m from 2026-01-15, and every
// operation has its own bucket.
func TestEntities_RateLimitsPerOperation(t *testing.T) {
	e := newEnv(t, klaviyoLimits)
	for _, c := range []struct{ method, path, rev, want string }{
		{"GET", "/api/catalog-items/", "2022-10-17", "350, 350;w=1, 3500;w=60"},
		{"GET", "/api/catalog-categories", "2026-07-15", "350, 350;w=1, 3500;w=60"},
		{"DELETE", "/api/catalog-items/$custom:::$default:::NOPE/", "2025-10-15", "75, 75;w=1, 700;w=60"},
		{"DELETE", "/api/catalog-items/$custom:::$default:::NOPE", "2026-01-15", "75, 75;w=1, 750;w=60"},
	} {
		r := e.req(c.method, c.path, nil, "revision: "+c.rev)
		if got := r.header.Get("RateLimit-Limit"); got != c.want {
			t.Errorf("%s %s at %s: RateLimit-Limit %q, want %q", c.method, c.path, c.rev, got, c.want)
		}
	}
	e = newEnv(t, withRateLimits(limiter.Policy{Burst: 2, Steady: 100}))
	for i := 0; i < 2; i++ {
		wantStatus(t, e.get("/api/catalog-items"), 200)
	}
	want429(t, e.get("/api/catalog-items"), "2026-07-15")
	a, _ := e.store.Account(testKey)
	item := entityIDs(t, a, itemKind)[0]
	for _, p := range []string{"/api/catalog-items/" + item, "/api/catalog-items/" + item + "/variants",
		"/api/catalog-items/" + item + "/relationships/categories", "/api/catalog-variants"} {
		if r := e.get(p); r.status != 200 || r.header.Get("RateLimit-Remaining") != "1" {
			t.Fatalf("%s after the item list's bucket was emptied: %d, remaining %s", p, r.status, r.header.Get("RateLimit-Remaining"))
		}
	}
	// Journal entries name the operation.
	entries := e.h.opts.Journal.List(journalFilterAll)
	names := map[string]bool{}
	for _, en := range entries {
		names[en.Operation] = true
	}
	for _, n := range []string{"get_catalog_items", "get_catalog_item", "get_variants_for_catalog_item", "get_category_ids_for_catalog_item"} {
		if !names[n] {
			t.Errorf("no journal entry for %s: %v", n, names)
		}
	}
}

// TestEntities_AllowHeaders: each path answers OPTIONS with its methods.
func TestEntities_AllowHeaders(t *testing.T) {
	e := newEnv(t)
	a, _ := e.store.Account(testKey)
	item := entityIDs(t, a, itemKind)[0]
	for path, want := range map[string]string{
		"/api/catalog-items":                                       "GET, POST, HEAD, OPTIONS",
		"/api/catalog-items/" + item:                               "GET, PATCH, DELETE, HEAD, OPTIONS",
		"/api/catalog-items/" + item + "/variants":                 "GET, HEAD, OPTIONS",
		"/api/catalog-items/" + item + "/relationships/categories": "GET, POST, PATCH, DELETE, HEAD, OPTIONS",
		"/api/catalog-items/" + item + "/relationships/variants":   "GET, HEAD, OPTIONS",
	} {
		r := e.req("OPTIONS", path, nil)
		if r.status != 200 || r.header.Get("Allow") != want {
			t.Errorf("OPTIONS %s: %d Allow %q, want %q", path, r.status, r.header.Get("Allow"), want)
		}
	}
	r := e.req("PUT", "/api/catalog-items/"+item, nil)
	wantError(t, r, 405, "method_not_allowed", nil)
}

func idList(es []*store.Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func reversed(s []string) []string {
	out := slices.Clone(s)
	slices.Reverse(out)
	return out
}
