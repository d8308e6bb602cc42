package resource

import (
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// CatalogEntity is the definition of one catalog entity resource: items,
// variants or categories (CATALOGS.md §3-5). Its attributes are the store's
// descriptor table of the kind.
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
		e.RelKey, e.RelType = "variants", store.VariantKind.Type()
		e.CreateRequired = []string{"external_id", "title", "description", "url"}
		e.CreateOptional = append(append([]string{"price"}, media...), ids...)
		e.UpdateAttrs = append([]string{"title", "description", "url", "price"}, media...)
		e.BodyRel = "categories"
	case store.VariantKind:
		e.RelKey, e.RelType, e.RelToOne = "item", store.ItemKind.Type(), true
		e.CreateRequired = []string{"external_id", "title", "description", "sku", "inventory_quantity", "price", "url"}
		e.CreateOptional = append(append([]string{"inventory_policy"}, media...), ids...)
		e.UpdateAttrs = append([]string{"title", "description", "sku", "inventory_policy", "inventory_quantity", "price", "url"}, media...)
	case store.CategoryKind:
		e.RelKey, e.RelType = "items", store.ItemKind.Type()
		e.CreateRequired = []string{"external_id", "name"}
		e.CreateOptional = ids
		e.UpdateAttrs = []string{"name"}
		e.BodyRel = "items"
	}
	return r
}

// Default returns the registry of every resource served: the three catalog
// entities and the nine bulk job resources.
func Default() *Registry {
	reg := NewRegistry(revision.Default())
	for k := store.EntityKind(0); k < store.NumEntityKinds; k++ {
		entity := reg.Add(CatalogEntity(k))
		for _, a := range []store.Action{store.Create, store.Update, store.Delete} {
			reg.Add(BulkJob(entity, a))
		}
	}
	return reg
}
