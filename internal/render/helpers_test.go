package render_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/render"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

const (
	base      = "https://a.klaviyo.com"
	jobID     = "01GSQPBF74KQ5YTDEPP41T1BZH"
	jobID2    = "01GSQPBF74KQ5YTDEPP41T1BZJ"
	jobsPath  = "/api/catalog-item-bulk-update-jobs/"
	itemsPath = "/api/catalog-items/"
	listSelf  = base + "/api/catalog-item-bulk-update-jobs"
	oneSelf   = base + "/api/catalog-item-bulk-update-jobs/" + jobID
)

var (
	created   = time.Date(2026, 9, 30, 23, 55, 29, 946027000, time.UTC)
	completed = time.Date(2026, 9, 30, 23, 56, 1, 0, time.UTC)
	expires   = time.Date(2026, 10, 7, 23, 56, 1, 0, time.UTC)
)

// Revision features as docs/klaviyo-behaviour.md §1.4, §1.5, §8.2 and §9.6
// state them, independently of the revision and resource tables.
func factTopLevelID(date string) bool       { return date >= "2023-12-15" }
func factItemsLinks(date string) bool       { return date >= "2023-02-22" }
func factItemsDataOptional(d string) bool   { return d >= "2024-05-15" }
func factDocumentSelfLink(date string) bool { return date >= "2026-01-15" }
func factAgentHints(date string) bool       { return date >= "2026-07-15" }
func factItemVariants(date string) bool     { return date >= "2026-04-15" }
func factTrailingSlash(date string) bool    { return date < "2024-10-15" }

// factRelDataOnRead: list and GET-one (without include) carry
// relationships.<key>.data. Create and update jobs have it required until
// 2024-05-15 (docs/klaviyo-behaviour.md §1.5); delete jobs' read schemas
// drop data from 2023-12-15 (§1.5 row 2023-12-15, §8.2).
func factRelDataOnRead(js jobSpec, date string) bool {
	if js.action == "delete" {
		return date < "2023-12-15"
	}
	return !factItemsDataOptional(date)
}

// factRelDataOnCreate: a POST answer carries relationships.<key>.data
// (required until 2024-05-15 for every job, delete jobs included).
func factRelDataOnCreate(date string) bool { return !factItemsDataOptional(date) }

// factIncludedRelationships: included entities carry their own
// relationship (items variants, variants item, categories items) from
// 2026-04-15 (docs/klaviyo-behaviour.md §7.2, §1.5 row 2026-04-15).
func factIncludedRelationships(date string) bool { return date >= "2026-04-15" }

// registry is the resource registry the renderer is driven by.
var registry = resource.Default()

// jobResource returns the registered job resource named name.
func jobResource(t testing.TB, name string) *resource.Resource {
	t.Helper()
	r, ok := registry.Named(name)
	if !ok || r.Job == nil {
		t.Fatalf("no job resource %s in the registry", name)
	}
	return r
}

// revisionProfile returns the API-wide profile of date.
func revisionProfile(t testing.TB, date string) *revision.Profile {
	t.Helper()
	p, ok := revision.Default().Exact(date)
	if !ok {
		t.Fatalf("no revision %s in the table", date)
	}
	return p
}

// profile returns the catalog-item-bulk-update-jobs profile at date.
func profile(t testing.TB, date string) *resource.Profile {
	t.Helper()
	return profileOf(t, "catalog-item-bulk-update-jobs", date)
}

// profileOf returns the profile of the job resource name at date.
func profileOf(t testing.TB, name, date string) *resource.Profile {
	t.Helper()
	return jobResource(t, name).At(revisionProfile(t, date))
}

// itemUpdateAt returns the catalog-item-bulk-update-jobs profile at the
// revision p.
func itemUpdateAt(t testing.TB, p *revision.Profile) *resource.Profile {
	t.Helper()
	return jobResource(t, "catalog-item-bulk-update-jobs").At(p)
}

func renderer(p *resource.Profile) *render.Renderer {
	return &render.Renderer{P: p, Base: base, Fields: resource.AllFields, IncludedFields: resource.AllFields}
}

// The fields[...] names of a job and of each entity kind, in the order
// docs/klaviyo-behaviour.md lists the attributes (jobs §1.5, entities §7.1
// and §9.3), then "id": bit i of a FieldSet is name i (the resource tables
// must agree, see TestFieldSetIndexesFollowTheAttributeTables).
var (
	jobFieldNames      = append([]string{"job_id"}, append(slices.Clone(jobAttrs), "id")...)
	itemFieldNames     = append(slices.Clone(itemAttrs), "id")
	variantFieldNames  = append(slices.Clone(variantAttrs), "id")
	categoryFieldNames = append(slices.Clone(categoryAttrs), "id")
)

// fieldSet returns the FieldSet of the named fields among names; it panics
// on a name that is not there.
func fieldSet(names []string, sel ...string) resource.FieldSet {
	var s resource.FieldSet
	for _, n := range sel {
		i := slices.Index(names, n)
		if i < 0 {
			panic("no field " + n)
		}
		s = s.With(i)
	}
	return s
}

// jobFields and itemFields select job and catalog-item fields by name.
func jobFields(sel ...string) resource.FieldSet  { return fieldSet(jobFieldNames, sel...) }
func itemFields(sel ...string) resource.FieldSet { return fieldSet(itemFieldNames, sel...) }

