package accountdoc

import (
	"slices"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// asCreated reports what keeps e (read from obj) from being an entity a
// create at the newest revision could have made, as d declares: a
// required attribute left out (or null where no update could null it),
// a value not in its declared form (an email address, a phone number),
// the reference a create body must name left out, none of what an embed
// identifies set.
func asCreated(d *schema.Entity, get func(name string) (any, bool), e *store.Entity, fail func(string, string, ...any)) {
	for i := range d.Attrs {
		a := &d.Attrs[i]
		if a.Create != schema.Required || a.Role == schema.ExternalID {
			continue
		}
		switch v, ok := get(a.Name); {
		case !ok:
			fail("/"+a.Name, "'%s' is a required field for the resource '%s': a create requires it, so Klaviyo never serves one without it.", a.Name, d.Type)
		case v == nil && !a.Update:
			fail("/"+a.Name, "This field may not be null: a create requires it and no update changes it.")
		}
	}
	for i := range d.Attrs {
		if s, ok := e.Str(i); ok && !d.Attrs[i].Format.Accepts(s) {
			fail("/"+d.Attrs[i].Name, "%s", apierror.FormatDetail(d.Attrs[i].Format))
		}
	}
	for i := range d.Relations {
		r := &d.Relations[i]
		if _, ok := get(r.Name); !ok && r.Kind == schema.Reference && r.Body {
			fail("/"+r.Name, "'%s' is a required field for the resource '%s': name the %s (its id).", r.Name, d.Type, r.Target)
		}
	}
	for _, em := range d.Embeds {
		if len(em.Identity) > 0 && !slices.ContainsFunc(em.Identity, func(name string) bool { i, _, _ := d.Attr(name); return e.IsSet(i) }) {
			fail("", "A %s's %s needs at least one of %s.", d.Type, em.Name, orList(em.Identity))
		}
	}
}

// orList writes names as "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
