package query_test

import (
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/query"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

const filterDetailPrefix = "Invalid filter provided: "

// jobFilters are the filter fields of a job list.
var jobFilters = func() []resource.FilterField {
	r, _ := resource.Default().Named("catalog-item-bulk-update-jobs")
	return r.At(revision.Default().Newest()).Filters
}()

// parseJobFilter parses a job list's filter into the statuses it allows.
func parseJobFilter(s string) (store.StatusSet, *apierror.Error) {
	terms, err := query.ParseFilter(s, jobFilters)
	if err != nil {
		return 0, err
	}
	return query.StatusFilter(terms), nil
}

func statuses(ss ...store.Status) store.StatusSet {
	var set store.StatusSet
	for _, s := range ss {
		set |= store.Only(s)
	}
	return set
}

// acceptCase is a filter that must be accepted, keeping the statuses want.
type acceptCase struct {
	name   string
	filter string
	want   store.StatusSet
}

// runAccepts checks each case in a subtest of its name, as runRejects does.
func runAccepts(t *testing.T, tests []acceptCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseJobFilter(tt.filter)
			if err != nil {
				t.Fatalf("ParseFilter(%q) error: %v", tt.filter, err)
			}
			if got != tt.want {
				t.Errorf("ParseFilter(%q) = %04b, want %04b", tt.filter, got, tt.want)
			}
		})
	}
}

func TestParseFilter_AcceptsEqualsOnStatus(t *testing.T) {
	runAccepts(t, []acceptCase{
		{"single quotes queued", `equals(status,'queued')`, statuses(store.Queued)},
		{"single quotes processing", `equals(status,'processing')`, statuses(store.Processing)},
		{"single quotes complete", `equals(status,'complete')`, statuses(store.Complete)},
		{"single quotes cancelled", `equals(status,'cancelled')`, statuses(store.Cancelled)},
		{"double quotes queued", `equals(status,"queued")`, statuses(store.Queued)},
		{"double quotes complete", `equals(status,"complete")`, statuses(store.Complete)},
		{"space after comma", `equals(status, 'processing')`, statuses(store.Processing)},
	})
}

func TestParseFilter_CombinesExpressionsAsIntersection(t *testing.T) {
	runAccepts(t, []acceptCase{
		{"comma, same value twice", `equals(status,'queued'),equals(status,'queued')`, statuses(store.Queued)},
		{"comma, mixed quotes, same value", `equals(status,'complete'),equals(status,"complete")`, statuses(store.Complete)},
		{"comma, contradictory values match nothing", `equals(status,'queued'),equals(status,'complete')`, 0},
		{"comma with space", `equals(status,'queued'), equals(status,'queued')`, statuses(store.Queued)},
		{"and of one", `and(equals(status,'cancelled'))`, statuses(store.Cancelled)},
		{"and of two equal", `and(equals(status,'processing'),equals(status,"processing"))`, statuses(store.Processing)},
		{"and of contradictory", `and(equals(status,'queued'),equals(status,'processing'))`, 0},
		{"nested and", `and(and(equals(status,'queued')))`, statuses(store.Queued)},
		{"and followed by comma", `and(equals(status,'queued')),equals(status,'queued')`, statuses(store.Queued)},
		{"and followed by contradictory comma", `and(equals(status,'queued')),equals(status,'cancelled')`, 0},
		{"three expressions", `equals(status,'complete'),equals(status,'complete'),equals(status,'complete')`, statuses(store.Complete)},
	})
}

// rejectCase is a filter that must be refused with a detail naming what was wrong.
type rejectCase struct {
	name   string
	filter string
	want   []string // substrings of the detail
}

func runRejects(t *testing.T, tests []rejectCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseJobFilter(tt.filter)
			if err == nil {
				t.Fatalf("ParseFilter(%q) = %04b, want an error", tt.filter, got)
			}
			if got != 0 {
				t.Errorf("ParseFilter(%q) returned set %04b with its error, want 0", tt.filter, got)
			}
			wantInvalidParam(t, err, "filter")
			if !strings.HasPrefix(err.Detail, filterDetailPrefix) {
				t.Errorf("detail %q does not start with %q", err.Detail, filterDetailPrefix)
			}
			if !strings.HasSuffix(err.Detail, ".") {
				t.Errorf("detail %q does not end with a period", err.Detail)
			}
			wantDetailContains(t, err, tt.want...)
		})
	}
}

