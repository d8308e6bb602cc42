package query_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/query"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
)

const (
	jobParam  = "fields[catalog-item-bulk-update-job]"
	itemParam = "fields[catalog-item]"
)

// The enums of fields[catalog-item-bulk-update-job] and fields[catalog-item]
// in Klaviyo's OpenAPI documents (openapi@<rev>, read when this test was
// written), as sets: order differs between revisions, members do not.
var (
	specJobFieldsV1 = []string{"job_id", "status", "created_at", "total_count", "completed_count",
		"failed_count", "completed_at", "expires_at", "errors"} // 2022-10-17 … 2023-10-15
	specJobFieldsV2 = []string{"status", "created_at", "total_count", "completed_count",
		"failed_count", "completed_at", "errors", "expires_at"} // 2023-12-15 … 2026-01-15
	specJobFieldsV3 = []string{"completed_at", "completed_count", "created_at", "errors",
		"expires_at", "failed_count", "id", "status", "total_count"} // 2026-04-15 …
	specItemFieldsV1 = []string{"external_id", "title", "description", "price", "url", "image_full_url",
		"image_thumbnail_url", "images", "custom_metadata", "published", "created", "updated"} // … 2026-01-15
	specItemFieldsV2 = append(slices.Clone(specItemFieldsV1), "id") // 2026-04-15 …
)

func specJobFields(date string) []string {
	switch {
	case date <= "2023-10-15":
		return specJobFieldsV1
	case date <= "2026-01-15":
		return specJobFieldsV2
	}
	return specJobFieldsV3
}

func specItemFields(date string) []string {
	if date <= "2026-01-15" {
		return specItemFieldsV1
	}
	return specItemFieldsV2
}

// The two resources these tests use, from the registry.
var (
	registry = resource.Default()
	jobRes   = named("catalog-item-bulk-update-jobs")
	itemRes  = named("catalog-items")
)

func named(name string) *resource.Resource {
	r, ok := registry.Named(name)
	if !ok {
		panic("no resource " + name)
	}
	return r
}

const (
	typeJob  = "catalog-item-bulk-update-job"
	typeItem = "catalog-item"
)

// Indexes of the job's and the item's field names (their order in the
// registry: the order Klaviyo writes them, then "id").
const (
	jobID = iota
	jobStatus
	jobCreatedAt
	jobTotalCount
	jobCompletedCount
	jobFailedCount
	jobCompletedAt
	jobExpiresAt
	jobErrors
	jobIDField
)

const (
	itemTitle = 1
	itemPrice = 3
	itemURL   = 4
)

// fieldsProfile is one revision's allowed fields of both resources.
type fieldsProfile struct {
	Date                  string
	JobFields, ItemFields resource.FieldSet
}

func profile(t testing.TB, date string) fieldsProfile {
	t.Helper()
	p, ok := revision.Default().Exact(date)
	if !ok {
		t.Fatalf("no revision %s in the table", date)
	}
	return profileOf(p)
}

func profileOf(p *revision.Profile) fieldsProfile {
	return fieldsProfile{p.Date, jobRes.At(p).Fields, itemRes.At(p).Fields}
}

func allProfiles() []fieldsProfile {
	var out []fieldsProfile
	for _, p := range revision.Default().All() {
		out = append(out, profileOf(p))
	}
	return out
}

// candidates are every name either resource knows plus a few near misses.
func candidates() []string {
	out := slices.Concat(jobRes.Names(), itemRes.Names(),
		[]string{"", "Status", "job-id", "jobId", "type", "links", "relationships", "items", " status", "status "})
	slices.Sort(out)
	return slices.Compact(out)
}

func TestParseFields_AcceptsExactlyTheSpecEnumAtEachRevision(t *testing.T) {
	for _, p := range allProfiles() {
		for _, res := range []struct {
			typ, param string
			allowed    resource.FieldSet
			names      []string
			spec       []string
		}{
			{typeJob, jobParam, p.JobFields, jobRes.Names(), specJobFields(p.Date)},
			{typeItem, itemParam, p.ItemFields, itemRes.Names(), specItemFields(p.Date)},
		} {
			for _, name := range candidates() {
				fs, err := query.ParseFields(res.typ, name, res.allowed, res.names)
				inSpec := slices.Contains(res.spec, name)
				switch {
				case inSpec && err != nil:
					t.Errorf("%s %s: %q rejected (%v), the spec allows it", p.Date, res.param, name, err)
				case !inSpec && err == nil:
					t.Errorf("%s %s: %q accepted, the spec does not allow it", p.Date, res.param, name)
				case inSpec:
					if !fs.Sparse {
						t.Errorf("%s %s=%s: Sparse = false", p.Date, res.param, name)
					}
					if got := fs.Set.NameList(res.names); !slices.Equal(got, []string{name}) {
						t.Errorf("%s %s=%s: set names = %q, want [%s]", p.Date, res.param, name, got, name)
					}
				default:
					if err.Status != 400 || err.Source == nil || err.Source.Parameter != res.param {
						t.Errorf("%s %s=%q: got %v source %+v", p.Date, res.param, name, err, err.Source)
					}
					want := fmt.Sprintf("'%s' is not a valid field for the resource '%s'.", name, res.typ)
					if err.Detail != want {
						t.Errorf("%s %s=%q: detail %q, want %q", p.Date, res.param, name, err.Detail, want)
					}
				}
			}
		}
	}
}

