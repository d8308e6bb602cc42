package payload_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Tests for the eight sibling job resources (docs/klaviyo-behaviour.md §8.3).
// The expectations are derived from the documents, not from the resource
// table: attribute lists, revision edges and body shapes are spelled out
// here.

// sampleRevisions are an old, a middle and the newest revision plus every
// revision where a body rule changes.
var sampleRevisions = []string{
	revFirst, revLastNoSKU, revFirstSKU, revLastPlain, revFirstWrapped, "2023-08-15", revParentReq,
	revLastNotNull, revFirstNullable, revCategoriesOpt, revMiddle, revParentKeyReq, revNewest,
}

// createRequired and createOptional are the attributes a create element
// must and may send (docs/klaviyo-behaviour.md §9.2 and §8.3), without
// integration_type and catalog_type, which are checked but not kept.
var createRequired = map[store.EntityKind][]string{
	itemKind:     {"external_id", "title", "description", "url"},
	variantKind:  {"external_id", "title", "description", "sku", "inventory_quantity", "price", "url"},
	categoryKind: {"external_id", "name"},
}

var createOptional = map[store.EntityKind][]string{
	itemKind:     {"price", "image_full_url", "image_thumbnail_url", "images", "custom_metadata", "published"},
	variantKind:  {"inventory_policy", "image_full_url", "image_thumbnail_url", "images", "custom_metadata", "published"},
	categoryKind: {},
}

// updateAttrsAt are the attributes an update element of kind k may set at
// date: variant updates take sku from 2023-02-22.
func updateAttrsAt(k store.EntityKind, date string) []string {
	var out []string
	for _, a := range updatableAttributes[k] {
		if a == "sku" && date < revFirstSKU {
			continue
		}
		out = append(out, a)
	}
	return out
}

// settable returns the attributes an element of job j may set at date and
// those it must.
func settable(j jobInfo, date string) (allowed, required store.AttrSet) {
	switch j.action {
	case "create":
		req := j.ekind.SetOf(createRequired[j.ekind]...)
		return req | j.ekind.SetOf(createOptional[j.ekind]...), req
	case "update":
		return j.ekind.SetOf(updateAttrsAt(j.ekind, date)...), 0
	}
	return 0, 0
}

// parentRule is how a variant create names its item at date
// (docs/klaviyo-behaviour.md §8.3, a variant create's item).
func parentRule(date string) resource.ParentRule {
	switch {
	case date <= revLastPlain:
		return resource.ParentItemsArray
	case date < revParentReq:
		return resource.ParentItemOptional
	case date <= revFirstNullable:
		return resource.ParentItemRequired
	case date < revParentKeyReq:
		return resource.ParentItemOptional
	}
	return resource.ParentItemKeyRequired
}

// parentRel is the relationships member naming the variant's item ext the
// way date spells it.
func parentRel(date, ext string) string {
	if date <= revLastPlain {
		return `"relationships":{"items":{"data":[{"type":"catalog-item","id":"` + catalogID(ext) + `"}]}}`
	}
	return `"relationships":{"item":{"data":{"type":"catalog-item","id":"` + catalogID(ext) + `"}}}`
}

// obj joins members into a JSON object.
func obj(members ...string) string {
	var keep []string
	for _, m := range members {
		if m != "" {
			keep = append(keep, m)
		}
	}
	return "{" + strings.Join(keep, ",") + "}"
}

// requiredAttrs are minimal values of every required create attribute of
// kind k for external id ext, as body members.
func requiredAttrs(k store.EntityKind, ext string) []string {
	switch k {
	case itemKind:
		return []string{`"external_id":"` + ext + `"`, `"title":"T"`, `"description":"D"`, `"url":"https://x/p"`}
	case variantKind:
		return []string{`"external_id":"` + ext + `"`, `"title":"T"`, `"description":"D"`, `"sku":"S"`,
			`"inventory_quantity":3`, `"price":2.5`, `"url":"https://x/v"`}
	}
	return []string{`"external_id":"` + ext + `"`, `"name":"N"`}
}

// requiredValues are the values requiredAttrs parse to.
func requiredValues(k store.EntityKind, ext string) []any {
	switch k {
	case itemKind:
		return []any{"external_id", ext, "title", "T", "description", "D", "url", "https://x/p"}
	case variantKind:
		return []any{"external_id", ext, "title", "T", "description", "D", "sku", "S",
			"inventory_quantity", 3.0, "price", 2.5, "url", "https://x/v"}
	}
	return []any{"external_id", ext, "name", "N"}
}

// minimalCreate is the smallest valid create element of job j at date.
func minimalCreate(j jobInfo, date, ext string, extra ...string) string {
	members := []string{`"type":"` + j.entity + `"`, `"attributes":` + obj(append(requiredAttrs(j.ekind, ext), extra...)...)}
	if j.kind == jobVariantCreate {
		members = append(members, parentRel(date, "PARENT"))
	}
	return obj(members...)
}

// minimalCreateElement is what minimalCreate parses to.
func minimalCreateElement(j jobInfo, ext string) store.Element {
	el := store.Element{
		ID:     catalogID(ext),
		Set:    j.ekind.SetOf(createRequired[j.ekind]...),
		Values: values(j.ekind, requiredValues(j.ekind, ext)...),
	}
	if j.kind == jobVariantCreate {
		el.HasRelated, el.Related = true, []string{catalogID("PARENT")}
	}
	return el
}

// minimalElement is the smallest valid element of job j at date.
func minimalElement(j jobInfo, date, ext string) string {
	switch j.action {
	case "create":
		return minimalCreate(j, date, ext)
	case "update":
		return `{"type":"` + j.entity + `","id":"` + catalogID(ext) + `","attributes":{}}`
	}
	return `{"type":"` + j.entity + `","id":"` + catalogID(ext) + `"}`
}

// minimalParsed is what minimalElement parses to.
func minimalParsed(j jobInfo, ext string) store.Element {
	if j.action == "create" {
		return minimalCreateElement(j, ext)
	}
	return store.Element{ID: catalogID(ext), Values: values(j.ekind)}
}

