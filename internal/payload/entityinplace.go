package payload

import (
	"github.com/klaviyo-mock/mockserver/internal/codec"
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// A PATCH of one entity went through the document's tree: an object and
// its two slices for the document, its data and its attributes, every key
// and string boxed, then each value copied for the entity: about 17
// allocations for a body that changes a title, 6% of the changing row's
// CPU. A PATCH written plainly is now read where it stands, as a bulk
// create's elements are (inplace.go), each value decoded once, straight
// into the element.
//
// The reader answers only bodies the tree accepts, with the same element:
// it gives up (and the tree reads the whole body, and says what is wrong)
// on anything it does not read exactly as the tree would: a key written
// with escapes or sent twice, a null, a member other than type, id and
// attributes (relationships go through idlist.go or the tree), an id that
// is not the path's, an attribute an update may not send at the revision,
// a value that is not valid where it stands. Equal answers are checked
// against the tree (TestParseEntity_AnUpdateReadInPlaceAnswersAsTheTree,
// FuzzParseEntity_AnUpdateInPlaceAgreesWithTheTree).

// parseUpdateInPlace is ParseEntity of an update of the entity pathID for
// the entity resource p, for a body it reads in place; false for any other
// body.
func parseUpdateInPlace(p *resource.Profile, body []byte, pathID string) (store.Element, bool) {
	if _, ok := store.JobKindOf(p.Res.Entity.Kind, store.Update); !ok {
		return store.Element{}, false
	}
	r := updateReader{p: p, b: body, pathID: pathID}
	r.el.Values.Kind = p.Res.Entity.Kind
	read := false
	end, ok := jsonw.WalkObject(body, jsonw.SkipSpace(body, 0), func(key []byte, at int) (int, bool) {
		if string(key) != "data" {
			return jsonw.ValueAt(body, at, 1)
		}
		if read {
			return 0, false // the tree keeps the last
		}
		read = true
		return r.data(at)
	})
	if !ok || !read || jsonw.SkipSpace(body, end) != len(body) {
		return store.Element{}, false
	}
	return r.el, true
}

// updateReader reads an update's body in place into el.
type updateReader struct {
	p      *resource.Profile
	b      []byte
	pathID string
	el     store.Element
}

// data reads the document's data (an object, at depth 1): its type, its
// id (the path's) and its attributes, each once, nothing else.
func (r *updateReader) data(i int) (int, bool) {
	typed, named, read := false, false, false
	end, ok := jsonw.WalkObject(r.b, i, func(key []byte, at int) (int, bool) {
		switch {
		case string(key) == "type" && !typed:
			typed = true
			s, end, ok := jsonw.PlainString(r.b, at)
			return end, ok && string(s) == r.p.Res.Type
		case string(key) == "id" && !named:
			named = true
			s, end, ok := jsonw.PlainString(r.b, at)
			return end, ok && string(s) == r.pathID && store.ValidEntityID(r.pathID)
		case string(key) == "attributes" && !read:
			read = true
			return r.attributes(at)
		}
		return 0, false
	})
	if !ok || !typed || !named || !read {
		return 0, false
	}
	r.el.ID = r.pathID
	return end, true
}

// updateValueDepth is the nesting of an attribute's value in a single
// entity's document: data (1), attributes (2), the value (3). Unlike a
// bulk job's elements, it is the same in every body.
const updateValueDepth = 3

// attributes reads data.attributes at b[i] (depth 2): each attribute an
// update may send at the revision, once, not null, into el's values.
func (r *updateReader) attributes(i int) (int, bool) {
	d := r.p.Res.Entity.Decl
	return jsonw.WalkObject(r.b, i, func(key []byte, at int) (int, bool) {
		k, a, ok := d.Attr(string(key))
		if !ok || !a.UpdatableAt(r.p.Date) || r.el.Set.Has(k) {
			return 0, false
		}
		// A kept text is stored below behind a pointer, but codec keeps
		// the external id as a plain string (Entity.Set drops a *string
		// for it): the external id goes to codec. No revision lets an
		// update send it today (UpdatableAt refuses it above); this keeps
		// the reader right if one does.
		v, end, ok := attrValueAt(r.b, at, updateValueDepth, a, keptAsText(a) && a.Role != schema.ExternalID)
		if !ok {
			return 0, false
		}
		switch v.form {
		case keptText: // as codec keeps it, without boxing the text
			s := string(r.b[at+1 : end-1])
			r.el.Values.Set(k, &s)
		case keptNumber:
			f := v.num
			r.el.Values.Set(k, &f)
		default:
			if probs := codec.SetAttr(&r.el.Values, k, v.val); len(probs) > 0 {
				return 0, false
			}
		}
		r.el.Set = r.el.Set.With(k)
		return end, true
	})
}
