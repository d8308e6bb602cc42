package payload_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/jsonw/jsonwtest"
	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// FuzzParseCreate feeds arbitrary bodies to ParseCreate for every job
// resource at every revision (both picked from the fuzz input) and checks
// its contract: no panic; either an accepted request of 1..100 well-formed
// elements, or Klaviyo-shaped 400s whose pointers lead into the document; a
// parse_error exactly when the body is not one JSON value; one 400 invalid
// at the first number that does not fit a float64 when there is one. Each
// JSON body with a number is also sent again with one of its numbers made
// too large, which must be refused.
func FuzzParseCreate(f *testing.F) {
	profiles := revision.Default().All()
	index := func(date string) uint8 {
		for i, p := range profiles {
			if p.Date == date {
				return uint8(i)
			}
		}
		f.Fatalf("no revision %s", date)
		return 0
	}
	dates := []string{revFirst, revLastNoSKU, revFirstSKU, revLastPlain, revFirstWrapped, revParentReq, revLastNotNull,
		revFirstNullable, revCategoriesOpt, revMiddle, revParentKeyReq, revNewest}
	up := jobSel(f, itemUpdateJobs)
	rel := `,"relationships":{"categories":{"data":[{"type":"catalog-category","id":"$custom:::$default:::C"}]}}`
	for _, date := range dates {
		r := index(date)
		f.Add(up, r, []byte(body(date, item("A", fullAttrs))))
		f.Add(up, r, []byte(body(date, item("A", `"title":"t"`), item("B", `"price":1.5,"published":false`))))
		f.Add(up, r, []byte(body(date, `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"images":["x"]}`+rel+`}`)))
		f.Add(up, r, []byte(body(date, item("A", `"title":null,"custom_metadata":null,"price":null`))))
		f.Add(up, r, []byte(body(date, item("A", `"custom_metadata":{"html":"<b>&</b>","n":[1,{"d":null}]}`))))
		f.Add(up, r, []byte(body(date)))
		f.Add(up, r, []byte(body(date, items(101)...)))
		f.Add(up, r, []byte(body(date, item("A", `"a/b":1,"~":2`))))
		f.Add(up, r, []byte(body(date, `{"type":1,"id":"x","attributes":{"price":"p"},"zz":0,"relationships":{"categories":{}}}`)))
		f.Add(up, r, []byte(body(date, item("A", `"custom_metadata":{"a":{"b":[1e999]}}`))))
		f.Add(up, r, []byte(body(date, item("A", `"price":-1e400,"title":1.8e308`))))
		for i, j := range allJobs {
			ji := uint8(i)
			for _, e := range seedElements(j.name, date) {
				f.Add(ji, r, []byte(jobBody(j.name, date, e)))
			}
			f.Add(ji, r, []byte(jobBody(j.name, date)))
			f.Add(ji, r, []byte(jobBody(j.name, date, `{"type":"`+j.entity+`"}`, `{}`, `1`)))
		}
	}
	for _, b := range []string{
		``, `{`, `[]`, `null`, `{}`, `{"data":null}`, `{"data":{}}`, `{"data":[]}`,
		`{"data":{"type":"catalog-item-bulk-update-job"}}`,
		`{"data":{"type":"catalog-item-bulk-update-job","attributes":{"items":{}}}}`,
		`{"data":{"type":"catalog-item-bulk-update-job","attributes":{"items":[1,"x",null]}}}`,
		`{"data":{"type":"catalog-variant-bulk-create-job","attributes":{"variants":{"data":[{"type":"catalog-variant","attributes":{},"relationships":{"item":{"data":null}}}]}}}}`,
		`{} {}`, `{"data":{}}x`, "{\"data\":\"\xff\"}", `{"data":1e999}`,
	} {
		for i := range allJobs {
			f.Add(uint8(i), index(revNewest), []byte(b))
			f.Add(uint8(i), index(revFirst), []byte(b))
		}
	}

	// jobProfiles[j][r] is job j's profile at revision r.
	jobProfiles := make([][]*resource.Profile, len(allJobs))
	for i, j := range allJobs {
		for _, rp := range profiles {
			jobProfiles[i] = append(jobProfiles[i], jobProfile(f, j.name, rp.Date))
		}
	}

	f.Fuzz(func(t *testing.T, jobNum, rev uint8, body []byte) {
		j := allJobs[int(jobNum)%len(allJobs)]
		p := jobProfiles[int(jobNum)%len(allJobs)][int(rev)%len(profiles)]
		orig := bytes.Clone(body)
		req, errs := payload.ParseCreate(p, body)
		if !bytes.Equal(body, orig) {
			t.Fatalf("ParseCreate modified its input")
		}
		checkNumbers(t, p, body, errs)
		if generated, ok := withMisfit(body); ok {
			_, gerrs := payload.ParseCreate(p, generated)
			if len(gerrs) == 0 {
				t.Fatalf("%s: accepted %q, which holds a number that does not fit a float64", p.Date, generated)
			}
			checkNumbers(t, p, generated, gerrs)
		}
		valid := json.Valid(body)
		if len(errs) == 0 {
			checkAccepted(t, j, p, req)
			if !valid {
				t.Fatalf("%s: accepted a body that is not valid JSON: %q", p.Date, body)
			}
			return
		}
		if req.Elements != nil || req.Pointer != "" || req.Kind != 0 {
			t.Errorf("%s %s: got request %+v alongside errors", j.name, p.Date, req)
		}
		var doc any
		if valid {
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber()
			if err := dec.Decode(&doc); err != nil {
				t.Fatalf("json.Valid but Decode failed: %v", err)
			}
		}
		for i, e := range errs {
			if e == nil {
				t.Fatalf("error %d is nil", i)
			}
			if e.Status != 400 {
				t.Errorf("error %d: status %d, want 400", i, e.Status)
			}
			if strings.TrimSpace(e.Detail) == "" {
				t.Errorf("error %d: empty detail", i)
			}
			if e.Source == nil {
				t.Fatalf("error %d: no source", i)
			}
			ptr := e.Source.Pointer
			if ptr != "" && ptr != "/data" && !strings.HasPrefix(ptr, "/data/") {
				t.Errorf("error %d: pointer %q does not start with /data", i, ptr)
			}
			switch e.Code {
			case apierror.CodeParseError:
				if e.Title != apierror.TitleParseError || len(errs) != 1 || ptr != apierror.PointerData {
					t.Errorf("parse_error %d: title %q, %d errors, pointer %q; want the only error, at /data",
						i, e.Title, len(errs), ptr)
				}
				if valid {
					if strings.Contains(e.Detail, "nests deeper than") {
						break // a valid document nested past the depth limit
					}
					t.Errorf("%s: parse_error %q for a well-formed JSON body %q", p.Date, e.Detail, body)
				}
			case apierror.CodeInvalid:
				if e.Title != apierror.TitleInvalid {
					t.Errorf("error %d: title %q, want %q", i, e.Title, apierror.TitleInvalid)
				}
				if !valid {
					t.Errorf("%s: code invalid for a body that is not JSON: %q", p.Date, body)
					continue
				}
				if !parentResolves(doc, ptr) {
					t.Errorf("%s: error %d pointer %q: its parent is not in the document %q", p.Date, i, ptr, body)
				}
			default:
				t.Errorf("error %d: code %q, want %q or %q", i, e.Code, apierror.CodeInvalid, apierror.CodeParseError)
			}
		}
		if !valid && (len(errs) != 1 || errs[0].Code != apierror.CodeParseError) {
			t.Errorf("%s: malformed body %q got %d errors, want one parse_error", p.Date, body, len(errs))
		}
	})
}