// seedElements are valid elements of the job name at date (fuzz seeds).
func seedElements(name, date string) []string {
	j := jobByName(name)
	out := []string{minimalElement(j, date, "A")}
	switch j.kind {
	case jobItemCreate:
		out = append(out, fullItemCreate(date, "B"))
	case jobVariantCreate:
		out = append(out, fullVariantCreate(date, "B"))
	case jobCategoryCreate:
		out = append(out, fullCategoryCreate("B"))
	case jobVariantUpdate:
		out = append(out, `{"type":"catalog-variant","id":"$custom:::$default:::V","attributes":{"title":"t","inventory_policy":2,"price":null}}`)
	case jobCategoryUpdate:
		out = append(out, `{"type":"catalog-category","id":"$custom:::$default:::C","attributes":{"name":"n"},"relationships":{"items":{"data":[]}}}`)
	}
	return out
}

// requestOf returns els as the request of job name at date.
func requestOf(name, date string, els ...store.Element) store.CreateRequest {
	return store.CreateRequest{Kind: jobByName(name).kind, Elements: els, Pointer: listPointer(name, date)}
}

const mediaAttrs = `"image_full_url":"https://x/f.jpg","image_thumbnail_url":"https://x/t.jpg","images":["https://x/f.jpg","https://x/g.jpg"],` +
	`"custom_metadata":{"z":1,"a":{"b":[null]}},"published":false`

var mediaValues = []any{"image_full_url", "https://x/f.jpg", "image_thumbnail_url", "https://x/t.jpg",
	"images", []string{"https://x/f.jpg", "https://x/g.jpg"}, "custom_metadata", `{"z":1,"a":{"b":[null]}}`, "published", false}

func fullItemCreate(date, ext string) string {
	return `{"type":"catalog-item","attributes":{"external_id":"` + ext + `","title":"Red Shoe","description":"Size 9","url":"https://x/p",` +
		`"integration_type":"$custom","catalog_type":"$default","price":19.99,` + mediaAttrs + `},` +
		`"relationships":{"categories":{"data":[{"type":"catalog-category","id":"$custom:::$default:::SHOES"},` +
		`{"type":"catalog-category","id":"$custom:::$default:::SALE"}]}}}`
}

func fullItemCreateElement(ext string) store.Element {
	return store.Element{
		ID:  catalogID(ext),
		Set: itemKind.SetOf("external_id", "title", "description", "url", "price", "image_full_url", "image_thumbnail_url", "images", "custom_metadata", "published"),
		Values: values(itemKind, append([]any{"external_id", ext, "title", "Red Shoe", "description", "Size 9", "url", "https://x/p",
			"price", 19.99}, mediaValues...)...),
		HasRelated: true, Related: []string{catalogID("SHOES"), catalogID("SALE")},
	}
}

func fullVariantCreate(date, ext string) string {
	return `{"type":"catalog-variant","attributes":{"external_id":"` + ext + `","title":"Red Shoe 9","description":"Size 9","sku":"RS-9",` +
		`"inventory_quantity":12,"price":21.5,"url":"https://x/v","integration_type":"$custom","catalog_type":"$default",` +
		`"inventory_policy":1,` + mediaAttrs + `},` + parentRel(date, "RED") + `}`
}

func fullVariantCreateElement(ext string) store.Element {
	return store.Element{
		ID: catalogID(ext),
		Set: variantKind.SetOf("external_id", "title", "description", "sku", "inventory_quantity", "price", "url",
			"inventory_policy", "image_full_url", "image_thumbnail_url", "images", "custom_metadata", "published"),
		Values: values(variantKind, append([]any{"external_id", ext, "title", "Red Shoe 9", "description", "Size 9", "sku", "RS-9",
			"inventory_quantity", 12.0, "price", 21.5, "url", "https://x/v", "inventory_policy", 1}, mediaValues...)...),
		HasRelated: true, Related: []string{catalogID("RED")},
	}
}

func fullCategoryCreate(ext string) string {
	return `{"type":"catalog-category","attributes":{"external_id":"` + ext + `","name":"Shoes","integration_type":"$custom","catalog_type":"$default"},` +
		`"relationships":{"items":{"data":[{"type":"catalog-item","id":"$custom:::$default:::RED"},{"type":"catalog-item","id":"$custom:::$default:::BLUE"}]}}}`
}

func fullCategoryCreateElement(ext string) store.Element {
	return store.Element{
		ID:         catalogID(ext),
		Set:        categoryKind.SetOf("external_id", "name"),
		Values:     values(categoryKind, "external_id", ext, "name", "Shoes"),
		HasRelated: true, Related: []string{catalogID("RED"), catalogID("BLUE")},
	}
}

var createJobs = []string{itemCreateJobs, variantCreateJobs, categoryCreateJobs}
var deleteJobs = []string{itemDeleteJobs, variantDeleteJobs, categoryDeleteJobs}

const badIDTail = " id: expected '$custom:::$default:::<external_id>' (only the $custom integration and the $default catalog are supported)."

// badID is the detail for an id that is not a catalog id of type typ.
func badID(id, typ string) string { return "'" + id + "' is not a valid " + typ + badIDTail }

// --- every job: the envelope ---

