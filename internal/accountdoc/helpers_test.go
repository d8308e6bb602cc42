package accountdoc

import (
	"fmt"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/store"
	"github.com/klaviyo-mock/mockserver/internal/store/storetest"
)

// The declared kinds these tests name, under this package's names for
// them: storetest declares them once for every package's tests.
var (
	itemKind, variantKind, categoryKind         = storetest.ItemKind, storetest.VariantKind, storetest.CategoryKind
	jobItemCreate, jobItemUpdate, jobItemDelete = storetest.JobItemCreate, storetest.JobItemUpdate, storetest.JobItemDelete
	jobVariantDelete                            = storetest.JobVariantDelete
	jobCategoryCreate, jobCategoryDelete        = storetest.JobCategoryCreate, storetest.JobCategoryDelete
)

var t0 = time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)

// ent returns an entity of kind with external id ext, its id derived.
func ent(kind store.EntityKind, ext string) *store.Entity {
	e := store.NewEntity(kind, store.EntityID(ext))
	e.ExternalID = ext
	return e
}

// catalogSeeder makes items I0..I9, two variants of each of I0..I4 and
// categories C0 (I0..I4) and C1 (I3..I9), and no jobs.
func catalogSeeder() store.Seeder {
	return func(key string, c store.Collection) store.Seed {
		var seed store.Seed
		switch k, _ := c.Entity(); {
		case c == store.EntityCollection(itemKind):
			for i := 0; i < 10; i++ {
				seed.Entities = append(seed.Entities, ent(itemKind, fmt.Sprint("I", i)))
			}
		case c == store.EntityCollection(variantKind):
			item, _ := k.Decl().Parent()
			for i := 0; i < 5; i++ {
				for v := 0; v < 2; v++ {
					e := ent(variantKind, fmt.Sprintf("I%d-V%d", i, v))
					e.SetRef(item, store.EntityID(fmt.Sprint("I", i)))
					seed.Entities = append(seed.Entities, e)
				}
			}
		case c == store.EntityCollection(categoryKind):
			for i := 0; i < 2; i++ {
				seed.Entities = append(seed.Entities, ent(categoryKind, fmt.Sprint("C", i)))
			}
			for i := 0; i < 10; i++ {
				if i < 5 {
					seed.Members = append(seed.Members, [2]string{store.EntityID("C0"), store.EntityID(fmt.Sprint("I", i))})
				}
				if i >= 3 {
					seed.Members = append(seed.Members, [2]string{store.EntityID("C1"), store.EntityID(fmt.Sprint("I", i))})
				}
			}
		}
		return seed
	}
}
