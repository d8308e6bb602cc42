package resource

import (
	"fmt"

	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// singular is the entity name in operation ids (catalog_item, …).
var singular = [store.NumEntityKinds]string{"item", "variant", "category"}

// CatalogEntity is the definition of one catalog entity resource: items,
// variants or categories (docs/klaviyo-behaviour.md §1.6, §9.2, §9.3). Its
// attributes are the store's descriptor table of the kind; its relations are
// added by CatalogEntities, which knows the other entities.
func CatalogEntity(kind store.EntityKind) *Resource {
	r := &Resource{
		Name: "catalog-" + kind.Plural(), Type: kind.Type(), IDParam: "id",
		Collection: store.EntityCollection(kind), Entity: &EntityDef{Kind: kind},
	}
	for _, a := range kind.Attrs() {
		r.Fields = append(r.Fields, a.Name)
	}
	media := []string{"image_full_url", "image_thumbnail_url", "images", "custom_metadata", "published"}
	ids := []string{"integration_type", "catalog_type"}
	e := r.Entity
	switch kind {
	case store.ItemKind:
		e.RelType = store.VariantKind.Type()
		e.CreateRequired = []string{"external_id", "title", "description", "url"}
		e.CreateOptional = append(append([]string{"price"}, media...), ids...)
		e.UpdateAttrs = append([]string{"title", "description", "url", "price"}, media...)
		e.BodyRel = "categories"
	case store.VariantKind:
		e.RelType = store.ItemKind.Type()
		e.CreateRequired = []string{"external_id", "title", "description", "sku", "inventory_quantity", "price", "url"}
		e.CreateOptional = append(append([]string{"inventory_policy"}, media...), ids...)
		e.UpdateAttrs = append([]string{"title", "description", "sku", "inventory_policy", "inventory_quantity", "price", "url"}, media...)
	case store.CategoryKind:
		e.RelType = store.ItemKind.Type()
		e.CreateRequired = []string{"external_id", "name"}
		e.CreateOptional = ids
		e.UpdateAttrs = []string{"name"}
		e.BodyRel = "items"
	}
	r.rows = append(entityRows(kind), bodyRows...)
	return r
}

// entityRows are an entity resource's own per-revision facts
// (docs/klaviyo-behaviour.md §1.6, §9.3 and §4.2, checked against every
// revision's spec by the tests).
func entityRows(kind store.EntityKind) []Row {
	one, many := singular[kind], kind.Plural()
	// What an entity's relationship is called, and when its data is
	// written without include: items always carried their variants; the
	// others gain a relationship at 2023-02-22.
	relKey := map[store.EntityKind]string{store.ItemKind: "variants", store.VariantKind: "items", store.CategoryKind: "items"}[kind]
	return []Row{
		{"2022-10-17", func(p *Profile) {
			p.SetOp(OpList, "get_catalog_"+many, readLimits)
			p.SetOp(OpGet, "get_catalog_"+one, readLimits)
			p.SetOp(OpCreate, "create_catalog_"+one, writeLimits)
			p.SetOp(OpUpdate, "update_catalog_"+one, writeLimits)
			p.SetOp(OpDelete, "delete_catalog_"+one, writeLimits)
			p.Filters, p.Sorts = entityFilters(kind, false), []string{"created", "-created"}
			if kind == store.ItemKind {
				p.Include = "variants"
				p.RelKey, p.NoRelOnWrite = relKey, true
			}
			p.RelDataOnRead, p.RelDataOnCreate = true, true
			p.RelGeneric = true
			p.RelatedParam = one + "_id"
		}},
		{"2023-02-22", func(p *Profile) {
			p.RelKey, p.NoRelOnWrite = relKey, false
			p.RelLinks, p.RelGeneric = true, false
		}},
		{"2023-06-15", func(p *Profile) { p.RelatedParam = "id" }},
		{"2023-07-15", func(p *Profile) {
			p.Filters = entityFilters(kind, true)
			if kind == store.VariantKind {
				p.RelKey, p.RelToOne = "item", true
			}
		}},
		// Variants' and categories' read schemas drop relationship data;
		// items keep it until 2024-05-15, like every write answer.
		{"2023-12-15", func(p *Profile) { p.RelDataOnRead = kind == store.ItemKind }},
		{"2024-05-15", func(p *Profile) { p.RelDataOnRead, p.RelDataOnCreate = false, false }},
		{"2024-10-15", func(p *Profile) { p.RelIDsQuery = true }},
		{"2026-01-15", func(p *Profile) {
			p.SetLimits(writeLimits2026, OpCreate, OpUpdate, OpDelete, OpRelAdd, OpRelSet, OpRelRemove)
		}},
		{"2026-04-15", func(p *Profile) { p.PageSize, p.IncludedRelationships = true, true }},
	}
}

// relationRows are the per-revision operations of a relation named rel of
// the entity kind owner (docs/klaviyo-behaviour.md §9.7, §1.6, §1.7): its
// related list, and its relationship endpoint (read-only and from 2024-10-15
// for an item's variants).
func relationRows(owner store.EntityKind, rel *Relation) []Row {
	one, name := singular[owner], rel.Name
	ids := map[string]string{"variants": "variant", "categories": "category", "items": "item"}[name] + "_ids"
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

// CatalogEntities returns the three entity resources with their
// relations: an item's variants and categories, a category's items.
func CatalogEntities() (items, variants, categories *Resource) {
	items, variants, categories = CatalogEntity(store.ItemKind), CatalogEntity(store.VariantKind), CatalogEntity(store.CategoryKind)
	for _, rel := range []struct {
		owner   *Resource
		name    string
		target  *Resource
		write   bool
		byOwner FilterTarget
	}{
		{items, "variants", variants, false, FilterItem},    // the variants of the item
		{items, "categories", categories, true, FilterItem}, // the categories holding the item
		{categories, "items", items, true, FilterCategory},  // the items in the category
	} {
		r := rel.owner.AddRelation(rel.name, rel.target, rel.write)
		r.ByOwner = rel.byOwner
		rel.owner.rows = append(rel.owner.rows, relationRows(rel.owner.Entity.Kind, r)...)
	}
	return items, variants, categories
}

// Default returns the registry of every resource served: the three catalog
// entities and the nine bulk job resources.
func Default() *Registry {
	reg := NewRegistry(revision.Default())
	items, variants, categories := CatalogEntities()
	for _, entity := range []*Resource{items, variants, categories} {
		reg.Add(entity)
	}
	for _, entity := range []*Resource{items, variants, categories} {
		for _, a := range []store.Action{store.Create, store.Update, store.Delete} {
			reg.Add(BulkJob(entity, a))
		}
	}
	return reg
}