func TestJobs_EnvelopePerJob(t *testing.T) {
	for _, j := range allJobs {
		for _, date := range sampleRevisions {
			t.Run(j.name+"/"+date, func(t *testing.T) {
				lp := listPointer(j.name, date)
				t.Run("one", func(t *testing.T) {
					got := parseJobOK(t, j.name, date, jobBody(j.name, date, minimalElement(j, date, "A")))
					wantRequest(t, got, requestOf(j.name, date, minimalParsed(j, "A")))
				})
				t.Run("hundred_in_order", func(t *testing.T) {
					var els []string
					var want []store.Element
					for i := 99; i >= 0; i-- {
						ext := fmt.Sprintf("E-%03d", i)
						els = append(els, minimalElement(j, date, ext))
						want = append(want, minimalParsed(j, ext))
					}
					got := parseJobOK(t, j.name, date, jobBody(j.name, date, els...))
					wantRequest(t, got, requestOf(j.name, date, want...))
				})
				t.Run("zero", func(t *testing.T) {
					wantInvalid(t, parseJobFail(t, j.name, date, jobBody(j.name, date)),
						wantErr{lp, "At least one " + j.entity + " is required."})
				})
				t.Run("hundred_and_one", func(t *testing.T) {
					var els []string
					for i := range 101 {
						els = append(els, minimalElement(j, date, fmt.Sprint(i)))
					}
					wantInvalid(t, parseJobFail(t, j.name, date, jobBody(j.name, date, els...)),
						wantErr{lp, fmt.Sprintf("A job accepts at most 100 %s; got 101.", j.key)})
				})
				t.Run("type_of_another_job", func(t *testing.T) {
					for _, other := range allJobs {
						if other.name == j.name {
							continue
						}
						b := strings.Replace(jobBody(j.name, date, minimalElement(j, date, "A")), `"`+j.typ+`"`, `"`+other.typ+`"`, 1)
						wantInvalid(t, parseJobFail(t, j.name, date, b),
							wantErr{"/data/type", "'" + other.typ + "' is not a valid type here; expected '" + j.typ + "'."})
					}
				})
				t.Run("type_missing", func(t *testing.T) {
					b := strings.Replace(jobBody(j.name, date, minimalElement(j, date, "A")), `"type":"`+j.typ+`",`, ``, 1)
					wantInvalid(t, parseJobFail(t, j.name, date, b),
						wantErr{"/data/type", "'type' is required and must be '" + j.typ + "'."})
				})
				t.Run("key_of_another_entity", func(t *testing.T) {
					for _, other := range []string{"items", "variants", "categories"} {
						if other == j.key {
							continue
						}
						b := strings.Replace(jobBody(j.name, date, minimalElement(j, date, "A")), `"`+j.key+`":`, `"`+other+`":`, 1)
						wantInvalid(t, parseJobFail(t, j.name, date, b),
							wantErr{"/data/attributes/" + other, fmt.Sprintf(apierror.DetailInvalidField, other, j.typ)},
							wantErr{"/data/attributes/" + j.key, "This field is required."})
					}
				})
				t.Run("extra_job_attribute", func(t *testing.T) {
					b := strings.Replace(jobBody(j.name, date, minimalElement(j, date, "A")), `"attributes":{"`+j.key+`":`,
						`"attributes":{"things":[],"`+j.key+`":`, 1)
					wantInvalid(t, parseJobFail(t, j.name, date, b),
						wantErr{"/data/attributes/things", fmt.Sprintf(apierror.DetailInvalidField, "things", j.typ)})
				})
				t.Run("other_shape", func(t *testing.T) {
					el := minimalElement(j, date, "A")
					if wrapped(date) {
						b := `{"data":{"type":"` + j.typ + `","attributes":{"` + j.key + `":[` + el + `]}}}`
						wantInvalid(t, parseJobFail(t, j.name, date, b), wantErr{"/data/attributes/" + j.key,
							fmt.Sprintf("'%s' must be an object with a 'data' array of catalog-%s at revision %s, got an array.", j.key, j.key, date)})
						return
					}
					b := `{"data":{"type":"` + j.typ + `","attributes":{"` + j.key + `":{"data":[` + el + `]}}}}`
					wantInvalid(t, parseJobFail(t, j.name, date, b), wantErr{"/data/attributes/" + j.key,
						fmt.Sprintf("'%s' must be an array of catalog-%s at revision %s, got an object.", j.key, j.key, date)})
				})
				t.Run("element_type_of_another_entity", func(t *testing.T) {
					for _, other := range []string{"catalog-item", "catalog-variant", "catalog-category"} {
						if other == j.entity {
							continue
						}
						el := strings.Replace(minimalElement(j, date, "A"), `"type":"`+j.entity+`"`, `"type":"`+other+`"`, 1)
						wantInvalid(t, parseJobFail(t, j.name, date, jobBody(j.name, date, minimalElement(j, date, "B"), el)),
							wantErr{elemPointer(j.name, date, 1) + "/type", "'" + other + "' is not a valid type here; expected '" + j.entity + "'."})
					}
				})
				t.Run("element_not_an_object", func(t *testing.T) {
					wantInvalid(t, parseJobFail(t, j.name, date, jobBody(j.name, date, `[]`)),
						wantErr{elemPointer(j.name, date, 0), "A " + j.entity + " must be an object, got an array."})
				})
				t.Run("unknown_element_member", func(t *testing.T) {
					el := strings.Replace(minimalElement(j, date, "A"), `{`, `{"links":{},`, 1)
					wantInvalid(t, parseJobFail(t, j.name, date, jobBody(j.name, date, el)),
						wantErr{elemPointer(j.name, date, 0) + "/links", "'links' is not a valid member of a " + j.entity + " to " + j.action + "."})
				})
			})
		}
	}
}

// --- create jobs ---

func TestJobs_CreateAcceptsEveryAttribute(t *testing.T) {
	for _, date := range revisions() {
		t.Run(date, func(t *testing.T) {
			got := parseJobOK(t, itemCreateJobs, date, jobBody(itemCreateJobs, date, fullItemCreate(date, "RED-1"), fullItemCreate(date, "RED-2")))
			wantRequest(t, got, requestOf(itemCreateJobs, date, fullItemCreateElement("RED-1"), fullItemCreateElement("RED-2")))

			got = parseJobOK(t, variantCreateJobs, date, jobBody(variantCreateJobs, date, fullVariantCreate(date, "RED-9"), fullVariantCreate(date, "RED-10")))
			wantRequest(t, got, requestOf(variantCreateJobs, date, fullVariantCreateElement("RED-9"), fullVariantCreateElement("RED-10")))

			got = parseJobOK(t, categoryCreateJobs, date, jobBody(categoryCreateJobs, date, fullCategoryCreate("SHOES"), fullCategoryCreate("BOOTS")))
			wantRequest(t, got, requestOf(categoryCreateJobs, date, fullCategoryCreateElement("SHOES"), fullCategoryCreateElement("BOOTS")))
		})
	}
}

func TestJobs_CreateDerivesTheIDFromExternalID(t *testing.T) {
	for _, name := range createJobs {
		j := job(t, name)
		for _, ext := range []string{"x", "a:::b", "with space", "ünï/cødé?#", `quote"d`, "$custom:::$default:::NESTED"} {
			date := revNewest
			el := minimalCreate(j, date, "PLACEHOLDER")
			el = strings.Replace(el, `"external_id":"PLACEHOLDER"`, `"external_id":`+jsonString(ext), 1)
			got := parseJobOK(t, name, date, jobBody(name, date, el))
			if id := got.Elements[0].ID; id != "$custom:::$default:::"+ext || got.Elements[0].Values.ExternalID != ext {
				t.Errorf("%s external_id %q: got id %q external_id %q, want id %q", name, ext, id,
					got.Elements[0].Values.ExternalID, "$custom:::$default:::"+ext)
			}
		}
	}
}