// completeJob is a finished item update job with one failed item.
func completeJob() *store.Job {
	return &store.Job{
		ID: jobID, Kind: jobItemUpdate, Status: store.Complete, CreatedAt: created, CompletedAt: completed, ExpiresAt: expires,
		Total: 2, Completed: 1, Failed: 1,
		Errors: []store.JobError{{ID: "6f1c0a52-3c8e-4a3e-9d55-0c8d1f0e7a11", Code: "not_found", Title: "Not found.",
			Detail: "A catalog-item with id $custom:::$default:::GONE does not exist.", Pointer: "/data/attributes/items/data/1/id"}},
		IDs: []string{store.EntityID("SKU-1"), store.EntityID("GONE")},
	}
}

// queuedJob is an item update job that has not started: no completion or
// expiry time.
func queuedJob() *store.Job {
	return &store.Job{ID: jobID2, Kind: jobItemUpdate, Status: store.Queued, CreatedAt: created, Total: 1,
		IDs: []string{store.EntityID("SKU-1")}}
}

// item returns a catalog item with only its id set.
func item(id string) *store.Entity { return &store.Entity{Kind: itemKind, ID: id} }

// fullItem is a catalog item with every attribute set.
func fullItem() *store.Entity {
	it := &store.Entity{
		Kind: itemKind, ID: store.EntityID("SKU-1"), ExternalID: "SKU-1",
		Created: created, Updated: completed,
	}
	return withAttrs(it,
		"title", ptr("Red Shoe"),
		"description", ptr("Size 9"),
		"price", ptr(19.99),
		"url", ptr("https://shop.example.com/p/sku-1"),
		"image_full_url", ptr("https://shop.example.com/i/sku-1.jpg"),
		"image_thumbnail_url", ptr("https://shop.example.com/i/sku-1-thumb.jpg"),
		"images", ptr([]string{"https://shop.example.com/i/sku-1.jpg"}),
		"custom_metadata", json.RawMessage(`{"b":1,"a":"<x>"}`),
		"published", ptr(true))
}

// withAttrs sets e's attributes from name / value pairs, each value as the
// store keeps it (*string, *float64, *int, *bool, *[]string or
// json.RawMessage), written straight into its slot of Vals rather than
// through the codec under test. It returns e.
func withAttrs(e *store.Entity, kv ...any) *store.Entity {
	if len(kv)%2 != 0 {
		panic("withAttrs: odd argument count")
	}
	if len(e.Vals) < len(e.Kind.Attrs()) {
		vals := make([]any, len(e.Kind.Attrs()))
		copy(vals, e.Vals)
		e.Vals = vals
	}
	for i := 0; i < len(kv); i += 2 {
		name := kv[i].(string)
		k, _, ok := e.Kind.Attr(name)
		if !ok {
			panic("test setup: " + e.Kind.Type() + " has no attribute " + name)
		}
		e.Vals[k] = kv[i+1]
	}
	return e
}

func ptr[T any](v T) *T { return &v }

// decode parses a rendered document, failing unless it is exactly one
// valid JSON value.
func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	if !json.Valid(b) {
		t.Fatalf("rendered document is not valid JSON:\n%s", b)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("decode: %v\n%s", err, b)
	}
	return doc
}

// obj returns m[key] as an object.
func obj(t *testing.T, m map[string]any, key string) map[string]any {
	t.Helper()
	v, ok := m[key].(map[string]any)
	if !ok {
		t.Fatalf("member %q is %T, want an object (in %v)", key, m[key], keysOf(m))
	}
	return v
}

// arr returns m[key] as an array.
func arr(t *testing.T, m map[string]any, key string) []any {
	t.Helper()
	v, ok := m[key].([]any)
	if !ok {
		t.Fatalf("member %q is %T, want an array", key, m[key])
	}
	return v
}

func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// wantKeys fails unless m has exactly the members want.
func wantKeys(t *testing.T, where string, m map[string]any, want ...string) {
	t.Helper()
	want = slices.Clone(want)
	sort.Strings(want)
	if got := keysOf(m); !slices.Equal(got, want) {
		t.Errorf("%s: got members %q, want %q", where, got, want)
	}
}

// memberOrder returns the member names of the JSON object raw, in order.
func memberOrder(t *testing.T, raw []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", raw)
	}
	names := []string{}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return names
}

// rawAt returns the raw JSON at the path of object keys / array indexes.
func rawAt(t *testing.T, doc []byte, path ...any) []byte {
	t.Helper()
	cur := json.RawMessage(doc)
	for _, step := range path {
		switch s := step.(type) {
		case string:
			var m map[string]json.RawMessage
			if err := json.Unmarshal(cur, &m); err != nil {
				t.Fatalf("at %v: %v", step, err)
			}
			v, ok := m[s]
			if !ok {
				t.Fatalf("no member %q", s)
			}
			cur = v
		case int:
			var a []json.RawMessage
			if err := json.Unmarshal(cur, &a); err != nil || s >= len(a) {
				t.Fatalf("at index %d: %v (len %d)", s, err, len(a))
			}
			cur = a[s]
		}
	}
	return cur
}