func TestParseFields_CommaListSelectsEachName(t *testing.T) {
	p := profile(t, "2026-07-15")
	tests := []struct {
		value string
		want  []int
	}{
		{"status", []int{jobStatus}},
		{"status,created_at", []int{jobStatus, jobCreatedAt}},
		{"created_at,status", []int{jobStatus, jobCreatedAt}},
		{"status,status", []int{jobStatus}},
		{"id", []int{jobIDField}},
		{"errors,expires_at,completed_at,failed_count,completed_count,total_count,created_at,status,id",
			[]int{jobStatus, jobCreatedAt, jobTotalCount,
				jobCompletedCount, jobFailedCount, jobCompletedAt,
				jobExpiresAt, jobErrors, jobIDField}},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			fs, err := query.ParseFields(typeJob, tt.value, p.JobFields, jobRes.Names())
			if err != nil {
				t.Fatalf("ParseFields(%q) error: %v", tt.value, err)
			}
			if !fs.Sparse {
				t.Errorf("Sparse = false, want true")
			}
			var want resource.FieldSet
			for _, f := range tt.want {
				want = want.With(f)
			}
			if fs.Set != want {
				t.Errorf("Set = %b, want %b", fs.Set, want)
			}
			for f := jobID; f <= jobIDField; f++ {
				if got := fs.Includes(f); got != want.Has(f) {
					t.Errorf("Includes(%s) = %v, want %v", jobRes.Names()[f], got, want.Has(f))
				}
			}
		})
	}
}

func TestParseFields_ItemFieldsAtGetOne(t *testing.T) {
	p := profile(t, "2024-10-15")
	fs, err := query.ParseFields(typeItem, "title,price,url", p.ItemFields, itemRes.Names())
	if err != nil {
		t.Fatalf("error: %v", err)
	}
	want := resource.FieldSet(0).With(itemTitle).With(itemPrice).With(itemURL)
	if fs.Set != want || !fs.Sparse {
		t.Errorf("got %+v, want sparse %b", fs, want)
	}
}

func TestParseFields_RejectsUnknownNames(t *testing.T) {
	tests := []struct {
		rev, typ, value, bad string
	}{
		{"2026-07-15", typeJob, "", ""},
		{"2026-07-15", typeJob, "status,", ""},
		{"2026-07-15", typeJob, ",status", ""},
		{"2026-07-15", typeJob, "status,,created_at", ""},
		{"2026-07-15", typeJob, "status, created_at", " created_at"},
		{"2026-07-15", typeJob, "STATUS", "STATUS"},
		{"2026-07-15", typeJob, "status,nope,alsonope", "nope"},
		{"2026-07-15", typeJob, "job_id", "job_id"},
		{"2023-12-15", typeJob, "job_id", "job_id"},
		{"2023-12-15", typeJob, "status,job_id", "job_id"},
		{"2026-01-15", typeJob, "id", "id"},
		{"2022-10-17", typeJob, "id", "id"},
		{"2022-10-17", typeJob, "title", "title"},
		{"2026-07-15", typeJob, "relationships", "relationships"},
		{"2026-07-15", typeJob, "attributes.status", "attributes.status"},
		{"2026-01-15", typeItem, "id", "id"},
		{"2026-07-15", typeItem, "status", "status"},
		{"2026-07-15", typeItem, "variants", "variants"},
		{"2026-07-15", typeItem, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.rev+"/"+tt.typ+"="+tt.value, func(t *testing.T) {
			p := profile(t, tt.rev)
			allowed, names, param := p.JobFields, jobRes.Names(), jobParam
			if tt.typ == typeItem {
				allowed, names, param = p.ItemFields, itemRes.Names(), itemParam
			}
			fs, err := query.ParseFields(tt.typ, tt.value, allowed, names)
			if err == nil {
				t.Fatalf("ParseFields(%q) = %+v, want an error", tt.value, fs)
			}
			if fs != (query.Fieldset{}) {
				t.Errorf("returned %+v with its error, want the zero Fieldset", fs)
			}
			wantInvalidParam(t, err, param)
			want := "'" + tt.bad + "' is not a valid field for the resource '" + tt.typ + "'."
			if err.Detail != want {
				t.Errorf("detail = %q, want %q", err.Detail, want)
			}
		})
	}
}

