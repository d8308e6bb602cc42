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

// ParseInclude parses include (comma-separated) against the one value a
// resource allows (none: ""); it reports whether the value names it, each
// part read where it stands. A part that is not allowed is refused,
// naming the first such part.
func ParseInclude(value, allowed string) (bool, *apierror.Error) {
	for rest, more := value, true; more; {
		var v string
		v, rest, more = strings.Cut(rest, ",")
		if allowed == "" || v != allowed {
			return false, apierror.Invalidf("include", apierror.DetailInvalidInclude, v)
		}
	}
	return true, nil
}