// checkNumbers checks that a well-formed body holding a number that does
// not fit a float64 (found by an oracle independent of the parser's) was
// refused with exactly one 400 invalid at the first such number.
func checkNumbers(t *testing.T, p *resource.Profile, body []byte, errs []*apierror.Error) {
	t.Helper()
	first, misfit := jsonwtest.FirstMisfit(body)
	if !misfit || (len(errs) == 1 && strings.Contains(errs[0].Detail, "nests deeper than")) {
		return
	}
	want := fmt.Sprintf(jsonw.DetailNumberOutOfRange, first.Text)
	if len(errs) != 1 || errs[0].Code != apierror.CodeInvalid || errs[0].Source == nil ||
		errs[0].Source.Pointer != first.Pointer || errs[0].Detail != want {
		t.Fatalf("%s: %q holds %s at %q, want only that refused; got:\n%s", p.Date, body, first.Text, first.Pointer, describe(errs))
	}
}

// misfits are numbers too large for a float64, as a client might send them.
var misfits = []string{"1e999", "-1e400", "1.8e308", "1" + strings.Repeat("0", 309), "-2E+308"}

// withMisfit returns body, when it is JSON with a number, with one of its
// numbers (chosen by the body's length) made too large for a float64.
func withMisfit(body []byte) ([]byte, bool) {
	nums, ok := jsonwtest.Numbers(body)
	if !ok || len(nums) == 0 {
		return nil, false
	}
	n := nums[len(body)%len(nums)]
	out := append(append(bytes.Clone(body[:n.Start]), misfits[len(body)%len(misfits)]...), body[n.End:]...)
	return out, true
}

