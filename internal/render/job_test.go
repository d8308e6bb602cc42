package render_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/klaviyo-mock/mockserver/internal/render"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

func TestJob_SparseFieldsetSelectsExactlyThoseAttributesInFixedOrder(t *testing.T) {
	cases := []struct {
		date   string
		fields resource.FieldSet
		want   []string
	}{
		{"2022-10-17", jobFields("status"), []string{"status"}},
		{"2022-10-17", jobFields("errors", "status"), []string{"status", "errors"}},
		{"2022-10-17", jobFields("expires_at", "job_id", "created_at"),
			[]string{"job_id", "created_at", "expires_at"}},
		{"2022-10-17", jobFields("failed_count", "completed_count", "total_count"),
			[]string{"total_count", "completed_count", "failed_count"}},
		{"2022-10-17", 0, []string{}},
		// job_id is never an attribute once the id is top-level.
		{"2023-12-15", jobFields("job_id", "completed_at"), []string{"completed_at"}},
		{"2023-12-15", resource.AllFields, jobAttrs},
		{"2026-04-15", jobFields("id"), []string{}},
		{"2026-04-15", jobFields("id", "status"), []string{"status"}},
		{"2026-07-15", jobFields("expires_at", "completed_at", "created_at"),
			[]string{"created_at", "completed_at", "expires_at"}},
	}
	for _, c := range cases {
		r := renderer(profile(t, c.date))
		r.Fields = c.fields
		b := r.Jobs(nil, []*store.Job{completeJob()}, render.Links{Self: render.Text{listSelf}}, nil)
		doc := decode(t, b)
		if got := memberOrder(t, rawAt(t, b, "data", 0, "attributes")); !slices.Equal(got, c.want) {
			t.Errorf("%s fields %b: got attributes %q, want %q", c.date, c.fields, got, c.want)
		}
		// Relationships and links are never stripped; the id stays.
		job := arr(t, doc, "data")[0].(map[string]any)
		if _, ok := job["relationships"]; !ok {
			t.Errorf("%s fields %b: relationships stripped", c.date, c.fields)
		}
		if _, ok := job["links"]; !ok {
			t.Errorf("%s fields %b: links stripped", c.date, c.fields)
		}
		if factTopLevelID(c.date) && job["id"] != jobID {
			t.Errorf("%s fields %b: id %v, want %q", c.date, c.fields, job["id"], jobID)
		}
	}
}

func TestJob_AllFieldsRenderInTheDocumentedOrder(t *testing.T) {
	want := append([]string{"job_id"}, jobAttrs...)
	b := renderer(profile(t, "2022-10-17")).JobDoc(nil, completeJob(), nil, oneSelf, nil)
	if got := memberOrder(t, rawAt(t, b, "data", "attributes")); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := memberOrder(t, rawAt(t, b, "data")); !slices.Equal(got, []string{"type", "attributes", "relationships", "links"}) {
		t.Errorf("resource members %q", got)
	}
	b = renderer(profile(t, "2026-07-15")).JobDoc(nil, completeJob(), nil, oneSelf, nil)
	if got := memberOrder(t, rawAt(t, b, "data")); !slices.Equal(got, []string{"type", "id", "attributes", "relationships", "links"}) {
		t.Errorf("resource members %q", got)
	}
	if got := memberOrder(t, b); !slices.Equal(got, []string{"data", "links", "meta"}) {
		t.Errorf("document members %q", got)
	}
}

func TestJob_NullsForZeroTimesAndZeroCounts(t *testing.T) {
	j := &store.Job{ID: jobID, Kind: jobItemUpdate, Status: store.Processing}
	b := renderer(profile(t, "2024-02-15")).JobDoc(nil, j, nil, oneSelf, nil)
	got := string(rawAt(t, b, "data", "attributes"))
	want := `{"status":"processing","created_at":null,"total_count":0,"completed_count":0,"failed_count":0,` +
		`"completed_at":null,"expires_at":null,"errors":[]}`
	if got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
	if d := string(rawAt(t, b, "data", "relationships", "items", "links")); !strings.Contains(d, jobID) {
		t.Errorf("items links %s", d)
	}
	b = renderer(profile(t, "2022-10-17")).JobDoc(nil, j, nil, oneSelf, nil)
	if d := string(rawAt(t, b, "data", "relationships", "items")); d != `{"data":[]}` {
		t.Errorf("job without items: relationships.items %s, want {\"data\":[]}", d)
	}
}

func TestJob_StatusNames(t *testing.T) {
	for s, want := range map[store.Status]string{store.Queued: "queued", store.Processing: "processing",
		store.Complete: "complete", store.Cancelled: "cancelled"} {
		r := renderer(profile(t, "2026-07-15"))
		r.Fields = jobFields("status")
		b := r.JobDoc(nil, &store.Job{ID: jobID, Kind: jobItemUpdate, Status: s}, nil, oneSelf, nil)
		if got := string(rawAt(t, b, "data", "attributes")); got != `{"status":"`+want+`"}` {
			t.Errorf("status %d: got %s", s, got)
		}
	}
}

