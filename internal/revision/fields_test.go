package revision_test

import (
	"slices"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/revision"
)

func TestFieldNames_AreTheWireNamesInFieldOrder(t *testing.T) {
	wantJob := []string{"job_id", "status", "created_at", "total_count", "completed_count",
		"failed_count", "completed_at", "expires_at", "errors", "id"}
	if !slices.Equal(revision.JobFieldNames(), wantJob) {
		t.Errorf("JobFieldNames = %q, want %q", revision.JobFieldNames(), wantJob)
	}
	if revision.JobFieldNames()[revision.JobStatus] != "status" || revision.JobFieldNames()[revision.JobIDField] != "id" ||
		revision.JobFieldNames()[revision.JobID] != "job_id" || revision.JobFieldNames()[revision.JobErrors] != "errors" {
		t.Errorf("job Field constants do not index their names")
	}
	wantItem := []string{"external_id", "title", "description", "price", "url", "image_full_url",
		"image_thumbnail_url", "images", "custom_metadata", "published", "created", "updated", "id"}
	if !slices.Equal(revision.ItemFieldNames(), wantItem) {
		t.Errorf("ItemFieldNames = %q, want %q", revision.ItemFieldNames(), wantItem)
	}
	if revision.ItemFieldNames()[revision.ItemPrice] != "price" || revision.ItemFieldNames()[revision.ItemIDField] != "id" ||
		revision.ItemFieldNames()[revision.ItemUpdated] != "updated" {
		t.Errorf("item Field constants do not index their names")
	}
}

func TestFieldSet_WithWithoutHas(t *testing.T) {
	var s revision.FieldSet
	if s.Has(revision.JobStatus) {
		t.Fatal("empty set has status")
	}
	s = s.With(revision.JobStatus).With(revision.JobErrors).With(revision.JobStatus)
	if want := revision.FieldSet(1<<1 | 1<<8); s != want {
		t.Errorf("set = %b, want %b", s, want)
	}
	if !s.Has(revision.JobStatus) || !s.Has(revision.JobErrors) || s.Has(revision.JobID) {
		t.Errorf("Has wrong on %b", s)
	}
	s = s.Without(revision.JobStatus).Without(revision.JobCreatedAt)
	if want := revision.FieldSet(1 << 8); s != want {
		t.Errorf("after Without = %b, want %b", s, want)
	}
}

func TestFieldSet_LookupOnlyFindsAllowedNames(t *testing.T) {
	s := revision.FieldSet(0).With(revision.JobStatus).With(revision.JobIDField)
	names := revision.JobFieldNames()
	tests := []struct {
		name   string
		want   revision.Field
		wantOK bool
	}{
		{"status", revision.JobStatus, true},
		{"id", revision.JobIDField, true},
		{"job_id", 0, false},
		{"errors", 0, false},
		{"", 0, false},
		{"Status", 0, false},
		{"nope", 0, false},
	}
	for _, tt := range tests {
		got, ok := s.Lookup(names, tt.name)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("Lookup(%q) = %d, %v; want %d, %v", tt.name, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestFieldSet_NamesInFieldOrder(t *testing.T) {
	s := revision.FieldSet(0).With(revision.JobErrors).With(revision.JobStatus).With(revision.JobIDField)
	if got, want := s.Names(revision.JobFieldNames()), []string{"status", "errors", "id"}; !slices.Equal(got, want) {
		t.Errorf("Names = %q, want %q", got, want)
	}
	if got := revision.FieldSet(0).Names(revision.JobFieldNames()); got != nil {
		t.Errorf("empty Names = %q, want nil", got)
	}
}
