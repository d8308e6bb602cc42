package payload_test

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Revisions at the edges of the body shapes (docs/klaviyo-behaviour.md §1.5
// and §8.3): <key>[] up to 2023-06-15,
// <key>.data[] from 2023-07-15; null attributes from 2024-02-15;
// relationships.<x>.data required up to 2024-02-15; variant updates take
// sku from 2023-02-22; the variant-create parent rules change at
// 2023-07-15, 2023-09-15, 2024-05-15 and 2025-01-15.
const (
	revFirst         = "2022-10-17"
	revLastNoSKU     = "2023-01-24"
	revFirstSKU      = "2023-02-22"
	revLastPlain     = "2023-06-15"
	revFirstWrapped  = "2023-07-15"
	revParentReq     = "2023-09-15"
	revLastNotNull   = "2023-12-15"
	revFirstNullable = "2024-02-15"
	revCategoriesOpt = "2024-05-15"
	revMiddle        = "2024-10-15"
	revParentKeyReq  = "2025-01-15"
	revNewest        = "2026-07-15"
)

// The nine job resources (collection names).
const (
	itemCreateJobs     = "catalog-item-bulk-create-jobs"
	itemUpdateJobs     = "catalog-item-bulk-update-jobs"
	itemDeleteJobs     = "catalog-item-bulk-delete-jobs"
	variantCreateJobs  = "catalog-variant-bulk-create-jobs"
	variantUpdateJobs  = "catalog-variant-bulk-update-jobs"
	variantDeleteJobs  = "catalog-variant-bulk-delete-jobs"
	categoryCreateJobs = "catalog-category-bulk-create-jobs"
	categoryUpdateJobs = "catalog-category-bulk-update-jobs"
	categoryDeleteJobs = "catalog-category-bulk-delete-jobs"
)

const jobType = "catalog-item-bulk-update-job"

// jobInfo is what docs/klaviyo-behaviour.md §8.1 says of a job resource,
// written down independently of the resource registry.
type jobInfo struct {
	name   string // collection
	typ    string // data.type
	key    string // body key: the entity plural
	entity string // element type
	kind   store.JobKind
	action string // create, update, delete
	ekind  store.EntityKind
}

var allJobs = []jobInfo{
	{itemCreateJobs, "catalog-item-bulk-create-job", "items", "catalog-item", jobItemCreate, "create", itemKind},
	{itemUpdateJobs, "catalog-item-bulk-update-job", "items", "catalog-item", jobItemUpdate, "update", itemKind},
	{itemDeleteJobs, "catalog-item-bulk-delete-job", "items", "catalog-item", jobItemDelete, "delete", itemKind},
	{variantCreateJobs, "catalog-variant-bulk-create-job", "variants", "catalog-variant", jobVariantCreate, "create", variantKind},
	{variantUpdateJobs, "catalog-variant-bulk-update-job", "variants", "catalog-variant", jobVariantUpdate, "update", variantKind},
	{variantDeleteJobs, "catalog-variant-bulk-delete-job", "variants", "catalog-variant", jobVariantDelete, "delete", variantKind},
	{categoryCreateJobs, "catalog-category-bulk-create-job", "categories", "catalog-category", jobCategoryCreate, "create", categoryKind},
	{categoryUpdateJobs, "catalog-category-bulk-update-job", "categories", "catalog-category", jobCategoryUpdate, "update", categoryKind},
	{categoryDeleteJobs, "catalog-category-bulk-delete-job", "categories", "catalog-category", jobCategoryDelete, "delete", categoryKind},
}

// jobAt is the position of the job resource name in allJobs, or -1.
func jobAt(name string) int {
	return slices.IndexFunc(allJobs, func(j jobInfo) bool { return j.name == name })
}

// job returns the facts of the job resource name.
func job(t testing.TB, name string) jobInfo {
	t.Helper()
	i := jobAt(name)
	if i < 0 {
		t.Fatalf("test setup: no job resource %s", name)
	}
	return allJobs[i]
}

// jobSel is the position of the job resource name in allJobs as a fuzz
// input selects it; it fails the setup on a name allJobs lacks (a bare
// uint8 of jobAt's -1 would select the job at 255 instead).
func jobSel(t testing.TB, name string) uint8 {
	t.Helper()
	i := jobAt(name)
	if i < 0 || i > math.MaxUint8 {
		t.Fatalf("test setup: no job resource %s a fuzz input can select", name)
	}
	return uint8(i)
}

// jobByName is job for a helper without a test at hand: it panics on a
// name allJobs lacks.
func jobByName(name string) jobInfo {
	i := jobAt(name)
	if i < 0 {
		panic("test setup: no job resource " + name)
	}
	return allJobs[i]
}

// registry is the default resource registry, built once.
var registry = resource.Default()

// revisions are the dates of every revision, oldest first.
func revisions() []string {
	var out []string
	for _, p := range revision.Default().All() {
		out = append(out, p.Date)
	}
	return out
}

// jobProfile returns the profile of the job resource name at date.
func jobProfile(t testing.TB, name, date string) *resource.Profile {
	t.Helper()
	rp, ok := revision.Default().Exact(date)
	if !ok {
		t.Fatalf("no revision %s in the table", date)
	}
	r, ok := registry.Named(name)
	if !ok {
		t.Fatalf("no resource %s in the registry", name)
	}
	if r.Job == nil {
		t.Fatalf("resource %s is not a job", name)
	}
	return r.At(rp)
}

// profile returns the item update job's profile at date.
func profile(t testing.TB, date string) *resource.Profile {
	t.Helper()
	return jobProfile(t, itemUpdateJobs, date)
}

// wrapped reports whether date lists elements as data.attributes.<key>.data[]
// (docs/klaviyo-behaviour.md §1.5 row 2023-07-15, §8.3), independently of
// the profile table.
func wrapped(date string) bool { return date >= revFirstWrapped }

// nullable reports whether optional body attributes may be null at date.
func nullable(date string) bool { return date >= revFirstNullable }

// relDataRequired reports whether relationships.<x> needs data at date.
func relDataRequired(date string) bool { return date <= revFirstNullable }

// listPointer is the JSON pointer of the job name's element array at date.
func listPointer(name, date string) string {
	p := "/data/attributes/" + jobByName(name).key
	if wrapped(date) {
		p += "/data"
	}
	return p
}

// elemPointer is the JSON pointer of element i of the job name at date.
func elemPointer(name, date string, i int) string {
	return fmt.Sprintf("%s/%d", listPointer(name, date), i)
}

// itemsPointer is the JSON pointer of the items array of an item update
// job at date.
func itemsPointer(date string) string { return listPointer(itemUpdateJobs, date) }

// itemPointer is the JSON pointer of item i of an item update job at date.
func itemPointer(date string, i int) string { return elemPointer(itemUpdateJobs, date, i) }

// jobBody returns a document for the job name at date holding the given
// element objects.
func jobBody(name, date string, elems ...string) string {
	return jobBodyWithList(name, date, strings.Join(elems, ","))
}

// jobBodyWithList returns a document for the job name at date whose
// element array holds the raw list text.
func jobBodyWithList(name, date, list string) string {
	j := jobByName(name)
	value := "[" + list + "]"
	if wrapped(date) {
		value = `{"data":[` + list + `]}`
	}
	return `{"data":{"type":"` + j.typ + `","attributes":{"` + j.key + `":` + value + `}}}`
}

// body returns an item update document for date holding the given items.
func body(date string, items ...string) string { return jobBody(itemUpdateJobs, date, items...) }

// bodyWithList returns an item update document for date whose items array
// holds the raw list text.
func bodyWithList(date, list string) string { return jobBodyWithList(itemUpdateJobs, date, list) }

// item returns a catalog item update element with external id ext and the
// raw attributes object members attrs.
func item(ext, attrs string) string {
	return `{"type":"catalog-item","id":"` + store.EntityID(ext) + `","attributes":{` + attrs + `}}`
}

// items returns n distinct minimal catalog item update elements.
func items(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = item(fmt.Sprintf("SKU-%03d", i), `"title":"t"`)
	}
	return out
}

