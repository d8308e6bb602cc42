package payload

import (
	"fmt"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/codec"
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/resource"
)

// ParseIdentifiers parses the body of a relationship write: {"data":
// [{"type": typ, "id": …}, …]}. It returns the ids in order, or every
// problem found in document order. The list is read where it stands when
// it can be (see idlist.go).
func ParseIdentifiers(p *resource.Profile, typ string, body []byte) ([]string, []*apierror.Error) {
	if l, ok := findIDList(body, dataPath, typ); ok {
		if _, errs := parseIdentifiersTree(p, typ, l.spliced(body)); len(errs) == 0 {
			return l.ids, nil
		}
	}
	return parseIdentifiersTree(p, typ, body)
}

// dataPath is where a relationship write's list is.
var dataPath = []string{"data"}

// parseIdentifiersTree is ParseIdentifiers through the document's decoded
// tree.
func parseIdentifiersTree(p *resource.Profile, typ string, body []byte) ([]string, []*apierror.Error) {
	doc, err := jsonw.Decode(body)
	if err != nil {
		return nil, []*apierror.Error{apierror.Undecodable(err)}
	}
	v := &validator{p: p}
	data, ok := v.data(doc)
	if !ok {
		return nil, v.errs
	}
	list, ok := data.([]any)
	if !ok {
		v.fail("/data", "'data' must be an array of %s resource identifiers, got %s.", typ, codec.Kind(data))
		return nil, v.errs
	}
	out := make([]string, 0, len(list))
	for i, n := range list {
		if id, ok := v.identifier(n, fmt.Sprintf("/data/%d", i), typ); ok {
			out = append(out, id)
		}
	}
	if len(v.errs) > 0 {
		return nil, v.errs
	}
	return out, nil
}
