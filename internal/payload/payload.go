// Package payload parses and validates the request body of a bulk job POST
// for a job resource at a revision: the JSON:API envelope, types, ids, each
// element's attributes (checked through the store's descriptor table of the
// entity kind), relationships and the element count. Every problem becomes
// one Klaviyo-shaped error whose source.pointer names the offending member;
// the parser is pure, so it can be fuzzed.
package payload

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/codec"
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Limits of a job request.
const (
	MaxElements       = store.MaxJobElements
	MaxCustomMetadata = schema.MaxCustomMetadata
)

// ParseCreate parses body for the job resource p (at its revision). On
// success it returns the store's create request; otherwise every problem
// found, in document order.
//
// A create written plainly is read in place (see inplace.go), the others
// through the document's decoded tree.
func ParseCreate(p *resource.Profile, body []byte) (store.CreateRequest, []*apierror.Error) {
	v := &validator{p: p, kind: p.Res.Job.Kind, entity: p.Res.Job.Entity}
	if req, ok := parseCreateInPlace(v, body); ok {
		return req, nil
	}
	return parseCreateTree(v, body)
}

// parseCreateTree is ParseCreate through the document's decoded tree.
func parseCreateTree(v *validator, body []byte) (store.CreateRequest, []*apierror.Error) {
	doc, err := jsonw.Decode(body)
	if err != nil {
		return store.CreateRequest{}, []*apierror.Error{apierror.Undecodable(err)}
	}
	req := v.document(doc)
	if len(v.errs) > 0 {
		return store.CreateRequest{}, v.errs
	}
	return req, nil
}

type validator struct {
	p      *resource.Profile
	kind   store.JobKind
	entity *resource.Resource
	errs   []*apierror.Error
}

func (v *validator) fail(pointer, format string, args ...any) {
	v.errs = append(v.errs, apierror.InvalidPointer(pointer, fmt.Sprintf(format, args...)))
}

// object returns node as an object, or records that the member at pointer
// must be one.
func (v *validator) object(node any, pointer, name string) (*jsonw.Object, bool) {
	m, ok := node.(*jsonw.Object)
	if !ok {
		v.fail(pointer, "%s must be an object, got %s.", name, codec.Kind(node))
	}
	return m, ok
}

func (v *validator) document(doc any) store.CreateRequest {
	req := store.CreateRequest{Kind: v.kind}
	top, ok := v.object(doc, "", "The request body")
	if !ok {
		return req
	}
	dataNode, ok := top.Get("data")
	if !ok {
		v.fail("/data", "The request body must have a 'data' member.")
		return req
	}
	data, ok := v.object(dataNode, "/data", "'data'")
	if !ok {
		return req
	}
	v.expectType(data, "/data", v.p.Res.Type)
	attrNode, ok := data.Get("attributes")
	if !ok {
		v.fail("/data", "One of `attributes`, `relationships` or `id` must be included in the request payload.")
		return req
	}
	attrs, ok := v.object(attrNode, "/data/attributes", "'attributes'")
	if !ok {
		return req
	}
	key := v.kind.Entity().Plural()
	for _, k := range attrs.Keys {
		if k != key {
			v.fail("/data/attributes/"+escape(k), apierror.DetailInvalidField, k, v.p.Res.Type)
		}
	}
	listNode, ok := attrs.Get(key)
	if !ok {
		v.fail("/data/attributes/"+key, "This field is required.")
		return req
	}
	list, pointer := v.elementList(key, listNode)
	if list == nil {
		return req
	}
	req.Pointer = pointer
	switch {
	case len(list) == 0:
		v.fail(pointer, "At least one %s is required.", v.entity.Type)
	case len(list) > MaxElements:
		v.fail(pointer, "A job accepts at most %d %s; got %d.", MaxElements, key, len(list))
	}
	req.Elements = make([]store.Element, 0, len(list))
	for i, n := range list {
		if el, ok := v.element(n, pointer+"/"+strconv.Itoa(i)); ok {
			el.Values.Vals = endSlots(el.Values.Vals) // as a body read in place keeps them
			req.Elements = append(req.Elements, el)
		}
	}
	return req
}

// elementList finds the elements: attributes.<key>[] up to 2023-06-15,
// attributes.<key>.data[] from 2023-07-15.
func (v *validator) elementList(key string, node any) ([]any, string) {
	base := "/data/attributes/" + key
	if !v.p.BodyWrapped {
		list, ok := node.([]any)
		if !ok {
			v.fail(base, "'%s' must be an array of %s at revision %s, got %s.", key, v.entity.Name, v.p.Date, codec.Kind(node))
			return nil, ""
		}
		return list, base
	}
	wrap, ok := node.(*jsonw.Object)
	if !ok {
		v.fail(base, "'%s' must be an object with a 'data' array of %s at revision %s, got %s.", key, v.entity.Name, v.p.Date, codec.Kind(node))
		return nil, ""
	}
	dataNode, _ := wrap.Get("data")
	list, ok := dataNode.([]any)
	if !ok {
		v.fail(base+"/data", "'%s.data' must be an array of %s, got %s.", key, v.entity.Name, codec.Kind(dataNode))
		return nil, ""
	}
	return list, base + "/data"
}

func (v *validator) expectType(obj *jsonw.Object, pointer, want string) {
	node, _ := obj.Get("type")
	got, ok := node.(string)
	switch {
	case !ok && node == nil:
		v.fail(pointer+"/type", "'type' is required and must be '%s'.", want)
	case !ok:
		v.fail(pointer+"/type", "'type' must be the string '%s', got %s.", want, codec.Kind(node))
	case got != want:
		v.fail(pointer+"/type", "'%s' is not a valid type here; expected '%s'.", got, want)
	}
}

// entityID checks "$custom:::$default:::<external_id>".
func (v *validator) entityID(node any, pointer, typ string) string {
	id, ok := node.(string)
	switch {
	case node == nil:
		v.fail(pointer, "This field is required.")
	case !ok:
		v.fail(pointer, "A %s id must be a string, got %s.", typ, codec.Kind(node))
	case !store.ValidEntityID(id):
		v.fail(pointer, "'%s' is not a valid %s id: expected '%s<external_id>' (only the $custom integration and the $default catalog are supported).",
			id, typ, store.IDPrefix)
	default:
		return id
	}
	return ""
}

// escape escapes a JSON pointer token (RFC 6901); most names have nothing
// to escape and are returned as they are.
func escape(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return pointerEscaper.Replace(s)
}

// pointerEscaper escapes '~' as "~0" and '/' as "~1" (built once: building
// a Replacer costs more than most requests' validation).
var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func contains(list []string, s string) bool { return slices.Contains(list, s) }