// catalogID is "$custom:::$default:::<ext>", spelled out
// (docs/klaviyo-behaviour.md §9.5) rather than taken from the store.
func catalogID(ext string) string { return "$custom:::$default:::" + ext }

// parseOK parses an item update body at date and fails unless it is
// accepted.
func parseOK(t *testing.T, date, body string) store.CreateRequest {
	t.Helper()
	return parseJobOK(t, itemUpdateJobs, date, body)
}

// parseFail parses an item update body at date and fails unless it is
// refused.
func parseFail(t *testing.T, date, body string) []*apierror.Error {
	t.Helper()
	return parseJobFail(t, itemUpdateJobs, date, body)
}

// parseJobOK parses body for the job name at date and fails unless it is
// accepted as a request of that job's kind.
func parseJobOK(t *testing.T, name, date, body string) store.CreateRequest {
	t.Helper()
	req, errs := payload.ParseCreate(jobProfile(t, name, date), []byte(body))
	if len(errs) > 0 {
		t.Fatalf("%s at %s: got %d error(s), want none:\n%s\nbody: %.400s", name, date, len(errs), describe(errs), body)
	}
	if want := job(t, name).kind; req.Kind != want {
		t.Errorf("%s at %s: got Kind %v, want %v", name, date, req.Kind, want)
	}
	return req
}

