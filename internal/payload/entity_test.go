package payload_test

import (
	"fmt"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// entityProfile is the entity resource name at revision date.
func entityProfile(t testing.TB, name, date string) *resource.Profile {
	t.Helper()
	r, ok := resource.Default().Named(name)
	p, okRev := revision.Default().Exact(date)
	if !ok || !okRev {
		t.Fatalf("no %s at %s", name, date)
	}
	return r.At(p)
}

func TestParseEntity_CreateIsOneJobElement(t *testing.T) {
	p := entityProfile(t, "catalog-items", revNewest)
	el, errs := payload.ParseEntity(p, []byte(`{"data":{"type":"catalog-item","attributes":{"external_id":"A","title":"T",
		"description":"D","url":"https://x.example/a","price":2.5,"integration_type":"$custom","catalog_type":"$default"},
		"relationships":{"categories":{"data":[{"type":"catalog-category","id":"$custom:::$default:::C"}]}}}}`), store.Create, "")
	if len(errs) > 0 {
		t.Fatal(describe(errs))
	}
	if el.ID != catalogID("A") || attrStr(t, &el.Values, "title") != "T" || attrNum(t, &el.Values, "price") != 2.5 ||
		!el.HasRelated || len(el.Related) != 1 || el.Related[0] != catalogID("C") {
		t.Fatalf("element %+v", el)
	}
	_, errs = payload.ParseEntity(p, []byte(`{"data":{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"title":"T"}}}`), store.Create, "")
	wantInvalid(t, errs,
		wantErr{"/data/id", "'id' is not a valid member of a catalog-item to create."},
		wantErr{"/data/attributes/external_id", "'external_id' is a required field for the resource 'catalog-item'."},
		wantErr{"/data/attributes/description", "'description' is a required field for the resource 'catalog-item'."},
		wantErr{"/data/attributes/url", "'url' is a required field for the resource 'catalog-item'."})
}

func TestParseEntity_UpdateNamesThePathsEntity(t *testing.T) {
	p := entityProfile(t, "catalog-variants", revFirstSKU)
	el, errs := payload.ParseEntity(p, []byte(`{"data":{"type":"catalog-variant","id":"$custom:::$default:::V","attributes":{"sku":"S","price":1}}}`),
		store.Update, catalogID("V"))
	if len(errs) > 0 || el.ID != catalogID("V") || attrStr(t, &el.Values, "sku") != "S" {
		t.Fatalf("%+v %s", el, describe(errs))
	}
	// sku only from 2023-02-22; the id must be the path's; what cannot
	// change is refused; variants have no relationships to update.
	_, errs = payload.ParseEntity(entityProfile(t, "catalog-variants", revLastNoSKU),
		[]byte(`{"data":{"type":"catalog-variant","id":"$custom:::$default:::W","attributes":{"sku":"S","external_id":"X"},
		"relationships":{"item":{"data":{"type":"catalog-item","id":"$custom:::$default:::I"}}}}}`), store.Update, catalogID("V"))
	wantInvalid(t, errs,
		wantErr{"/data/relationships", "'relationships' is not a valid member of a catalog-variant to update."},
		wantErr{"/data/attributes/sku", "'sku' is not a valid field for the resource 'catalog-variant'."},
		wantErr{"/data/attributes/external_id", "'external_id' is not a valid field for the resource 'catalog-variant'."},
		wantErr{"/data/id", "The id in the request body ($custom:::$default:::W) does not match the id in the URL ($custom:::$default:::V)."})
}

func TestParseEntity_VariantParentFollowsTheRevision(t *testing.T) {
	variant := `{"data":{"type":"catalog-variant","attributes":{"external_id":"V","title":"t","description":"d","sku":"s",
		"inventory_quantity":1,"price":1,"url":"https://x.example/v"}%s}}`
	for _, c := range []struct {
		date, rels string
		ok         bool
	}{
		{revFirst, `,"relationships":{"items":{"data":[{"type":"catalog-item","id":"$custom:::$default:::I"}]}}`, true},
		{revFirst, ``, true}, // optional up to 2023-09-15 (the store then refuses a variant without an item)
		{revParentReq, ``, false},
		{revParentReq, `,"relationships":{"item":{"data":{"type":"catalog-item","id":"$custom:::$default:::I"}}}`, true},
		{revCategoriesOpt, ``, true},
		{revParentKeyReq, `,"relationships":{"item":{}}`, true},
		{revParentKeyReq, ``, false},
	} {
		_, errs := payload.ParseEntity(entityProfile(t, "catalog-variants", c.date), []byte(fmt.Sprintf(variant, c.rels)), store.Create, "")
		if (len(errs) == 0) != c.ok {
			t.Errorf("%s %q: %s", c.date, c.rels, describe(errs))
		}
	}
}

func TestParseIdentifiers(t *testing.T) {
	p := entityProfile(t, "catalog-items", revNewest)
	ids, errs := payload.ParseIdentifiers(p, "catalog-category", []byte(`{"data":[{"type":"catalog-category","id":"$custom:::$default:::A"},
		{"type":"catalog-category","id":"$custom:::$default:::B"}]}`))
	if len(errs) > 0 || len(ids) != 2 || ids[1] != catalogID("B") {
		t.Fatalf("%v %s", ids, describe(errs))
	}
	if ids, errs := payload.ParseIdentifiers(p, "catalog-category", []byte(`{"data":[]}`)); len(errs) > 0 || len(ids) != 0 {
		t.Fatalf("an empty list: %v %s", ids, describe(errs))
	}
	_, errs = payload.ParseIdentifiers(p, "catalog-category", []byte(`{"data":[{"type":"catalog-item","id":"$custom:::$default:::A"},{"type":"catalog-category","id":"A"}]}`))
	wantInvalid(t, errs,
		wantErr{"/data/0/type", "'catalog-item' is not a valid type here; expected 'catalog-category'."},
		wantErr{"/data/1/id", "'A' is not a valid catalog-category id: expected '$custom:::$default:::<external_id>' (only the $custom integration and the $default catalog are supported)."})
	_, errs = payload.ParseIdentifiers(p, "catalog-category", []byte(`{"data":{"type":"catalog-category","id":"$custom:::$default:::A"}}`))
	wantInvalid(t, errs, wantErr{"/data", "'data' must be an array of catalog-category resource identifiers, got an object."})
	_, errs = payload.ParseIdentifiers(p, "catalog-category", []byte(`{"data":[`))
	wantParseError(t, errs)
}