func TestJob_TimestampsAreUTCWithMicrosecondsOnlyWhenNonZero(t *testing.T) {
	plus2 := time.FixedZone("+02:00", 2*3600)
	minus5 := time.FixedZone("-05:30", -5*3600-1800)
	cases := []struct {
		in   time.Time
		want string
	}{
		{created, `"2026-09-30T23:55:29.946027+00:00"`},
		{time.Date(2026, 9, 30, 23, 55, 29, 0, time.UTC), `"2026-09-30T23:55:29+00:00"`},
		{time.Date(2026, 9, 30, 23, 55, 29, 1000, time.UTC), `"2026-09-30T23:55:29.000001+00:00"`},
		{time.Date(2026, 9, 30, 23, 55, 29, 999, time.UTC), `"2026-09-30T23:55:29+00:00"`},
		{time.Date(2026, 9, 30, 23, 55, 29, 999999999, time.UTC), `"2026-09-30T23:55:29.999999+00:00"`},
		{time.Date(2026, 9, 30, 23, 55, 29, 500000000, time.UTC), `"2026-09-30T23:55:29.500000+00:00"`},
		{time.Date(2026, 10, 1, 1, 0, 0, 120000000, plus2), `"2026-09-30T23:00:00.120000+00:00"`},
		{time.Date(2026, 9, 30, 18, 25, 29, 0, minus5), `"2026-09-30T23:55:29+00:00"`},
		{time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), `"2024-02-29T00:00:00+00:00"`},
		{time.Unix(0, 0), `"1970-01-01T00:00:00+00:00"`},
		{time.Time{}, `null`},
	}
	r := renderer(profile(t, "2026-07-15"))
	r.Fields = jobFields("created_at", "completed_at", "expires_at")
	for _, c := range cases {
		b := r.JobDoc(nil, &store.Job{ID: jobID, Kind: jobItemUpdate, CreatedAt: c.in, CompletedAt: c.in, ExpiresAt: c.in}, nil, oneSelf, nil)
		want := `{"created_at":` + c.want + `,"completed_at":` + c.want + `,"expires_at":` + c.want + `}`
		if got := string(rawAt(t, b, "data", "attributes")); got != want {
			t.Errorf("%v:\n got %s\nwant %s", c.in, got, want)
		}
	}
}

// oddStrings exercise the JSON string escaper.
var oddStrings = []string{
	`quote " and backslash \ and slash /`,
	"controls \x00\x01\x07\b\f\n\r\t\x1f\x7f end",
	"unicode snö ☃ 😀 \u00a0 \ufeff",
	"line sep \u2028 para sep \u2029",
	"html <script>&amp;</script>",
	"invalid utf8 \xff\xfe and \xc3 truncated",
	"",
}

// wantDecoded is what a JSON decoder reads back for s: invalid bytes become
// U+FFFD one by one, everything else is kept.
func wantDecoded(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		b.WriteRune(r)
		i += n
	}
	return b.String()
}

func TestJob_EscapesOddStrings(t *testing.T) {
	for _, s := range oddStrings {
		j := completeJob()
		j.ID = s
		j.Errors = []store.JobError{{ID: s, Code: s, Title: s, Detail: s, Pointer: s}}
		j.IDs = []string{s}
		for _, date := range []string{"2022-10-17", "2026-07-15"} {
			r := renderer(profile(t, date))
			b := r.Jobs(nil, []*store.Job{j}, render.Links{Self: render.Text{s}, Next: s, Prev: s}, []string{s})
			doc := decode(t, b)
			want := wantDecoded(s)
			job := arr(t, doc, "data")[0].(map[string]any)
			attrs := job["attributes"].(map[string]any)
			var id any = attrs["job_id"]
			if factTopLevelID(date) {
				id = job["id"]
			}
			if id != want {
				t.Errorf("%s %q: id read back as %q", date, s, id)
			}
			e := attrs["errors"].([]any)[0].(map[string]any)
			for _, k := range []string{"id", "code", "title", "detail"} {
				if e[k] != want {
					t.Errorf("%s %q: errors[0].%s read back as %q", date, s, k, e[k])
				}
			}
			if src := e["source"].(map[string]any); src["pointer"] != want {
				t.Errorf("%s %q: pointer read back as %q", date, s, src["pointer"])
			}
			links := obj(t, doc, "links")
			for _, k := range []string{"self", "next", "prev"} {
				if s == "" && k != "self" {
					continue // empty next/prev render as null
				}
				if links[k] != want {
					t.Errorf("%s %q: links.%s read back as %q", date, s, k, links[k])
				}
			}
			if self := obj(t, job, "links")["self"]; self != base+jobsPath+want+"/" {
				t.Errorf("%s %q: job links.self read back as %q", date, s, self)
			}
			if factAgentHints(date) {
				if h := arr(t, obj(t, obj(t, doc, "meta"), "agent_hints"), "next_steps")[0]; h != want {
					t.Errorf("%s %q: hint read back as %q", date, s, h)
				}
			}
		}
	}
}

func TestJob_EscapesTheWayKlaviyoWritesJSON(t *testing.T) {
	// UTF-8 kept, HTML kept, control characters and U+2028/U+2029 escaped.
	j := &store.Job{ID: "a\"b\\c\n\x01<&>ü\u2028😀", Kind: jobItemUpdate}
	r := renderer(profile(t, "2026-07-15"))
	r.Fields = 0
	b := r.JobDoc(nil, j, nil, "", nil)
	want := `"id":"a\"b\\c\n\u0001<&>ü\u2028😀"`
	if !strings.Contains(string(b), want) {
		t.Errorf("got %s, want it to contain %s", b, want)
	}
}

func TestJob_RelationshipDataKeepsItemOrder(t *testing.T) {
	j := completeJob()
	j.IDs = []string{store.EntityID("C"), store.EntityID("A"), store.EntityID("B"), store.EntityID("A")}
	b := renderer(profile(t, "2022-10-17")).JobDoc(nil, j, nil, oneSelf, nil)
	var data []struct{ Type, ID string }
	if err := json.Unmarshal(rawAt(t, b, "data", "relationships", "items", "data"), &data); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range data {
		ids = append(ids, d.ID)
	}
	if !slices.Equal(ids, j.IDs) {
		t.Errorf("got %q, want %q", ids, j.IDs)
	}
}
