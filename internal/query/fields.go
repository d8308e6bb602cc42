package query

import (
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/resource"
)

// Fieldset is a parsed sparse fieldset: Set is meaningful only when Sparse.
type Fieldset struct {
	Sparse bool
	Set    resource.FieldSet
}

// Includes reports whether field f is to be rendered.
func (f Fieldset) Includes(field int) bool {
	return !f.Sparse || f.Set.Has(field)
}

// ParseFields parses the value of fields[typ]: a comma-separated list of the
// names allowed (a set over names).
func ParseFields(typ, value string, allowed resource.FieldSet, names []string) (Fieldset, *apierror.Error) {
	param := "fields[" + typ + "]"
	fs := Fieldset{Sparse: true}
	for _, name := range strings.Split(value, ",") {
		f, ok := allowed.Lookup(names, name)
		if !ok {
			return Fieldset{}, apierror.UnknownField(param, name, typ).Hintf(
				"The fields of %s at this revision: %s.", typ, strings.Join(allowed.NameList(names), ", "))
		}
		fs.Set = fs.Set.With(f)
	}
	return fs, nil
}

// ParseInclude parses include (comma-separated) against the allowed values.
func ParseInclude(value string, allowed ...string) (map[string]bool, *apierror.Error) {
	out := map[string]bool{}
	for _, v := range strings.Split(value, ",") {
		ok := false
		for _, a := range allowed {
			if v == a {
				ok = true
			}
		}
		if !ok {
			return nil, apierror.Invalidf("include", apierror.DetailInvalidInclude, v)
		}
		out[v] = true
	}
	return out, nil
}
