package payload

import (
	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// The parsers through the decoded tree, which the faster paths must agree
// with on every body (the oracle of identifiers_test.go).
var (
	ParseIdentifiersTree = parseIdentifiersTree
	ParseEntityTree      = parseEntityTree
)

// ParseCreateTree is ParseCreate through the tree alone.
func ParseCreateTree(p *resource.Profile, body []byte) (store.CreateRequest, []*apierror.Error) {
	return parseCreateTree(&validator{p: p, kind: p.Res.Job.Kind, entity: p.Res.Job.Entity}, body)
}

// ReadsCreateInPlace reports whether ParseCreate reads body in place.
func ReadsCreateInPlace(p *resource.Profile, body []byte) bool {
	_, ok := parseCreateInPlace(&validator{p: p, kind: p.Res.Job.Kind, entity: p.Res.Job.Entity}, body)
	return ok
}

// ReadsUpdateInPlace reports whether ParseEntity reads the update body of
// the entity pathID in place.
func ReadsUpdateInPlace(p *resource.Profile, body []byte, pathID string) bool {
	_, ok := parseUpdateInPlace(p, body, pathID)
	return ok
}
