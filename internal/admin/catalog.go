package admin

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sync"

	"github.com/klaviyo-mock/mockserver/internal/codec"
	"github.com/klaviyo-mock/mockserver/internal/query"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// GET /__admin/catalog describes what the API serves at its newest
// revision, from the declaration and the registry: the entities (their
// attributes, filters, sorts, includes and relations) and the job kinds.
// The web page builds its views from it, so it names no entity, attribute
// or job kind itself.

// catalogEntity is one entity resource as the catalog route shows it.
type catalogEntity struct {
	Type       string          `json:"type"`
	Path       string          `json:"path"`
	Plural     string          `json:"plural"`
	Singular   string          `json:"singular"`
	Operations []string        `json:"operations"`
	PageSize   int             `json:"page_size"` // the largest page[size] (0: none)
	Include    string          `json:"include,omitempty"`
	Sorts      []string        `json:"sorts,omitempty"`
	Attributes []catalogAttr   `json:"attributes"`
	Filters    []catalogFilter `json:"filters"`
	Relations  []catalogRel    `json:"relations"`
}

type catalogAttr struct {
	Name   string `json:"name"`
	Type   string `json:"type"`
	Role   string `json:"role,omitempty"`
	Create string `json:"create"`
	// Default is what a create (or a control document) that leaves an
	// optional attribute out gets, as JSON.
	Default json.RawMessage `json:"default,omitempty"`
	Update  bool            `json:"update"`
	Local   bool            `json:"local,omitempty"`
}

type catalogFilter struct {
	Field string   `json:"field"`
	Op    string   `json:"op"`
	Value string   `json:"value"`
	Enum  []string `json:"enum,omitempty"`
}

// catalogRel is a relation; Filter is the target list's filter field that
// selects the entities related to one of these ("" none).
type catalogRel struct {
	Name   string `json:"name"`
	Target string `json:"target"`
	Many   bool   `json:"many"`
	Filter string `json:"filter,omitempty"`
}

// catalogJob is one bulk job resource; Newest is the link to its last
// page, where the jobs created last are (lists are oldest first).
type catalogJob struct {
	Name         string          `json:"name"`
	Type         string          `json:"type"`
	Path         string          `json:"path"`
	Entity       string          `json:"entity"`
	Action       string          `json:"action"`
	Relationship string          `json:"relationship"`
	Include      string          `json:"include,omitempty"`
	Filters      []catalogFilter `json:"filters"`
	Newest       string          `json:"newest"`
}

// pastEveryJobID sorts after every job id (ULIDs: 26 Crockford base-32
// digits, the first at most 7), so a prev cursor from it is the last page.
const pastEveryJobID = "7ZZZZZZZZZZZZZZZZZZZZZZZZZ"

var (
	presenceNames = map[schema.Presence]string{schema.Never: "never", schema.Optional: "optional", schema.Required: "required"}
	valueNames    = map[resource.ValueKind]string{resource.ValString: "string", resource.ValBool: "boolean", resource.ValStringList: "string list"}
)

// catalogOnce builds the catalog document once: it follows from the
// registry, which never changes.
type catalogOnce struct {
	once sync.Once
	doc  map[string]any
}

// catalog answers GET /__admin/catalog.
func (a *API) catalog(w http.ResponseWriter, r *http.Request) {
	if a.o.Resources == nil {
		a.pathNotFound(w, r)
		return
	}
	a.cat.once.Do(func() { a.cat.doc = describeCatalog(a.o.Resources) })
	reply(w, http.StatusOK, a.cat.doc)
}

// describeCatalog is the catalog document of reg at its newest revision.
func describeCatalog(reg *resource.Registry) map[string]any {
	all := reg.Revisions().All()
	newest := all[len(all)-1]
	entities, jobs := []catalogEntity{}, []catalogJob{}
	for _, res := range reg.All() {
		p := res.At(newest)
		if res.Job != nil {
			jobs = append(jobs, describeJob(res, p))
		} else if res.Entity != nil {
			entities = append(entities, describeEntity(reg, res, p))
		}
	}
	return map[string]any{"revision": newest.Date, "entities": entities, "jobs": jobs}
}

func describeEntity(reg *resource.Registry, res *resource.Resource, p *resource.Profile) catalogEntity {
	d := res.Entity.Decl
	out := catalogEntity{Type: res.Type, Path: res.Path(), Plural: d.Plural, Singular: d.Singular,
		Operations: []string{}, Include: p.Include, Sorts: p.Sorts, Filters: describeFilters(p.Filters),
		Relations: []catalogRel{}}
	for op := resource.OpList; op <= resource.OpDelete; op++ {
		if _, ok := p.Op(op); ok {
			out.Operations = append(out.Operations, op.String())
		}
	}
	if p.PageSize {
		out.PageSize = store.PageSize
	}
	defaults := store.NewEntity(res.Entity.Kind, "")
	defaults.ApplyDefaults() // the create's own defaults, not a list of them
	for i, at := range d.Attrs {
		ca := catalogAttr{Name: at.Name, Type: at.Type.String(), Role: at.Role.String(),
			Create: presenceNames[at.Create], Update: at.Update, Local: at.Local}
		if at.Create == schema.Optional {
			ca.Default = codec.AppendAttr(nil, defaults, i)
		}
		out.Attributes = append(out.Attributes, ca)
	}
	for _, rel := range d.Relations {
		cr := catalogRel{Name: rel.Name, Target: rel.Target, Many: rel.Many()}
		if target, ok := reg.OfType(rel.Target); ok {
			for _, f := range target.At(p.Profile).Filters {
				if f.Rel != nil && f.Rel.Name == rel.Inverse {
					cr.Filter = f.Name
				}
			}
		}
		out.Relations = append(out.Relations, cr)
	}
	return out
}

func describeJob(res *resource.Resource, p *resource.Profile) catalogJob {
	entity := res.Job.Entity.Entity.Decl
	out := catalogJob{Name: res.Job.Kind.String(), Type: res.Type, Path: res.Path(), Entity: entity.Type,
		Action: res.Job.Kind.Action().String(), Relationship: entity.Plural, Filters: describeFilters(p.Filters),
		Newest: res.Path() + "?" + url.Values{query.ParamCursor: {
			query.EncodeCursor(query.Cursor{Dir: query.Prev, ID: pastEveryJobID})}}.Encode()}
	if res.Job.Include {
		out.Include = entity.Plural
	}
	return out
}

func describeFilters(fs []resource.FilterField) []catalogFilter {
	out := make([]catalogFilter, 0, len(fs))
	for _, f := range fs {
		out = append(out, catalogFilter{Field: f.Name, Op: f.Op, Value: valueNames[f.Value], Enum: f.Enum})
	}
	return out
}