func TestJobs_CreateRefusesAnID(t *testing.T) {
	for _, name := range createJobs {
		j := job(t, name)
		for _, date := range sampleRevisions {
			t.Run(name+"/"+date, func(t *testing.T) {
				el := strings.Replace(minimalCreate(j, date, "A"), `{`, `{"id":"$custom:::$default:::A",`, 1)
				wantInvalid(t, parseJobFail(t, name, date, jobBody(name, date, el)),
					wantErr{elemPointer(name, date, 0) + "/id", "'id' is not a valid member of a " + j.entity + " to create."})
			})
		}
	}
}

func TestJobs_CreateRequiresEachAttribute(t *testing.T) {
	for _, name := range createJobs {
		j := job(t, name)
		required := createRequired[j.ekind]
		for _, date := range sampleRevisions {
			t.Run(name+"/"+date, func(t *testing.T) {
				ep := elemPointer(name, date, 0)
				rel := ""
				if j.kind == jobVariantCreate {
					rel = parentRel(date, "P")
				}
				// No attributes at all: one error per required attribute.
				var want []wantErr
				for _, a := range required {
					want = append(want, wantErr{ep + "/attributes/" + a, "'" + a + "' is a required field for the resource '" + j.entity + "'."})
				}
				el := obj(`"type":"`+j.entity+`"`, `"attributes":{}`, rel)
				wantInvalid(t, parseJobFail(t, name, date, jobBody(name, date, el)), want...)
				// Each one missing on its own.
				members := requiredAttrs(j.ekind, "A")
				for i, a := range required {
					rest := append(append([]string(nil), members[:i]...), members[i+1:]...)
					el := obj(`"type":"`+j.entity+`"`, `"attributes":`+obj(rest...), rel)
					wantInvalid(t, parseJobFail(t, name, date, jobBody(name, date, el)),
						wantErr{ep + "/attributes/" + a, "'" + a + "' is a required field for the resource '" + j.entity + "'."})
				}
				// No attributes member.
				el = obj(`"type":"`+j.entity+`"`, rel)
				wantInvalid(t, parseJobFail(t, name, date, jobBody(name, date, el)),
					wantErr{ep + "/attributes", "This field is required."})
			})
		}
	}
}

func TestJobs_CreateRequiredAttributesAreNeverNull(t *testing.T) {
	for _, name := range createJobs {
		j := job(t, name)
		for _, date := range sampleRevisions {
			for i, a := range createRequired[j.ekind] {
				t.Run(name+"/"+date+"/"+a, func(t *testing.T) {
					members := requiredAttrs(j.ekind, "A")
					members[i] = `"` + a + `":null`
					el := obj(`"type":"`+j.entity+`"`, `"attributes":`+obj(members...))
					if j.kind == jobVariantCreate {
						el = obj(`"type":"`+j.entity+`"`, `"attributes":`+obj(members...), parentRel(date, "P"))
					}
					wantInvalid(t, parseJobFail(t, name, date, jobBody(name, date, el)),
						wantErr{elemPointer(name, date, 0) + "/attributes/" + a, "This field may not be null at revision " + date + "."})
				})
			}
		}
	}
}

func TestJobs_CreateOptionalAttributesNullableFrom20240215(t *testing.T) {
	for _, name := range createJobs {
		j := job(t, name)
		optional := append(append([]string(nil), createOptional[j.ekind]...), "integration_type", "catalog_type")
		for _, date := range sampleRevisions {
			for _, a := range optional {
				t.Run(name+"/"+date+"/"+a, func(t *testing.T) {
					b := jobBody(name, date, minimalCreate(j, date, "A", `"`+a+`":null`))
					if !nullable(date) {
						wantInvalid(t, parseJobFail(t, name, date, b),
							wantErr{elemPointer(name, date, 0) + "/attributes/" + a, "This field may not be null at revision " + date + "."})
						return
					}
					want := minimalCreateElement(j, "A")
					if a != "integration_type" && a != "catalog_type" {
						want.Set |= j.ekind.SetOf(a)
					}
					wantRequest(t, parseJobOK(t, name, date, b), requestOf(name, date, want))
				})
			}
		}
	}
}

func TestJobs_CreateIdentityAttributes(t *testing.T) {
	for _, name := range createJobs {
		j := job(t, name)
		for _, date := range []string{revFirst, revFirstWrapped, revMiddle, revNewest} {
			t.Run(name+"/"+date, func(t *testing.T) {
				ep := elemPointer(name, date, 0) + "/attributes/"
				for _, ok := range []string{`"integration_type":"$custom"`, `"catalog_type":"$default"`,
					`"integration_type":"$custom","catalog_type":"$default"`} {
					got := parseJobOK(t, name, date, jobBody(name, date, minimalCreate(j, date, "A", ok)))
					wantRequest(t, got, requestOf(name, date, minimalCreateElement(j, "A")))
				}
				cases := []struct {
					member string
					want   wantErr
				}{
					{`"integration_type":"$shopify"`, wantErr{ep + "integration_type",
						`'"$shopify"' is not a valid choice for 'integration_type': only '$custom' is supported.`}},
					{`"integration_type":"$CUSTOM"`, wantErr{ep + "integration_type",
						`'"$CUSTOM"' is not a valid choice for 'integration_type': only '$custom' is supported.`}},
					{`"integration_type":1`, wantErr{ep + "integration_type",
						`'1' is not a valid choice for 'integration_type': only '$custom' is supported.`}},
					{`"catalog_type":"other"`, wantErr{ep + "catalog_type",
						`'"other"' is not a valid choice for 'catalog_type': only '$default' is supported.`}},
					{`"catalog_type":["$default"]`, wantErr{ep + "catalog_type",
						`'["$default"]' is not a valid choice for 'catalog_type': only '$default' is supported.`}},
				}
				for _, c := range cases {
					wantInvalid(t, parseJobFail(t, name, date, jobBody(name, date, minimalCreate(j, date, "A", c.member))), c.want)
				}
				// external_id: a non-empty string.
				el := strings.Replace(minimalCreate(j, date, "A"), `"external_id":"A"`, `"external_id":""`, 1)
				wantInvalid(t, parseJobFail(t, name, date, jobBody(name, date, el)),
					wantErr{ep + "external_id", "external_id may not be empty."})
				el = strings.Replace(minimalCreate(j, date, "A"), `"external_id":"A"`, `"external_id":7`, 1)
				wantInvalid(t, parseJobFail(t, name, date, jobBody(name, date, el)),
					wantErr{ep + "external_id", "Must be a string, got a number."})
			})
		}
	}
}

