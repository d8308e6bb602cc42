package resource

import (
	"fmt"
	"slices"

	"github.com/klaviyo-mock/mockserver/internal/revision"
)

// Registry is every resource served.
type Registry struct {
	revs      *revision.Table
	resources []*Resource
	byName    map[string]*Resource
	byType    map[string]*Resource
	clients   map[string]*Resource // the /client twins, by name
}

// NewRegistry returns an empty registry over the revision table t.
func NewRegistry(t *revision.Table) *Registry {
	return &Registry{revs: t, byName: map[string]*Resource{}, byType: map[string]*Resource{}, clients: map[string]*Resource{}}
}

// Add registers r: its rows are applied revision by revision on top of the
// API-wide profiles. Rows must start at revisions of the table.
func (reg *Registry) Add(r *Resource) *Resource {
	names := reg.byName
	if r.Client {
		names = reg.clients
	}
	if _, dup := names[r.Name]; dup {
		panic("resource: " + r.Path() + " registered twice")
	}
	for _, row := range r.rows {
		if _, ok := reg.revs.Exact(row.Since); !ok {
			panic(fmt.Sprintf("resource: %s has a row at %s, which is not a revision", r.Name, row.Since))
		}
	}
	cur := Profile{Res: r, ops: make([][NumOps]*Operation, 1+len(r.Relations))}
	r.newest = make([][NumOps]string, 1+len(r.Relations))
	for _, p := range reg.revs.All() {
		for _, row := range r.rows {
			if row.Since == p.Date {
				row.Apply(&cur)
			}
		}
		prof := cur
		prof.ops = slices.Clone(cur.ops)
		prof.Profile, prof.Res = p, r
		prof.Fields = fieldsAt(r, &prof)
		r.profiles = append(r.profiles, &prof)
	}
	// An endpoint's name is its id at the newest revision that has it.
	for _, prof := range r.profiles {
		for s := range prof.ops {
			for op, o := range prof.ops[s] {
				if o != nil {
					r.newest[s][op] = o.ID
				}
			}
		}
	}
	// Every list and write names its path (in hints): joined once here.
	r.path = r.joinPath()
	reg.resources = append(reg.resources, r)
	names[r.Name] = r
	if !r.Client {
		reg.byType[r.Type] = r
	}
	return r
}

// All returns the resources in registration order.
func (reg *Registry) All() []*Resource { return reg.resources }

// Named returns the /api resource whose collection path segment is name.
func (reg *Registry) Named(name string) (*Resource, bool) {
	r, ok := reg.byName[name]
	return r, ok
}

// ClientNamed returns the /client resource whose path segment is name.
func (reg *Registry) ClientNamed(name string) (*Resource, bool) {
	r, ok := reg.clients[name]
	return r, ok
}

// OfType returns the /api resource of a JSON:API type.
func (reg *Registry) OfType(typ string) (*Resource, bool) {
	r, ok := reg.byType[typ]
	return r, ok
}

// Revisions returns the revision table.
func (reg *Registry) Revisions() *revision.Table { return reg.revs }
