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
			cats := entityIDs(t, a, store.CategoryKind)

			// Create an item in a category: 201, Klaviyo's defaults.
			body := item("NEW-1", nil)
			body["data"].(map[string]any)["relationships"] = map[string]any{"categories": map[string]any{"data": []any{ident("catalog-category", cats[0])}}}
			created := wantStatus(t, e.send("POST", "/api/catalog-items", rev, body), 201)
			d := dataOf(created)
			id := store.ItemID("NEW-1")
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
			if it, _, _ := a.Entity(store.ItemKind, id); it.Title() != "Title NEW-1" {
				t.Fatalf("the duplicate changed the item: %q", it.Title())
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
			wantError(t, e.send("PATCH", "/api/catalog-items/"+store.ItemID("NEW-2"), rev, map[string]any{"data": map[string]any{
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
			wantError(t, e.send("GET", "/api/catalog-items/"+store.ItemID("GONE")+"/variants", rev, nil), 404, "not_found", nil)
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
			} else if vrel.status < 400 {
				t.Fatalf("relationships/variants before 2024-10-15: %d", vrel.status)
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