func TestJobs_CreateRefusesOtherAttributes(t *testing.T) {
	cases := []struct {
		name, attr string
	}{
		{itemCreateJobs, "sku"}, {itemCreateJobs, "inventory_quantity"}, {itemCreateJobs, "name"},
		{itemCreateJobs, "created"}, {itemCreateJobs, "id"}, {itemCreateJobs, "Title"},
		{variantCreateJobs, "name"}, {variantCreateJobs, "updated"}, {variantCreateJobs, "item"},
		{categoryCreateJobs, "title"}, {categoryCreateJobs, "description"}, {categoryCreateJobs, "published"},
		{categoryCreateJobs, "updated"}, {categoryCreateJobs, "items"},
	}
	for _, c := range cases {
		j := job(t, c.name)
		for _, date := range []string{revFirst, revMiddle, revNewest} {
			got := parseJobFail(t, c.name, date, jobBody(c.name, date, minimalCreate(j, date, "A", `"`+c.attr+`":"x"`)))
			wantInvalid(t, got, wantErr{elemPointer(c.name, date, 0) + "/attributes/" + c.attr,
				"'" + c.attr + "' is not a valid field for the resource '" + j.entity + "'."})
		}
	}
}

func TestJobs_CreateAttributeValues(t *testing.T) {
	// Variant numbers and inventory_policy.
	j := job(t, variantCreateJobs)
	date := revNewest
	ep := elemPointer(variantCreateJobs, date, 0) + "/attributes/"
	for _, p := range []int{0, 1, 2} {
		got := parseJobOK(t, variantCreateJobs, date, jobBody(variantCreateJobs, date,
			minimalCreate(j, date, "A", fmt.Sprintf(`"inventory_policy":%d`, p))))
		want := minimalCreateElement(j, "A")
		want.Set |= variantKind.SetOf("inventory_policy")
		want.Values.Vals[attrIndex(variantKind, "inventory_policy")] = ptr(p)
		wantRequest(t, got, requestOf(variantCreateJobs, date, want))
	}
	for _, bad := range []string{`3`, `-1`, `1.5`, `"1"`, `true`} {
		wantInvalid(t, parseJobFail(t, variantCreateJobs, date, jobBody(variantCreateJobs, date,
			minimalCreate(j, date, "A", `"inventory_policy":`+bad))),
			wantErr{ep + "inventory_policy", "'" + bad + "' is not a valid choice for inventory_policy: use 0, 1 or 2."})
	}
	el := strings.Replace(minimalCreate(j, date, "A"), `"inventory_quantity":3`, `"inventory_quantity":"3"`, 1)
	wantInvalid(t, parseJobFail(t, variantCreateJobs, date, jobBody(variantCreateJobs, date, el)),
		wantErr{ep + "inventory_quantity", "Must be a number, got a string."})
	el = strings.Replace(minimalCreate(j, date, "A"), `"price":2.5`, `"price":null`, 1)
	wantInvalid(t, parseJobFail(t, variantCreateJobs, date, jobBody(variantCreateJobs, date, el)),
		wantErr{ep + "price", "This field may not be null at revision " + date + "."})
	// Category name.
	c := job(t, categoryCreateJobs)
	el = strings.Replace(minimalCreate(c, date, "A"), `"name":"N"`, `"name":5`, 1)
	wantInvalid(t, parseJobFail(t, categoryCreateJobs, date, jobBody(categoryCreateJobs, date, el)),
		wantErr{elemPointer(categoryCreateJobs, date, 0) + "/attributes/name", "Must be a string, got a number."})
}

func TestJobs_CreateRelationships(t *testing.T) {
	cases := []struct {
		name, key, relType, otherKey string
	}{
		{itemCreateJobs, "categories", "catalog-category", "items"},
		{categoryCreateJobs, "items", "catalog-item", "categories"},
	}
	for _, c := range cases {
		j := job(t, c.name)
		for _, date := range sampleRevisions {
			t.Run(c.name+"/"+date, func(t *testing.T) {
				ep := elemPointer(c.name, date, 0)
				el := func(rel string) string {
					return strings.TrimSuffix(minimalCreate(j, date, "A"), "}") + `,"relationships":` + rel + "}"
				}
				withRel := func(related ...string) store.CreateRequest {
					want := minimalCreateElement(j, "A")
					want.HasRelated, want.Related = true, related
					return requestOf(c.name, date, want)
				}
				got := parseJobOK(t, c.name, date, jobBody(c.name, date, el(`{"`+c.key+`":{"data":[{"type":"`+c.relType+`","id":"$custom:::$default:::R1"},`+
					`{"type":"`+c.relType+`","id":"$custom:::$default:::R2"}]}}`)))
				wantRequest(t, got, withRel(catalogID("R1"), catalogID("R2")))

				got = parseJobOK(t, c.name, date, jobBody(c.name, date, el(`{"`+c.key+`":{"data":[]}}`)))
				wantRequest(t, got, withRel())

				got = parseJobOK(t, c.name, date, jobBody(c.name, date, el(`{}`)))
				wantRequest(t, got, requestOf(c.name, date, minimalCreateElement(j, "A")))

				b := jobBody(c.name, date, el(`{"`+c.key+`":{}}`))
				if relDataRequired(date) {
					wantInvalid(t, parseJobFail(t, c.name, date, b), wantErr{ep + "/relationships/" + c.key + "/data", "This field is required."})
				} else {
					wantRequest(t, parseJobOK(t, c.name, date, b), requestOf(c.name, date, minimalCreateElement(j, "A")))
				}

				wantInvalid(t, parseJobFail(t, c.name, date, jobBody(c.name, date, el(`{"`+c.otherKey+`":{"data":[]}}`))),
					wantErr{ep + "/relationships/" + c.otherKey, "'" + c.otherKey + "' is not a valid relationship of a " + j.entity + "."})
				wantInvalid(t, parseJobFail(t, c.name, date, jobBody(c.name, date, el(`{"`+c.key+`":{"data":[{"type":"`+c.relType+`","id":"R1"}]}}`))),
					wantErr{ep + "/relationships/" + c.key + "/data/0/id", badID("R1", c.relType)})
				wantInvalid(t, parseJobFail(t, c.name, date, jobBody(c.name, date, el(`{"`+c.key+`":{"data":[{"type":"`+j.entity+`","id":"$custom:::$default:::R1"}]}}`))),
					wantErr{ep + "/relationships/" + c.key + "/data/0/type", "'" + j.entity + "' is not a valid type here; expected '" + c.relType + "'."})
			})
		}
	}
}

