package payload

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// setters read each updatable attribute (store.AttrByName gives its bit).
var setters = map[string]func(v *validator, it *store.Item, node any, pointer string){
	"title":               func(v *validator, it *store.Item, n any, p string) { it.Title = v.str(n, p) },
	"description":         func(v *validator, it *store.Item, n any, p string) { it.Description = v.str(n, p) },
	"url":                 func(v *validator, it *store.Item, n any, p string) { it.URL = v.str(n, p) },
	"image_full_url":      func(v *validator, it *store.Item, n any, p string) { it.ImageFullURL = v.str(n, p) },
	"image_thumbnail_url": func(v *validator, it *store.Item, n any, p string) { it.ImageThumbnailURL = v.str(n, p) },
	"images":              (*validator).images,
	"custom_metadata":     (*validator).customMetadata,
	"price":               (*validator).price,
	"published":           (*validator).published,
}

// item validates one catalog item of the request.
func (v *validator) item(node any, pointer string) (store.ItemUpdate, bool) {
	var u store.ItemUpdate
	before := len(v.errs)
	obj, ok := v.object(node, pointer, "A catalog item")
	if !ok {
		return u, false
	}
	v.expectType(obj, pointer, revision.TypeItem)
	idNode, _ := obj.Get("id")
	u.ID = v.itemID(idNode, pointer+"/id")
	for _, k := range obj.Keys {
		switch k {
		case "type", "id", "attributes", "relationships":
		default:
			v.fail(pointer+"/"+escape(k), "'%s' is not a valid member of a catalog item.", k)
		}
	}
	attrNode, present := obj.Get("attributes")
	if !present {
		v.fail(pointer+"/attributes", "This field is required.")
	} else if attrs, ok := v.object(attrNode, pointer+"/attributes", "'attributes'"); ok {
		for _, k := range attrs.Keys {
			p := pointer + "/attributes/" + escape(k)
			attr, known := store.AttrByName(k)
			set, ok := setters[k]
			if !ok || !known {
				v.fail(p, "'%s' is not a valid field for the resource 'catalog-item'.", k)
				continue
			}
			val, _ := attrs.Get(k)
			if val == nil && !v.p.CreateNullableAttributes {
				v.fail(p, "This field may not be null at revision %s.", v.p.Date)
				continue
			}
			set(v, &u.Values, val, p)
			u.Set |= attr
		}
	}
	if rel, ok := obj.Get("relationships"); ok {
		v.relationships(rel, pointer+"/relationships")
	}
	return u, len(v.errs) == before
}

// itemID checks "$custom:::$default:::<external_id>".
func (v *validator) itemID(node any, pointer string) string {
	id, ok := node.(string)
	switch {
	case node == nil:
		v.fail(pointer, "This field is required.")
	case !ok:
		v.fail(pointer, "A catalog item id must be a string, got %s.", kind(node))
	case !strings.HasPrefix(id, store.ItemIDPrefix) || len(id) == len(store.ItemIDPrefix):
		v.fail(pointer, "'%s' is not a valid catalog item id: expected '%s<external_id>' (only the $custom integration and the $default catalog are supported).", id, store.ItemIDPrefix)
	default:
		return id
	}
	return ""
}

func (v *validator) relationships(node any, pointer string) {
	rels, ok := v.object(node, pointer, "'relationships'")
	if !ok {
		return
	}
	for _, k := range rels.Keys {
		p := pointer + "/" + escape(k)
		if k != "categories" {
			v.fail(p, "'%s' is not a valid relationship of a catalog item.", k)
			continue
		}
		catNode, _ := rels.Get(k)
		cat, ok := v.object(catNode, p, "'categories'")
		if !ok {
			continue
		}
		data, present := cat.Get("data")
		if !present {
			if v.p.CategoriesDataRequired {
				v.fail(p+"/data", "This field is required.")
			}
			continue
		}
		list, ok := data.([]any)
		if !ok {
			v.fail(p+"/data", "'data' must be an array of catalog categories, got %s.", kind(data))
			continue
		}
		for i, c := range list {
			cp := fmt.Sprintf("%s/data/%d", p, i)
			obj, ok := v.object(c, cp, "A category")
			if !ok {
				continue
			}
			v.expectType(obj, cp, revision.TypeCategory)
			idNode, _ := obj.Get("id")
			if id, ok := idNode.(string); !ok || id == "" {
				v.fail(cp+"/id", "A category id must be a non-empty string.")
			}
		}
	}
}

func (v *validator) str(n any, p string) *string {
	if n == nil {
		return nil
	}
	s, ok := n.(string)
	if !ok {
		v.fail(p, "Must be a string, got %s.", kind(n))
		return nil
	}
	return &s
}

func (v *validator) images(it *store.Item, n any, p string) {
	if n == nil {
		return
	}
	list, ok := n.([]any)
	if !ok {
		v.fail(p, "Must be an array of strings, got %s.", kind(n))
		return
	}
	out := make([]string, 0, len(list))
	for i, x := range list {
		s, ok := x.(string)
		if !ok {
			v.fail(fmt.Sprintf("%s/%d", p, i), "Must be a string, got %s.", kind(x))
			continue
		}
		out = append(out, s)
	}
	it.Images = &out
}

// customMetadata keeps the object as sent (member order, characters),
// written the way Klaviyo writes JSON, up to 100 KB.
func (v *validator) customMetadata(it *store.Item, n any, p string) {
	if n == nil {
		return
	}
	if _, ok := n.(*jsonw.Object); !ok {
		v.fail(p, "Must be an object, got %s.", kind(n))
		return
	}
	raw := jsonw.Encode(nil, n)
	if len(raw) > MaxCustomMetadata {
		v.fail(p, "May not exceed 100kb; got %d bytes.", len(raw))
		return
	}
	it.CustomMetadata = raw
}

func (v *validator) price(it *store.Item, n any, p string) {
	if n == nil {
		return
	}
	num, ok := n.(json.Number)
	if !ok {
		v.fail(p, "Must be a number, got %s.", kind(n))
		return
	}
	f, err := num.Float64()
	if err != nil {
		v.fail(p, "'%s' is not a valid number.", num)
		return
	}
	it.Price = &f
}

func (v *validator) published(it *store.Item, n any, p string) {
	if n == nil {
		return
	}
	b, ok := n.(bool)
	if !ok {
		v.fail(p, "Must be a boolean, got %s.", kind(n))
		return
	}
	it.Published = &b
}
