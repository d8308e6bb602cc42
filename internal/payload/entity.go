package payload

import (
	"bytes"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// ParseEntity parses the body of an entity POST (action Create) or PATCH
// (Update, of the entity pathID) for the entity resource p at its
// revision. The body's data is one element of the matching bulk job, with
// the same rules (docs/klaviyo-behaviour.md §9.2, §8.3); a PATCH's data.id
// must be the path's. It returns the element, or every problem found in
// document order.
//
// An update written plainly is read where it stands (entityinplace.go);
// the ids a body relation holds (a category's items) are read where they
// stand when they can be (see idlist.go), the rest of the body through its
// tree.
func ParseEntity(p *resource.Profile, body []byte, action store.Action, pathID string) (store.Element, []*apierror.Error) {
	if action == store.Update {
		if el, ok := parseUpdateInPlace(p, body, pathID); ok {
			return el, nil
		}
	}
	if el, ok := parseEntityList(p, body, action, pathID); ok {
		return el, nil
	}
	return parseEntityTree(p, body, action, pathID)
}

// parseEntityList is ParseEntity for a body whose relation's list
// (data.relationships.<relation>.data) findIDList reads and whose rest the
// tree accepts; false for any other body.
func parseEntityList(p *resource.Profile, body []byte, action store.Action, pathID string) (store.Element, bool) {
	d := p.Res.Entity.Decl
	r, ok := d.BodyRelation()
	if _, parent := d.Parent(); !ok || parent {
		return store.Element{}, false // a parent is named otherwise (parentRelationship)
	}
	if !bytes.Contains(body, relationshipsKey) {
		return store.Element{}, false // nothing to find: no walk over the body
	}
	l, ok := findIDList(body, []string{"data", "relationships", r.Name, "data"}, r.Target)
	if !ok {
		return store.Element{}, false
	}
	el, errs := parseEntityTree(p, l.spliced(body), action, pathID)
	if len(errs) > 0 || !el.HasRelated {
		return store.Element{}, false
	}
	el.Related = l.ids
	return el, true
}

// relationshipsKey is how a body that has relationships names them,
// unless it escapes the name (then the tree reads it).
var relationshipsKey = []byte(`"relationships"`)

// parseEntityTree is ParseEntity through the document's decoded tree.
func parseEntityTree(p *resource.Profile, body []byte, action store.Action, pathID string) (store.Element, []*apierror.Error) {
	doc, err := jsonw.Decode(body)
	if err != nil {
		return store.Element{}, []*apierror.Error{apierror.Undecodable(err)}
	}
	kind, ok := store.JobKindOf(p.Res.Entity.Kind, action)
	if !ok {
		return store.Element{}, []*apierror.Error{apierror.InvalidPointer(apierror.PointerData, "This resource cannot be written.")}
	}
	v := &validator{p: p, kind: kind, entity: p.Res}
	data, ok := v.data(doc)
	if !ok {
		return store.Element{}, v.errs
	}
	el, _ := v.element(data, "/data")
	if action == store.Update && el.ID != "" && el.ID != pathID {
		v.fail("/data/id", "The id in the request body (%s) does not match the id in the URL (%s).", el.ID, pathID)
	}
	if len(v.errs) > 0 {
		return store.Element{}, v.errs
	}
	return el, nil
}

// data returns the document's data member.
func (v *validator) data(doc any) (any, bool) {
	top, ok := v.object(doc, "", "The request body")
	if !ok {
		return nil, false
	}
	data, ok := top.Get("data")
	if !ok {
		v.fail("/data", "The request body must have a 'data' member.")
	}
	return data, ok
}
