package payload_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// ident is a catalog-item identifier of the item with external id ext.
func ident(ext string) string {
	return `{"type":"catalog-item","id":"$custom:::$default:::` + ext + `"}`
}

// identList is a list of n valid item identifiers, the one at bad replaced
// by bogus (bad < 0: none).
func identList(n, bad int, bogus string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = ident(fmt.Sprint("I", i))
		if i == bad {
			parts[i] = bogus
		}
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// identifierBodies are relationship-write bodies at the edges of what
// ParseIdentifiers accepts (bad: it must refuse them), each a document
// whose "data" is the list (the %s of listInEntity for the entity bodies).
var identifierBodies = []struct {
	name string
	list string // the value of "data"
	rest string // members after "data" in the top object
	bad  bool
}{
	{"empty list", `[]`, ``, false},
	{"one", `[` + ident("A") + `]`, ``, false},
	{"many", identList(300, -1, ""), ``, false},
	{"spaces everywhere", " [ \n{ \"type\" :\t\"catalog-item\" , \"id\" : \"$custom:::$default:::A\" } ,\r" + ident("B") + " ] ", ` `, false},
	{"unknown members kept out", `[{"type":"catalog-item","meta":{"a":[1,{"b":null}],"c":-1.5e3},"id":"$custom:::$default:::A","x":true}]`,
		`,"links":{"self":"x"},"meta":[1e308]`, false},
	{"a repeated id: the last counts", `[{"type":"catalog-item","id":"$custom:::$default:::A","id":"$custom:::$default:::B"}]`, ``, false},
	{"a repeated type: the last counts", `[{"type":"catalog-category","id":"$custom:::$default:::A","type":"catalog-item"}]`, ``, false},
	{"an id after a number", `[{"id":5,"type":"catalog-item","id":"$custom:::$default:::A"}]`, ``, false},
	{"escaped type", `[{"type":"catalog-\u0069tem","id":"$custom:::$default:::A"}]`, ``, false},
	{"escaped id", `[{"type":"catalog-item","id":"\u0024custom:::$default:::A\/B"}]`, ``, false},
	{"escaped key", `[{"typ\u0065":"catalog-item","\u0069d":"$custom:::$default:::A"}]`, ``, false},
	{"non-ASCII id", `[{"type":"catalog-item","id":"$custom:::$default:::caf` + "\xc3\xa9" + `"}]`, ``, false},
	{"invalid UTF-8 id", `[{"type":"catalog-item","id":"$custom:::$default:::` + "\xff" + `"}]`, ``, false},
	{"data repeated, the last a list", `null`, `,"data":[` + ident("A") + `]`, false},
	{"data repeated, both lists", `[` + ident("A") + `]`, `,"data":[` + ident("B") + `]`, false},

	{"data repeated, the last null", `[` + ident("A") + `]`, `,"data":null`, true},
	{"null data", `null`, ``, true},
	{"an object", ident("A"), ``, true},
	{"a string", `"x"`, ``, true},
	{"a number", `1`, ``, true},
	{"a number that does not fit", `1e999`, ``, true},
	{"a number that does not fit in the list", `[1e999]`, ``, true},
	{"a number that does not fit in an identifier", `[{"type":"catalog-item","id":"$custom:::$default:::A","n":-1e999}]`, ``, true},
	{"a number that does not fit beside the list", `[` + ident("A") + `]`, `,"meta":{"n":[0,1E400]}`, true},
	{"a number element", `[1]`, ``, true},
	{"a null element", `[null]`, ``, true},
	{"an array element", `[[]]`, ``, true},
	{"an empty identifier", `[{}]`, ``, true},
	{"no type", `[{"id":"$custom:::$default:::A"}]`, ``, true},
	{"no id", `[{"type":"catalog-item"}]`, ``, true},
	{"null type", `[{"type":null,"id":"$custom:::$default:::A"}]`, ``, true},
	{"a number type", `[{"type":1,"id":"$custom:::$default:::A"}]`, ``, true},
	{"another type", `[{"type":"catalog-category","id":"$custom:::$default:::A"}]`, ``, true},
	{"a number id", `[{"type":"catalog-item","id":7}]`, ``, true},
	{"a null id", `[{"type":"catalog-item","id":null}]`, ``, true},
	{"an id without the prefix", `[{"type":"catalog-item","id":"A"}]`, ``, true},
	{"an empty id", `[{"type":"catalog-item","id":""}]`, ``, true},
	{"an id repeated, the last a number", `[{"type":"catalog-item","id":"$custom:::$default:::A","id":1}]`, ``, true},
	{"a type repeated, the last another", `[{"type":"catalog-item","id":"$custom:::$default:::A","type":"x"}]`, ``, true},
	{"the 124th wrong", identList(124, 123, `{"type":"catalog-itm","id":"$custom:::$default:::A"}`), ``, true},
	{"several wrong", `[{"type":"x","id":"A"},` + ident("B") + `,7,{"id":false}]`, ``, true},
	{"nested too deep in an identifier", `[{"type":"catalog-item","id":"$custom:::$default:::A","x":` +
		strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}]`, ``, true},
	{"nested too deep beside", `[]`, `,"x":` + strings.Repeat("[", 600) + strings.Repeat("]", 600), true},
	{"a trailing comma", `[` + ident("A") + `,]`, ``, true},
	{"a missing comma", `[` + ident("A") + ident("B") + `]`, ``, true},
	{"a control character", "[{\"type\":\"catalog-item\",\"id\":\"$custom:::$default:::\x01\"}]", ``, true},
	{"a bad escape", `[{"type":"catalog-item","id":"$custom:::$default:::\x"}]`, ``, true},
	{"cut short", `[` + ident("A"), ``, true},
	{"cut in a string", `[{"type":"catalog-item","id":"$cus`, ``, true},
}

// identifierDocs are the bodies of identifierBodies as documents, plus
// documents that are not one object with a data member.
func identifierDocs() []struct {
	name, body string
	bad        bool
} {
	var out []struct {
		name, body string
		bad        bool
	}
	for _, c := range identifierBodies {
		out = append(out, struct {
			name, body string
			bad        bool
		}{c.name, `{"data":` + c.list + c.rest + `}`, c.bad})
	}
	for _, b := range []string{``, ` `, `{`, `[]`, `null`, `1`, `"x"`, `{}`, `{"meta":[]}`, `[{"data":[]}]`,
		`{"data":[]} x`, `{"data":[]}{}`, `{"data":[],}`, `{"data" []}`, `{"d\u0061ta":[1]}`, "\xff"} {
		out = append(out, struct {
			name, body string
			bad        bool
		}{fmt.Sprintf("document %q", b), b, true})
	}
	return out
}

// sameAnswer fails unless got and want are the same ids or the same
// errors, member for member.
func sameAnswer[T any](t *testing.T, name string, got T, gotErrs []*apierror.Error, want T, wantErrs []*apierror.Error) {
	t.Helper()
	if !reflect.DeepEqual(gotErrs, wantErrs) {
		t.Errorf("%s: errors\n got  %s\n want %s", name, describe(gotErrs), describe(wantErrs))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: result\n got  %+v\n want %+v", name, got, want)
	}
}

// ParseIdentifiers answers every body as the tree of the decoded document
// does: the same ids, or the same errors (status, code, title, detail,
// pointer, hint) in the same order.
func TestParseIdentifiers_AnswersAsTheDecodedTree(t *testing.T) {
	p := entityProfile(t, "catalog-categories", revNewest)
	for _, c := range identifierDocs() {
		wantIDs, wantErrs := payload.ParseIdentifiersTree(p, "catalog-item", []byte(c.body))
		if c.bad != (len(wantErrs) > 0) {
			t.Fatalf("%s: the tree answers %v %s; the case says bad=%v", c.name, wantIDs, describe(wantErrs), c.bad)
		}
		ids, errs := payload.ParseIdentifiers(p, "catalog-item", []byte(c.body))
		sameAnswer(t, c.name, ids, errs, wantIDs, wantErrs)
	}
}

// categoryBody is a category create (action Create) or update whose
// relationships.items.data is list; rest follows data in the top object.
func categoryBody(action store.Action, list, rest string) string {
	head := `"attributes":{"external_id":"C","name":"N"},`
	if action == store.Update {
		head = `"id":"$custom:::$default:::C","attributes":{"name":"N"},`
	}
	return `{"data":{"type":"catalog-category",` + head +
		`"relationships":{"items":{"data":` + list + `}}}` + rest + `}`
}

// ParseEntity answers every body as the tree of the decoded document
// does, the category's items in relationships among them.
func TestParseEntity_AnswersAsTheDecodedTree(t *testing.T) {
	for _, date := range []string{revFirst, revFirstWrapped, revNewest} {
		p := entityProfile(t, "catalog-categories", date)
		for _, action := range []store.Action{store.Create, store.Update} {
			var bodies []string
			for _, c := range identifierBodies {
				b := categoryBody(action, c.list, c.rest)
				if _, errs := payload.ParseEntityTree(p, []byte(b), action, catalogID("C")); !c.bad && !strings.Contains(c.rest, `"data"`) && len(errs) > 0 {
					t.Fatalf("%s %v %s: the tree refuses it: %s", date, action, c.name, describe(errs))
				}
				bodies = append(bodies, b)
			}
			for _, d := range identifierDocs() {
				bodies = append(bodies, d.body)
			}
			bodies = append(bodies,
				`{"data":{"type":"catalog-category","attributes":{"external_id":"C","name":"N"},"relationships":{"items":{}}}}`,
				`{"data":{"type":"catalog-category","attributes":{"external_id":"C","name":"N"},"relationships":{"items":{"data":[]},"items":null}}}`,
				`{"data":{"type":"catalog-category","attributes":{"external_id":"C","name":"N"},"relationships":{"items":null,"items":{"data":[]}}}}`,
				`{"data":{"type":"catalog-category","attributes":{"external_id":"C","name":"N"},"relationships":{"items":{"data":[],"data":1}}}}`,
				`{"data":{"type":"catalog-category","attributes":{"external_id":"C","name":"N"},"relationships":{"itemz":{"data":[]}}}}`,
				`{"data":{"type":"catalog-category","attributes":{"external_id":"C","name":7},"relationships":{"items":{"data":[`+ident("A")+`]}}}}`,
				`{"data":{"type":"catalog-category","id":"$custom:::$default:::D","attributes":{},"relationships":{"items":{"data":[`+ident("A")+`]}}}}`,
				`{"data":{"type":"catalog-category","attributes":{"external_id":"C","name":"N"},"relationships":{"items":{"data":[`+ident("A")+`]}},"relationships":{}}}`,
				`{"data":{"relationships":{"items":{"data":[`+ident("A")+`]}},"type":"catalog-category","attributes":{"external_id":"C","name":"N"}},"data":{}}`,
			)
			for i, b := range bodies {
				name := fmt.Sprintf("%s %v body %d %.80s", date, action, i, b)
				want, wantErrs := payload.ParseEntityTree(p, []byte(b), action, catalogID("C"))
				got, errs := payload.ParseEntity(p, []byte(b), action, catalogID("C"))
				sameAnswer(t, name, got, errs, want, wantErrs)
			}
		}
	}
}

// A list of 10,000 identifiers is read without a decoded object per
// identifier: about one allocation each (its id), where the decoded tree
// takes about ten (an object, its map, its keys, its boxed strings). It is
// what makes a 65,000-id relationship write cheap (see
// BenchmarkRelationshipReplace65k).
func TestParseIdentifiers_ALargeListCostsAboutOneAllocationPerID(t *testing.T) {
	const n = 10_000
	body := []byte(`{"data":` + identList(n, -1, "") + `}`)
	p := entityProfile(t, "catalog-categories", revNewest)
	allocs := testing.AllocsPerRun(3, func() {
		if ids, errs := payload.ParseIdentifiers(p, "catalog-item", body); len(errs) > 0 || len(ids) != n {
			t.Fatal(len(ids), describe(errs))
		}
	})
	if allocs > n+50 {
		t.Fatalf("%.0f allocations for %d identifiers (%.1f each); want at most one each and a few", allocs, n, allocs/n)
	}
}

// The same holds for a category's items set by an entity write, the rest
// of the document read as before.
func TestParseEntity_ACategorysLargeItemListCostsAboutOneAllocationPerID(t *testing.T) {
	const n = 10_000
	p := entityProfile(t, "catalog-categories", revNewest)
	for _, action := range []store.Action{store.Create, store.Update} {
		body := []byte(categoryBody(action, identList(n, -1, ""), ""))
		allocs := testing.AllocsPerRun(3, func() {
			if el, errs := payload.ParseEntity(p, body, action, catalogID("C")); len(errs) > 0 || len(el.Related) != n {
				t.Fatal(len(el.Related), describe(errs))
			}
		})
		if allocs > n+200 {
			t.Fatalf("%v: %.0f allocations for %d identifiers (%.1f each); want at most one each and a few", action, allocs, n, allocs/n)
		}
	}
}

// A list is made at the size the body allows for and then kept at about
// its own: a category or two beside a large description do not hold room
// for thousands of ids as long as the element lives.
func TestParseEntity_AShortListBesideALargeMemberKeepsNoRoomForMore(t *testing.T) {
	p := entityProfile(t, "catalog-items", revNewest)
	body := []byte(`{"data":{"type":"catalog-item","id":"$custom:::$default:::C","relationships":{"categories":{"data":[` +
		`{"type":"catalog-category","id":"$custom:::$default:::A"},{"type":"catalog-category","id":"$custom:::$default:::B"}]}},` +
		`"attributes":{"description":"` + strings.Repeat("word ", 100_000) + `"}}}`)
	el, errs := payload.ParseEntity(p, body, store.Update, catalogID("C"))
	if len(errs) > 0 || len(el.Related) != 2 {
		t.Fatal(el.Related, describe(errs))
	}
	if cap(el.Related) > 2*len(el.Related)+16 {
		t.Fatalf("2 ids kept in room for %d", cap(el.Related))
	}
}