// variantParentShape is one way a variant create element may name (or not
// name) its item.
type variantParentShape struct {
	name, rel string // rel: the relationships member, "" for none
}

var variantParentShapes = []variantParentShape{
	{"none", ``},
	{"empty", `"relationships":{}`},
	{"items_one", `"relationships":{"items":{"data":[{"type":"catalog-item","id":"$custom:::$default:::P"}]}}`},
	{"items_two", `"relationships":{"items":{"data":[{"type":"catalog-item","id":"$custom:::$default:::P"},{"type":"catalog-item","id":"$custom:::$default:::Q"}]}}`},
	{"items_no_data", `"relationships":{"items":{}}`},
	{"item", `"relationships":{"item":{"data":{"type":"catalog-item","id":"$custom:::$default:::P"}}}`},
	{"item_no_data", `"relationships":{"item":{}}`},
	{"item_bad_id", `"relationships":{"item":{"data":{"type":"catalog-item","id":"P"}}}`},
	{"item_wrong_type", `"relationships":{"item":{"data":{"type":"catalog-variant","id":"$custom:::$default:::P"}}}`},
	{"item_data_array", `"relationships":{"item":{"data":[{"type":"catalog-item","id":"$custom:::$default:::P"}]}}`},
	{"categories", `"relationships":{"categories":{"data":[]}}`},
}

// wantVariantParent is what docs/klaviyo-behaviour.md §8.3 says of shape at
// date: the parent ids, or the errors (pointers relative to the element).
func wantVariantParent(date string, s variantParentShape) (related []string, errs []wantErr) {
	rule := parentRule(date)
	key := "item"
	if rule == resource.ParentItemsArray {
		key = "items"
	}
	wrongKey := func(k string) []wantErr {
		return []wantErr{{"/relationships/" + k, fmt.Sprintf(
			"'%s' is not a valid relationship of a catalog-variant at revision %s; use '%s'.", k, date, key)}}
	}
	itemRequired := rule == resource.ParentItemRequired || rule == resource.ParentItemKeyRequired
	switch s.name {
	case "none":
		if itemRequired {
			return nil, []wantErr{{"/relationships", "This field is required: a variant names its item in relationships.item at revision " + date + "."}}
		}
		return nil, nil
	case "empty":
		if itemRequired {
			return nil, []wantErr{{"/relationships/item", "This field is required."}}
		}
		return nil, nil
	case "categories":
		errs := wrongKey("categories")
		if itemRequired {
			errs = append(errs, wantErr{"/relationships/item", "This field is required."})
		}
		return nil, errs
	}
	if key == "items" {
		switch s.name {
		case "items_one":
			return []string{catalogID("P")}, nil
		case "items_two":
			return nil, []wantErr{{"/relationships/items/data", "'data' must hold the variant's one catalog-item."}}
		case "items_no_data":
			// openapi@2022-10-17 … 2023-06-15: relationships.items
			// requires data (BodyRelDataRequired holds up to 2024-02-15).
			return nil, []wantErr{{"/relationships/items/data", "This field is required."}}
		}
		return nil, wrongKey("item")
	}
	switch s.name {
	case "items_one", "items_two", "items_no_data":
		errs := wrongKey("items")
		if itemRequired {
			errs = append(errs, wantErr{"/relationships/item", "This field is required."})
		}
		return nil, errs
	case "item":
		return []string{catalogID("P")}, nil
	case "item_no_data":
		// openapi@2023-07-15 … 2024-02-15: relationships.item requires
		// data (relationships and item themselves become required at
		// 2023-09-15); from 2024-05-15 data is optional.
		if relDataRequired(date) {
			return nil, []wantErr{{"/relationships/item/data", "This field is required."}}
		}
		return nil, nil
	case "item_bad_id":
		return nil, []wantErr{{"/relationships/item/data/id", badID("P", "catalog-item")}}
	case "item_wrong_type":
		return nil, []wantErr{{"/relationships/item/data/type", "'catalog-variant' is not a valid type here; expected 'catalog-item'."}}
	case "item_data_array":
		return nil, []wantErr{{"/relationships/item/data", "A catalog-item identifier must be an object, got an array."}}
	}
	panic("unknown shape " + s.name)
}

func TestJobs_VariantCreateParentPerRevision(t *testing.T) {
	j := job(t, variantCreateJobs)
	for _, date := range revisions() {
		for _, s := range variantParentShapes {
			t.Run(date+"/"+s.name, func(t *testing.T) {
				el := obj(`"type":"catalog-variant"`, `"attributes":`+obj(requiredAttrs(variantKind, "V")...), s.rel)
				b := jobBody(variantCreateJobs, date, el)
				related, errs := wantVariantParent(date, s)
				if errs != nil {
					ep := elemPointer(variantCreateJobs, date, 0)
					for i := range errs {
						errs[i].pointer = ep + errs[i].pointer
					}
					wantInvalid(t, parseJobFail(t, variantCreateJobs, date, b), errs...)
					return
				}
				want := minimalCreateElement(j, "V")
				want.HasRelated, want.Related = related != nil, related
				got := parseJobOK(t, variantCreateJobs, date, b)
				wantRequest(t, got, requestOf(variantCreateJobs, date, want))
				// Where the parent was sent, for the job error if it is missing.
				at := "/relationships/item/data/id"
				if parentRule(date) == resource.ParentItemsArray {
					at = "/relationships/items/data/0/id"
				}
				if got.Elements[0].ParentAt != at {
					t.Errorf("ParentAt %q, want %q", got.Elements[0].ParentAt, at)
				}
			})
		}
	}
}

