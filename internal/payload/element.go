package payload

import (
	"fmt"

	"github.com/klaviyo-mock/mockserver/internal/codec"
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// element validates one element of the request: a create ({type,
// attributes, relationships?}), an update ({type, id, attributes,
// relationships?}) or a delete ({type, id}).
func (v *validator) element(node any, pointer string) (store.Element, bool) {
	// The values are of the job's entity kind: attribute indexes, and so
	// how each value is decoded and kept, are that kind's.
	el := store.Element{Values: store.Entity{Kind: v.entity.Entity.Kind}}
	if _, ok := v.parent(); ok {
		el.ParentAt, _ = v.parentMember()
	}
	before := len(v.errs)
	ent := v.entity
	obj, ok := node.(*jsonw.Object)
	if !ok { // the label is made only for the error
		v.object(node, pointer, "A "+ent.Type)
		return el, false
	}
	v.expectType(obj, pointer, ent.Type)
	action := v.kind.Action()
	relsAllowed := action != store.Delete && v.hasRelationships()
	if action != store.Create {
		idNode, _ := obj.Get("id")
		el.ID = v.entityID(idNode, pointer+"/id", ent.Type)
	}
	for _, k := range obj.Keys {
		if !memberAllowed(k, action, relsAllowed) {
			v.fail(pointer+"/"+escape(k), "'%s' is not a valid member of a %s to %s.", k, ent.Type, action)
		}
	}
	if action != store.Delete {
		attrNode, present := obj.Get("attributes")
		if !present {
			v.fail(pointer+"/attributes", "This field is required.")
		} else if attrs, ok := attrNode.(*jsonw.Object); !ok {
			v.object(attrNode, pointer+"/attributes", "'attributes'")
		} else {
			v.attributes(&el, attrs, pointer)
		}
		if action == store.Create && el.Values.ExternalID != "" {
			el.ID = store.EntityID(el.Values.ExternalID)
		}
		relNode, present := obj.Get("relationships")
		if present && relsAllowed {
			v.relationships(&el, relNode, pointer+"/relationships")
		} else if r, ok := v.parent(); !present && ok &&
			(v.p.VariantParent == resource.ParentItemRequired || v.p.VariantParent == resource.ParentItemKeyRequired) {
			v.fail(pointer+"/relationships", "This field is required: a %s names its %s in relationships.%s at revision %s.",
				v.decl().Singular, v.target(r).Singular, r.Name, v.p.Date)
		}
	}
	return el, len(v.errs) == before
}

// memberAllowed reports whether an element of a job of action may have
// member k (relationships: whether its elements may carry them).
func memberAllowed(k string, action store.Action, relationships bool) bool {
	switch k {
	case "type":
		return true
	case "id":
		return action != store.Create
	case "attributes":
		return action != store.Delete
	case "relationships":
		return relationships
	}
	return false
}

// decl is the declaration of the entity the element is of.
func (v *validator) decl() *schema.Entity { return v.entity.Entity.Decl }

// target is the declaration of what relation r relates to.
func (v *validator) target(r *schema.Relation) *schema.Entity {
	t, _ := schema.Default().OfType(r.Target)
	return t
}

// parent is the relation a create element names its parent through (a
// new variant's item), if the kind has one and the element creates.
func (v *validator) parent() (*schema.Relation, bool) {
	if v.kind.Action() != store.Create {
		return nil, false
	}
	return v.decl().Parent()
}

// hasRelationships reports whether elements of the job may carry
// relationships.
func (v *validator) hasRelationships() bool {
	_, body := v.decl().BodyRelation()
	_, parent := v.parent()
	return body || parent
}

// attributes reads the attributes of the element at pointer: the ones its
// action allows, each through the declaration of the entity kind. The
// pointers of its members are made only for an error: most bodies have
// none, and they were an allocation per attribute.
func (v *validator) attributes(el *store.Element, attrs *jsonw.Object, pointer string) {
	at := func(name string) string { return pointer + "/attributes/" + name }
	d := v.decl()
	kind := v.entity.Entity.Kind
	create := v.kind.Action() == store.Create
	for _, k := range attrs.Keys {
		p := func() string { return at(escape(k)) }
		i, a, isAttr := d.Attr(k)
		constant, isConst := constantNamed(d, k)
		allowed := isAttr && (create && a.Create != schema.Never || !create && a.UpdatableAt(v.p.Date)) || isConst && create
		if !allowed {
			v.fail(p(), "'%s' is not a valid field for the resource '%s'.", k, d.Type)
			continue
		}
		val, _ := attrs.Get(k)
		required := create && isAttr && a.Create == schema.Required
		if val == nil && (required || !v.p.NullableBodyAttributes) {
			v.fail(p(), "This field may not be null at revision %s.", v.p.Date)
			continue
		}
		if isConst {
			if s, ok := val.(string); val != nil && (!ok || s != constant.Value) {
				v.fail(p(), "'%s' is not a valid choice for '%s': only '%s' is supported.", jsonw.Encode(nil, val), k, constant.Value)
			}
			continue
		}
		if probs := codec.SetAttr(&el.Values, i, val); len(probs) > 0 {
			for _, pr := range probs {
				v.fail(p()+pr.Pointer, "%s", pr.Detail)
			}
			continue
		}
		el.Set = el.Set.With(i)
	}
	if create {
		for i := range d.Attrs {
			if req := d.Attrs[i].Name; d.Attrs[i].Create == schema.Required {
				if _, ok := attrs.Get(req); !ok {
					v.fail(at(req), "'%s' is a required field for the resource '%s'.", req, kind.Type())
				}
			}
		}
		if sentEmptyExternalID(d, el) {
			v.fail(at("external_id"), "external_id may not be empty.")
		}
	}
}

// sentEmptyExternalID reports whether el sends its kind's external id
// attribute as an empty string, which a create refuses.
func sentEmptyExternalID(d *schema.Entity, el *store.Element) bool {
	if el.Values.ExternalID != "" {
		return false
	}
	for i := range d.Attrs {
		if d.Attrs[i].Role == schema.ExternalID {
			return el.Set.Has(i)
		}
	}
	return false
}

// constantNamed returns d's create-only constant member named name.
func constantNamed(d *schema.Entity, name string) (schema.Constant, bool) {
	for _, c := range d.Constants {
		if c.Name == name {
			return c, true
		}
	}
	return schema.Constant{}, false
}

// relationships reads an element's relationships: an item's categories or
// a category's items (the set it replaces), or a new variant's parent item.
func (v *validator) relationships(el *store.Element, node any, pointer string) {
	rels, ok := v.object(node, pointer, "'relationships'")
	if !ok {
		return
	}
	if r, ok := v.parent(); ok {
		v.parentRelationship(el, r, rels, pointer)
		return
	}
	var key, relType string
	if r, ok := v.decl().BodyRelation(); ok {
		key, relType = r.Name, r.Target
	}
	for _, k := range rels.Keys {
		p := pointer + "/" + escape(k)
		if k != key {
			v.fail(p, "'%s' is not a valid relationship of a %s.", k, v.entity.Type)
			continue
		}
		relNode, _ := rels.Get(k)
		rel, ok := v.object(relNode, p, "'"+k+"'")
		if !ok {
			continue
		}
		data, present := rel.Get("data")
		if !present {
			if v.p.BodyRelDataRequired {
				v.fail(p+"/data", "This field is required.")
			}
			continue
		}
		list, ok := data.([]any)
		if !ok {
			v.fail(p+"/data", "'data' must be an array of %s resource identifiers, got %s.", relType, codec.Kind(data))
			continue
		}
		el.HasRelated, el.Related = true, make([]string, 0, len(list))
		for i, c := range list {
			cp := fmt.Sprintf("%s/data/%d", p, i)
			if id, ok := v.identifier(c, cp, relType); ok {
				el.Related = append(el.Related, id)
			}
		}
	}
}

// parentMember is where a new entity names its parent at this revision
// (a variant its item): the pointer of the parent's id within the element,
// and the relationship's key: an array under the parent kind's plural up
// to 2023-06-15, then the relation itself.
func (v *validator) parentMember() (at, key string) {
	r, _ := v.decl().Parent()
	if v.p.VariantParent == resource.ParentItemsArray {
		key = v.target(r).Plural
		return "/relationships/" + key + "/data/0/id", key
	}
	return "/relationships/" + r.Name + "/data/id", r.Name
}

// parentRelationship reads a new entity's parent: an array of one up to
// 2023-06-15, relationships.<parent>.data after, required or not as the
// revision says.
func (v *validator) parentRelationship(el *store.Element, r *schema.Relation, rels *jsonw.Object, pointer string) {
	_, key := v.parentMember()
	for _, k := range rels.Keys {
		if k != key {
			v.fail(pointer+"/"+escape(k), "'%s' is not a valid relationship of a %s at revision %s; use '%s'.", k, v.decl().Type, v.p.Date, key)
		}
	}
	p := pointer + "/" + key
	relNode, present := rels.Get(key)
	if !present {
		if v.p.VariantParent == resource.ParentItemRequired || v.p.VariantParent == resource.ParentItemKeyRequired {
			v.fail(p, "This field is required.")
		}
		return
	}
	rel, ok := v.object(relNode, p, "'"+key+"'")
	if !ok {
		return
	}
	data, present := rel.Get("data")
	if !present {
		if v.p.VariantParent == resource.ParentItemRequired || v.p.BodyRelDataRequired {
			v.fail(p+"/data", "This field is required.")
		}
		return
	}
	if key != r.Name {
		list, ok := data.([]any)
		if !ok || len(list) != 1 {
			v.fail(p+"/data", "'data' must hold the %s's one %s.", v.decl().Singular, r.Target)
			return
		}
		data, p = list[0], p+"/data/0"
	} else {
		p += "/data"
	}
	if id, ok := v.identifier(data, p, r.Target); ok {
		el.HasRelated, el.Related = true, []string{id}
	}
}

// identifier reads a resource identifier {type, id} of type typ.
func (v *validator) identifier(node any, pointer, typ string) (string, bool) {
	obj, ok := v.object(node, pointer, "A "+typ+" identifier")
	if !ok {
		return "", false
	}
	before := len(v.errs)
	v.expectType(obj, pointer, typ)
	idNode, _ := obj.Get("id")
	id := v.entityID(idNode, pointer+"/id", typ)
	return id, len(v.errs) == before
}