// parseJobFail parses body for the job name at date and fails unless it is
// refused.
func parseJobFail(t *testing.T, name, date, body string) []*apierror.Error {
	t.Helper()
	req, errs := payload.ParseCreate(jobProfile(t, name, date), []byte(body))
	if len(errs) == 0 {
		t.Fatalf("%s at %s: got no error, want some; body: %.400s", name, date, body)
	}
	if req.Elements != nil || req.Pointer != "" || req.Kind != 0 {
		t.Errorf("%s at %s: got request %+v alongside errors, want the zero request", name, date, req)
	}
	return errs
}

// wantErr is one expected 400 `invalid` error.
type wantErr struct {
	pointer string
	detail  string
}

// wantInvalid fails unless errs are exactly want, in order: 400 `invalid`
// errors with the given source pointers and details.
func wantInvalid(t *testing.T, errs []*apierror.Error, want ...wantErr) {
	t.Helper()
	if len(errs) != len(want) {
		var w strings.Builder
		for i, e := range want {
			fmt.Fprintf(&w, "  %d: %q %q\n", i, e.pointer, e.detail)
		}
		t.Fatalf("got %d error(s), want %d:\n%swant:\n%s", len(errs), len(want), describe(errs), w.String())
	}
	for i, e := range errs {
		if e.Status != 400 || e.Code != apierror.CodeInvalid || e.Title != apierror.TitleInvalid {
			t.Errorf("error %d: got %d %q %q, want 400 %q %q", i, e.Status, e.Code, e.Title,
				apierror.CodeInvalid, apierror.TitleInvalid)
		}
		if e.Source == nil {
			t.Errorf("error %d: got no source, want pointer %q", i, want[i].pointer)
			continue
		}
		if e.Source.Pointer != want[i].pointer || e.Source.Parameter != "" {
			t.Errorf("error %d: got source %+v, want only pointer %q", i, *e.Source, want[i].pointer)
		}
		if e.Detail != want[i].detail {
			t.Errorf("error %d (%s): got detail\n  %q\nwant\n  %q", i, want[i].pointer, e.Detail, want[i].detail)
		}
	}
}

