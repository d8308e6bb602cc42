package revision

import "slices"

// Field names one member a sparse fieldset can select. The same names are
// used for the job and the catalog-item resource; each revision says which of
// them its `fields[...]` parameters accept.
type Field uint8

// FieldSet is a set of Fields, one bit per Field.
type FieldSet uint32

// Job fields, in the order the renderer writes them.
const (
	JobID Field = iota
	JobStatus
	JobCreatedAt
	JobTotalCount
	JobCompletedCount
	JobFailedCount
	JobCompletedAt
	JobExpiresAt
	JobErrors
	JobIDField // "id" (accepted from 2026-04-15; changes nothing, id is always sent)
	numJobFields
)

// Catalog-item fields, in the order the renderer writes them.
const (
	ItemExternalID Field = iota
	ItemTitle
	ItemDescription
	ItemPrice
	ItemURL
	ItemImageFullURL
	ItemImageThumbnailURL
	ItemImages
	ItemCustomMetadata
	ItemPublished
	ItemCreated
	ItemUpdated
	ItemIDField // "id" (accepted from 2026-04-15)
	numItemFields
)

// Resource types of this API.
const (
	TypeJob      = "catalog-item-bulk-update-job"
	TypeItem     = "catalog-item"
	TypeCategory = "catalog-category"
	TypeVariant  = "catalog-variant"
)

// JobFieldNames returns the wire names of the job Fields, indexed by Field.
func JobFieldNames() []string { return slices.Clone(jobFieldNames[:]) }

// ItemFieldNames returns the wire names of the catalog-item Fields, indexed
// by Field.
func ItemFieldNames() []string { return slices.Clone(itemFieldNames[:]) }

var jobFieldNames = [numJobFields]string{
	"job_id", "status", "created_at", "total_count", "completed_count",
	"failed_count", "completed_at", "expires_at", "errors", "id",
}

var itemFieldNames = [numItemFields]string{
	"external_id", "title", "description", "price", "url", "image_full_url",
	"image_thumbnail_url", "images", "custom_metadata", "published", "created",
	"updated", "id",
}

// Has reports whether f is in s.
func (s FieldSet) Has(f Field) bool { return s&(1<<f) != 0 }

// With returns s with f added.
func (s FieldSet) With(f Field) FieldSet { return s | 1<<f }

// Without returns s with f removed.
func (s FieldSet) Without(f Field) FieldSet { return s &^ (1 << f) }

// Lookup returns the Field whose wire name is name among names, if the set
// allows it.
func (s FieldSet) Lookup(names []string, name string) (Field, bool) {
	for i, n := range names {
		if n == name && s.Has(Field(i)) {
			return Field(i), true
		}
	}
	return 0, false
}

// Names lists the wire names of the members of s, in Field order.
func (s FieldSet) Names(names []string) []string {
	var out []string
	for i, n := range names {
		if s.Has(Field(i)) {
			out = append(out, n)
		}
	}
	return out
}

func setOf(fs ...Field) FieldSet {
	var s FieldSet
	for _, f := range fs {
		s = s.With(f)
	}
	return s
}

// allFields returns the set of the first n Fields.
func allFields(n Field) FieldSet { return FieldSet(1)<<n - 1 }
