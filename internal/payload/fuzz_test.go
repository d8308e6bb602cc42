package payload_test

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// FuzzParseCreate feeds arbitrary bodies to ParseCreate at every revision
// and checks its contract: no panic; either an accepted request of 1..100
// well-formed items, or Klaviyo-shaped 400s whose pointers lead into the
// document; a parse_error exactly when the body is not one JSON value.
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
	rel := `,"relationships":{"categories":{"data":[{"type":"catalog-category","id":"$custom:::$default:::C"}]}}`
	for _, date := range []string{revFirst, revLastPlain, revFirstWrapped, revLastNotNull, revFirstNullable, revCategoriesOpt, revNewest} {
		r := index(date)
		f.Add(r, []byte(body(date, item("A", fullAttrs))))
		f.Add(r, []byte(body(date, item("A", `"title":"t"`), item("B", `"price":1.5,"published":false`))))
		f.Add(r, []byte(body(date, `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"images":["x"]}`+rel+`}`)))
		f.Add(r, []byte(body(date, item("A", `"title":null,"custom_metadata":null,"price":null`))))
		f.Add(r, []byte(body(date, item("A", `"custom_metadata":{"html":"<b>&</b>","n":[1,{"d":null}]}`))))
		f.Add(r, []byte(body(date)))
		f.Add(r, []byte(body(date, items(101)...)))
		f.Add(r, []byte(body(date, item("A", `"a/b":1,"~":2`))))
		f.Add(r, []byte(body(date, `{"type":1,"id":"x","attributes":{"price":"p"},"zz":0,"relationships":{"categories":{}}}`)))
	}
	for _, b := range []string{
		``, `{`, `[]`, `null`, `{}`, `{"data":null}`, `{"data":{}}`, `{"data":[]}`,
		`{"data":{"type":"catalog-item-bulk-update-job"}}`,
		`{"data":{"type":"catalog-item-bulk-update-job","attributes":{"items":{}}}}`,
		`{"data":{"type":"catalog-item-bulk-update-job","attributes":{"items":[1,"x",null]}}}`,
		`{} {}`, `{"data":{}}x`, "{\"data\":\"\xff\"}", `{"data":1e999}`,
	} {
		f.Add(index(revNewest), []byte(b))
		f.Add(index(revFirst), []byte(b))
	}

	f.Fuzz(func(t *testing.T, rev uint8, body []byte) {
		p := profiles[int(rev)%len(profiles)]
		orig := bytes.Clone(body)
		req, errs := payload.ParseCreate(p, body)
		if !bytes.Equal(body, orig) {
			t.Fatalf("ParseCreate modified its input")
		}
		valid := json.Valid(body)
		if len(errs) == 0 {
			checkAccepted(t, p, body, req)
			if !valid {
				t.Fatalf("%s: accepted a body that is not valid JSON: %q", p.Date, body)
			}
			return
		}
		if req.Items != nil || req.ItemPointer != "" {
			t.Errorf("%s: got request %+v alongside errors", p.Date, req)
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

// checkAccepted checks an accepted request.
func checkAccepted(t *testing.T, p *revision.Profile, body []byte, req store.CreateRequest) {
	t.Helper()
	if n := len(req.Items); n < 1 || n > payload.MaxItems {
		t.Fatalf("%s: accepted %d items, want 1..%d", p.Date, n, payload.MaxItems)
	}
	if req.ItemPointer != itemsPointer(p.Date) {
		t.Errorf("%s: ItemPointer %q, want %q", p.Date, req.ItemPointer, itemsPointer(p.Date))
	}
	for i, u := range req.Items {
		if !strings.HasPrefix(u.ID, store.ItemIDPrefix) || len(u.ID) == len(store.ItemIDPrefix) {
			t.Errorf("item %d: id %q is not $custom:::$default:::<external_id>", i, u.ID)
		}
		if u.Set&^allAttrs != 0 {
			t.Errorf("item %d: unknown bits in Set %b", i, u.Set)
		}
		v := u.Values
		if !p.CreateNullableAttributes {
			nulls := []struct {
				bit    store.ItemAttr
				isNull bool
			}{
				{store.AttrTitle, v.Title == nil}, {store.AttrDescription, v.Description == nil},
				{store.AttrURL, v.URL == nil}, {store.AttrImageFullURL, v.ImageFullURL == nil},
				{store.AttrImageThumbnailURL, v.ImageThumbnailURL == nil}, {store.AttrImages, v.Images == nil},
				{store.AttrCustomMetadata, v.CustomMetadata == nil}, {store.AttrPrice, v.Price == nil},
				{store.AttrPublished, v.Published == nil},
			}
			for _, n := range nulls {
				if u.Set&n.bit != 0 && n.isNull {
					t.Errorf("%s item %d: attribute %b set to null before 2024-02-15", p.Date, i, n.bit)
				}
			}
		}
		if u.Set&store.AttrCustomMetadata != 0 && v.CustomMetadata != nil {
			cm := v.CustomMetadata
			if !json.Valid(cm) || cm[0] != '{' || len(cm) > payload.MaxCustomMetadata {
				t.Errorf("stored custom_metadata %.40q is not an object of at most 100 KB", cm)
			}
		}
	}
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