func TestParseFilter_RejectsOtherFields(t *testing.T) {
	runRejects(t, []rejectCase{
		{"id", `equals(id,'01GSQPBF74KQ5YTDEPP41T1BZH')`, []string{`"id"`, "not a valid field"}},
		{"created_at", `equals(created_at,2023-02-07)`, []string{`"created_at"`, "not a valid field"}},
		{"job_id", `equals(job_id,'x')`, []string{`"job_id"`}},
		{"status with capital", `equals(Status,'queued')`, []string{`"Status"`}},
		{"empty field", `equals(,'queued')`, []string{`""`, "not a valid field"}},
		{"other field inside and", `and(equals(total_count,1))`, []string{`"total_count"`}},
		{"second expression bad", `equals(status,'queued'),equals(errors,'x')`, []string{`"errors"`}},
	})
}

func TestParseFilter_RejectsOtherOperators(t *testing.T) {
	runRejects(t, []rejectCase{
		{"any", `any(status,['queued','complete'])`, []string{`"any"`, "only equals"}},
		{"contains", `contains(status,'queued')`, []string{`"contains"`}},
		{"contains-any", `contains-any(status,['queued'])`, []string{`"contains-any"`}},
		{"contains-all", `contains-all(status,['queued'])`, []string{`"contains-all"`}},
		{"greater-than", `greater-than(status,'queued')`, []string{`"greater-than"`}},
		{"greater-or-equal", `greater-or-equal(status,'queued')`, []string{`"greater-or-equal"`}},
		{"less-than", `less-than(status,'queued')`, []string{`"less-than"`}},
		{"less-or-equal", `less-or-equal(status,'queued')`, []string{`"less-or-equal"`}},
		{"starts-with", `starts-with(status,'que')`, []string{`"starts-with"`}},
		{"ends-with", `ends-with(status,'ued')`, []string{`"ends-with"`}},
		{"has", `has(status)`, []string{`"has"`}},
		{"or", `or(equals(status,'queued'),equals(status,'complete'))`, []string{`"or"`, "not supported"}},
		{"not", `not(equals(status,'queued'))`, []string{`"not"`, "not supported"}},
		{"or nested in and", `and(or(equals(status,'queued')))`, []string{`"or"`}},
	})
}

func TestParseFilter_RejectsUnknownOperators(t *testing.T) {
	runRejects(t, []rejectCase{
		{"made-up name", `foo(status,'queued')`, []string{`"foo"`, "not a valid operator"}},
		{"equal without s", `equal(status,'queued')`, []string{`"equal"`, "not a valid operator"}},
		{"upper case", `EQUALS(status,'queued')`, []string{"EQUALS"}},
		{"mixed case", `Equals(status,'queued')`, []string{"Equals"}},
		// Operator names are read as [a-z-]+, so these stop early; the detail
		// names the part read and the '(' it expected there.
		{"underscore", `greater_than(status,'queued')`, []string{`"greater_than" is not a valid operator`}},
		{"digit", `equals2(status,'queued')`, []string{`"equals2" is not a valid operator`}},
	})
}

func TestParseFilter_RejectsBadSyntax(t *testing.T) {
	runRejects(t, []rejectCase{
		{"empty", ``, []string{"ended"}},
		{"only spaces", `   `, []string{"ended"}},
		{"bare field", `status`, []string{`"status" is not a valid operator`}},
		{"operator without parentheses", `equals`, []string{`"equals"`, "'('"}},
		{"no value", `equals(status)`, []string{`"status"`, "','"}},
		{"no closing parenthesis", `equals(status,'queued'`, []string{"')'", "equals("}},
		{"extra argument", `equals(status,'queued','complete')`, []string{"')'", "equals("}},
		{"and without closing parenthesis", `and(equals(status,'queued')`, []string{"')'", "and("}},
		{"empty and", `and()`, []string{`")"`}},
		{"trailing comma", `equals(status,'queued'),`, []string{"ended"}},
		{"leading comma", `,equals(status,'queued')`, []string{`",equals(status,'queued')"`}},
		{"double comma", `equals(status,'queued'),,equals(status,'queued')`, []string{`",equals(status,'queued')"`}},
		{"garbage after quote", `equals(status,"queued"x)`, []string{"')'"}},
		{"doubled closing quote", `equals(status,'queued'')`, []string{"')'"}},
		{"semicolon join", `equals(status,'queued');equals(status,'queued')`, []string{`";equals(status,'queued')"`}},
	})
}

func TestParseFilter_RejectsUnquotedValues(t *testing.T) {
	runRejects(t, []rejectCase{
		{"bare word", `equals(status,queued)`, []string{`"queued"`, "quoted"}},
		{"number", `equals(status,1)`, []string{`"1"`, "quoted"}},
		{"boolean", `equals(status,true)`, []string{`"true"`, "quoted"}},
		{"null", `equals(status,null)`, []string{`"null"`, "quoted"}},
		{"array", `equals(status,['queued'])`, []string{`"['queued']"`, "quoted"}},
		{"empty", `equals(status,)`, []string{`""`, "quoted"}},
		{"backtick", "equals(status,`queued`)", []string{"`queued`", "quoted"}},
	})
}

