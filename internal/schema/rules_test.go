package schema

import "testing"

// TestDeclare_RulesThatContradictTheDeclarationPanic: an embed member, a
// merge rule or a notify rule naming what the declaration does not have
// is refused when the catalog is declared, as every other contradiction.
func TestDeclare_RulesThatContradictTheDeclarationPanic(t *testing.T) {
	cases := map[string]func(sub, rec *Entity){
		"attribute in an unknown embed": func(sub, _ *Entity) { sub.Attrs[1].In = "customer" },
		"identity outside the embed":    func(sub, _ *Entity) { sub.Embeds[0].Identity = []string{"channels"} },
		"union of a string":             func(sub, _ *Entity) { sub.Merge.Union = "email" },
		"merge key unknown":             func(sub, _ *Entity) { sub.Merge.Key = append(sub.Merge.Key, "sku") },
		"notify on a string":            func(sub, _ *Entity) { sub.Relations[0].Notify.When = "sku" },
		"notify into undeclared":        func(sub, _ *Entity) { sub.Relations[0].Notify.Into = "nothing" },
		"record member not a string":    func(_, rec *Entity) { rec.Attrs[1].Type = Strings },
		"notify on a parent":            func(sub, _ *Entity) { sub.Relations[0].Kind = Parent },
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			item, variant, category := Item(), Variant(), Category()
			sub, rec := BackInStockSubscription(), BackInStockNotification()
			spoil(sub, rec)
			defer func() {
				if recover() == nil {
					t.Fatal("declared without a panic")
				}
			}()
			Declare([]*Entity{item, variant, category, sub, rec}, nil)
		})
	}
	Declared() // the emulator's own declaration holds together
}

func TestValidAnyCatalogID_ThreeNonEmptyParts(t *testing.T) {
	for id, want := range map[string]bool{
		"$custom:::$default:::bomber123-s":     true,
		"$shopify:::$default:::33001893429341": true,
		"$custom:::$default:::a:::b":           true, // the external id may hold ":::"
		"$custom:::$default:::":                false,
		":::$default:::x":                      false,
		"$custom::::::x":                       false,
		"bomber123-s":                          false,
		"$custom:::$default":                   false,
	} {
		if got := ValidAnyCatalogID(id); got != want {
			t.Errorf("ValidAnyCatalogID(%q) = %v, want %v", id, got, want)
		}
	}
}

// TestAttr_UpdatableAt: an update may set an attribute it declares
// updatable, from its UpdateSince revision on when it has one.
func TestAttr_UpdatableAt(t *testing.T) {
	for _, c := range []struct {
		a    Attr
		date string
		want bool
	}{
		{Attr{Update: true}, "2022-10-17", true},
		{Attr{Update: false}, "2026-07-15", false},
		{Attr{Update: true, UpdateSince: "2023-02-22"}, "2023-01-24", false},
		{Attr{Update: true, UpdateSince: "2023-02-22"}, "2023-02-22", true},
		{Attr{Update: false, UpdateSince: "2023-02-22"}, "2026-07-15", false},
	} {
		if got := c.a.UpdatableAt(c.date); got != c.want {
			t.Errorf("%+v at %s: %v, want %v", c.a, c.date, got, c.want)
		}
	}
}
