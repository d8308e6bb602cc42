package resource_test

import (
	"slices"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/spectest"
)

// path returns the spec path of a resource's collection or of one of its
// resources, in the revision's form (trailing slash up to 2024-07-15).
func path(p *revision.Profile, r *resource.Resource, one bool) string {
	s := r.Path()
	if one {
		s += "/{" + r.IDParam + "}"
	}
	if p.TrailingSlash {
		s += "/"
	}
	return s
}

// declared lists the operations a resource serves, with their method and
// whether they address one resource.
var declared = []struct {
	op     resource.Op
	method string
	one    bool
}{
	{resource.OpList, "GET", false},
	{resource.OpGet, "GET", true},
	{resource.OpCreate, "POST", false},
	{resource.OpUpdate, "PATCH", true},
	{resource.OpDelete, "DELETE", true},
}

// TestRegistry_OperationsMatchTheSpecOfEveryRevision checks every operation
// every resource declares, at every revision, against Klaviyo's OpenAPI
// document of that revision: it exists there, with that operationId and
// that x-klaviyo-ratelimit.
func TestRegistry_OperationsMatchTheSpecOfEveryRevision(t *testing.T) {
	reg := resource.Default()
	checked := 0
	for _, r := range reg.All() {
		for _, p := range reg.Revisions().All() {
			rp := r.At(p)
			for _, d := range declared {
				o, ok := rp.Op(d.op)
				if !ok {
					continue
				}
				spec, err := spectest.Lookup(p.Date, d.method, path(p, r, d.one))
				if err != nil {
					t.Errorf("%s %s %s: %v", p.Date, r.Name, d.op, err)
					continue
				}
				checked++
				if o.ID != spec.ID || o.Limits.Burst != spec.Burst || o.Limits.Steady != spec.Steady {
					t.Errorf("%s %s %s: %s %d/s %d/m, the spec says %s %d/s %d/m", p.Date, r.Name, d.op,
						o.ID, o.Limits.Burst, o.Limits.Steady, spec.ID, spec.Burst, spec.Steady)
				}
			}
		}
	}
	if checked < 9*3*21 {
		t.Fatalf("only %d operations checked; the nine job resources alone have %d", checked, 9*3*21)
	}
}

// TestRegistry_FieldsAndIncludesMatchTheSpec checks, for every job
// resource at every revision, the names fields[<type>] accepts (for the
// job and, on GET-one, its entities) and the include values, against the
// enums of the spec's parameters. Order differs between revisions; the
// sets must not.
func TestRegistry_FieldsAndIncludesMatchTheSpec(t *testing.T) {
	reg := resource.Default()
	for _, r := range reg.All() {
		if r.Job == nil {
			continue
		}
		for _, p := range reg.Revisions().All() {
			rp := r.At(p)
			for _, d := range declared[:3] {
				if _, ok := rp.Op(d.op); !ok {
					continue
				}
				spec, err := spectest.Lookup(p.Date, d.method, path(p, r, d.one))
				if err != nil {
					t.Fatal(err)
				}
				own := "fields[" + r.Type + "]"
				if d.op == resource.OpCreate && !p.WriteFields {
					if slices.Contains(spec.Query, own) {
						t.Errorf("%s %s POST: the spec has %s, the registry refuses it", p.Date, r.Name, own)
					}
					continue
				}
				sameSet(t, p.Date+" "+r.Name+" "+d.op.String()+" "+own, rp.Fields.NameList(r.Names()), spec.Enums[own])
				entity := r.Job.Entity
				inc := "fields[" + entity.Type + "]"
				if d.op == resource.OpGet && r.Job.Include {
					sameSet(t, p.Date+" "+r.Name+" "+inc, entity.At(p).Fields.NameList(entity.Names()), spec.Enums[inc])
					sameSet(t, p.Date+" "+r.Name+" include", []string{r.Job.Kind.Entity().Plural()}, spec.Enums["include"])
				} else if slices.Contains(spec.Query, "include") || slices.Contains(spec.Query, inc) {
					t.Errorf("%s %s %s: the spec has include or %s, the registry has neither", p.Date, r.Name, d.op, inc)
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
	if n := len(reg.All()); n != 12 {
		t.Fatalf("%d resources, want 3 entities and 9 job resources", n)
	}
	seen := map[string]bool{}
	for _, r := range reg.All() {
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