// --- update jobs ---

func TestJobs_UpdateAcceptsTheKindsAttributes(t *testing.T) {
	variantAll := `"title":"T","description":"D","sku":"S","inventory_policy":2,"inventory_quantity":7,"price":3.25,"url":"u",` + mediaAttrs
	variantValues := append([]any{"title", "T", "description", "D", "sku", "S", "inventory_policy", 2, "inventory_quantity", 7.0,
		"price", 3.25, "url", "u"}, mediaValues...)
	for _, date := range revisions() {
		t.Run(date, func(t *testing.T) {
			attrs, vals := variantAll, variantValues
			if date < revFirstSKU {
				attrs = strings.Replace(attrs, `"sku":"S",`, ``, 1)
				vals = append(append([]any(nil), vals[:4]...), vals[6:]...)
			}
			el := `{"type":"catalog-variant","id":"$custom:::$default:::V","attributes":{` + attrs + `}}`
			got := parseJobOK(t, variantUpdateJobs, date, jobBody(variantUpdateJobs, date, el))
			wantRequest(t, got, requestOf(variantUpdateJobs, date, store.Element{ID: catalogID("V"),
				Set: variantKind.SetOf(updateAttrsAt(variantKind, date)...), Values: values(variantKind, vals...)}))

			el = `{"type":"catalog-category","id":"$custom:::$default:::C","attributes":{"name":"Shoes"}}`
			got = parseJobOK(t, categoryUpdateJobs, date, jobBody(categoryUpdateJobs, date, el))
			wantRequest(t, got, requestOf(categoryUpdateJobs, date, store.Element{ID: catalogID("C"),
				Set: categoryKind.SetOf("name"), Values: values(categoryKind, "name", "Shoes")}))
		})
	}
}

func TestJobs_UpdateSKUFrom20230222(t *testing.T) {
	for _, date := range revisions() {
		t.Run(date, func(t *testing.T) {
			b := jobBody(variantUpdateJobs, date, `{"type":"catalog-variant","id":"$custom:::$default:::V","attributes":{"sku":"NEW"}}`)
			if date < revFirstSKU {
				wantInvalid(t, parseJobFail(t, variantUpdateJobs, date, b), wantErr{elemPointer(variantUpdateJobs, date, 0) + "/attributes/sku",
					"'sku' is not a valid field for the resource 'catalog-variant'."})
				return
			}
			wantRequest(t, parseJobOK(t, variantUpdateJobs, date, b), requestOf(variantUpdateJobs, date,
				store.Element{ID: catalogID("V"), Set: variantKind.SetOf("sku"), Values: values(variantKind, "sku", "NEW")}))
		})
	}
}

func TestJobs_UpdateRefusesCreateOnlyAttributes(t *testing.T) {
	for _, name := range []string{itemUpdateJobs, variantUpdateJobs, categoryUpdateJobs} {
		j := job(t, name)
		others := []string{"external_id", "integration_type", "catalog_type", "id", "created", "updated"}
		switch j.ekind {
		case itemKind:
			others = append(others, "sku", "inventory_policy", "name")
		case variantKind:
			others = append(others, "name", "item")
		case categoryKind:
			others = append(others, "title", "description", "url", "price", "published")
		}
		for _, date := range []string{revFirst, revFirstSKU, revMiddle, revNewest} {
			for _, a := range others {
				el := `{"type":"` + j.entity + `","id":"$custom:::$default:::A","attributes":{"` + a + `":"x"}}`
				wantInvalid(t, parseJobFail(t, name, date, jobBody(name, date, el)),
					wantErr{elemPointer(name, date, 0) + "/attributes/" + a, "'" + a + "' is not a valid field for the resource '" + j.entity + "'."})
			}
		}
	}
}

func TestJobs_UpdateNeedsAnID(t *testing.T) {
	for _, name := range []string{itemUpdateJobs, variantUpdateJobs, categoryUpdateJobs} {
		j := job(t, name)
		for _, date := range []string{revFirst, revFirstWrapped, revMiddle, revNewest} {
			ep := elemPointer(name, date, 0)
			cases := []struct {
				el   string
				want wantErr
			}{
				{`{"type":"` + j.entity + `","attributes":{}}`, wantErr{ep + "/id", "This field is required."}},
				{`{"type":"` + j.entity + `","id":null,"attributes":{}}`, wantErr{ep + "/id", "This field is required."}},
				{`{"type":"` + j.entity + `","id":"A","attributes":{}}`, wantErr{ep + "/id", badID("A", j.entity)}},
				{`{"type":"` + j.entity + `","id":"$custom:::$default:::","attributes":{}}`, wantErr{ep + "/id", badID("$custom:::$default:::", j.entity)}},
				{`{"type":"` + j.entity + `","id":1,"attributes":{}}`, wantErr{ep + "/id", "A " + j.entity + " id must be a string, got a number."}},
				{`{"type":"` + j.entity + `","id":"$custom:::$default:::A"}`, wantErr{ep + "/attributes", "This field is required."}},
			}
			for _, c := range cases {
				wantInvalid(t, parseJobFail(t, name, date, jobBody(name, date, c.el)), c.want)
			}
		}
	}
}

func TestJobs_UpdateNullAttributesFrom20240215(t *testing.T) {
	for _, name := range []string{variantUpdateJobs, categoryUpdateJobs} {
		j := job(t, name)
		for _, date := range sampleRevisions {
			for _, a := range updateAttrsAt(j.ekind, date) {
				t.Run(name+"/"+date+"/"+a, func(t *testing.T) {
					b := jobBody(name, date, `{"type":"`+j.entity+`","id":"$custom:::$default:::A","attributes":{"`+a+`":null}}`)
					if !nullable(date) {
						wantInvalid(t, parseJobFail(t, name, date, b),
							wantErr{elemPointer(name, date, 0) + "/attributes/" + a, "This field may not be null at revision " + date + "."})
						return
					}
					wantRequest(t, parseJobOK(t, name, date, b), requestOf(name, date,
						store.Element{ID: catalogID("A"), Set: j.ekind.SetOf(a), Values: values(j.ekind)}))
				})
			}
		}
	}
}