func TestParseFilter_RejectsUnterminatedStrings(t *testing.T) {
	runRejects(t, []rejectCase{
		{"single quote", `equals(status,'queued`, []string{"unterminated"}},
		{"double quote", `equals(status,"queued`, []string{"unterminated"}},
		{"mismatched quotes", `equals(status,"queued')`, []string{"unterminated"}},
		{"closing quote escaped", `equals(status,'queued\')`, []string{"unterminated"}},
		{"lone quote", `equals(status,')`, []string{"unterminated"}},
	})
}

func TestParseFilter_RejectsUnknownStatusValues(t *testing.T) {
	valid := "queued, processing, complete, cancelled"
	runRejects(t, []rejectCase{
		{"unknown", `equals(status,'done')`, []string{`'done'`, "'status'", valid}},
		{"capitalised", `equals(status,'Queued')`, []string{`'Queued'`, valid}},
		{"empty string", `equals(status,'')`, []string{`''`, valid}},
		{"padded", `equals(status,' queued')`, []string{`' queued'`}},
		{"american spelling", `equals(status,"canceled")`, []string{`'canceled'`}},
		{"second expression unknown", `equals(status,'queued'),equals(status,'failed')`, []string{`'failed'`}},
	})
}

func TestParseFilter_EscapedQuoteIsPartOfValue(t *testing.T) {
	runRejects(t, []rejectCase{
		{"escaped single quote", `equals(status,'a\'b')`, []string{`'a'b'`}},
		{"escaped double quote", `equals(status,"queued\"")`, []string{`'queued"'`}},
		{"other quote kind keeps backslash", `equals(status,"a\'b")`, []string{`'a\'b'`}},
		{"leading escaped quote", `equals(status,'\'queued')`, []string{`''queued'`}},
	})
}

func TestParseFilter_RejectsTrailingGarbage(t *testing.T) {
	runRejects(t, []rejectCase{
		{"word", `equals(status,'queued')x`, []string{`"x"`, "position 23"}},
		{"extra parenthesis", `equals(status,'queued'))`, []string{`")"`, "position 23"}},
		{"second expression without comma", `equals(status,'queued')equals(status,'queued')`, []string{`"equals(status,'queued')"`}},
		{"after and", `and(equals(status,'queued'))!`, []string{`"!"`}},
	})
}

func TestParseFilter_ErrorIsKlaviyoShaped(t *testing.T) {
	_, err := parseJobFilter(`equals(status,'done')`)
	if err == nil {
		t.Fatal("want an error")
	}
	want := `Invalid filter provided: 'done' is not a valid choice for 'status'; valid values are queued, processing, complete, cancelled.`
	if err.Detail != want {
		t.Errorf("detail = %q, want %q", err.Detail, want)
	}
	doc := string(apierror.Append(nil, "id-1", apierror.Style{}, err))
	wantDoc := `{"errors":[{"id":"id-1","status":400,"code":"invalid","title":"Invalid input.","detail":` +
		`"Invalid filter provided: 'done' is not a valid choice for 'status'; valid values are queued, processing, complete, cancelled.",` +
		`"source":{"parameter":"filter"}}]}`
	if doc != wantDoc {
		t.Errorf("document =\n%s\nwant\n%s", doc, wantDoc)
	}
}

func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{
		`equals(status,'queued')`,
		`equals(status,"processing")`,
		`equals(status,'queued'),equals(status,'complete')`,
		`and(equals(status,'cancelled'),equals(status,"cancelled"))`,
		`and(and(equals(status,'queued')))`,
		`equals(status, 'complete')`,
		``,
		`equals(status,'a\'b')`,
		`equals(status,"a\"b`,
		`any(status,['queued'])`,
		`or(equals(status,'queued'))`,
		`equals(id,'x')`,
		`equals(status,queued)`,
		`and()`,
		`equals(status,'queued'),`,
		`equals(status,'queued'))`,
		"equals(status,'\xff')",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		set, err := parseJobFilter(s)
		if err != nil {
			if set != 0 {
				t.Errorf("ParseFilter(%q) returned set %04b with an error", s, set)
			}
			wantInvalidParam(t, err, "filter")
			if !strings.HasPrefix(err.Detail, filterDetailPrefix) {
				t.Errorf("ParseFilter(%q) detail %q lacks prefix %q", s, err.Detail, filterDetailPrefix)
			}
			return
		}
		if set&^store.AllStatuses != 0 {
			t.Errorf("ParseFilter(%q) = %08b, holds bits outside AllStatuses", s, set)
		}
		if !strings.Contains(s, "equals") || !strings.Contains(s, "status") {
			t.Errorf("ParseFilter(%q) accepted a filter without equals(status,...)", s)
		}
		if _, single := set.Single(); !single && set != 0 {
			t.Errorf("ParseFilter(%q) = %04b; equals-only filters yield one status or none", s, set)
		}
	})
}

