package payload

import (
	"fmt"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Values the create-only identity attributes may take (Klaviyo supports
// only these).
const (
	integrationType = "$custom"
	catalogType     = "$default"
)

// element validates one element of the request: a create ({type,
// attributes, relationships?}), an update ({type, id, attributes,
// relationships?}) or a delete ({type, id}).
func (v *validator) element(node any, pointer string) (store.Element, bool) {
	var el store.Element
	if v.kind == store.VariantCreate {
		el.ParentAt, _ = v.parentMember()
	}
	before := len(v.errs)
	ent := v.entity
	obj, ok := v.object(node, pointer, "A "+ent.Type)
	if !ok {
		return el, false
	}
	v.expectType(obj, pointer, ent.Type)
	action := v.kind.Action()
	allowed := map[string]bool{"type": true, "id": action != store.Create,
		"attributes": action != store.Delete, "relationships": action != store.Delete && v.hasRelationships()}
	if action != store.Create {
		idNode, _ := obj.Get("id")
		el.ID = v.entityID(idNode, pointer+"/id", ent.Type)
	}
	for _, k := range obj.Keys {
		if !allowed[k] {
			v.fail(pointer+"/"+escape(k), "'%s' is not a valid member of a %s to %s.", k, ent.Type, action)
		}
	}
	if action != store.Delete {
		attrNode, present := obj.Get("attributes")
		if !present {
			v.fail(pointer+"/attributes", "This field is required.")
		} else if attrs, ok := v.object(attrNode, pointer+"/attributes", "'attributes'"); ok {
			v.attributes(&el, attrs, pointer+"/attributes")
		}
		if action == store.Create && el.Values.ExternalID != "" {
			el.ID = store.EntityID(el.Values.ExternalID)
		}
		relNode, present := obj.Get("relationships")
		if present && allowed["relationships"] {
			v.relationships(&el, relNode, pointer+"/relationships")
		} else if !present && v.kind == store.VariantCreate &&
			(v.p.VariantParent == resource.ParentItemRequired || v.p.VariantParent == resource.ParentItemKeyRequired) {
			v.fail(pointer+"/relationships", "This field is required: a variant names its item in relationships.item at revision %s.", v.p.Date)
		}
	}
	return el, len(v.errs) == before
}

// hasRelationships reports whether elements of the job may carry
// relationships.
func (v *validator) hasRelationships() bool {
	return v.entity.Entity.BodyRel != "" || v.kind == store.VariantCreate
}

// attributes reads an element's attributes: the ones its action allows,
// each through the store's descriptor of the entity kind.
func (v *validator) attributes(el *store.Element, attrs *jsonw.Object, pointer string) {
	def := v.entity.Entity
	kind := def.Kind
	create := v.kind.Action() == store.Create
	allowed := def.UpdateAttrs
	if create {
		allowed = append(append([]string(nil), def.CreateRequired...), def.CreateOptional...)
	}
	for _, k := range attrs.Keys {
		p := pointer + "/" + escape(k)
		if !contains(allowed, k) || (k == "sku" && !create && !v.p.UpdateSKU) {
			v.fail(p, "'%s' is not a valid field for the resource '%s'.", k, kind.Type())
			continue
		}
		val, _ := attrs.Get(k)
		required := create && contains(def.CreateRequired, k)
		if val == nil && (required || !v.p.NullableBodyAttributes) {
			v.fail(p, "This field may not be null at revision %s.", v.p.Date)
			continue
		}
		switch k {
		case "integration_type", "catalog_type":
			want := map[string]string{"integration_type": integrationType, "catalog_type": catalogType}[k]
			if s, ok := val.(string); val != nil && (!ok || s != want) {
				v.fail(p, "'%s' is not a valid choice for '%s': only '%s' is supported.", jsonw.Encode(nil, val), k, want)
			}
			continue
		}
		i, a, _ := kind.Attr(k)
		if probs := a.Set(&el.Values, val); len(probs) > 0 {
			for _, pr := range probs {
				v.fail(p+pr.Pointer, "%s", pr.Detail)
			}
			continue
		}
		el.Set = el.Set.With(i)
	}
	if create {
		for _, req := range def.CreateRequired {
			if _, ok := attrs.Get(req); !ok {
				v.fail(pointer+"/"+req, "'%s' is a required field for the resource '%s'.", req, kind.Type())
			}
		}
		if el.Values.ExternalID == "" && el.Set.Has(0) {
			v.fail(pointer+"/external_id", "external_id may not be empty.")
		}
	}
}

// relationships reads an element's relationships: an item's categories or
// a category's items (the set it replaces), or a new variant's parent item.
func (v *validator) relationships(el *store.Element, node any, pointer string) {
	rels, ok := v.object(node, pointer, "'relationships'")
	if !ok {
		return
	}
	if v.kind == store.VariantCreate {
		v.variantParent(el, rels, pointer)
		return
	}
	key := v.entity.Entity.BodyRel
	var relType string
	if rel, ok := v.entity.Relation(key); ok {
		relType = rel.Target.Type
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
			v.fail(p+"/data", "'data' must be an array of %s resource identifiers, got %s.", relType, store.Kind(data))
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

// parentMember is where a new variant names its item at this revision:
// the pointer of the item's id within the element, and the relationship's
// key.
func (v *validator) parentMember() (at, key string) {
	if v.p.VariantParent == resource.ParentItemsArray {
		return "/relationships/items/data/0/id", "items"
	}
	return "/relationships/item/data/id", "item"
}

// variantParent reads a new variant's item: relationships.items.data[]
// (one element) up to 2023-06-15, relationships.item.data after, required
// or not as the revision says.
func (v *validator) variantParent(el *store.Element, rels *jsonw.Object, pointer string) {
	_, key := v.parentMember()
	for _, k := range rels.Keys {
		if k != key {
			v.fail(pointer+"/"+escape(k), "'%s' is not a valid relationship of a catalog-variant at revision %s; use '%s'.", k, v.p.Date, key)
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
	if key == "items" {
		list, ok := data.([]any)
		if !ok || len(list) != 1 {
			v.fail(p+"/data", "'data' must hold the variant's one catalog-item.")
			return
		}
		data, p = list[0], p+"/data/0"
	} else {
		p += "/data"
	}
	if id, ok := v.identifier(data, p, store.ItemKind.Type()); ok {
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
