package query_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/query"
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

func profile(t *testing.T, date string) *revision.Profile {
	t.Helper()
	p, ok := revision.Default().Exact(date)
	if !ok {
		t.Fatalf("no revision %s in the table", date)
	}
	return p
}

// candidates are every name either resource knows plus a few near misses.
func candidates() []string {
	out := slices.Concat(revision.JobFieldNames(), revision.ItemFieldNames(),
		[]string{"", "Status", "job-id", "jobId", "type", "links", "relationships", "items", " status", "status "})
	slices.Sort(out)
	return slices.Compact(out)
}

func TestParseFields_AcceptsExactlyTheSpecEnumAtEachRevision(t *testing.T) {
	for _, p := range revision.Default().All() {
		for _, res := range []struct {
			typ, param string
			allowed    revision.FieldSet
			names      []string
			spec       []string
		}{
			{revision.TypeJob, jobParam, p.JobFields, revision.JobFieldNames(), specJobFields(p.Date)},
			{revision.TypeItem, itemParam, p.ItemFields, revision.ItemFieldNames(), specItemFields(p.Date)},
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
					if got := fs.Set.Names(res.names); !slices.Equal(got, []string{name}) {
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
		want  []revision.Field
	}{
		{"status", []revision.Field{revision.JobStatus}},
		{"status,created_at", []revision.Field{revision.JobStatus, revision.JobCreatedAt}},
		{"created_at,status", []revision.Field{revision.JobStatus, revision.JobCreatedAt}},
		{"status,status", []revision.Field{revision.JobStatus}},
		{"id", []revision.Field{revision.JobIDField}},
		{"errors,expires_at,completed_at,failed_count,completed_count,total_count,created_at,status,id",
			[]revision.Field{revision.JobStatus, revision.JobCreatedAt, revision.JobTotalCount,
				revision.JobCompletedCount, revision.JobFailedCount, revision.JobCompletedAt,
				revision.JobExpiresAt, revision.JobErrors, revision.JobIDField}},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			fs, err := query.ParseFields(revision.TypeJob, tt.value, p.JobFields, revision.JobFieldNames())
			if err != nil {
				t.Fatalf("ParseFields(%q) error: %v", tt.value, err)
			}
			if !fs.Sparse {
				t.Errorf("Sparse = false, want true")
			}
			var want revision.FieldSet
			for _, f := range tt.want {
				want = want.With(f)
			}
			if fs.Set != want {
				t.Errorf("Set = %b, want %b", fs.Set, want)
			}
			for f := revision.JobID; f <= revision.JobIDField; f++ {
				if got := fs.Includes(f); got != want.Has(f) {
					t.Errorf("Includes(%s) = %v, want %v", revision.JobFieldNames()[f], got, want.Has(f))
				}
			}
		})
	}
}

func TestParseFields_ItemFieldsAtGetOne(t *testing.T) {
	p := profile(t, "2024-10-15")
	fs, err := query.ParseFields(revision.TypeItem, "title,price,url", p.ItemFields, revision.ItemFieldNames())
	if err != nil {
		t.Fatalf("error: %v", err)
	}
	want := revision.FieldSet(0).With(revision.ItemTitle).With(revision.ItemPrice).With(revision.ItemURL)
	if fs.Set != want || !fs.Sparse {
		t.Errorf("got %+v, want sparse %b", fs, want)
	}
}

func TestParseFields_RejectsUnknownNames(t *testing.T) {
	tests := []struct {
		rev, typ, value, bad string
	}{
		{"2026-07-15", revision.TypeJob, "", ""},
		{"2026-07-15", revision.TypeJob, "status,", ""},
		{"2026-07-15", revision.TypeJob, ",status", ""},
		{"2026-07-15", revision.TypeJob, "status,,created_at", ""},
		{"2026-07-15", revision.TypeJob, "status, created_at", " created_at"},
		{"2026-07-15", revision.TypeJob, "STATUS", "STATUS"},
		{"2026-07-15", revision.TypeJob, "status,nope,alsonope", "nope"},
		{"2026-07-15", revision.TypeJob, "job_id", "job_id"},
		{"2023-12-15", revision.TypeJob, "job_id", "job_id"},
		{"2023-12-15", revision.TypeJob, "status,job_id", "job_id"},
		{"2026-01-15", revision.TypeJob, "id", "id"},
		{"2022-10-17", revision.TypeJob, "id", "id"},
		{"2022-10-17", revision.TypeJob, "title", "title"},
		{"2026-07-15", revision.TypeJob, "relationships", "relationships"},
		{"2026-07-15", revision.TypeJob, "attributes.status", "attributes.status"},
		{"2026-01-15", revision.TypeItem, "id", "id"},
		{"2026-07-15", revision.TypeItem, "status", "status"},
		{"2026-07-15", revision.TypeItem, "variants", "variants"},
		{"2026-07-15", revision.TypeItem, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.rev+"/"+tt.typ+"="+tt.value, func(t *testing.T) {
			p := profile(t, tt.rev)
			allowed, names, param := p.JobFields, revision.JobFieldNames(), jobParam
			if tt.typ == revision.TypeItem {
				allowed, names, param = p.ItemFields, revision.ItemFieldNames(), itemParam
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
	for f := revision.JobID; f <= revision.JobIDField; f++ {
		if !fs.Includes(f) {
			t.Errorf("zero Fieldset excludes %s", revision.JobFieldNames()[f])
		}
	}
}

func TestParseInclude_AcceptsAllowedValues(t *testing.T) {
	tests := []struct {
		value string
		want  []string
	}{
		{"items", []string{"items"}},
		{"items,items", []string{"items"}},
	}
	for _, tt := range tests {
		got, err := query.ParseInclude(tt.value, "items")
		if err != nil {
			t.Fatalf("ParseInclude(%q) error: %v", tt.value, err)
		}
		var keys []string
		for k, v := range got {
			if !v {
				t.Errorf("ParseInclude(%q)[%q] = false", tt.value, k)
			}
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, tt.want) {
			t.Errorf("ParseInclude(%q) keys = %q, want %q", tt.value, keys, tt.want)
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
			if got != nil {
				t.Errorf("returned %v with its error, want nil", got)
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
	if _, err := query.ParseInclude("items"); err == nil {
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
	all := revision.Default().All()
	f.Fuzz(func(t *testing.T, rev uint8, item bool, value string) {
		p := all[int(rev)%len(all)]
		typ, param, allowed, names := revision.TypeJob, jobParam, p.JobFields, revision.JobFieldNames()
		if item {
			typ, param, allowed, names = revision.TypeItem, itemParam, p.ItemFields, revision.ItemFieldNames()
		}
		fs, err := query.ParseFields(typ, value, allowed, names)
		parts := strings.Split(value, ",")
		if err != nil {
			wantInvalidParam(t, err, param)
			// The detail names the first part the revision does not allow.
			first := ""
			for _, part := range parts {
				if !slices.Contains(allowed.Names(names), part) {
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
		got := fs.Set.Names(names)
		want := slices.Clone(parts)
		slices.Sort(want)
		want = slices.Compact(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s %s=%q: selected %q, want %q", p.Date, param, value, got, want)
		}
	})
}
