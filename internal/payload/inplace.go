package payload

import (
	"github.com/klaviyo-mock/mockserver/internal/codec"
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// A bulk create's body went through the tree, then each element's values
// from the tree into the store's entity: every object of the body cost an
// object and its two slices, every string value a copy, its box in the
// tree and its copy for the entity; parsing was a third of what a job's
// POST allocated. So a create whose body is written plainly is read where
// it stands, each value decoded once, straight into its entity.
//
// That path answers only bodies the tree accepts, with the same request:
// it gives up (and the tree reads the whole body, and says what is wrong)
// on anything it does not read exactly as the tree would: a key written
// with escapes or sent twice, a string value with escapes, a null, a
// member an element may not have or any relationships, a kind whose
// elements name a parent, a value that is not valid where it stands.
// Equal answers are checked against the tree
// (TestParseCreate_InPlaceAnswersAsTheTree, FuzzParseCreate_InPlaceAgreesWithTheTree).

// parseCreateInPlace is ParseCreate for a body it reads in place; false
// for any other body.
func parseCreateInPlace(v *validator, body []byte) (store.CreateRequest, bool) {
	if v.kind.Action() != store.Create {
		return store.CreateRequest{}, false
	}
	if _, ok := v.parent(); ok {
		return store.CreateRequest{}, false
	}
	r := createReader{v: v, b: body, req: store.CreateRequest{Kind: v.kind}}
	end, ok := jsonw.WalkObject(body, jsonw.SkipSpace(body, 0), func(key []byte, at int) (int, bool) {
		if string(key) != "data" {
			return jsonw.ValueAt(body, at, 1)
		}
		if r.req.Elements != nil {
			return 0, false // the tree keeps the last
		}
		return r.data(at)
	})
	if !ok || jsonw.SkipSpace(body, end) != len(body) || r.req.Elements == nil {
		return store.CreateRequest{}, false
	}
	return r.req, true
}

// createReader reads a create job's body in place into req.
type createReader struct {
	v   *validator
	b   []byte
	req store.CreateRequest
	// slots are the value slots of the element being read, for every
	// attribute; the element keeps a copy up to its last value, cut from
	// kept (see keepSlots).
	slots, kept []any
	// pending are the current element's plain strings and numbers, kept
	// once its attributes are all read (see keep).
	pending []pendingValue
}

// data reads the document's data (an object, at depth 1): its type and
// its attributes, which hold the elements alone.
func (r *createReader) data(i int) (int, bool) {
	typed, read := false, false
	end, ok := jsonw.WalkObject(r.b, i, func(key []byte, at int) (int, bool) {
		switch string(key) {
		case "type":
			if typed {
				return 0, false
			}
			typed = true
			return r.text(at, r.v.p.Res.Type)
		case "attributes":
			if read {
				return 0, false
			}
			read = true
			return jsonw.WalkObject(r.b, at, func(key []byte, at int) (int, bool) {
				if string(key) != r.v.kind.Entity().Plural() || r.req.Elements != nil {
					return 0, false
				}
				return r.list(at)
			})
		}
		return jsonw.ValueAt(r.b, at, 2)
	})
	return end, ok && typed && read
}

// text reads the string at b[i] when it is want.
func (r *createReader) text(i int, want string) (int, bool) {
	s, end, ok := jsonw.PlainString(r.b, i)
	return end, ok && string(s) == want
}

// list reads the elements at b[i] (depth 3): the array itself up to
// 2023-06-15, the array under data from 2023-07-15.
func (r *createReader) list(i int) (int, bool) {
	pointer := "/data/attributes/" + r.v.kind.Entity().Plural()
	if !r.v.p.BodyWrapped {
		r.req.Pointer = pointer
		return r.elements(i, 3)
	}
	r.req.Pointer = pointer + "/data"
	listed := false
	end, ok := jsonw.WalkObject(r.b, i, func(key []byte, at int) (int, bool) {
		if string(key) != "data" {
			return jsonw.ValueAt(r.b, at, 4)
		}
		if listed {
			return 0, false
		}
		listed = true
		return r.elements(at, 4)
	})
	return end, ok && listed
}

// elements reads the array of elements at b[i] (depth its nesting):
// between one and MaxElements, each made in a slice of their number.
func (r *createReader) elements(i, depth int) (int, bool) {
	n, ok := countElements(r.b, i)
	if !ok || n == 0 || n > MaxElements {
		return 0, false
	}
	r.req.Elements = make([]store.Element, 0, n)
	r.slots = make([]any, len(r.v.decl().Attrs))
	r.pending = make([]pendingValue, 0, keptValues(r.v.decl()))
	for i = jsonw.SkipSpace(r.b, i+1); ; i = jsonw.SkipSpace(r.b, i+1) {
		if len(r.req.Elements) == n {
			return 0, false // more elements than counted
		}
		r.req.Elements = append(r.req.Elements, store.Element{})
		end, ok := r.element(&r.req.Elements[len(r.req.Elements)-1], i, depth+1)
		if i = jsonw.SkipSpace(r.b, end); !ok || i >= len(r.b) {
			return 0, false
		}
		switch r.b[i] {
		case ']':
			return i + 1, len(r.req.Elements) == n
		case ',':
		default:
			return 0, false
		}
	}
}

// countElements counts the values of the array at b[i], roughly read
// (each is read exactly after).
func countElements(b []byte, i int) (int, bool) {
	if i >= len(b) || b[i] != '[' {
		return 0, false
	}
	n := 0
	for i = jsonw.SkipSpace(b, i+1); i < len(b) && b[i] != ']'; i = jsonw.SkipSpace(b, i+1) {
		end := jsonw.Skip(b, i)
		if end <= i {
			return 0, false
		}
		n++
		if i = jsonw.SkipSpace(b, end); i >= len(b) || b[i] != ',' {
			break
		}
	}
	return n, i < len(b) && b[i] == ']'
}

// element reads the element at b[i] (depth its nesting) into el: its type
// and its attributes, nothing else.
func (r *createReader) element(el *store.Element, i, depth int) (int, bool) {
	r.pending = r.pending[:0]
	clear(r.slots)
	el.Values = store.Entity{Kind: r.v.entity.Entity.Kind, Vals: r.slots}
	typed, read := false, false
	end, ok := jsonw.WalkObject(r.b, i, func(key []byte, at int) (int, bool) {
		switch {
		case string(key) == "type" && !typed:
			typed = true
			return r.text(at, r.v.entity.Type)
		case string(key) == "attributes" && !read:
			read = true
			return r.attributes(el, at, depth+1)
		}
		return 0, false
	})
	if !ok || !typed || !read {
		return 0, false
	}
	r.keep(el)
	el.Values.Vals = r.keepSlots(el.Values.Vals)
	return end, r.complete(el)
}

// attributes reads an element's attributes at b[i] (depth its nesting),
// each one a create may send, once, not null, into el's values.
func (r *createReader) attributes(el *store.Element, i, depth int) (int, bool) {
	d := r.v.decl()
	return jsonw.WalkObject(r.b, i, func(key []byte, at int) (int, bool) {
		k, a, ok := d.Attr(string(key))
		if !ok {
			if c, isConst := constantNamed(d, string(key)); isConst {
				return r.text(at, c.Value) // checked, not kept
			}
			return 0, false
		}
		if a.Create == schema.Never || el.Set.Has(k) {
			return 0, false
		}
		v, end, ok := attrValueAt(r.b, at, depth+1, a, keptAsText(a))
		if !ok {
			return 0, false
		}
		var probs []codec.Problem
		switch v.form {
		case keptText:
			r.pending = append(r.pending, pendingValue{attr: k, start: at + 1, end: end - 1})
		case keptNumber:
			r.pending = append(r.pending, pendingValue{attr: k, start: -1, num: v.num})
		default:
			probs = codec.SetAttr(&el.Values, k, v.val)
		}
		el.Set = el.Set.With(k)
		return end, len(probs) == 0
	})
}

// complete reports whether el sends every attribute a create requires and
// a non-empty external id.
func (r *createReader) complete(el *store.Element) bool {
	d := r.v.decl()
	for i := range d.Attrs {
		if d.Attrs[i].Create == schema.Required && !el.Set.Has(i) {
			return false
		}
	}
	return !sentEmptyExternalID(d, el)
}