// wantParseError fails unless errs is the single `parse_error` Klaviyo-style
// error a malformed body gets.
func wantParseError(t *testing.T, errs []*apierror.Error) {
	t.Helper()
	if len(errs) != 1 {
		t.Fatalf("got %d error(s), want exactly one parse_error:\n%s", len(errs), describe(errs))
	}
	e := errs[0]
	if e.Status != 400 || e.Code != apierror.CodeParseError || e.Title != apierror.TitleParseError {
		t.Errorf("got %d %q %q, want 400 %q %q", e.Status, e.Code, e.Title, apierror.CodeParseError, apierror.TitleParseError)
	}
	if e.Source == nil || e.Source.Pointer != apierror.PointerData {
		t.Errorf("got source %+v, want pointer %q", e.Source, apierror.PointerData)
	}
	if !strings.HasPrefix(e.Detail, "JSON parse error - ") || len(e.Detail) == len("JSON parse error - ") {
		t.Errorf("got detail %q, want \"JSON parse error - <reason>\"", e.Detail)
	}
}

func describe(errs []*apierror.Error) string {
	var b strings.Builder
	for i, e := range errs {
		ptr := "<no source>"
		if e.Source != nil {
			ptr = fmt.Sprintf("%q", e.Source.Pointer)
		}
		fmt.Fprintf(&b, "  %d: %d %s %s %q\n", i, e.Status, e.Code, ptr, e.Detail)
	}
	return b.String()
}

func ptr[T any](v T) *T { return &v }

// values builds the Values of an element of kind from attribute name /
// value pairs, writing each into the slot the store documents for its type
// (ExternalID; Vals[i] a *string, *float64, *int, *bool, *[]string or
// json.RawMessage), not through the codec under test. A nil value leaves
// the attribute null; custom_metadata is given as its compact JSON text.
func values(kind store.EntityKind, kv ...any) store.Entity {
	if len(kv)%2 != 0 {
		panic("values: odd argument count")
	}
	e := store.Entity{Kind: kind, Vals: make([]any, len(kind.Attrs()))}
	for i := 0; i < len(kv); i += 2 {
		name, v := kv[i].(string), kv[i+1]
		k := attrIndex(kind, name)
		switch x := v.(type) {
		case nil:
		case string:
			switch name {
			case "external_id":
				e.ExternalID = x
			case "custom_metadata":
				e.Vals[k] = json.RawMessage(x)
			default:
				e.Vals[k] = ptr(x)
			}
		case float64:
			e.Vals[k] = ptr(x)
		case int:
			e.Vals[k] = ptr(x)
		case bool:
			e.Vals[k] = ptr(x)
		case []string:
			e.Vals[k] = ptr(x)
		default:
			panic(fmt.Sprintf("values: %s: unsupported value %T", name, v))
		}
	}
	return e
}

// attrStr returns e's string attribute name, failing when it is unset.
func attrStr(t testing.TB, e *store.Entity, name string) string {
	t.Helper()
	s, ok := e.Str(attrIndex(e.Kind, name))
	if !ok {
		t.Fatalf("%s: %s is unset, want a string", showEntity(*e), name)
	}
	return s
}

// attrNum returns e's number attribute name, failing when it is unset.
func attrNum(t testing.TB, e *store.Entity, name string) float64 {
	t.Helper()
	f, ok := e.Num(attrIndex(e.Kind, name))
	if !ok {
		t.Fatalf("%s: %s is unset, want a number", showEntity(*e), name)
	}
	return f
}

// attrStrings returns e's string-array attribute name, failing when it is
// unset.
func attrStrings(t testing.TB, e *store.Entity, name string) []string {
	t.Helper()
	s, ok := e.Strings(attrIndex(e.Kind, name))
	if !ok {
		t.Fatalf("%s: %s is unset, want an array", showEntity(*e), name)
	}
	return s
}

// customMetadata returns e's custom_metadata (nil when unset or when its kind has
// none).
func customMetadata(e *store.Entity) json.RawMessage {
	i, _, ok := e.Kind.Attr("custom_metadata")
	if !ok {
		return nil
	}
	m, _ := e.Object(i)
	return m
}

