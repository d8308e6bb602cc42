package spectest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Tolerance is one documented deviation from Klaviyo's spec that Check
// accepts. Since and Before bound the revisions the row applies to.
type Tolerance struct {
	// Name identifies the row (stable; used in the README).
	Name string
	// Since is the first revision the row applies to; "" means the oldest.
	Since string
	// Before is the first revision the row no longer applies to; "" means
	// the row applies up to the newest revision.
	Before string
	// Why states the deviation and cites the evidence for it.
	Why string
}

// AppliesTo reports whether the row covers revision.
func (t Tolerance) AppliesTo(revision string) bool {
	return (t.Since == "" || revision >= t.Since) && (t.Before == "" || revision < t.Before)
}

// Revisions returns the embedded revisions the row covers, sorted.
func (t Tolerance) Revisions() []string {
	return slices.DeleteFunc(Revisions(), func(r string) bool { return !t.AppliesTo(r) })
}

// Row names; each must appear exactly once in Tolerances.
const (
	tolNullJobTimestamps = "null-job-timestamps"
	tolNullIncludedAttrs = "null-included-item-attributes"
	tolNullEntityAttrs   = "null-entity-attributes"
	tolNullPageLinks     = "null-collection-page-links"
	tolSparseRequired    = "sparse-fieldset-required"
	tolErrorVndAPI       = "error-vnd-api-json"
)

// Tolerances is the complete table of accepted deviations from the spec
// (docs/klaviyo-behaviour.md §11 lists them with their sources). It is
// read-only: Check consults it but nothing in this package ever changes it.
var Tolerances = []Tolerance{
	{
		Name:   tolNullJobTimestamps,
		Before: "2024-02-15",
		Why: "Job attributes completed_at and expires_at may be null (an unfinished job has neither), " +
			"but specs before 2024-02-15 lack nullable; the 2024-02-15 spec adds nullable: true as a " +
			"schema correction, not a behaviour change (docs/klaviyo-behaviour.md §8.5, §1.5 row " +
			"2024-02-15, §11). Only these two job properties are relaxed.",
	},
	{
		Name:   tolNullIncludedAttrs,
		Before: "2024-02-15",
		Why: "Catalog items in included[] carry null for unset attributes, but the item attribute " +
			"properties only become nullable in the 2024-02-15 spec (docs/klaviyo-behaviour.md §1.4 and " +
			"§1.6 rows 2024-02-15, §11). Every attribute property of included[] items is relaxed; id, " +
			"type and links are not.",
	},
	{
		Name:   tolNullEntityAttrs,
		Before: "2024-02-15",
		Why: "Catalog items, variants and categories carry null for an attribute they have no value " +
			"for, such as the price of an item created without one (OBSERVED at 2026-04-15, " +
			"docs/klaviyo-behaviour.md §9.4 and §12 item 19), but their attribute properties only become " +
			"nullable in the 2024-02-15 spec (§1.6 row 2024-02-15, §11). Every attribute property of " +
			"catalog entities in data is relaxed (included[] has its own row); id, type, links and " +
			"relationships are not.",
	},
	{
		Name: tolNullPageLinks,
		Why: "Real list responses always carry links.self, links.next and links.prev, with null for " +
			"the absent ones (docs/klaviyo-behaviour.md §5.2 and §11: klaviyo-api-python #6, amp-labs " +
			"fixtures at 2024-10-15, Nango fixtures at 2026-04-15), while CollectionLinks never " +
			"declares nullable. Only next and prev are relaxed (not self, first or last).",
	},
	{
		Name: tolSparseRequired,
		Why: "A sparse fieldset returns only the attributes it lists (docs/klaviyo-behaviour.md §7.1, " +
			"§11), yet the job attributes schema marks job_id (before 2023-12-15), status, created_at and " +
			"total_count required. When the request sent fields[catalog-item-bulk-update-job] (or " +
			"fields[catalog-item]), required names it left out are dropped, for that validation only.",
	},
	{
		Name:   tolErrorVndAPI,
		Before: "2024-10-15",
		Why: "Errors (4xx/5xx) were served as application/vnd.api+json already in March 2023 " +
			"(docs/klaviyo-behaviour.md §3.1 and §11: klaviyo-api-python #15) while the specs " +
			"before 2024-10-15 declare application/json; such errors are validated against the " +
			"application/json schema. Success responses must use the spec's media type exactly.",
	},
}

// tolerated reports whether the named row applies to revision.
func tolerated(name, revision string) bool {
	for _, t := range Tolerances {
		if t.Name == name {
			return t.AppliesTo(revision)
		}
	}
	panic(fmt.Sprintf("spectest: no tolerance row %q", name))
}

