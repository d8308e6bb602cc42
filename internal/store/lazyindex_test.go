package store

import (
	"fmt"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/schema"
)

// eagerIndexes makes every index map of c, as a new catalog made them
// before they were made at their first write.
func eagerIndexes(c *catalog) {
	for k := range c.rels {
		for i := range c.rels[k] {
			ri := &c.rels[k][i]
			switch r := ri.rel; {
			case ri.tree:
				ri.trees()
			case r.Kind == schema.Members, r.Kind == schema.Reference, r.Kind == schema.Children:
				ri.ids()
			}
		}
		for i := range c.values[k] {
			if vi := &c.values[k][i]; vi.on && vi.byValue == nil {
				vi.byValue = map[string][]Position{}
			}
		}
	}
}

// catalogAnswers is what a's catalog answers: every kind's list both ways
// with each entity's relationship ids, each entity's related ids through
// every relation, and each list filtered by each value-indexed attribute
// equal to each value it holds (and to one none holds).
func catalogAnswers(t *testing.T, a *Account) string {
	t.Helper()
	var b strings.Builder
	for _, k := range Kinds() {
		for _, desc := range []bool{false, true} {
			page, err := a.EntityPage(EntityPageRequest{Kind: k, Desc: desc, Related: true, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			for i, e := range page.Entities {
				fmt.Fprintf(&b, "%s %s %v\n", k, e.ID, page.Related[i])
			}
		}
		all, err := a.AllEntities(k)
		if err != nil {
			t.Fatal(err)
		}
		d := k.Decl()
		for _, e := range all {
			for _, r := range d.Relations {
				ids, _ := a.ChildIDs(k, e.ID, r.Name)
				fmt.Fprintf(&b, "%s %s %s %v\n", k, e.ID, r.Name, ids)
			}
		}
		for i := range d.Attrs {
			if !catalogValues(k, i) {
				continue
			}
			values := []string{"none holds this"}
			for _, e := range all {
				if s, ok := e.Str(i); ok {
					values = append(values, s)
				}
			}
			for _, v := range values {
				page, err := a.EntityPage(EntityPageRequest{Kind: k, Filter: EntityFilter{Equals: []ValueCond{{Attr: i, Value: v}}}, Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				fmt.Fprintf(&b, "%s %s=%q:", k, d.Attrs[i].Name, v)
				for _, e := range page.Entities {
					fmt.Fprintf(&b, " %s", e.ID)
				}
				b.WriteString("\n")
			}
		}
	}
	return b.String()
}

// A catalog's relation and value indexes are made at their first write
// (most restored accounts write few of them): each reads as empty until
// then. A catalog made so answers every list, relation and filter as one
// whose maps were all made at once, before and after each write, a
// delete and a membership replaced.
func TestCatalog_IndexesMadeLazilyAnswerAsMadeEagerly(t *testing.T) {
	lazy, eager := catalogAccount(t), catalogAccount(t)
	eager.mu.Lock()
	eagerIndexes(&eager.cat)
	eager.mu.Unlock()
	steps := []CreateRequest{
		{Kind: jobItemCreate, Elements: []Element{{ID: EntityID("NEW-1"), Set: itemKind.SetOf("external_id", "title"),
			Values: *ent(itemKind, "NEW-1", "title", "new"), HasRelated: true, Related: []string{EntityID("C1")}}}},
		{Kind: jobVariantCreate, Elements: []Element{{ID: EntityID("NV"), Set: variantKind.SetOf("external_id", "sku"),
			Values: *ent(variantKind, "NV", "sku", "SKU-1"), HasRelated: true, Related: []string{EntityID("NEW-1")}}}},
		{Kind: jobVariantUpdate, Elements: []Element{{ID: EntityID("I1-V0"), Set: variantKind.SetOf("sku"), Values: *ent(variantKind, "", "sku", "SKU-1")}}},
		{Kind: jobCategoryUpdate, Elements: []Element{{ID: EntityID("C0"), HasRelated: true, Related: []string{EntityID("I8"), EntityID("NEW-1")}}}},
		{Kind: jobItemDelete, Elements: []Element{{ID: EntityID("I1")}}},
		{Kind: jobItemDelete, Elements: []Element{{ID: EntityID("NEW-1")}}},
	}
	for i := -1; i < len(steps); i++ {
		if i >= 0 {
			run(t, lazy, steps[i])
			run(t, eager, steps[i])
		}
		got, want := catalogAnswers(t, lazy), catalogAnswers(t, eager)
		if got != want {
			t.Fatalf("after step %d: made lazily\n%s\nmade eagerly\n%s", i, got, want)
		}
		if i == 2 && !strings.Contains(got, fmt.Sprintf("sku=%q: %s %s\n", "SKU-1", EntityID("I1-V0"), EntityID("NV"))) {
			t.Fatalf("the filter on sku does not find both variants:\n%s", got)
		}
	}
}
