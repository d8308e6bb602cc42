package admin_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/admin"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// catalogDoc is GET /__admin/catalog as the web page reads it.
type catalogDoc struct {
	Revision string `json:"revision"`
	Entities []struct {
		Type, Path, Plural, Singular string
		Operations                   []string
		PageSize                     int    `json:"page_size"`
		Include                      string `json:"include"`
		Sorts                        []string
		Attributes                   []struct {
			Name, Type, Role string
			Update, Local    bool
		}
		Filters []struct {
			Field, Op, Value string
			Enum             []string
		}
		Relations []struct {
			Name, Target, Filter string
			Many                 bool
		}
	} `json:"entities"`
	Jobs []struct {
		Name, Type, Path, Entity, Action, Relationship, Include, Newest string
		Filters                                                         []struct {
			Field, Op string
			Enum      []string
		}
	} `json:"jobs"`
}

func (e *env) catalog() catalogDoc {
	e.t.Helper()
	r := e.adminSend("GET", "/catalog", "")
	if r.status != 200 {
		e.t.Fatalf("GET /__admin/catalog: %d %s", r.status, r.body)
	}
	var doc catalogDoc
	if err := json.Unmarshal(r.body, &doc); err != nil {
		e.t.Fatalf("catalog: %v %s", err, r.body)
	}
	return doc
}

// TestCatalog_DescribesEveryServedResourceAsTheNewestRevisionServesIt: the
// page learns the entities, their attributes, filters and relations, and
// the job kinds from the control API, which reads them from the
// declaration and the registry (the page lists none of them itself).
func TestCatalog_DescribesEveryServedResourceAsTheNewestRevisionServesIt(t *testing.T) {
	e := newEnv(t)
	doc := e.catalog()
	all := resource.Default().Revisions().All()
	if doc.Revision != all[len(all)-1].Date {
		t.Fatalf("revision %q", doc.Revision)
	}
	var entities, jobs []string
	for _, r := range resource.Default().All() {
		if r.Job != nil {
			jobs = append(jobs, r.Path())
		} else {
			entities = append(entities, r.Path())
		}
	}
	var gotE, gotJ []string
	for _, en := range doc.Entities {
		gotE = append(gotE, en.Path)
		d, ok := schema.Default().OfType(en.Type)
		if !ok || len(en.Attributes) != len(d.Attrs) {
			t.Fatalf("%s: attributes %+v", en.Type, en.Attributes)
		}
		for i, a := range en.Attributes {
			if a.Name != d.Attrs[i].Name || a.Type != d.Attrs[i].Type.String() || a.Update != d.Attrs[i].Update || a.Local != d.Attrs[i].Local {
				t.Fatalf("%s attribute %d: %+v, declared %+v", en.Type, i, a, d.Attrs[i])
			}
		}
	}
	for _, j := range doc.Jobs {
		gotJ = append(gotJ, j.Path)
	}
	if !slices.Equal(gotE, entities) || !slices.Equal(gotJ, jobs) || len(jobs) != len(store.JobKinds()) {
		t.Fatalf("entities %v (served %v), jobs %v (served %v)", gotE, entities, gotJ, jobs)
	}
	item := doc.Entities[0]
	if item.Type != "catalog-item" || item.PageSize != 100 || item.Include != "variants" ||
		!slices.Contains(item.Operations, "update") || !slices.Contains(item.Sorts, "-created") {
		t.Fatalf("items: %+v", item)
	}
	var filters []string
	for _, f := range item.Filters {
		filters = append(filters, f.Op+"("+f.Field+":"+f.Value+")")
	}
	if want := []string{"any(ids:string list)", "equals(category.id:string)", "contains(title:string)",
		"equals(published:boolean)"}; !slices.Equal(filters, want) {
		t.Fatalf("item filters %v, want %v", filters, want)
	}
	// An item's variants are the variants filtered by item.id; its
	// categories, the categories filtered by item.id.
	for _, rel := range item.Relations {
		if rel.Filter != "item.id" || !rel.Many {
			t.Fatalf("item relation %+v", rel)
		}
	}
	job := doc.Jobs[0]
	if job.Entity != "catalog-item" || job.Relationship != "items" || job.Include != "items" ||
		len(job.Filters) != 1 || !slices.Equal(job.Filters[0].Enum, store.StatusNames()) {
		t.Fatalf("first job kind: %+v", job)
	}
}

