package payload

import (
	"fmt"
	"slices"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/codec"
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// ParseSubmission parses the body of a create that only enqueues (an
// entity whose ids the server makes: a back-in-stock subscription, on /api
// or /client) for the resource p at its revision:
// {"data": {"type", "attributes": {…, <embed>: {"data": {"type", "id"?,
// "attributes"}}}, "relationships": {<relation>: {"data": {"type", "id"}}}}}.
// What it accepts is the declaration's (attributes, embeds, the body
// relation, formats) with the profile's rules of the revision (choices,
// attributes dropped, what the spec requires or lets be null); whatever
// the spec marks optional, the entity needs what its embed identifies and
// the entity its relation names. The element's server-set attributes say
// through which API (Via) and at which revision (Revision) it came. It
// returns the element, or every problem found in document order.
func ParseSubmission(p *resource.Profile, body []byte) (store.Element, []*apierror.Error) {
	doc, err := jsonw.Decode(body)
	if err != nil {
		return store.Element{}, []*apierror.Error{apierror.Undecodable(err)}
	}
	s := &submission{validator: &validator{p: p}, d: p.Res.Entity.Decl}
	s.el.Values = *store.NewEntity(p.Res.Entity.Kind, "")
	if data, ok := s.data(doc); ok {
		s.resource(data)
	}
	if len(s.errs) > 0 {
		return store.Element{}, s.errs
	}
	s.serverValues()
	return s.el, nil
}

// submission is one enqueued create being read.
type submission struct {
	*validator
	d  *schema.Entity
	el store.Element
}

// resource reads data: its type, attributes and relationships.
func (s *submission) resource(node any) {
	obj, ok := s.object(node, "/data", "'data'")
	if !ok {
		return
	}
	s.expectType(obj, "/data", s.d.Type)
	for _, k := range obj.Keys {
		if k != "type" && k != "attributes" && k != "relationships" {
			s.fail("/data/"+escape(k), "'%s' is not a valid member of a %s to create.", k, s.d.Type)
		}
	}
	if node, ok := obj.Get("attributes"); !ok {
		s.fail("/data/attributes", "This field is required.")
	} else if attrs, ok := s.object(node, "/data/attributes", "'attributes'"); ok {
		s.attributes(attrs, "/data/attributes")
	}
	s.relationships(obj)
}

// attributes reads the body's own attributes and its embeds.
func (s *submission) attributes(attrs *jsonw.Object, pointer string) {
	for _, k := range attrs.Keys {
		p := pointer + "/" + escape(k)
		val, _ := attrs.Get(k)
		if em, ok := s.d.Embed(k); ok {
			s.embed(em, val, p)
			continue
		}
		i, a, ok := s.d.Attr(k)
		if !ok || a.In != "" || !a.Settable() || slices.Contains(s.p.Dropped, k) {
			s.fail(p, apierror.DetailInvalidField, k, s.d.Type)
			continue
		}
		s.value(i, a, val, p)
	}
	for i := range s.d.Attrs {
		if a := &s.d.Attrs[i]; a.In == "" && a.Create == schema.Required {
			if _, ok := attrs.Get(a.Name); !ok {
				s.fail(pointer+"/"+a.Name, "'%s' is a required field for the resource '%s'.", a.Name, s.d.Type)
			}
		}
	}
	for i := range s.d.Embeds {
		if em := &s.d.Embeds[i]; !has(attrs, em.Name) {
			s.missingEmbed(em, pointer+"/"+em.Name)
		}
	}
}

func has(obj *jsonw.Object, k string) bool { _, ok := obj.Get(k); return ok }

// value reads attribute i (a) from val at p: its type, the values the
// revision allows, its format.
func (s *submission) value(i int, a *schema.Attr, val any, p string) {
	if val == nil {
		switch {
		case a.Create == schema.Required:
			s.fail(p, "This field may not be null.")
		case !s.p.NullableBodyAttributes:
			s.fail(p, "This field may not be null at revision %s.", s.p.Date)
		}
		return
	}
	if probs := codec.SetAttr(&s.el.Values, i, val); len(probs) > 0 {
		for _, pr := range probs {
			s.fail(p+pr.Pointer, "%s", pr.Detail)
		}
		return
	}
	before := len(s.errs)
	if allowed, ok := s.p.Choices[a.Name]; ok {
		list, _ := s.el.Values.Strings(i)
		if str, isStr := s.el.Values.Str(i); isStr {
			list = []string{str}
		}
		for j, v := range list {
			if !slices.Contains(allowed, v) {
				at := p
				if a.Type == schema.Strings {
					at = fmt.Sprintf("%s/%d", p, j)
				}
				s.fail(at, "'%s' is not a valid choice for '%s'.", v, a.Name)
			}
		}
	}
	if str, ok := s.el.Values.Str(i); ok && !a.Format.Accepts(str) {
		s.fail(p, "%s", apierror.FormatDetail(a.Format))
	}
	if len(s.errs) == before {
		s.el.Set = s.el.Set.With(i)
	}
}

// serverValues sets the attributes the server sets on a create: the API
// it came through and the revision that served it.
func (s *submission) serverValues() {
	via := "api"
	if s.p.Res.Client {
		via = "client"
	}
	for i, a := range s.d.Attrs {
		switch a.Role {
		case schema.Via:
			s.el.Values.Set(i, store.StrPtr(via))
		case schema.Revision:
			s.el.Values.Set(i, store.StrPtr(s.p.Date))
		default:
			continue
		}
		s.el.Set = s.el.Set.With(i)
	}
}

// words is a type as a sentence writes it ("back in stock subscription").
func words(typ string) string { return strings.ReplaceAll(typ, "-", " ") }

// orList writes names as "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
