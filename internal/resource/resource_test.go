package resource_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/spectest"
)

// endpoints lists every endpoint of every resource of reg: the resource's
// own operations and those on each relation.
func endpoints(reg *resource.Registry) []resource.Endpoint {
	var out []resource.Endpoint
	for _, r := range reg.All() {
		for op := resource.Op(0); op < resource.NumOps; op++ {
			if op.OnRelation() {
				for _, rel := range r.Relations {
					out = append(out, resource.Endpoint{Res: r, Rel: rel, Op: op})
				}
				continue
			}
			out = append(out, resource.Endpoint{Res: r, Op: op})
		}
	}
	return out
}

// methodOf is the HTTP method of an op.
var methodOf = [resource.NumOps]string{"GET", "GET", "POST", "PATCH", "DELETE", "GET", "GET", "POST", "PATCH", "DELETE"}

// template returns the spec's path template of an endpoint at revision p,
// as the registry says it is spelled: the id parameter's name, the
// generic relationship form and the trailing slash.
func template(p *revision.Profile, e resource.Endpoint) string {
	rp := e.Res.At(p)
	s := e.Res.Path()
	switch e.Op {
	case resource.OpGet, resource.OpUpdate, resource.OpDelete:
		s += "/{" + e.Res.IDParam + "}"
	case resource.OpRelated:
		s += "/{" + rp.RelatedParam + "}/" + e.Rel.Name
	case resource.OpRelIDs, resource.OpRelAdd, resource.OpRelSet, resource.OpRelRemove:
		if rp.RelGeneric {
			s += "/{id}/relationships/{related_resource}"
		} else {
			s += "/{id}/relationships/" + e.Rel.Name
		}
	}
	if p.TrailingSlash {
		s += "/"
	}
	return s
}

// TestRegistry_EndpointsAreTheSpecsOfEveryRevision checks, at every
// revision, that the registry's endpoints are exactly the spec's: each one
// it declares exists there under the same path template, operationId and
// x-klaviyo-ratelimit, and each operation of the spec is declared.
func TestRegistry_EndpointsAreTheSpecsOfEveryRevision(t *testing.T) {
	reg := resource.Default()
	checked := 0
	for _, p := range reg.Revisions().All() {
		served := map[[2]string]bool{}
		for _, e := range endpoints(reg) {
			o, ok := e.At(p)
			if !ok {
				continue
			}
			tmpl := template(p, e)
			served[[2]string{methodOf[e.Op], tmpl}] = true
			spec, err := spectest.Lookup(p.Date, methodOf[e.Op], tmpl)
			if err != nil {
				t.Errorf("%s %s %s: %v", p.Date, e.Res.Name, e.Op, err)
				continue
			}
			checked++
			if spec.Path != tmpl {
				t.Errorf("%s %s %s: path %s, the spec has %s", p.Date, e.Res.Name, e.Op, tmpl, spec.Path)
			}
			if o.ID != spec.ID || o.Limits.Burst != spec.Burst || o.Limits.Steady != spec.Steady {
				t.Errorf("%s %s %s: %s %d/s %d/m, the spec says %s %d/s %d/m", p.Date, tmpl, e.Op,
					o.ID, o.Limits.Burst, o.Limits.Steady, spec.ID, spec.Burst, spec.Steady)
			}
		}
		all, err := spectest.Endpoints(p.Date)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range all {
			if !served[m] {
				t.Errorf("%s: the spec has %s %s, the registry does not", p.Date, m[0], m[1])
			}
		}
	}
	if checked < 1100 { // 9×3 job and 3×5 entity operations, 3 related lists and the relationship endpoints, 21 revisions
		t.Fatalf("only %d operations checked", checked)
	}
}