// TestCatalog_NewestLinkShowsTheLastPageOfJobs: a job list is ordered
// oldest first, so a job created now is on its last page; each kind's
// newest link is that page (the API's own prev cursor, from past every
// id), whatever the history's length.
func TestCatalog_NewestLinkShowsTheLastPageOfJobs(t *testing.T) {
	e := newEnv(t)
	doc := e.catalog()
	byName := map[string]string{}
	for _, j := range doc.Jobs {
		byName[j.Name] = j.Newest
	}
	body := `{"data":{"type":"catalog-item-bulk-create-job","attributes":{"items":{"data":[` +
		`{"type":"catalog-item","attributes":{"external_id":"NEW","title":"New","description":"d","url":"https://x.example/n"}}]}}}}`
	created := e.req("POST", "/api/catalog-item-bulk-create-jobs", strings.NewReader(body), "Content-Type: application/vnd.api+json")
	if created.status != 202 {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	newID := jobIDOf(created.doc(t)["data"].(map[string]any))
	last := func(link string) (string, int) {
		t.Helper()
		u, err := url.Parse(link)
		if err != nil || !strings.HasPrefix(u.Path, "/api/") {
			t.Fatalf("newest link %q", link)
		}
		r := e.adminSend("GET", "/accounts/"+testKey+u.RequestURI(), "")
		var page struct {
			Data  []map[string]any
			Links struct{ Next, Prev *string }
		}
		if err := json.Unmarshal(r.body, &page); err != nil || r.status != 200 || len(page.Data) == 0 {
			t.Fatalf("%s: %d %.300s", link, r.status, r.body)
		}
		if page.Links.Next != nil || page.Links.Prev == nil {
			t.Fatalf("%s: the last page has links %+v", link, page.Links)
		}
		return jobIDOf(page.Data[len(page.Data)-1]), len(page.Data)
	}
	if got, _ := last(byName["item-bulk-create"]); got != newID {
		t.Fatalf("the newest page ends with %s, not the job just created %s", got, newID)
	}
	// Without a created job, it ends where paging forward ends.
	next, forward := "/api/catalog-variant-bulk-delete-jobs", ""
	for next != "" {
		var page struct {
			Data  []map[string]any
			Links struct{ Next *string }
		}
		u, _ := url.Parse(next)
		_ = json.Unmarshal(e.adminSend("GET", "/accounts/"+testKey+u.RequestURI(), "").body, &page)
		forward = jobIDOf(page.Data[len(page.Data)-1])
		next = ""
		if page.Links.Next != nil {
			next = *page.Links.Next
		}
	}
	if got, _ := last(byName["variant-bulk-delete"]); got != forward {
		t.Fatalf("the newest page ends with %s, paging forward with %s", got, forward)
	}
}

// TestIndex_NamesTheKeyThePageOpensFirst: with no account held yet, the
// page opens the account of the key the start-up lines suggest, which the
// index names.
func TestIndex_NamesTheKeyThePageOpensFirst(t *testing.T) {
	e := newEnv(t)
	var doc struct {
		ExampleKey string `json:"example_key"`
	}
	if err := json.Unmarshal(e.adminSend("GET", "/", "").body, &doc); err != nil || doc.ExampleKey != admin.ExampleKey ||
		!strings.HasPrefix(doc.ExampleKey, "pk_") {
		t.Fatalf("example_key %q (%v)", doc.ExampleKey, err)
	}
	if r := e.adminSend("GET", "/accounts/"+doc.ExampleKey+"/api/accounts", ""); r.status != 200 {
		t.Fatalf("the example key's account: %d %.300s", r.status, r.body)
	}
}

// TestCatalog_ShowsWhatACreateLeavingAnAttributeOutGets: each optional
// attribute's default is the JSON a create (and a control document)
// leaving it out gets; a required attribute has none.
func TestCatalog_ShowsWhatACreateLeavingAnAttributeOutGets(t *testing.T) {
	e := newEnv(t)
	r := e.adminSend("GET", "/catalog", "")
	var doc struct {
		Entities []struct {
			Type       string
			Attributes []map[string]json.RawMessage // (a null default is not a missing one)
		}
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, en := range doc.Entities {
		for _, a := range en.Attributes {
			var name string
			json.Unmarshal(a["name"], &name)
			switch d, ok := a["default"]; {
			case ok:
				got[en.Type+"."+name] = string(d)
			case string(a["create"]) == `"optional"`:
				t.Errorf("%s.%s is optional and shows no default", en.Type, name)
			}
		}
	}
	for name, want := range map[string]string{"catalog-item.published": "true", "catalog-item.images": "[]",
		"catalog-item.custom_metadata": "{}", "catalog-item.image_full_url": `""`, "catalog-item.price": "null",
		"catalog-variant.inventory_policy": "0"} {
		if got[name] != want {
			t.Errorf("%s default %q, want %s", name, got[name], want)
		}
	}
	if d, ok := got["catalog-item.title"]; ok {
		t.Errorf("the required title shows a default %s", d)
	}
}