func TestJobs_VariantUpdateRefusesRelationships(t *testing.T) {
	for _, date := range sampleRevisions {
		for _, rel := range []string{`{"item":{"data":{"type":"catalog-item","id":"$custom:::$default:::P"}}}`, `{}`, `null`} {
			el := `{"type":"catalog-variant","id":"$custom:::$default:::V","attributes":{},"relationships":` + rel + `}`
			wantInvalid(t, parseJobFail(t, variantUpdateJobs, date, jobBody(variantUpdateJobs, date, el)),
				wantErr{elemPointer(variantUpdateJobs, date, 0) + "/relationships", "'relationships' is not a valid member of a catalog-variant to update."})
		}
	}
}

func TestJobs_CategoryUpdateReplacesItems(t *testing.T) {
	for _, date := range sampleRevisions {
		t.Run(date, func(t *testing.T) {
			ep := elemPointer(categoryUpdateJobs, date, 0)
			el := func(rel string) string {
				return `{"type":"catalog-category","id":"$custom:::$default:::C","attributes":{"name":"N"}` + rel + `}`
			}
			want := func(has bool, related ...string) store.CreateRequest {
				if has && related == nil {
					related = []string{}
				}
				return requestOf(categoryUpdateJobs, date, store.Element{ID: catalogID("C"), Set: categoryKind.SetOf("name"),
					Values: values(categoryKind, "name", "N"), HasRelated: has, Related: related})
			}
			got := parseJobOK(t, categoryUpdateJobs, date, jobBody(categoryUpdateJobs, date,
				el(`,"relationships":{"items":{"data":[{"type":"catalog-item","id":"$custom:::$default:::I1"},{"type":"catalog-item","id":"$custom:::$default:::I2"}]}}`)))
			wantRequest(t, got, want(true, catalogID("I1"), catalogID("I2")))

			got = parseJobOK(t, categoryUpdateJobs, date, jobBody(categoryUpdateJobs, date, el(`,"relationships":{"items":{"data":[]}}`)))
			wantRequest(t, got, want(true))
			if got.Elements[0].Related == nil || !got.Elements[0].HasRelated {
				t.Errorf("empty items data: got HasRelated %t Related %#v, want true and an empty list (the update empties the category)",
					got.Elements[0].HasRelated, got.Elements[0].Related)
			}

			got = parseJobOK(t, categoryUpdateJobs, date, jobBody(categoryUpdateJobs, date, el(``)))
			wantRequest(t, got, want(false))
			got = parseJobOK(t, categoryUpdateJobs, date, jobBody(categoryUpdateJobs, date, el(`,"relationships":{}`)))
			wantRequest(t, got, want(false))

			b := jobBody(categoryUpdateJobs, date, el(`,"relationships":{"items":{}}`))
			if relDataRequired(date) {
				wantInvalid(t, parseJobFail(t, categoryUpdateJobs, date, b), wantErr{ep + "/relationships/items/data", "This field is required."})
			} else {
				wantRequest(t, parseJobOK(t, categoryUpdateJobs, date, b), want(false))
			}

			wantInvalid(t, parseJobFail(t, categoryUpdateJobs, date, jobBody(categoryUpdateJobs, date, el(`,"relationships":{"categories":{"data":[]}}`))),
				wantErr{ep + "/relationships/categories", "'categories' is not a valid relationship of a catalog-category."})
			wantInvalid(t, parseJobFail(t, categoryUpdateJobs, date, jobBody(categoryUpdateJobs, date,
				el(`,"relationships":{"items":{"data":[{"type":"catalog-item","id":"I1"}]}}`))),
				wantErr{ep + "/relationships/items/data/0/id", badID("I1", "catalog-item")})
		})
	}
}

// --- delete jobs ---

func TestJobs_DeleteElementsAreTypeAndIDOnly(t *testing.T) {
	for _, name := range deleteJobs {
		j := job(t, name)
		for _, date := range sampleRevisions {
			t.Run(name+"/"+date, func(t *testing.T) {
				ep := elemPointer(name, date, 0)
				got := parseJobOK(t, name, date, jobBody(name, date,
					`{"type":"`+j.entity+`","id":"$custom:::$default:::A"}`, `{"id":"$custom:::$default:::B","type":"`+j.entity+`"}`))
				wantRequest(t, got, requestOf(name, date, store.Element{ID: catalogID("A"), Values: values(j.ekind)},
					store.Element{ID: catalogID("B"), Values: values(j.ekind)}))

				notMember := func(m string) string { return "'" + m + "' is not a valid member of a " + j.entity + " to delete." }
				cases := []struct {
					el   string
					want []wantErr
				}{
					{`{"type":"` + j.entity + `","id":"$custom:::$default:::A","attributes":{}}`, []wantErr{{ep + "/attributes", notMember("attributes")}}},
					{`{"type":"` + j.entity + `","id":"$custom:::$default:::A","attributes":{"title":"t"}}`, []wantErr{{ep + "/attributes", notMember("attributes")}}},
					{`{"type":"` + j.entity + `","id":"$custom:::$default:::A","relationships":{}}`, []wantErr{{ep + "/relationships", notMember("relationships")}}},
					{`{"type":"` + j.entity + `","id":"$custom:::$default:::A","attributes":{},"relationships":{"items":{"data":[]}}}`,
						[]wantErr{{ep + "/attributes", notMember("attributes")}, {ep + "/relationships", notMember("relationships")}}},
					{`{"type":"` + j.entity + `","id":"$custom:::$default:::A","meta":{}}`, []wantErr{{ep + "/meta", notMember("meta")}}},
					{`{"type":"` + j.entity + `"}`, []wantErr{{ep + "/id", "This field is required."}}},
					{`{"type":"` + j.entity + `","id":"A"}`, []wantErr{{ep + "/id", badID("A", j.entity)}}},
					{`{"id":"$custom:::$default:::A"}`, []wantErr{{ep + "/type", "'type' is required and must be '" + j.entity + "'."}}},
					{`{"type":"` + j.entity + `","external_id":"A"}`, []wantErr{{ep + "/id", "This field is required."}, {ep + "/external_id", notMember("external_id")}}},
				}
				for _, c := range cases {
					wantInvalid(t, parseJobFail(t, name, date, jobBody(name, date, c.el)), c.want...)
				}
			})
		}
	}
}
