package handlers

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"

	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// resources returns the registered resources that are jobs (or entities).
func (cp *cacheProgram) resources(jobs bool) []*resource.Resource {
	var out []*resource.Resource
	for _, r := range cp.reg.All() {
		if (r.Job != nil) == jobs {
			out = append(out, r)
		}
	}
	return out
}

// entity chooses an entity resource that can be written.
func (cp *cacheProgram) entity() *resource.Resource {
	var ents []*resource.Resource
	for _, r := range cp.resources(false) {
		if r.Entity.Decl.Ops.Has(schema.OpUpdate) {
			ents = append(ents, r)
		}
	}
	return ents[cp.choose(len(ents))]
}

// shown chooses an entity: with bit 7 of the next byte set, one the last
// read showed (any type); otherwise an entity resource, then one of its
// entities (see entityID).
func (cp *cacheProgram) shown() (*resource.Resource, string) {
	b := int(cp.next())
	var types []string
	for typ := range cp.seen {
		if r, ok := cp.reg.OfType(typ); ok && r.Entity != nil && r.Entity.Decl.Ops.Has(schema.OpUpdate) {
			types = append(types, typ)
		}
	}
	if b&128 == 0 || len(types) == 0 {
		ent := cp.entity()
		return ent, cp.entityID(ent.Entity.Kind)
	}
	slices.Sort(types)
	typ := types[b%len(types)]
	ent, _ := cp.reg.OfType(typ)
	ids := cp.seen[typ]
	return ent, ids[cp.choose(len(ids))]
}

// revAt chooses a revision at which ep exists (the newest when the chosen
// one has no such operation).
func (cp *cacheProgram) revAt(ep resource.Endpoint) string {
	p := cp.revs[cp.choose(len(cp.revs))]
	if _, ok := ep.At(p); !ok {
		return newest
	}
	return p.Date
}

// id chooses the id of a job (among the newest of its kind) or an entity
// of resource r.
func (cp *cacheProgram) id(r *resource.Resource) string {
	if r.Job == nil {
		return cp.entityID(r.Entity.Kind)
	}
	jobs, err := cp.tw.account(cp.t).AllJobs(r.Job.Kind)
	b := int(cp.next())
	if err != nil || len(jobs) == 0 {
		return "01ZZZZZZZZZZZZZZZZZZZZZZZZ"
	}
	return jobs[len(jobs)-1-b%min(8, len(jobs))].ID
}

// entityID chooses the id of an entity of kind k: with bit 7 of the next
// byte set, one the last read showed; otherwise one the catalog holds.
func (cp *cacheProgram) entityID(k store.EntityKind) string {
	b := int(cp.next())
	if shown := cp.seen[k.Type()]; b&128 != 0 && len(shown) > 0 {
		return shown[b%len(shown)]
	}
	es, err := cp.tw.account(cp.t).AllEntities(k)
	if err != nil || len(es) == 0 {
		return store.EntityID("NONE")
	}
	return es[b%len(es)].ID
}

// newElement is a new entity of ent with every required attribute, as an
// element of a body of resource body (a job or the entity) at rev.
func (cp *cacheProgram) newElement(body, ent *resource.Resource, rev string) map[string]any {
	cp.n++
	kind := ent.Entity.Kind
	attrs := map[string]any{}
	for _, a := range ent.Entity.Decl.Attrs {
		if a.Create != schema.Required {
			continue
		}
		if a.Role == schema.ExternalID {
			attrs[a.Name] = fmt.Sprint("FZ-", cp.n)
			continue
		}
		attrs[a.Name] = map[schema.Type]any{schema.String: fmt.Sprint("c ", cp.n), schema.Number: cp.n, schema.Integer: 0,
			schema.Strings: []string{}, schema.Object: map[string]any{}, schema.Bool: true}[a.Type]
	}
	el := map[string]any{"type": ent.Type, "attributes": attrs}
	if kind == variantKind {
		el["relationships"] = parent(body, rev, cp.entityID(itemKind))
	}
	return el
}

// job creates a job of a chosen kind with one to three elements.
func (cp *cacheProgram) job() {
	jobs := cp.resources(true)
	res := jobs[cp.choose(len(jobs))]
	rev := cp.revAt(resource.Endpoint{Res: res, Op: resource.OpCreate})
	ent := res.Job.Entity
	els := make([]map[string]any, 1+cp.choose(3))
	for i := range els {
		switch res.Job.Kind.Action() {
		case store.Create:
			els[i] = cp.newElement(res, ent, rev)
		case store.Update:
			cp.n++
			els[i] = map[string]any{"type": ent.Type, "id": cp.entityID(ent.Entity.Kind),
				"attributes": map[string]any{stringAttr(cp.t, ent): fmt.Sprint("u ", cp.n)}}
		default:
			els[i] = ident(ent.Type, cp.entityID(ent.Entity.Kind))
		}
	}
	cp.tw.do(cp.t, "POST", res.Path(), rev, jobBody(cp.t, res, rev, els...))
}

// relationship adds, sets or removes one or two entities of a writable
// relationship.
func (cp *cacheProgram) relationship() {
	var eps []resource.Endpoint
	for _, r := range cp.resources(false) {
		for _, rel := range r.Relations {
			if rel.Writable {
				eps = append(eps, resource.Endpoint{Res: r, Rel: rel})
			}
		}
	}
	ep := eps[cp.choose(len(eps))]
	method := []string{"POST", "PATCH", "DELETE"}[cp.choose(3)]
	owner := cp.entityID(ep.Res.Entity.Kind)
	data := []any{}
	for range 1 + cp.choose(2) {
		data = append(data, ident(ep.Rel.Target.Type, cp.entityID(ep.Rel.Target.Entity.Kind)))
	}
	body, _ := json.Marshal(map[string]any{"data": data})
	cp.tw.do(cp.t, method, ep.Res.Path()+"/"+url.PathEscape(owner)+"/relationships/"+ep.Rel.Name, newest, body)
}

// put replaces a collection through the control API with its first eight
// objects, less the last or with the first entity's string attribute
// changed.
func (cp *cacheProgram) put() {
	cols := store.AllCollections()
	c := cols[cp.choose(len(cols))]
	_, exported := cp.tw.direct.serve("GET", "/__admin/accounts/"+testKey+"/"+c.Name(), "", nil)
	var doc map[string]json.RawMessage
	var list []json.RawMessage
	if err := json.Unmarshal(exported, &doc); err != nil || json.Unmarshal(doc[c.Name()], &list) != nil {
		cp.t.Fatalf("export of %s: %v\n%.300s", c.Name(), err, exported)
	}
	list = list[:min(len(list), 8)] // a PUT of the whole catalog would be most of an input's time
	switch edit := cp.choose(3); {
	case edit == 0 && len(list) > 0:
		list = list[:len(list)-1]
	case edit == 1 && len(list) > 0:
		if _, isJobs := c.IsJobs(); !isJobs {
			res, _ := cp.reg.OfType(store.EntityKind(c).Type())
			// A collection without a string a request may update (the
			// accounts) is put back as it was.
			if attr, ok := updatableString(res); ok {
				var first map[string]any
				json.Unmarshal(list[0], &first)
				cp.n++
				first[attr] = fmt.Sprint("put ", cp.n)
				list[0], _ = json.Marshal(first)
			}
		}
	}
	body, _ := json.Marshal(map[string]any{c.Name(): list})
	cp.tw.do(cp.t, "PUT", "/__admin/accounts/"+testKey+"/"+c.Name(), "", body)
}
