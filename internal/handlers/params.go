package handlers

import (
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/query"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// accepts says which query parameters an operation reads.
type accepts struct {
	filter, cursor bool
	// fields: fields[<own type>]; include: the related entities (with
	// fields[<their type>]).
	fields, include bool
}

// accepted returns what the operation of c accepts at its revision.
func accepted(c *call) accepts {
	switch c.op {
	case resource.OpList:
		return accepts{filter: true, cursor: true, fields: true}
	case resource.OpGet:
		return accepts{fields: true, include: c.res.Job != nil && c.res.Job.Include}
	}
	return accepts{fields: c.p.WriteFields}
}

// request is a parsed query string.
type request struct {
	params         query.Params
	statuses       store.StatusSet
	cursor         query.Cursor
	hasCursor      bool
	fields         resource.FieldSet
	includedFields resource.FieldSet
	include        bool
}

// parseQuery reads the query string of c for its operation. Every problem
// becomes one error; unknown parameters outside the JSON:API families
// (cache busters such as _=1) are ignored.
func parseQuery(c *call) (request, []*apierror.Error) {
	q := request{statuses: store.AllStatuses, fields: resource.AllFields, includedFields: resource.AllFields}
	params, perr := query.Parse(c.r.URL.RawQuery)
	if perr != nil {
		return q, []*apierror.Error{perr}
	}
	q.params = params
	acc := accepted(c)
	var errs []*apierror.Error
	add := func(e *apierror.Error) {
		if e != nil {
			errs = append(errs, e)
		}
	}
	for i, prm := range params {
		if laterDuplicate(params, i) {
			continue
		}
		key, v := prm.Key, prm.Value
		family, member, bracketed := query.Bracketed(key)
		switch {
		case key == query.ParamFilter:
			if !acc.filter {
				add(apierror.Invalid(key, "Filtering is not supported by this operation."))
				continue
			}
			var e *apierror.Error
			q.statuses, e = query.ParseFilter(v)
			add(e)
		case key == query.ParamCursor && acc.cursor:
			var e *apierror.Error
			q.cursor, e = query.ParseCursorParam(v)
			q.hasCursor = e == nil
			add(e)
		case bracketed && family == "filter":
			add(apierror.Invalidf(key, "'%s' is not a valid parameter: filter with filter=equals(status,'queued').", key))
		case bracketed && family == "page":
			add(apierror.UnsupportedQueryField("page_"+member, c.res.Type))
		case key == "sort":
			add(apierror.Invalidf(key, "Sorting is not supported by this operation: '%s' is not a valid sort field for the resource '%s'.",
				strings.TrimPrefix(v, "-"), c.res.Type))
		case key == "include":
			if !acc.include {
				add(apierror.Invalidf(key, apierror.DetailInvalidInclude, v))
				continue
			}
			rel := c.res.Job.Kind.Entity().Plural()
			inc, e := query.ParseInclude(v, rel)
			q.include = inc[rel]
			add(e)
		case bracketed && family == "fields":
			add(parseFieldsParam(&q, c, acc, key, member, v))
		}
	}
	return q, errs
}

// parseFieldsParam reads fields[typ]: the operation's own type, or the
// included entities' type where include is accepted.
func parseFieldsParam(q *request, c *call, acc accepts, key, typ, v string) *apierror.Error {
	var related *resource.Resource
	if c.res.Job != nil {
		related = c.res.Job.Entity
	}
	switch {
	case typ == c.res.Type && acc.fields:
		fs, e := query.ParseFields(typ, v, c.rp.Fields, c.res.Names())
		if e == nil {
			q.fields = fs.Set
		}
		return e
	case related != nil && typ == related.Type && acc.include:
		fs, e := query.ParseFields(typ, v, related.At(c.p).Fields, related.Names())
		if e == nil {
			q.includedFields = fs.Set
		}
		return e
	case typ == c.res.Type || (related != nil && typ == related.Type):
		return apierror.Invalidf(key, "Sparse fieldsets for '%s' are not supported by this operation at revision %s.", typ, c.p.Date)
	}
	return apierror.Invalidf(key, "'%s' is not a valid resource type for sparse fieldsets on this endpoint.", typ)
}

// laterDuplicate reports whether a later parameter has the same key (the
// last one wins, as with Django's QueryDict.get).
func laterDuplicate(ps query.Params, i int) bool {
	for _, p := range ps[i+1:] {
		if p.Key == ps[i].Key {
			return true
		}
	}
	return false
}