func TestFieldset_ZeroValueIncludesEverything(t *testing.T) {
	var fs query.Fieldset
	for f := jobID; f <= jobIDField; f++ {
		if !fs.Includes(f) {
			t.Errorf("zero Fieldset excludes %s", jobRes.Names()[f])
		}
	}
}

func TestParseInclude_AcceptsAllowedValues(t *testing.T) {
	for _, v := range []string{"items", "items,items"} {
		got, err := query.ParseInclude(v, "items")
		if err != nil || !got {
			t.Errorf("ParseInclude(%q) = %v, %v, want true", v, got, err)
		}
	}
}

func TestParseInclude_RejectsOtherValues(t *testing.T) {
	tests := []struct{ value, bad string }{
		{"", ""},
		{"item", "item"},
		{"Items", "Items"},
		{"items,variants", "variants"},
		{"items,", ""},
		{"items ", "items "},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			got, err := query.ParseInclude(tt.value, "items")
			if err == nil {
				t.Fatalf("ParseInclude(%q) = %v, want an error", tt.value, got)
			}
			if got {
				t.Error("returned true with its error, want false")
			}
			wantInvalidParam(t, err, "include")
			want := "'" + tt.bad + "' is not an allowed include parameter for this resource."
			if err.Detail != want {
				t.Errorf("detail = %q, want %q", err.Detail, want)
			}
		})
	}
}

func TestParseInclude_NothingAllowedRejectsEverything(t *testing.T) {
	if _, err := query.ParseInclude("items", ""); err == nil {
		t.Fatal("ParseInclude with no allowed values accepted items")
	}
}

func FuzzParseFields(f *testing.F) {
	for i, s := range []string{
		"status", "status,created_at", "job_id", "id", "", ",", "status,", "STATUS",
		"completed_at,completed_count,created_at,errors,expires_at,failed_count,id,status,total_count",
		"title,price", "\xff", "status,\x00",
	} {
		f.Add(uint8(i), false, s)
		f.Add(uint8(i*7), true, s)
	}
	all := allProfiles()
	f.Fuzz(func(t *testing.T, rev uint8, item bool, value string) {
		p := all[int(rev)%len(all)]
		typ, param, allowed, names := typeJob, jobParam, p.JobFields, jobRes.Names()
		if item {
			typ, param, allowed, names = typeItem, itemParam, p.ItemFields, itemRes.Names()
		}
		fs, err := query.ParseFields(typ, value, allowed, names)
		parts := strings.Split(value, ",")
		if err != nil {
			wantInvalidParam(t, err, param)
			// The detail names the first part the revision does not allow.
			first := ""
			for _, part := range parts {
				if !slices.Contains(allowed.NameList(names), part) {
					first = part
					break
				}
			}
			want := "'" + first + "' is not a valid field for the resource '" + typ + "'."
			if err.Detail != want {
				t.Errorf("%s %s=%q: detail %q, want %q", p.Date, param, value, err.Detail, want)
			}
			return
		}
		if !fs.Sparse {
			t.Errorf("%s %s=%q: Sparse = false", p.Date, param, value)
		}
		if fs.Set&^allowed != 0 {
			t.Errorf("%s %s=%q: set %b outside allowed %b", p.Date, param, value, fs.Set, allowed)
		}
		got := fs.Set.NameList(names)
		want := slices.Clone(parts)
		slices.Sort(want)
		want = slices.Compact(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s %s=%q: selected %q, want %q", p.Date, param, value, got, want)
		}
	})
}

// An include read at every poll of a job (include=items) is checked
// where it stands: no map of one entry and no slice of its parts.
func TestParseInclude_AllocatesNothing(t *testing.T) {
	for _, v := range []string{"items", "items,items"} {
		if n := testing.AllocsPerRun(100, func() { _, _ = query.ParseInclude(v, "items") }); n != 0 {
			t.Errorf("ParseInclude(%q) allocates %v times, want 0", v, n)
		}
	}
}
