package resource

import (
	"fmt"

	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// CatalogEntity is the resource serving one declared catalog entity kind:
// its paths, fields and filters come from its declaration, its operations
// and what changed between revisions from the catalog's rows and its own
// spec rows (docs/klaviyo-behaviour.md §1.6, §9). Its relations are added
// by CatalogEntities, which knows the other resources.
func CatalogEntity(kind store.EntityKind) *Resource {
	d := kind.Decl()
	r := &Resource{
		Name: d.Path, Type: d.Type, IDParam: "id",
		Collection: store.EntityCollection(kind), Entity: &EntityDef{Kind: kind, Decl: d, Enqueue: d.ID == schema.IDServer},
	}
	if shows, ok := d.Relation(d.Shows); ok {
		r.Entity.RelType = shows.Target
	}
	for _, a := range d.Attrs {
		r.Fields = append(r.Fields, a.Name)
	}
	// Members of objects come after the attributes, so an attribute's
	// index is its field's.
	r.Entity.Members = make([][]int, len(d.Attrs))
	for i, a := range d.Attrs {
		for _, m := range a.Members {
			r.Entity.Members[i] = append(r.Entity.Members[i], len(r.Fields))
			r.Fields = append(r.Fields, a.Name+"."+m)
		}
	}
	rows, ok := specRows[d.Type]
	if !ok {
		panic("resource: " + d.Type + " is declared without spec rows (specRows)")
	}
	r.rows = rows(d)
	return r
}

// catalogRows are the per-revision facts every catalog entity shares
// (checked against every revision's spec by the tests): its operations and
// limits, its filters and sorts, and how its relationship is written.
func catalogRows(d *schema.Entity) []Row {
	one, many := d.Singular, d.Plural
	return []Row{
		{"2022-10-17", func(p *Profile) {
			p.SetOp(OpList, "get_catalog_"+many, readLimits)
			p.SetOp(OpGet, "get_catalog_"+one, readLimits)
			p.SetOp(OpCreate, "create_catalog_"+one, writeLimits)
			p.SetOp(OpUpdate, "update_catalog_"+one, writeLimits)
			p.SetOp(OpDelete, "delete_catalog_"+one, writeLimits)
			p.Filters, p.Sorts = entityFilters(d, false), []string{"created", "-created"}
			if len(d.Includes) > 0 {
				p.Include = d.Includes[0]
			}
			p.RelDataOnRead, p.RelDataOnCreate = true, true
			p.RelGeneric = true
			p.RelatedParam = one + "_id"
		}},
		// Every entity carries its relationship, with links, from here.
		{"2023-02-22", func(p *Profile) {
			p.RelKey, p.NoRelOnWrite = d.Shows, false
			p.RelLinks, p.RelGeneric = true, false
		}},
		{"2023-06-15", func(p *Profile) { p.RelatedParam = "id" }},
		{"2023-07-15", func(p *Profile) { p.Filters = entityFilters(d, true) }},
		// Reads drop relationship data (items keep it a while: their rows).
		{"2023-12-15", func(p *Profile) { p.RelDataOnRead = false }},
		{"2024-05-15", func(p *Profile) { p.RelDataOnRead, p.RelDataOnCreate = false, false }},
		{"2024-10-15", func(p *Profile) { p.RelIDsQuery = true }},
		{"2026-01-15", func(p *Profile) {
			p.SetLimits(writeLimits2026, OpCreate, OpUpdate, OpDelete, OpRelAdd, OpRelSet, OpRelRemove)
		}},
		{"2026-04-15", func(p *Profile) { p.PageSize, p.IncludedRelationships = true, true }},
	}
}

// catalogEntity is the rows of a catalog entity: those every catalog
// entity shares, its own, and the body rules bulk jobs share.
func catalogEntity(own ...Row) func(*schema.Entity) []Row {
	return func(d *schema.Entity) []Row {
		rows := append(catalogRows(d), own...)
		return append(rows, bodyRows...)
	}
}

// specRows are each declared entity's rows: its operations and what
// changed between revisions; a declared entity without them is refused by
// TestSchema_EveryDeclaredEntityHasEveryPart.
var specRows = map[string]func(*schema.Entity) []Row{
	// Items always carried their variants (with data, no links, and none
	// on write answers until 2023-02-22), and keep the data on reads until
	// 2024-05-15.
	"catalog-item": catalogEntity(
		Row{"2022-10-17", func(p *Profile) { p.RelKey, p.NoRelOnWrite = "variants", true }},
		Row{"2023-12-15", func(p *Profile) { p.RelDataOnRead = true }},
	),
	// A variant's relationship was an array named items until 2023-07-15.
	"catalog-variant": catalogEntity(
		Row{"2023-02-22", func(p *Profile) { p.RelKey, p.RelToOne = "items", false }},
		Row{"2023-07-15", func(p *Profile) { p.RelKey, p.RelToOne = "item", true }},
	),
	"catalog-category": catalogEntity(),
	// GET /api/accounts and /api/accounts/{id} (from 2023-06-15): the
	// key's own account, no filter, sort or cursor, 1/s and 15/m
	// (docs/klaviyo-behaviour.md §10.5).
	"back-in-stock-subscription": subscriptionRows(false),
	"account": func(*schema.Entity) []Row {
		return []Row{{"2023-06-15", func(p *Profile) {
			p.SetOp(OpList, "get_accounts", accountLimits)
			p.SetOp(OpGet, "get_account", accountLimits)
			p.NoCursor = true
		}}}
	},
}

// ClientEntity is the /client twin of a declared entity kind that has a
// create there (schema.OpClientCreate): the same entity, fields and body
// rules as its /api resource, its own operation and rows (clientSpecRows).
func ClientEntity(kind store.EntityKind) *Resource {
	r := CatalogEntity(kind)
	rows, ok := clientSpecRows[r.Type]
	if !ok {
		panic("resource: " + r.Type + " is declared with a /client create without its rows (clientSpecRows)")
	}
	r.Client, r.rows = true, rows(kind.Decl())
	return r
}

// accountLimits are the accounts endpoints' rate limits.
var accountLimits = limiter.Limits{Burst: 1, Steady: 15}

// clientSpecRows are the rows of each declared entity's /client twin, for
// those declared with one (schema.OpClientCreate).
var clientSpecRows = map[string]func(*schema.Entity) []Row{
	"back-in-stock-subscription": subscriptionRows(true),
}

// HasSpecRows reports whether the declared entity type typ has its spec
// rows (and, when client, those of its /client twin).
func HasSpecRows(typ string, client bool) bool {
	rows := specRows
	if client {
		rows = clientSpecRows
	}
	_, ok := rows[typ]
	return ok
}

// relationRows are the per-revision operations of a relation named rel of
// the entity declaration owner (docs/klaviyo-behaviour.md §9.7, §1.6,
// §1.7): its related list, and its relationship endpoint (read-only and
// from 2024-10-15 for an item's variants).
func relationRows(owner *schema.Entity, rel *Relation) []Row {
	one, name := owner.Singular, rel.Name
	ids := rel.Target.Entity.Decl.Singular + "_ids"
	related := Row{"2022-10-17", func(p *Profile) { p.SetRelOp(name, OpRelated, fmt.Sprintf("get_catalog_%s_%s", one, name), readLimits) }}
	renamed := Row{"2024-10-15", func(p *Profile) {
		p.RenameRel(name, OpRelated, fmt.Sprintf("get_%s_for_catalog_%s", name, one))
		if !rel.Writable {
			p.SetRelOp(name, OpRelIDs, fmt.Sprintf("get_%s_for_catalog_%s", ids, one), readLimits)
			return
		}
		p.RenameRel(name, OpRelIDs, fmt.Sprintf("get_%s_for_catalog_%s", ids, one))
		p.RenameRel(name, OpRelAdd, fmt.Sprintf("add_%s_to_catalog_%s", name, one))
		p.RenameRel(name, OpRelSet, fmt.Sprintf("update_%s_for_catalog_%s", name, one))
		p.RenameRel(name, OpRelRemove, fmt.Sprintf("remove_%s_from_catalog_%s", name, one))
	}}
	if !rel.Writable {
		return []Row{related, renamed}
	}
	// The relationship operations are named after the generic path up to
	// 2023-01-24, then after the relation.
	rels := func(suffix string) func(*Profile) {
		return func(p *Profile) {
			base := "catalog_" + one + "_relationships" + suffix
			p.SetRelOp(name, OpRelIDs, "get_"+base, readLimits)
			p.SetRelOp(name, OpRelAdd, "create_"+base, writeLimits)
			p.SetRelOp(name, OpRelSet, "update_"+base, writeLimits)
			p.SetRelOp(name, OpRelRemove, "delete_"+base, writeLimits)
		}
	}
	return []Row{related, {"2022-10-17", rels("")}, {"2023-02-22", rels("_" + name)}, renamed}
}

// CatalogEntities returns the resources of every declared entity kind that
// has operations, in declaration order, with the relations their
// declarations serve as endpoints.
func CatalogEntities() []*Resource {
	byType := map[string]*Resource{}
	var out []*Resource
	for _, k := range store.Kinds() {
		if k.Decl().Ops == 0 {
			continue
		}
		r := CatalogEntity(k)
		byType[r.Type] = r
		out = append(out, r)
	}
	for _, owner := range out {
		d := owner.Entity.Decl
		for i := range d.Relations {
			dr := &d.Relations[i]
			if !dr.Endpoints {
				continue
			}
			target := byType[dr.Target]
			rel := owner.AddRelation(dr.Name, target, dr.Writable)
			rel.Decl = dr
			rel.Inverse, _ = target.Entity.Decl.Relation(dr.Inverse)
			owner.rows = append(owner.rows, relationRows(d, rel)...)
		}
	}
	return out
}

// Default returns the registry of every resource served: each declared
// entity with operations, the /client twins of those with a create there,
// then each declared bulk job kind.
func Default() *Registry {
	reg := NewRegistry(revision.Default())
	entities := CatalogEntities()
	byKind := map[store.EntityKind]*Resource{}
	for _, entity := range entities {
		reg.Add(entity)
		byKind[entity.Entity.Kind] = entity
	}
	for _, entity := range entities {
		if entity.Entity.Decl.Ops.Has(schema.OpClientCreate) {
			reg.Add(ClientEntity(entity.Entity.Kind))
		}
	}
	for _, k := range store.JobKinds() {
		reg.Add(BulkJob(byKind[k.Entity()], k))
	}
	return reg
}
