package payload_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// valueForms are a value of every JSON form an attribute may be sent,
// valid or not for it: each reaches another branch of the in-place
// readers' shared value reading (a text kept as it stands, a number kept
// as a float, anything else decoded for codec) or their refusal.
var valueForms = []string{
	`"s"`, `""`, `"https://img.example/a.png"`, `"/images/b.png"`, `"t\u00e9"`,
	`1`, `2.5`, `-1.5e3`, `1e400`, `true`, `false`, `null`,
	`[]`, `["https://img.example/a.png","/images/b.png"]`, `[1]`, `{}`, `{"a":[1,{"b":null}],"c":"x"}`,
}

// nestedForms are objects nested to either side of jsonw.MaxDepth where an
// object attribute's value stands: 3 deep in an update, 6 in a bulk
// create's element up to 2023-06-15 and 7 after, so the tree takes n
// levels up to MaxDepth-3, -6 and -7 and refuses one more. A reader that
// counted its value's depth one short would take a body the tree refuses.
// Sent for object attributes only, as they are long.
var nestedForms = func() []string {
	var out []string
	for n := jsonw.MaxDepth - 7; n <= jsonw.MaxDepth-2; n++ {
		out = append(out, strings.Repeat(`{"a":`, n)+"1"+strings.Repeat("}", n))
	}
	return out
}()

// Both in-place readers (a single entity's update, a bulk create's
// element) read an attribute's value with the same code; for every
// attribute of every entity and every form of value, at the revisions where
// the bodies change, each answers as the tree does, and each reads in
// place, for every attribute it may send, at least one form, and every
// nested form the tree takes.
func TestInPlace_EveryAttributeInEveryFormAnswersAsTheTree(t *testing.T) {
	creates := map[string]struct {
		job  string
		base []string // the attributes a create requires, in members
	}{
		"catalog-items":      {itemCreateJobs, []string{`"external_id":"A"`, `"title":"t"`, `"description":"d"`, `"url":"u"`}},
		"catalog-categories": {categoryCreateJobs, []string{`"external_id":"A"`, `"name":"n"`}},
	}
	for _, date := range []string{revFirst, revFirstSKU, revFirstWrapped, revNewest} {
		for _, name := range []string{"catalog-items", "catalog-variants", "catalog-categories"} {
			p := entityProfile(t, name, date)
			c, creatable := creates[name]
			for _, a := range p.Res.Entity.Decl.Attrs {
				updated, created := false, false
				for _, v := range formsFor(a) {
					member := `"` + a.Name + `":` + v
					label := shortened(member)
					body := updateBody(`"type":"`+p.Res.Type+`","id":"$custom:::$default:::A","attributes":{`+member+`}`, "")
					in, treeErrs := updateAgrees(t, p, date+" update "+label, body, catalogID("A"))
					updated = updated || in
					nestedReadInPlace(t, date+" update "+label, v, in, treeErrs)
					if !creatable {
						continue
					}
					jp := jobProfile(t, c.job, date)
					el := `{"type":"` + p.Res.Type + `","attributes":{` + strings.Join(withMember(c.base, a.Name, member), ",") + `}}`
					in, treeErrs = createAgrees(t, jp, date+" create "+label, []byte(jobBodyWithList(c.job, date, el)))
					created = created || in
					nestedReadInPlace(t, date+" create "+label, v, in, treeErrs)
				}
				if !updated && a.UpdatableAt(date) {
					t.Errorf("%s %s: an update of %s is never read in place", date, name, a.Name)
				}
				if creatable && !created && a.Create != schema.Never && a.In == "" {
					t.Errorf("%s %s: a create of %s is never read in place", date, name, a.Name)
				}
			}
		}
	}
}

// withMember is members with member in place of the one named name, or
// after them.
func withMember(members []string, name, member string) []string {
	out := make([]string, 0, len(members)+1)
	for _, m := range members {
		if !strings.HasPrefix(m, `"`+name+`":`) {
			out = append(out, m)
		}
	}
	return append(out, member)
}

// formsFor are the forms of value sent for a: valueForms, and nestedForms
// for an object.
func formsFor(a schema.Attr) []string {
	if a.Type != schema.Object {
		return valueForms
	}
	return append(slices.Clip(valueForms), nestedForms...)
}

// nestedReadInPlace fails unless a nested form (v) the tree takes is read
// in place, as any plain object is: a reader that counted its value's
// depth one too many would leave the deepest to the tree.
func nestedReadInPlace(t *testing.T, name, v string, inPlace bool, treeErrs []*apierror.Error) {
	t.Helper()
	if slices.Contains(nestedForms, v) && !inPlace && len(treeErrs) == 0 {
		t.Errorf("%s: the tree takes it, but it is not read in place", name)
	}
}

// shortened is member, or its start and its length where it is too long
// to name a case readably (the nested forms).
func shortened(member string) string {
	if len(member) <= 80 {
		return member
	}
	return fmt.Sprintf("%s… (%d bytes)", member[:40], len(member))
}
