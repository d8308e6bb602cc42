package resource

import (
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/revision"
)

// Op is one kind of operation on a resource.
type Op uint8

// Operations: the resource's own (a collection and one resource), then
// those on one of its relations (the related list and the relationship
// endpoint's four methods).
const (
	OpList Op = iota
	OpGet
	OpCreate
	OpUpdate
	OpDelete
	// OpRelated is GET /<resource>/{id}/<relation>: the related entities.
	OpRelated
	// OpRelIDs is GET /<resource>/{id}/relationships/<relation>.
	OpRelIDs
	// OpRelAdd, OpRelSet and OpRelRemove are POST, PATCH and DELETE there.
	OpRelAdd
	OpRelSet
	OpRelRemove
	NumOps
)

var opNames = [NumOps]string{"list", "get", "create", "update", "delete",
	"related", "relationships", "add", "replace", "remove"}

// OnRelation reports whether the op addresses a relation.
func (o Op) OnRelation() bool { return o >= OpRelated }

// TakesBody reports whether requests of the op carry a document.
func (o Op) TakesBody() bool {
	return o == OpCreate || o == OpUpdate || o == OpRelAdd || o == OpRelSet || o == OpRelRemove
}

// Writes reports whether the op changes state.
func (o Op) Writes() bool { return o.TakesBody() || o == OpDelete }

// String returns the op's short name.
func (o Op) String() string { return opNames[o] }

// Operation is one operation at one revision.
type Operation struct {
	// ID is the spec's operationId at this revision.
	ID string
	// Limits are the spec's x-klaviyo-ratelimit values.
	Limits limiter.Limits
}

// Endpoint is one operation of a resource: its own (Rel nil) or one on
// a relation.
type Endpoint struct {
	Res *Resource
	Rel *Relation
	Op  Op
}

func (e Endpoint) slot() int {
	if e.Rel == nil {
		return 0
	}
	return e.Rel.slot
}

// Name returns the endpoint's stable name: its operation id at the newest
// revision that has it (rate-limit buckets and the request journal use it).
func (e Endpoint) Name() string { return e.Res.newest[e.slot()][e.Op] }

// At returns the operation at revision p, if the endpoint exists there.
func (e Endpoint) At(p *revision.Profile) (*Operation, bool) {
	o := e.Res.profiles[p.Index].ops[e.slot()][e.Op]
	return o, o != nil
}

// Declared reports whether the endpoint exists at some revision.
func (e Endpoint) Declared() bool { return e.Name() != "" }

// Endpoints lists every endpoint of every resource: each resource's own
// operations, then those on each of its relations.
func (reg *Registry) Endpoints() []Endpoint {
	var out []Endpoint
	for _, r := range reg.resources {
		for op := Op(0); op < NumOps; op++ {
			if ep := (Endpoint{Res: r, Op: op}); !op.OnRelation() && ep.Declared() {
				out = append(out, ep)
			}
		}
		for _, rel := range r.Relations {
			for op := OpRelated; op < NumOps; op++ {
				if ep := (Endpoint{Res: r, Rel: rel, Op: op}); ep.Declared() {
					out = append(out, ep)
				}
			}
		}
	}
	return out
}
