package revision_test

import (
	"slices"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/revision"
)

// revisions are the 21 stable revisions of the resource in Klaviyo's OpenAPI
// repository (docs/klaviyo-behaviour.md: the "openapi R" notation and §1.4),
// oldest first.
var revisions = []string{
	"2022-10-17", "2023-01-24", "2023-02-22", "2023-06-15", "2023-07-15",
	"2023-08-15", "2023-09-15", "2023-10-15", "2023-12-15", "2024-02-15",
	"2024-05-15", "2024-06-15", "2024-07-15", "2024-10-15", "2025-01-15",
	"2025-04-15", "2025-07-15", "2025-10-15", "2026-01-15", "2026-04-15",
	"2026-07-15",
}

func TestDefault_HoldsTheTwentyOneRevisionsInOrder(t *testing.T) {
	tab := revision.Default()
	var got []string
	for i, p := range tab.All() {
		got = append(got, p.Date)
		if p.Index != i {
			t.Errorf("%s: Index = %d, want %d", p.Date, p.Index, i)
		}
	}
	if !slices.Equal(got, revisions) {
		t.Fatalf("dates = %q\nwant    %q", got, revisions)
	}
	if tab.Oldest().Date != "2022-10-17" || tab.Newest().Date != "2026-07-15" {
		t.Errorf("Oldest, Newest = %s, %s; want 2022-10-17, 2026-07-15", tab.Oldest().Date, tab.Newest().Date)
	}
}

func TestDefault_ReturnsIndependentTables(t *testing.T) {
	a, b := revision.Default(), revision.Default()
	if a.Oldest() == b.Oldest() {
		t.Fatal("two Default() tables share profile pointers")
	}
	if *a.Newest() != *b.Newest() {
		t.Errorf("two Default() tables differ: %+v vs %+v", *a.Newest(), *b.Newest())
	}
}

// span says when a per-revision property holds: from `from` (inclusive,
// "" = the first revision) up to `until` (inclusive, "" = the newest).
type span struct{ from, until string }

func (s span) holds(date string) bool {
	return (s.from == "" || date >= s.from) && (s.until == "" || date <= s.until)
}

func TestProfiles_FlagsChangeAtTheDocumentedRevisions(t *testing.T) {
	tests := []struct {
		name string
		got  func(*revision.Profile) bool
		when span
	}{
		{"TrailingSlash", func(p *revision.Profile) bool { return p.TrailingSlash }, span{"", "2024-07-15"}},
		{"ContentType is application/json", func(p *revision.Profile) bool { return p.ContentType == "application/json" }, span{"", "2024-07-15"}},
		{"ContentType is application/vnd.api+json", func(p *revision.Profile) bool { return p.ContentType == "application/vnd.api+json" }, span{"2024-10-15", ""}},
		{"NullableBodyAttributes", func(p *revision.Profile) bool { return p.NullableBodyAttributes }, span{"2024-02-15", ""}},
		{"ModernErrors", func(p *revision.Profile) bool { return p.ModernErrors }, span{"2024-05-15", ""}},
		{"DocumentSelfLink", func(p *revision.Profile) bool { return p.DocumentSelfLink }, span{"2026-01-15", ""}},
		{"FieldsAcceptID", func(p *revision.Profile) bool { return p.FieldsAcceptID }, span{"2026-04-15", ""}},
		{"WriteFields", func(p *revision.Profile) bool { return p.WriteFields }, span{"2026-04-15", ""}},
		{"AgentHints", func(p *revision.Profile) bool { return p.AgentHints }, span{"2026-07-15", ""}},
		{"MaxPayload is 4 MiB", func(p *revision.Profile) bool { return p.MaxPayload == 4<<20 }, span{"", "2023-10-15"}},
		{"MaxPayload is 5 MiB", func(p *revision.Profile) bool { return p.MaxPayload == 5<<20 }, span{"2023-12-15", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, p := range revision.Default().All() {
				if got, want := tt.got(p), tt.when.holds(p.Date); got != want {
					t.Errorf("%s: %s = %v, want %v", p.Date, tt.name, got, want)
				}
			}
		})
	}
}

// Field enums of the spec, sorted (openapi@<rev>; order varies between
// revisions, members do not).

func TestProfile_RetiresTwoYearsAfterRelease(t *testing.T) {
	tests := []struct {
		date string
		want time.Time
	}{
		{"2022-10-17", time.Date(2024, 10, 17, 0, 0, 0, 0, time.UTC)},
		{"2024-10-15", time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC)},
		{"2026-07-15", time.Date(2028, 7, 15, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		p, _ := revision.Default().Exact(tt.date)
		if got := p.Retires(); !got.Equal(tt.want) {
			t.Errorf("%s: Retires() = %v, want %v", tt.date, got, tt.want)
		}
	}
}

func TestTable_Exact(t *testing.T) {
	tab := revision.Default()
	for _, d := range revisions {
		p, ok := tab.Exact(d)
		if !ok || p.Date != d {
			t.Errorf("Exact(%s) = %v, %v", d, p, ok)
		}
	}
	for _, d := range []string{"", "2024-11-01", "2022-10-16", "2026-10-15", "2024-10-15.pre", "2024-10-15 "} {
		if p, ok := tab.Exact(d); ok || p != nil {
			t.Errorf("Exact(%q) = %v, %v; want nil, false", d, p, ok)
		}
	}
}

func TestTable_AtOrBeforePicksNewestNotAfterDate(t *testing.T) {
	tests := []struct {
		date   string
		want   string
		wantOK bool
	}{
		{"2022-10-16", "", false},
		{"2000-01-01", "", false},
		{"2022-10-17", "2022-10-17", true},
		{"2023-01-23", "2022-10-17", true},
		{"2023-01-24", "2023-01-24", true},
		{"2024-11-01", "2024-10-15", true},
		{"2024-10-14", "2024-07-15", true},
		{"2026-07-14", "2026-04-15", true},
		{"2026-07-15", "2026-07-15", true},
		{"2099-12-31", "2026-07-15", true},
	}
	tab := revision.Default()
	for _, tt := range tests {
		p, ok := tab.AtOrBefore(tt.date)
		got := ""
		if p != nil {
			got = p.Date
		}
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("AtOrBefore(%s) = %q, %v; want %q, %v", tt.date, got, ok, tt.want, tt.wantOK)
		}
	}
}