// applyTolerances patches doc (a private copy) by walking the schema of every
// success response, following $refs and allOf branches, so that it does not
// depend on component names.
func applyTolerances(doc *openapi3.T, revision string, fields, includedFields []string) {
	for _, top := range successSchemas(doc) {
		data := elements(member(top, "data"))
		jobAttrs := member(data, "attributes")
		if tolerated(tolNullEntityAttrs, revision) {
			for _, d := range data {
				if !isEntity(d) {
					continue
				}
				for _, a := range member([]*openapi3.Schema{d}, "attributes") {
					for _, p := range a.Properties {
						if p.Value != nil {
							p.Value.Nullable = true
						}
					}
				}
			}
		}
		itemAttrs := member(elements(member(top, "included")), "attributes")
		if tolerated(tolNullJobTimestamps, revision) {
			for _, p := range member(jobAttrs, "completed_at", "expires_at") {
				p.Nullable = true
			}
		}
		if tolerated(tolNullIncludedAttrs, revision) {
			for _, a := range itemAttrs {
				for _, p := range a.Properties {
					if p.Value != nil {
						p.Value.Nullable = true
					}
				}
			}
		}
		if tolerated(tolNullPageLinks, revision) {
			for _, p := range member(member(top, "links"), "next", "prev") {
				p.Nullable = true
			}
		}
		if tolerated(tolSparseRequired, revision) {
			relaxRequired(jobAttrs, fields)
			relaxRequired(itemAttrs, includedFields)
		}
	}
}

// relaxRequired drops from each schema's required list the names a sparse
// fieldset left out; fields == nil means no fieldset was sent. A field
// naming a member of an object ("contact_information.street_address.city")
// keeps the object and relaxes what is required inside it the same way.
func relaxRequired(schemas []*openapi3.Schema, fields []string) {
	if fields == nil {
		return
	}
	for _, s := range schemas {
		s.Required = slices.DeleteFunc(slices.Clone(s.Required), func(n string) bool {
			return !slices.Contains(fields, n) && len(within(fields, n)) == 0
		})
		for name, p := range s.Properties {
			if sub := within(fields, name); len(sub) > 0 && !slices.Contains(fields, name) {
				relaxRequired(expand(p), sub)
			}
		}
	}
}

// within returns the fields naming members of name, less its prefix.
func within(fields []string, name string) []string {
	var out []string
	for _, f := range fields {
		if rest, ok := strings.CutPrefix(f, name+"."); ok {
			out = append(out, rest)
		}
	}
	return out
}

// successSchemas returns, expanded, the body schema of every 2xx response.
func successSchemas(doc *openapi3.T) [][]*openapi3.Schema {
	var out [][]*openapi3.Schema
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for code, ref := range op.Responses.Map() {
				if !strings.HasPrefix(code, "2") || ref == nil || ref.Value == nil {
					continue
				}
				for _, media := range ref.Value.Content {
					out = append(out, expand(media.Schema))
				}
			}
		}
	}
	return out
}

// expand returns the schema behind ref and, recursively, its allOf branches.
func expand(ref *openapi3.SchemaRef) []*openapi3.Schema {
	if ref == nil || ref.Value == nil {
		return nil
	}
	out := []*openapi3.Schema{ref.Value}
	for _, branch := range ref.Value.AllOf {
		out = append(out, expand(branch)...)
	}
	return out
}

// member returns the expanded schemas of the named properties of schemas.
func member(schemas []*openapi3.Schema, names ...string) []*openapi3.Schema {
	var out []*openapi3.Schema
	for _, s := range schemas {
		for _, n := range names {
			out = append(out, expand(s.Properties[n])...)
		}
	}
	return out
}

// elements replaces array schemas by their (expanded) item schemas.
func elements(schemas []*openapi3.Schema) []*openapi3.Schema {
	var out []*openapi3.Schema
	for _, s := range schemas {
		if s.Items != nil {
			out = append(out, expand(s.Items)...)
		} else {
			out = append(out, s)
		}
	}
	return out
}

// isEntity reports whether a resource schema is of a catalog item, variant
// or category (its type's enum says so).
func isEntity(s *openapi3.Schema) bool {
	t := s.Properties["type"]
	if t == nil || t.Value == nil {
		return false
	}
	for _, v := range t.Value.Enum {
		switch v {
		case "catalog-item", "catalog-variant", "catalog-category":
			return true
		}
	}
	return false
}
