// Package payload parses and validates the request body of
// POST /api/catalog-item-bulk-update-jobs for a revision: the JSON:API
// envelope, types, ids, item attributes and their types, and the item
// count. Every problem becomes one Klaviyo-shaped error whose source.pointer
// names the offending member; the parser is pure, so it can be fuzzed.
package payload

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Limits of a create request.
const (
	MaxItems          = 100
	MaxCustomMetadata = 100 * 1024
)

// ParseCreate parses body for revision p. On success it returns the store's
// create request; otherwise every problem found, in document order.
func ParseCreate(p *revision.Profile, body []byte) (store.CreateRequest, []*apierror.Error) {
	doc, err := jsonw.Decode(body)
	if err != nil {
		return store.CreateRequest{}, []*apierror.Error{parseError(err)}
	}
	v := &validator{p: p}
	req := v.document(doc)
	if len(v.errs) > 0 {
		return store.CreateRequest{}, v.errs
	}
	return req, nil
}

func parseError(err error) *apierror.Error { return apierror.ParseError(err.Error()) }

type validator struct {
	p    *revision.Profile
	errs []*apierror.Error
}

func (v *validator) fail(pointer, format string, args ...any) {
	v.errs = append(v.errs, apierror.InvalidPointer(pointer, fmt.Sprintf(format, args...)))
}

// object returns node as an object, or records that the member at pointer
// must be one.
func (v *validator) object(node any, pointer, name string) (*jsonw.Object, bool) {
	m, ok := node.(*jsonw.Object)
	if !ok {
		v.fail(pointer, "%s must be an object, got %s.", name, kind(node))
	}
	return m, ok
}

func (v *validator) document(doc any) store.CreateRequest {
	var req store.CreateRequest
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
	v.expectType(data, "/data", revision.TypeJob)
	attrNode, ok := data.Get("attributes")
	if !ok {
		v.fail("/data", "One of `attributes`, `relationships` or `id` must be included in the request payload.")
		return req
	}
	attrs, ok := v.object(attrNode, "/data/attributes", "'attributes'")
	if !ok {
		return req
	}
	for _, k := range attrs.Keys {
		if k != "items" {
			v.fail("/data/attributes/"+escape(k), apierror.DetailInvalidField, k, revision.TypeJob)
		}
	}
	itemsNode, ok := attrs.Get("items")
	if !ok {
		v.fail("/data/attributes/items", "This field is required.")
		return req
	}
	list, pointer := v.itemList(itemsNode)
	if list == nil {
		return req
	}
	req.ItemPointer = pointer
	switch {
	case len(list) == 0:
		v.fail(pointer, "At least one catalog item is required.")
	case len(list) > MaxItems:
		v.fail(pointer, "A job accepts at most %d catalog items; got %d.", MaxItems, len(list))
	}
	req.Items = make([]store.ItemUpdate, 0, len(list))
	for i, n := range list {
		if u, ok := v.item(n, fmt.Sprintf("%s/%d", pointer, i)); ok {
			req.Items = append(req.Items, u)
		}
	}
	return req
}

// itemList finds the items array: attributes.items[] up to 2023-06-15,
// attributes.items.data[] from 2023-07-15.
func (v *validator) itemList(node any) ([]any, string) {
	const base = "/data/attributes/items"
	if !v.p.CreateItemsWrapped {
		list, ok := node.([]any)
		if !ok {
			v.fail(base, "'items' must be an array of catalog items at revision %s, got %s.", v.p.Date, kind(node))
			return nil, ""
		}
		return list, base
	}
	wrap, ok := node.(*jsonw.Object)
	if !ok {
		v.fail(base, "'items' must be an object with a 'data' array of catalog items at revision %s, got %s.", v.p.Date, kind(node))
		return nil, ""
	}
	dataNode, _ := wrap.Get("data")
	list, ok := dataNode.([]any)
	if !ok {
		v.fail(base+"/data", "'items.data' must be an array of catalog items, got %s.", kind(dataNode))
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
		v.fail(pointer+"/type", "'type' must be the string '%s', got %s.", want, kind(node))
	case got != want:
		v.fail(pointer+"/type", "'%s' is not a valid type here; expected '%s'.", got, want)
	}
}

// escape escapes a JSON pointer token (RFC 6901).
func escape(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// kind names a JSON value's type for messages.
func kind(n any) string {
	switch n.(type) {
	case nil:
		return "null"
	case *jsonw.Object:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "a value"
}
