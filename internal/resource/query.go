package resource

import "github.com/klaviyo-mock/mockserver/internal/revision"

// Query is what the query string of one endpoint may hold at one
// revision. The handlers accept exactly this; the tests check it against
// each revision's spec.
type Query struct {
	// Filters are the conditions filter= accepts (none: no filter).
	Filters []FilterField
	// Sorts are the values sort= accepts.
	Sorts []string
	// Cursor: page[cursor]; PageSize: page[size].
	Cursor, PageSize bool
	// Fields is the resource whose fields[<type>] the endpoint accepts.
	Fields *Resource
	// Include is the one value include= accepts ("" none), and Included the
	// resource it adds (whose fields[<type>] is then accepted too).
	Include  string
	Included *Resource
	// CompanyID: the query names the account by its public key,
	// company_id=… (every /client endpoint).
	CompanyID bool
}

// Query returns what the endpoint's query string may hold at revision p.
func (e Endpoint) Query(p *revision.Profile) Query {
	rp := e.Res.At(p)
	var q Query
	switch e.Op {
	case OpList:
		q = Query{Filters: rp.Filters, Sorts: rp.Sorts, Cursor: !rp.NoCursor, PageSize: rp.PageSize, Fields: e.Res}
		if e.Res.Job == nil { // job lists have no include
			q.Include, q.Included = e.Res.include(rp)
		}
	case OpGet:
		q = Query{Fields: e.Res}
		q.Include, q.Included = e.Res.include(rp)
	case OpCreate, OpUpdate:
		if p.WriteFields && (e.Res.Entity == nil || !e.Res.Entity.Enqueue) { // an enqueued create answers no document
			q.Fields = e.Res
		}
	case OpRelated:
		return Endpoint{Res: e.Rel.Target, Op: OpList}.Query(p)
	case OpRelIDs:
		tp := e.Rel.Target.At(p)
		q = Query{Cursor: true, PageSize: tp.PageSize}
		if rp.RelIDsQuery {
			q.Filters, q.Sorts = tp.Filters, tp.Sorts
		}
	}
	q.CompanyID = e.Res.Client
	return q
}

// include returns what include= accepts on r's list and GET-one: a job's
// entities (not on delete jobs), an item's variants.
func (r *Resource) include(rp *Profile) (string, *Resource) {
	switch {
	case r.Job != nil && r.Job.Include:
		return r.Job.Entity.Entity.Kind.Plural(), r.Job.Entity
	case rp.Include != "":
		if rel, ok := r.Relation(rp.Include); ok {
			return rel.Name, rel.Target
		}
	}
	return "", nil
}