// TestRegistry_QueryParametersMatchTheSpec checks, for every endpoint at
// every revision, what its query string may hold (resource.Endpoint.Query,
// which the handlers enforce) against the spec's parameters: the names
// fields[<type>] accepts (for the resource and what it includes), include,
// the filter fields and operators, sort, page[cursor] and page[size].
// Enum order differs between revisions; the sets must not.
func TestRegistry_QueryParametersMatchTheSpec(t *testing.T) {
	reg := resource.Default()
	for _, p := range reg.Revisions().All() {
		for _, e := range endpoints(reg) {
			if _, ok := e.At(p); !ok {
				continue
			}
			tmpl := template(p, e)
			spec, err := spectest.Lookup(p.Date, methodOf[e.Op], tmpl)
			if err != nil {
				t.Fatal(err)
			}
			what := p.Date + " " + methodOf[e.Op] + " " + tmpl
			q := e.Query(p)
			want := map[string]bool{}
			if q.Fields != nil {
				key := "fields[" + q.Fields.Type + "]"
				want[key] = true
				sameSet(t, what+" "+key, q.Fields.At(p).Fields.NameList(q.Fields.Names()), spec.Enums[key])
			}
			if q.Include != "" {
				want["include"] = true
				sameSet(t, what+" include", []string{q.Include}, spec.Enums["include"])
				key := "fields[" + q.Included.Type + "]"
				want[key] = true
				sameSet(t, what+" "+key, q.Included.At(p).Fields.NameList(q.Included.Names()), spec.Enums[key])
			}
			if q.Filters != nil {
				want["filter"] = true
				got := map[string][]string{}
				for _, f := range q.Filters {
					got[f.Name] = []string{f.Op}
				}
				if !maps.EqualFunc(got, spec.Filters, slices.Equal) {
					t.Errorf("%s filter: registry %v, spec %v", what, got, spec.Filters)
				}
			}
			if q.Sorts != nil {
				want["sort"] = true
				sameSet(t, what+" sort", q.Sorts, spec.Enums["sort"])
			}
			want["page[cursor]"], want["page[size]"], want["company_id"] = q.Cursor, q.PageSize, q.CompanyID
			for name, w := range want {
				if w != slices.Contains(spec.Query, name) {
					t.Errorf("%s: registry accepts %s: %v; the spec declares it: %v", what, name, w, !w)
				}
			}
			for _, name := range spec.Query {
				if !want[name] {
					t.Errorf("%s: the spec declares %s, the registry refuses it", what, name)
				}
			}
		}
	}
}

func sameSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	if !slices.Equal(g, w) {
		t.Errorf("%s: registry %q, spec %q", what, g, w)
	}
}

func TestRegistry_EveryResourceOnce(t *testing.T) {
	reg := resource.Default()
	served := 0
	for _, e := range schema.Default().Entities() {
		if e.Ops != 0 {
			served++
		}
		if e.Ops.Has(schema.OpClientCreate) {
			served++ // its /client twin
		}
	}
	if n, want := len(reg.All()), served+len(schema.Default().Jobs()); n != want {
		t.Fatalf("%d resources, want %d: one per declared entity with operations, its /client twin, and one per job kind", n, want)
	}
	seen := map[string]bool{}
	for _, r := range reg.All() {
		if r.Client {
			if got, ok := reg.ClientNamed(r.Name); !ok || got != r || !r.Entity.Decl.Ops.Has(schema.OpClientCreate) {
				t.Errorf("the /client twin %s is not the declared one", r.Path())
			}
			continue
		}
		if seen[r.Type] {
			t.Errorf("type %s twice", r.Type)
		}
		seen[r.Type] = true
		if got, ok := reg.OfType(r.Type); !ok || got != r {
			t.Errorf("OfType(%s) does not return it", r.Type)
		}
	}
}

func TestRegistry_RowsMustStartAtARevision(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("a row at a date that is not a revision was accepted")
		}
	}()
	reg := resource.NewRegistry(revision.Default())
	r := resource.CatalogEntity(0)
	r.Name = "x"
	resource.AddRow(r, resource.Row{Since: "2024-01-01", Apply: func(*resource.Profile) {}})
	reg.Add(r)
}
