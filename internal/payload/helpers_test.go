package payload_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Revisions at the edges of the body shapes (FACTS.md section 2 and
// summary 13): items[] up to 2023-06-15, items.data[] from 2023-07-15;
// null attributes from 2024-02-15; categories data required up to 2024-02-15.
const (
	revFirst         = "2022-10-17"
	revLastPlain     = "2023-06-15"
	revFirstWrapped  = "2023-07-15"
	revLastNotNull   = "2023-12-15"
	revFirstNullable = "2024-02-15"
	revCategoriesOpt = "2024-05-15"
	revNewest        = "2026-07-15"
)

const jobType = "catalog-item-bulk-update-job"

// profile returns the revision profile of date from the default table.
func profile(t testing.TB, date string) *revision.Profile {
	t.Helper()
	p, ok := revision.Default().Exact(date)
	if !ok {
		t.Fatalf("no revision %s in the table", date)
	}
	return p
}

// wrapped reports whether date lists items as data.attributes.items.data[]
// (FACTS.md summary 13), independently of the profile table.
func wrapped(date string) bool { return date >= revFirstWrapped }

// itemsPointer is the JSON pointer of the items array at date.
func itemsPointer(date string) string {
	if wrapped(date) {
		return "/data/attributes/items/data"
	}
	return "/data/attributes/items"
}

// itemPointer is the JSON pointer of item i at date.
func itemPointer(date string, i int) string {
	return fmt.Sprintf("%s/%d", itemsPointer(date), i)
}

// body returns a create document for date holding the given item objects.
func body(date string, items ...string) string {
	return bodyWithList(date, strings.Join(items, ","))
}

// bodyWithList returns a create document for date whose items array holds
// the raw list text.
func bodyWithList(date, list string) string {
	itemsValue := "[" + list + "]"
	if wrapped(date) {
		itemsValue = `{"data":[` + list + `]}`
	}
	return `{"data":{"type":"` + jobType + `","attributes":{"items":` + itemsValue + `}}}`
}

// item returns a catalog item object with external id ext and the raw
// attributes object members attrs.
func item(ext, attrs string) string {
	return `{"type":"catalog-item","id":"` + store.ItemID(ext) + `","attributes":{` + attrs + `}}`
}

// items returns n distinct minimal catalog items.
func items(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = item(fmt.Sprintf("SKU-%03d", i), `"title":"t"`)
	}
	return out
}

// parseOK parses body at date and fails unless it is accepted.
func parseOK(t *testing.T, date, body string) store.CreateRequest {
	t.Helper()
	req, errs := payload.ParseCreate(profile(t, date), []byte(body))
	if len(errs) > 0 {
		t.Fatalf("revision %s: got %d error(s), want none:\n%s\nbody: %.300s", date, len(errs), describe(errs), body)
	}
	return req
}

// parseFail parses body at date and fails unless it is refused.
func parseFail(t *testing.T, date, body string) []*apierror.Error {
	t.Helper()
	req, errs := payload.ParseCreate(profile(t, date), []byte(body))
	if len(errs) == 0 {
		t.Fatalf("revision %s: got no error, want some; body: %.300s", date, body)
	}
	if req.Items != nil || req.ItemPointer != "" {
		t.Errorf("revision %s: got request %+v alongside errors, want the zero request", date, req)
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
		t.Fatalf("got %d error(s), want %d:\n%s", len(errs), len(want), describe(errs))
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