// padded returns e with every attribute slot present (Vals as long as
// the kind's attributes) and no empty Refs, so that entities holding the
// same values compare equal however their slices were sized.
func padded(e store.Entity) store.Entity {
	vals := make([]any, max(len(e.Kind.Attrs()), len(e.Vals)))
	copy(vals, e.Vals)
	e.Vals = vals
	if !slices.ContainsFunc(e.Refs, func(s string) bool { return s != "" }) {
		e.Refs = nil
	}
	return e
}

// wantRequest fails unless got is want: kind, pointer and every element's
// id, attribute set, values (with their entity kind) and relationship.
func wantRequest(t *testing.T, got store.CreateRequest, want store.CreateRequest) {
	t.Helper()
	if got.Kind != want.Kind {
		t.Errorf("got Kind %v, want %v", got.Kind, want.Kind)
	}
	if got.Pointer != want.Pointer {
		t.Errorf("got Pointer %q, want %q", got.Pointer, want.Pointer)
	}
	if len(got.Elements) != len(want.Elements) {
		t.Fatalf("got %d elements, want %d", len(got.Elements), len(want.Elements))
	}
	for i := range got.Elements {
		g, w := got.Elements[i], want.Elements[i]
		if g.ID != w.ID || g.Set != w.Set {
			t.Errorf("element %d: got id %q set %015b, want id %q set %015b", i, g.ID, g.Set, w.ID, w.Set)
		}
		if g.HasRelated != w.HasRelated || !slices.Equal(g.Related, w.Related) {
			t.Errorf("element %d: got related %t %q, want %t %q", i, g.HasRelated, g.Related, w.HasRelated, w.Related)
		}
		if g.Values.Kind != w.Values.Kind {
			t.Errorf("element %d: got values of kind %v, want %v", i, g.Values.Kind, w.Values.Kind)
			continue
		}
		gm, wm := customMetadata(&g.Values), customMetadata(&w.Values)
		if string(gm) != string(wm) {
			t.Errorf("element %d: got custom_metadata %s, want %s", i, gm, wm)
		}
		if (gm == nil) != (wm == nil) {
			t.Errorf("element %d: got custom_metadata nil=%t, want nil=%t", i, gm == nil, wm == nil)
		}
		gv, wv := padded(g.Values), padded(w.Values)
		if mi, _, ok := gv.Kind.Attr("custom_metadata"); ok {
			gv.Vals[mi], wv.Vals[mi] = nil, nil
		}
		if !reflect.DeepEqual(gv, wv) {
			t.Errorf("element %d: got values\n  %s\nwant\n  %s", i, showEntity(gv), showEntity(wv))
		}
	}
}

// showEntity writes e's kind, ids, every attribute value (nil when null)
// and its references and times.
func showEntity(e store.Entity) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v id=%q external_id=%q", e.Kind, e.ID, e.ExternalID)
	for i, a := range e.Kind.Attrs() {
		if i >= len(e.Vals) || a.Role != schema.Plain {
			continue
		}
		switch v := reflect.ValueOf(e.Vals[i]); {
		case !v.IsValid():
			fmt.Fprintf(&b, " %s=nil", a.Name)
		case v.Kind() == reflect.Pointer && v.IsNil():
			fmt.Fprintf(&b, " %s=(%T)nil", a.Name, e.Vals[i])
		case v.Kind() == reflect.Pointer:
			fmt.Fprintf(&b, " %s=%#v", a.Name, v.Elem().Interface())
		default:
			fmt.Fprintf(&b, " %s=%s", a.Name, e.Vals[i])
		}
	}
	if len(e.Vals) > len(e.Kind.Attrs()) {
		fmt.Fprintf(&b, " extra=%v", e.Vals[len(e.Kind.Attrs()):])
	}
	if len(e.Refs) > 0 || !e.Created.IsZero() || !e.Updated.IsZero() {
		fmt.Fprintf(&b, " refs=%q created=%v updated=%v", e.Refs, e.Created, e.Updated)
	}
	return b.String()
}