// checkAccepted checks an accepted request of job j at profile p.
func checkAccepted(t *testing.T, j jobInfo, p *resource.Profile, req store.CreateRequest) {
	t.Helper()
	if req.Kind != j.kind {
		t.Errorf("%s %s: Kind %v, want %v", j.name, p.Date, req.Kind, j.kind)
	}
	if n := len(req.Elements); n < 1 || n > payload.MaxElements {
		t.Fatalf("%s %s: accepted %d elements, want 1..%d", j.name, p.Date, n, payload.MaxElements)
	}
	if req.Pointer != listPointer(j.name, p.Date) {
		t.Errorf("%s %s: Pointer %q, want %q", j.name, p.Date, req.Pointer, listPointer(j.name, p.Date))
	}
	allowed, required := settable(j, p.Date)
	attrs := j.ekind.Attrs()
	for i, el := range req.Elements {
		if !validCatalogID(el.ID) {
			t.Errorf("element %d: id %q is not $custom:::$default:::<external_id>", i, el.ID)
		}
		if j.action == "create" && el.ID != catalogID(el.Values.ExternalID) {
			t.Errorf("element %d: id %q is not derived from external_id %q", i, el.ID, el.Values.ExternalID)
		}
		if el.Set&^allowed != 0 {
			t.Errorf("%s %s element %d: Set %015b has attributes outside %015b", j.name, p.Date, i, el.Set, allowed)
		}
		if el.Set&required != required {
			t.Errorf("%s %s element %d: Set %015b lacks required %015b", j.name, p.Date, i, el.Set, required)
		}
		v := el.Values
		for k, a := range attrs {
			if !el.Set.Has(k) {
				if v.IsSet(k) {
					t.Errorf("%s element %d: %s has a value but is not in Set", j.name, i, a.Name)
				}
				continue
			}
			if !v.IsSet(k) && (!nullable(p.Date) || required.Has(k)) {
				t.Errorf("%s %s element %d: %s set to null", j.name, p.Date, i, a.Name)
			}
		}
		if cm := customMetadata(&v); cm != nil {
			if !json.Valid(cm) || cm[0] != '{' || len(cm) > payload.MaxCustomMetadata {
				t.Errorf("stored custom_metadata %.40q is not an object of at most 100 KB", cm)
			}
		}
		if el.HasRelated {
			if j.action == "delete" || j.kind == jobVariantUpdate {
				t.Errorf("%s element %d: has related %q; the job takes no relationships", j.name, i, el.Related)
			}
			if j.kind == jobVariantCreate && len(el.Related) != 1 {
				t.Errorf("%s element %d: %d parent items, want 1", j.name, i, len(el.Related))
			}
			for _, id := range el.Related {
				if !validCatalogID(id) {
					t.Errorf("element %d: related id %q is not a catalog id", i, id)
				}
			}
		} else if el.Related != nil {
			t.Errorf("element %d: Related %q without HasRelated", i, el.Related)
		}
	}
}

// validCatalogID reports whether id is "$custom:::$default:::<non-empty>".
func validCatalogID(id string) bool {
	return strings.HasPrefix(id, catalogID("")) && len(id) > len(catalogID(""))
}

// parentResolves reports whether the member holding the one ptr names
// exists in doc (the member itself may be the missing one).
func parentResolves(doc any, ptr string) bool {
	if ptr == "" {
		return true
	}
	tokens := strings.Split(ptr[1:], "/")
	cur := doc
	for _, tok := range tokens[:len(tokens)-1] {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch n := cur.(type) {
		case map[string]any:
			v, ok := n[tok]
			if !ok {
				return false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(n) {
				return false
			}
			cur = n[i]
		default:
			return false
		}
	}
	return true
}
