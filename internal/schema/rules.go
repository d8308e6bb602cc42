package schema

import (
	"fmt"
	"regexp"
	"slices"
)

// Format is what a String attribute's value must look like.
type Format uint8

// Formats.
const (
	// FormatAny: any string.
	FormatAny Format = iota
	// FormatEmail: an email address (something@domain.tld).
	FormatEmail
	// FormatPhone: a phone number in E.164 form (+ and 2 to 15 digits, the
	// first not 0).
	FormatPhone
)

// The forms of Formats: an email address, an E.164 phone number.
var (
	emailForm = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s.]+$`)
	phoneForm = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
)

// Accepts reports whether s has the form f asks for.
func (f Format) Accepts(s string) bool {
	switch f {
	case FormatEmail:
		return emailForm.MatchString(s)
	case FormatPhone:
		return phoneForm.MatchString(s)
	}
	return true
}

// Embed is a resource a create body nests in its attributes as
// {"data": {"type", "id"?, "attributes": {…}}} (a back-in-stock
// subscription's profile). The entity keeps its members as attributes of
// its own: those declared In it, and ID for data.id.
type Embed struct {
	// Name is its member in the body's attributes, e.g. "profile".
	Name string
	// Type is its data.type, e.g. "profile".
	Type string
	// ID is the attribute keeping data.id ("": data.id is refused).
	ID string
	// Identity are the attributes of which a body must set at least one:
	// what identifies the embedded resource.
	Identity []string
	// Ignored are members of data.attributes accepted and not kept (the
	// spec's own example puts the profile's id there).
	Ignored []string
}

// Merge says what a create does when the entity it would add matches one
// held: one whose Key attributes and relations all equal the new one's
// (null equals null). The two become one: the held entity keeps its id
// and created; its Union attribute (Strings) becomes both lists' union,
// first seen first; every other attribute the create sets takes the
// create's value; updated moves to the create's time.
type Merge struct {
	Key   []string
	Union string
}

// Notify is a rule of a Reference: when the attribute When of the entity
// named goes from 0 or less (or null) to more than 0 (a variant back in
// stock; an entity created with more than 0 did not come back), the store
// records, for each entity naming it
// and each value of that entity's Strings attribute Each, one entity of
// type Into. The record's attribute OwnerAs holds the owner's id, EachAs
// the value; its attributes and relations named like the owner's carry the
// owner's values; created is the time of the change. Nothing leaves the
// emulator: the records are the emulator's own, shown by its control API.
type Notify struct {
	When, Into, Each, EachAs, OwnerAs string
}

// Embed returns the entity's embed named name.
func (e *Entity) Embed(name string) (*Embed, bool) {
	for i := range e.Embeds {
		if e.Embeds[i].Name == name {
			return &e.Embeds[i], true
		}
	}
	return nil, false
}

// checkRules reports what contradicts itself in e's embeds, merge rule and
// notify rules.
func (c *Catalog) checkRules(e *Entity) error {
	for i := range e.Attrs {
		if a := &e.Attrs[i]; a.In != "" {
			if _, ok := e.Embed(a.In); !ok {
				return fmt.Errorf("attribute %s is in unknown embed %s", a.Name, a.In)
			}
		}
	}
	for _, em := range e.Embeds {
		for _, name := range append(slices.Clip(em.Identity), em.ID) {
			if _, a, ok := e.Attr(name); name != "" && (!ok || a.In != em.Name) {
				return fmt.Errorf("embed %s names %s, not one of its attributes", em.Name, name)
			}
		}
	}
	if m := e.Merge; m != nil {
		if _, a, ok := e.Attr(m.Union); !ok || a.Type != Strings {
			return fmt.Errorf("merge unites %s, which is not a Strings attribute", m.Union)
		}
		for _, k := range m.Key {
			if _, _, isAttr := e.Attr(k); !isAttr {
				if r, isRel := e.Relation(k); !isRel || r.Many() {
					return fmt.Errorf("merge key %s is neither an attribute nor a to-one relation", k)
				}
			}
		}
	}
	for i := range e.Relations {
		if n := e.Relations[i].Notify; n != nil {
			if err := c.checkNotify(e, &e.Relations[i], n); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkNotify reports what contradicts itself in the notify rule n of
// relation r of e.
func (c *Catalog) checkNotify(e *Entity, r *Relation, n *Notify) error {
	target, into := c.byType[r.Target], c.byType[n.Into]
	switch {
	case r.Kind != Reference:
		return fmt.Errorf("relation %s notifies but is not a Reference", r.Name)
	case into == nil:
		return fmt.Errorf("relation %s notifies into %s, which is not declared", r.Name, n.Into)
	}
	if _, a, ok := target.Attr(n.When); !ok || (a.Type != Number && a.Type != Integer) {
		return fmt.Errorf("relation %s notifies on %s, not a number of %s", r.Name, n.When, target.Type)
	}
	if _, a, ok := e.Attr(n.Each); !ok || a.Type != Strings {
		return fmt.Errorf("relation %s notifies for each %s, not a Strings attribute", r.Name, n.Each)
	}
	for _, name := range []string{n.EachAs, n.OwnerAs} {
		if _, a, ok := into.Attr(name); !ok || a.Type != String {
			return fmt.Errorf("relation %s records into %s.%s, not a String attribute", r.Name, n.Into, name)
		}
	}
	return nil
}
