package render

import (
	"net/url"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Item appends one catalog-item resource object.
func (r *Renderer) Item(b []byte, it *store.Item) []byte {
	f := r.ItemFields
	b = append(b, `{"type":"catalog-item","id":`...)
	b = jsonw.String(b, it.ID)
	b = append(b, `,"attributes":{`...)
	first := true
	key := func(field revision.Field, name string) bool {
		if !f.Has(field) {
			return false
		}
		b = jsonw.Key(b, name, first)
		first = false
		return true
	}
	if key(revision.ItemExternalID, "external_id") {
		b = jsonw.String(b, it.ExternalID)
	}
	if key(revision.ItemTitle, "title") {
		b = optStr(b, it.Title)
	}
	if key(revision.ItemDescription, "description") {
		b = optStr(b, it.Description)
	}
	if key(revision.ItemPrice, "price") {
		if it.Price == nil {
			b = jsonw.Null(b)
		} else {
			b = jsonw.Float(b, *it.Price)
		}
	}
	if key(revision.ItemURL, "url") {
		b = optStr(b, it.URL)
	}
	if key(revision.ItemImageFullURL, "image_full_url") {
		b = optStr(b, it.ImageFullURL)
	}
	if key(revision.ItemImageThumbnailURL, "image_thumbnail_url") {
		b = optStr(b, it.ImageThumbnailURL)
	}
	if key(revision.ItemImages, "images") {
		if it.Images == nil {
			b = jsonw.Null(b)
		} else {
			b = append(b, '[')
			for i, s := range *it.Images {
				if i > 0 {
					b = append(b, ',')
				}
				b = jsonw.String(b, s)
			}
			b = append(b, ']')
		}
	}
	if key(revision.ItemCustomMetadata, "custom_metadata") {
		if it.CustomMetadata == nil {
			b = jsonw.Null(b)
		} else {
			b = append(b, it.CustomMetadata...)
		}
	}
	if key(revision.ItemPublished, "published") {
		if it.Published == nil {
			b = jsonw.Null(b)
		} else {
			b = jsonw.Bool(b, *it.Published)
		}
	}
	if key(revision.ItemCreated, "created") {
		b = jsonw.Time(b, it.Created)
	}
	if key(revision.ItemUpdated, "updated") {
		b = jsonw.Time(b, it.Updated)
	}
	b = append(b, '}')
	seg := url.PathEscape(it.ID)
	if r.P.ItemVariants {
		b = append(b, `,"relationships":{"variants":{"links":{"self":`...)
		b = r.link(b, ItemsPath, seg, "/relationships/variants/")
		b = append(b, `,"related":`...)
		b = r.link(b, ItemsPath, seg, "/variants/")
		b = append(b, "}}}"...)
	}
	b = append(b, `,"links":{"self":`...)
	b = r.link(b, ItemsPath, seg, "/")
	return append(b, "}}"...)
}

func optStr(b []byte, s *string) []byte {
	if s == nil {
		return jsonw.Null(b)
	}
	return jsonw.String(b, *s)
}
