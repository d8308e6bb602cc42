package accountdoc

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Filter keeps, of a collection written out, the objects whose members
// equal the values it names ({"variant": […], "email": […]}): every member
// named must equal one of its values. A string member equals the value as
// written, a number one the value parses to, true, false and null their
// spelling; an array equals a value one of its elements equals. The empty
// filter keeps everything.
type Filter map[string][]string

// Members lists what a filter of collection c may name: the members its
// objects have in account documents (an entity's id, attributes and the
// relations it holds; a job's members), in the order they are written.
func Members(c store.Collection) []string {
	if k, ok := c.Entity(); ok {
		out := []string{"id"}
		for _, a := range k.Attrs() {
			out = append(out, a.Name)
		}
		for _, r := range k.OwnRelations() {
			out = append(out, r.Name)
		}
		return out
	}
	var out []string
	for i := range jobStateWire.NumField() {
		name, _, _ := strings.Cut(jobStateWire.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// Check says what is wrong with f for collection c: the first member it
// names (in name order) that c's objects do not have, or "".
func (f Filter) Check(c store.Collection) (member, detail string) {
	names := make([]string, 0, len(f))
	for name := range f {
		names = append(names, name)
	}
	slices.Sort(names)
	have := Members(c)
	for _, name := range names {
		if !slices.Contains(have, name) {
			return name, fmt.Sprintf("'%s' is not a member of %s: filter on %s.", name, c.Name(), strings.Join(have, ", "))
		}
	}
	return "", ""
}

// keeps reports whether the object written as doc passes f.
func (f Filter) keeps(doc []byte) bool {
	if len(f) == 0 {
		return true
	}
	node, err := jsonw.Decode(doc)
	obj, ok := node.(*jsonw.Object)
	if err != nil || !ok {
		return false
	}
	for name, values := range f {
		v, _ := obj.Get(name)
		if !slices.ContainsFunc(values, func(want string) bool { return equals(v, want) }) {
			return false
		}
	}
	return true
}

// equals reports whether a decoded JSON value equals want (see Filter).
func equals(v any, want string) bool {
	switch x := v.(type) {
	case nil:
		return want == "null"
	case string:
		return x == want
	case bool:
		return strconv.FormatBool(x) == want
	case []any:
		return slices.ContainsFunc(x, func(e any) bool { return equals(e, want) })
	case json.Number:
		n, err := x.Float64()
		w, werr := strconv.ParseFloat(want, 64)
		return err == nil && werr == nil && n == w
	}
	return false
}