// entityFilters are the filter fields of an entity list at revision rev.
func entityFilters(t *testing.T, name, rev string) []resource.FilterField {
	t.Helper()
	r, _ := resource.Default().Named(name)
	p, ok := revision.Default().Exact(rev)
	if !ok {
		t.Fatalf("no revision %s", rev)
	}
	return r.At(p).Filters
}

// reads reports whether an item filter field is of kind k and reads the
// item's attribute or relation named field.
func reads(f *resource.FilterField, k schema.FilterKind, field string) bool {
	if f.Status || f.Kind != k {
		return false
	}
	if k == schema.FilterRelated {
		return f.Rel != nil && f.Rel.Name == field
	}
	item, _ := schema.Default().OfType("catalog-item")
	return f.Attr < len(item.Attrs) && item.Attrs[f.Attr].Name == field
}

func TestParseFilter_EntityConditions(t *testing.T) {
	items := entityFilters(t, "catalog-items", "2026-07-15")
	terms, err := query.ParseFilter(`any(ids,["$custom:::$default:::A", '$custom:::$default:::B']),equals(category.id,"$custom:::$default:::C"),`+
		`contains(title,'Shirt'),equals(published,false)`, items)
	if err != nil {
		t.Fatal(err)
	}
	if len(terms) != 4 {
		t.Fatalf("%d terms", len(terms))
	}
	if got := terms[0].Strs; len(got) != 2 || got[0] != "$custom:::$default:::A" || got[1] != "$custom:::$default:::B" {
		t.Errorf("ids %q", got)
	}
	if !reads(terms[1].Field, schema.FilterRelated, "categories") || terms[1].Str != "$custom:::$default:::C" {
		t.Errorf("category %+v", terms[1])
	}
	if !reads(terms[2].Field, schema.FilterContains, "title") || terms[2].Str != "Shirt" || terms[3].Bool || !reads(terms[3].Field, schema.FilterEquals, "published") {
		t.Errorf("title/published %+v %+v", terms[2], terms[3])
	}
	if terms, err := query.ParseFilter(`and(any(ids,[]),equals(published,true))`, items); err != nil || len(terms[0].Strs) != 0 || !terms[1].Bool {
		t.Errorf("and with an empty list: %+v %v", terms, err)
	}
}

func TestParseFilter_EntityFieldNamesFollowTheRevision(t *testing.T) {
	old := entityFilters(t, "catalog-variants", "2023-06-15")
	if _, err := query.ParseFilter(`equals(item,'$custom:::$default:::A')`, old); err != nil {
		t.Errorf("2023-06-15 refuses item: %v", err)
	}
	if _, err := query.ParseFilter(`equals(item.id,'$custom:::$default:::A')`, old); err == nil || !strings.Contains(err.Detail, `"item.id"`) {
		t.Errorf("2023-06-15 item.id: %v", err)
	}
	now := entityFilters(t, "catalog-variants", "2023-07-15")
	if _, err := query.ParseFilter(`equals(item,'x')`, now); err == nil || !strings.Contains(err.Detail, "item.id (equals)") {
		t.Errorf("2023-07-15 item: %v", err)
	}
}

func TestParseFilter_EntityRejects(t *testing.T) {
	items := entityFilters(t, "catalog-items", "2026-07-15")
	for _, tt := range []struct{ filter, want string }{
		{`equals(published,'true')`, "must be true or false"},
		{`equals(published,yes)`, `"yes"`},
		{`any(ids,'$custom:::$default:::A')`, "list of quoted strings"},
		{`any(ids,['a' 'b'])`, "expected ',' or ']'"},
		{`any(ids,[a])`, "quoted string"},
		{`equals(title,'x')`, "only contains is"},
		{`contains(sku,'x')`, `"sku" is not a valid field`},
		{`or(equals(published,true))`, "not supported"},
	} {
		_, err := query.ParseFilter(tt.filter, items)
		if err == nil || !strings.Contains(err.Detail, tt.want) || !strings.HasPrefix(err.Detail, filterDetailPrefix) {
			t.Errorf("%s: %v, want a detail with %q", tt.filter, err, tt.want)
		}
	}
}
