package payload

import (
	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/codec"
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// embed reads an embedded resource at p (a subscription's profile):
// {"data": {"type", "id"?, "attributes": {…}}}, its members kept as the
// entity's attributes declared in it, then checks that it sets one of its
// identity attributes.
func (s *submission) embed(em *schema.Embed, val any, p string) {
	if val == nil {
		if s.p.EmbedNullable {
			s.missingEmbed(em, p) // the spec lets it be null; the emulator still needs it
			return
		}
		s.fail(p, "'%s' may not be null.", em.Name)
		return
	}
	obj, ok := s.object(val, p, "'"+em.Name+"'")
	if !ok {
		return
	}
	s.onlyData(obj, p, em.Name)
	dataNode, present := obj.Get("data")
	if !present {
		s.fail(p+"/data", "This field is required.")
		return
	}
	data, ok := s.object(dataNode, p+"/data", "'"+em.Name+".data'")
	if !ok {
		return
	}
	before := len(s.errs)
	s.expectType(data, p+"/data", em.Type)
	for _, k := range data.Keys {
		if k != "type" && k != "attributes" && (k != "id" || em.ID == "") {
			s.fail(p+"/data/"+escape(k), "'%s' is not a valid member of a %s.", k, em.Type)
		}
	}
	if idNode, ok := data.Get("id"); ok && em.ID != "" && idNode != nil {
		i, a, _ := s.d.Attr(em.ID)
		s.value(i, a, idNode, p+"/data/id")
	}
	if node, ok := data.Get("attributes"); !ok {
		s.fail(p+"/data/attributes", "This field is required.")
	} else if attrs, ok := s.object(node, p+"/data/attributes", "'attributes'"); ok {
		s.embedAttributes(em, attrs, p+"/data/attributes")
	}
	if len(s.errs) == before && !s.identified(em) {
		s.fail(p, "A %s needs a %s to notify: send %s in attributes.%s.data.attributes.",
			words(s.d.Type), em.Type, orList(em.Identity), em.Name)
	}
}

// embedAttributes reads the members of an embed's data.attributes: the
// entity's attributes declared in it (not its id), and those it ignores.
func (s *submission) embedAttributes(em *schema.Embed, attrs *jsonw.Object, p string) {
	for _, k := range attrs.Keys {
		at := p + "/" + escape(k)
		if contains(em.Ignored, k) {
			continue // the spec's own example sends them
		}
		i, a, ok := s.d.Attr(k)
		if !ok || a.In != em.Name || k == em.ID || contains(s.p.Dropped, k) {
			s.fail(at, apierror.DetailInvalidField, k, em.Type)
			continue
		}
		val, _ := attrs.Get(k)
		s.value(i, a, val, at)
	}
}

// identified reports whether the element sets one of em's identity
// attributes to a non-empty value.
func (s *submission) identified(em *schema.Embed) bool {
	for _, name := range em.Identity {
		if i, _, ok := s.d.Attr(name); ok && s.el.Set.Has(i) {
			if v, ok := s.el.Values.Str(i); ok && v != "" {
				return true
			}
		}
	}
	return false
}

// missingEmbed is the answer to a body without em: a required field where
// the spec says so, else what the emulator needs.
func (s *submission) missingEmbed(em *schema.Embed, p string) {
	if s.p.EmbedRequired {
		s.fail(p, "'%s' is a required field for the resource '%s'.", em.Name, s.d.Type)
		return
	}
	s.fail(p, "A %s needs a %s to notify: send attributes.%s.data {type: '%s', attributes} with %s.",
		words(s.d.Type), em.Type, em.Name, em.Type, orList(em.Identity))
}

// relationships reads the body relation (a subscription's variant): its
// one identifier, any integration's id of its target type, which need not
// exist.
func (s *submission) relationships(obj *jsonw.Object) {
	r, ok := s.d.BodyRelation()
	if !ok {
		if has(obj, "relationships") {
			s.fail("/data/relationships", "'relationships' is not a valid member of a %s to create.", s.d.Type)
		}
		return
	}
	p := "/data/relationships/" + r.Name
	node, present := obj.Get("relationships")
	if !present {
		s.missingRelation(r, "/data/relationships", "relationships")
		return
	}
	rels, ok := s.object(node, "/data/relationships", "'relationships'")
	if !ok {
		return
	}
	for _, k := range rels.Keys {
		if k != r.Name {
			s.fail("/data/relationships/"+escape(k), "'%s' is not a valid relationship of a %s.", k, s.d.Type)
		}
	}
	relNode, present := rels.Get(r.Name)
	if !present {
		s.missingRelation(r, p, r.Name)
		return
	}
	rel, ok := s.object(relNode, p, "'"+r.Name+"'")
	if !ok {
		return
	}
	s.onlyData(rel, p, r.Name)
	data, _ := rel.Get("data")
	if data == nil {
		s.fail(p+"/data", "A %s needs the id of the %s it is for in relationships.%s.data {type: '%s', id}.",
			words(s.d.Type), words(r.Target), r.Name, r.Target)
		return
	}
	if id, ok := s.anyID(data, p+"/data", r.Target); ok {
		s.el.Related, s.el.HasRelated = []string{id}, true
	}
}

// missingRelation is the answer to a body without its relation (or
// without relationships, member): a required field where the spec says so,
// else what the emulator needs.
func (s *submission) missingRelation(r *schema.Relation, p, member string) {
	if s.p.BodyRelRequired {
		s.fail(p, "'%s' is a required field for the resource '%s'.", member, s.d.Type)
		return
	}
	s.fail("/data/relationships/"+r.Name, "A %s needs the %s it is for: send relationships.%s.data {type: '%s', id} "+
		"(revision %s's spec marks it optional, but nothing can be subscribed to without it).",
		words(s.d.Type), words(r.Target), r.Name, r.Target, s.p.Date)
}

// anyID reads a resource identifier {type, id} of type typ whose id is any
// integration's catalog id ("integrationType:::catalogId:::externalId").
func (s *submission) anyID(node any, p, typ string) (string, bool) {
	obj, ok := s.object(node, p, "A "+typ+" identifier")
	if !ok {
		return "", false
	}
	before := len(s.errs)
	s.expectType(obj, p, typ)
	idNode, _ := obj.Get("id")
	id, isStr := idNode.(string)
	switch {
	case idNode == nil:
		s.fail(p+"/id", "This field is required.")
	case !isStr:
		s.fail(p+"/id", "A %s id must be a string, got %s.", typ, codec.Kind(idNode))
	case !schema.ValidAnyCatalogID(id):
		s.fail(p+"/id", "'%s' is not a valid %s id: expected 'integrationType:::catalogId:::externalId' "+
			"(this catalog's are '%s<external_id>').", id, typ, store.IDPrefix)
	}
	return id, len(s.errs) == before
}

// onlyData refuses each member of obj other than data: an embedded
// resource and a relationship are sent as {"data": …} alone. p is obj's
// JSON pointer in the document and name the member of its parent that
// holds it (the embedded resource's or the relationship's name), which the
// error names.
func (s *submission) onlyData(obj *jsonw.Object, p, name string) {
	for _, k := range obj.Keys {
		if k != "data" {
			s.fail(p+"/"+escape(k), "'%s' is not a valid member of '%s'; send its 'data'.", k, name)
		}
	}
}
