package resource

import "slices"

// FieldSet is a set of the names fields[<type>] can select: bit i is
// Fields[i], bit len(Fields) is "id".
type FieldSet uint32

// AllFields selects every field.
const AllFields = ^FieldSet(0)

// Has reports whether field i is in s.
func (s FieldSet) Has(i int) bool { return s&(1<<i) != 0 }

// With returns s with field i added.
func (s FieldSet) With(i int) FieldSet { return s | 1<<i }

// Without returns s with field i removed.
func (s FieldSet) Without(i int) FieldSet { return s &^ (1 << i) }

// Names returns every name a FieldSet of r can hold: Fields then "id".
func (r *Resource) Names() []string { return append(slices.Clone(r.Fields), "id") }

// fieldsAt is what fields[<type>] accepts: every field, job_id only while
// it is the job's id, and "id" where the revision accepts it.
func fieldsAt(r *Resource, p *Profile) FieldSet {
	var s FieldSet
	for i, name := range r.Fields {
		if name == "job_id" && !p.JobIDAttribute {
			continue
		}
		if r.Entity != nil && p.Profile.Date < r.Entity.Decl.AttrSince(name) {
			continue // shown from a later revision
		}
		s = s.With(i)
	}
	if p.Profile.FieldsAcceptID {
		s = s.With(len(r.Fields))
	}
	return s
}

// Lookup returns the index of name among names, if s allows it.
func (s FieldSet) Lookup(names []string, name string) (int, bool) {
	for i, n := range names {
		if n == name && s.Has(i) {
			return i, true
		}
	}
	return 0, false
}

// NameList lists the names of the members of s, in order.
func (s FieldSet) NameList(names []string) []string {
	var out []string
	for i, n := range names {
		if s.Has(i) {
			out = append(out, n)
		}
	}
	return out
}
