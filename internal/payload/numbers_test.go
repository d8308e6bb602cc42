package payload_test

import (
	"fmt"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// misfit is the one error a body gets for a number that does not fit a
// float64 at pointer.
func misfit(pointer, number string) wantErr {
	return wantErr{pointer, fmt.Sprintf(jsonw.DetailNumberOutOfRange, number)}
}

// A number too large for a float64 anywhere in a body (not only in an
// attribute that is a number) is refused with its member's pointer: served
// back as sent, a JSON decoder such as Go's could not read the answer.
// Every body the API reads goes through the same check.
func TestParse_ANumberThatDoesNotFitAFloat64IsRefusedWhereverItIs(t *testing.T) {
	for _, date := range []string{revFirst, revFirstWrapped, revNewest} {
		ptr := itemPointer(date, 0)
		for _, c := range []struct{ attrs, pointer, number string }{
			{`"custom_metadata":{"a":{"b":[1e999]}}`, ptr + "/attributes/custom_metadata/a/b/0", "1e999"},
			{`"price":-1e400`, ptr + "/attributes/price", "-1e400"},
			{`"title":1.8e308`, ptr + "/attributes/title", "1.8e308"},
			{`"nope":{"x":2e308}`, ptr + "/attributes/nope/x", "2e308"},
		} {
			wantInvalid(t, parseFail(t, date, body(date, item("A", c.attrs))), misfit(c.pointer, c.number))
		}
		// Outside the elements too, and beside other problems: the number alone is reported.
		b := fmt.Sprintf(`{"data":{"type":"x","attributes":{"items":[]},"meta":[0,1e999]}}`)
		wantInvalid(t, parseFail(t, date, b), misfit("/data/meta/1", "1e999"))
	}

	p := entityProfile(t, "catalog-items", revNewest)
	_, errs := payload.ParseEntity(p, []byte(`{"data":{"type":"catalog-item","id":"$custom:::$default:::A",`+
		`"attributes":{"custom_metadata":{"a":{"b":[1E999]}}}}}`), store.Update, catalogID("A"))
	wantInvalid(t, errs, misfit("/data/attributes/custom_metadata/a/b/0", "1E999"))
	_, errs = payload.ParseIdentifiers(p, "catalog-category", []byte(`{"data":[{"type":"catalog-category","id":"$custom:::$default:::A","n":-1e999}]}`))
	wantInvalid(t, errs, misfit("/data/0/n", "-1e999"))

	// A magnitude too small for a float64 reads as zero, as Go and Python read it.
	req := parseOK(t, revNewest, body(revNewest, item("A", `"price":1e-999,"custom_metadata":{"tiny":-1e-999}`)))
	if v := req.Elements[0].Values; attrNum(t, &v, "price") != 0 || string(customMetadata(&v)) != `{"tiny":-1e-999}` {
		t.Fatalf("price %v, custom_metadata %s", attrNum(t, &v, "price"), customMetadata(&v))
	}
}
