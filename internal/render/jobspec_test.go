package render_test

import (
	"slices"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// entitySpec is a catalog entity resource as docs/klaviyo-behaviour.md §8.1
// and §9.3 describe it, written out here independently of the resource
// registry.
type entitySpec struct {
	name, typ string // "catalog-variants", "catalog-variant"
	kind      store.EntityKind
	attrs     []string // attributes, in the order Klaviyo writes them
	relKey    string   // the relationship an included entity carries from 2026-04-15
}

// jobSpec is a bulk job resource as docs/klaviyo-behaviour.md §8.1
// describes it.
type jobSpec struct {
	name, typ string // "catalog-variant-bulk-create-jobs", "catalog-variant-bulk-create-job"
	action    string
	kind      store.JobKind
	relKey    string // relationships.<relKey> of the job
	entity    entitySpec
	include   bool // GET-one accepts include=<relKey>
}

var variantAttrs = []string{"external_id", "title", "description", "sku", "inventory_policy", "inventory_quantity",
	"price", "url", "image_full_url", "image_thumbnail_url", "images", "custom_metadata", "published", "created", "updated"}

var categoryAttrs = []string{"external_id", "name", "updated"}

var (
	items      = entitySpec{"catalog-items", "catalog-item", itemKind, itemAttrs, "variants"}
	variants   = entitySpec{"catalog-variants", "catalog-variant", variantKind, variantAttrs, "item"}
	categories = entitySpec{"catalog-categories", "catalog-category", categoryKind, categoryAttrs, "items"}
)

// jobSpecs are the nine bulk job resources (docs/klaviyo-behaviour.md §8.1
// table).
var jobSpecs = []jobSpec{
	{"catalog-item-bulk-create-jobs", "catalog-item-bulk-create-job", "create", jobItemCreate, "items", items, true},
	{"catalog-item-bulk-update-jobs", "catalog-item-bulk-update-job", "update", jobItemUpdate, "items", items, true},
	{"catalog-item-bulk-delete-jobs", "catalog-item-bulk-delete-job", "delete", jobItemDelete, "items", items, false},
	{"catalog-variant-bulk-create-jobs", "catalog-variant-bulk-create-job", "create", jobVariantCreate, "variants", variants, true},
	{"catalog-variant-bulk-update-jobs", "catalog-variant-bulk-update-job", "update", jobVariantUpdate, "variants", variants, true},
	{"catalog-variant-bulk-delete-jobs", "catalog-variant-bulk-delete-job", "delete", jobVariantDelete, "variants", variants, false},
	{"catalog-category-bulk-create-jobs", "catalog-category-bulk-create-job", "create", jobCategoryCreate, "categories", categories, true},
	{"catalog-category-bulk-update-jobs", "catalog-category-bulk-update-job", "update", jobCategoryUpdate, "categories", categories, true},
	{"catalog-category-bulk-delete-jobs", "catalog-category-bulk-delete-job", "delete", jobCategoryDelete, "categories", categories, false},
}

// itemUpdate is the resource the original tests were written for.
var itemUpdate = jobSpecs[1]

// TestJobSpecsMatchTheRegistry ties the tables above to the registry and
// the store: names, types, kinds, entities and include.
func TestJobSpecsMatchTheRegistry(t *testing.T) {
	var jobs int
	for _, r := range registry.All() {
		if r.Job != nil {
			jobs++
		}
	}
	if jobs != len(jobSpecs) {
		t.Errorf("registry has %d job resources, want %d", jobs, len(jobSpecs))
	}
	for _, js := range jobSpecs {
		r := jobResource(t, js.name)
		if r.Type != js.typ || r.Job.Kind != js.kind || r.Job.Include != js.include || r.Path() != "/api/"+js.name {
			t.Errorf("%s: registry says type %q kind %v include %v path %q", js.name, r.Type, r.Job.Kind, r.Job.Include, r.Path())
		}
		if js.kind.Type() != js.typ || js.kind.Entity() != js.entity.kind || js.kind.Entity().Plural() != js.relKey ||
			js.kind.Action().String() != js.action {
			t.Errorf("%s: store kind %v is %q of %v", js.name, js.kind, js.kind.Type(), js.kind.Entity())
		}
		e := r.Job.Entity
		if e.Name != js.entity.name || e.Type != js.entity.typ || e.Entity == nil || e.Entity.Kind != js.entity.kind ||
			e.At(revision.Default().Newest()).RelKey != js.entity.relKey {
			t.Errorf("%s: entity resource %q %q", js.name, e.Name, e.Type)
		}
	}
}

// TestFieldSetIndexesFollowTheAttributeTables: bit i of a FieldSet is name
// i of the resource's Names (job: resource.JobAttrs then "id"; entity: its
// kind's Attrs then "id"), in the order docs/klaviyo-behaviour.md lists them
// (job fields §1.5, entity fields §7.1).
func TestFieldSetIndexesFollowTheAttributeTables(t *testing.T) {
	for _, js := range jobSpecs {
		if got := jobResource(t, js.name).Names(); !slices.Equal(got, jobFieldNames) {
			t.Errorf("%s: field names %q, want %q", js.name, got, jobFieldNames)
		}
	}
	var names []string
	for _, a := range resource.JobAttrs {
		names = append(names, a.Name)
	}
	if !slices.Equal(names, jobFieldNames[:len(jobFieldNames)-1]) {
		t.Errorf("resource.JobAttrs %q", names)
	}
	if got := jobFieldNames[resource.JobIDField]; got != "job_id" {
		t.Errorf("resource.JobIDField names %q", got)
	}
	for _, c := range []struct {
		es    entitySpec
		names []string
	}{{items, itemFieldNames}, {variants, variantFieldNames}, {categories, categoryFieldNames}} {
		r, ok := registry.Named(c.es.name)
		if !ok {
			t.Fatalf("no resource %s", c.es.name)
		}
		if got := r.Names(); !slices.Equal(got, c.names) {
			t.Errorf("%s: field names %q, want %q", c.es.name, got, c.names)
		}
		var attrs []string
		for _, a := range c.es.kind.Attrs() {
			attrs = append(attrs, a.Name)
		}
		if !slices.Equal(attrs, c.es.attrs) {
			t.Errorf("%s: store attributes %q, want %q", c.es.typ, attrs, c.es.attrs)
		}
	}
}
