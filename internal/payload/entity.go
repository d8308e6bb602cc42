package payload

import (
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
func ParseEntity(p *resource.Profile, body []byte, action store.Action, pathID string) (store.Element, []*apierror.Error) {
	return parseEntityTree(p, body, action, pathID)
}

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
