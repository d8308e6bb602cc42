package handlers

import (
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/query"
	"github.com/klaviyo-mock/mockserver/internal/render"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// accepts says which query parameters an operation reads.
type accepts struct {
	filter, cursor, jobFields, itemFields, include bool
}

// accepted returns what operation op accepts at profile p.
func accepted(op revision.Op, p *revision.Profile) accepts {
	switch op {
	case revision.OpList:
		return accepts{filter: true, cursor: true, jobFields: true}
	case revision.OpGet:
		return accepts{jobFields: true, itemFields: true, include: true}
	}
	return accepts{jobFields: p.CreateFields}
}

// request is a parsed query string.
type request struct {
	params     query.Params
	statuses   store.StatusSet
	cursor     query.Cursor
	hasCursor  bool
	jobFields  revision.FieldSet
	itemFields revision.FieldSet
	include    bool
}

// parseQuery reads the query string of c for its operation. Every problem
// becomes one error; unknown parameters outside the JSON:API families
// (cache busters such as _=1) are ignored.
func parseQuery(c *call) (request, []*apierror.Error) {
	q := request{statuses: store.AllStatuses, jobFields: render.AllFields, itemFields: render.AllFields}
	params, perr := query.Parse(c.r.URL.RawQuery)
	if perr != nil {
		return q, []*apierror.Error{perr}
	}
	q.params = params
	acc := accepted(c.op, c.p)
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
			add(apierror.UnsupportedQueryField("page_"+member, revision.TypeJob))
		case key == "sort":
			add(apierror.Invalidf(key, "Sorting is not supported by this operation: '%s' is not a valid sort field for the resource '%s'.",
				strings.TrimPrefix(v, "-"), revision.TypeJob))
		case key == "include":
			if !acc.include {
				add(apierror.Invalidf(key, apierror.DetailInvalidInclude, v))
				continue
			}
			inc, e := query.ParseInclude(v, "items")
			q.include = inc["items"]
			add(e)
		case bracketed && family == "fields":
			add(parseFieldsParam(&q, acc, c.p, key, member, v))
		}
	}
	return q, errs
}

func parseFieldsParam(q *request, acc accepts, p *revision.Profile, key, typ, v string) *apierror.Error {
	switch {
	case typ == revision.TypeJob && acc.jobFields:
		fs, e := query.ParseFields(typ, v, p.JobFields, revision.JobFieldNames())
		if e == nil {
			q.jobFields = fs.Set
		}
		return e
	case typ == revision.TypeItem && acc.itemFields:
		fs, e := query.ParseFields(typ, v, p.ItemFields, revision.ItemFieldNames())
		if e == nil {
			q.itemFields = fs.Set
		}
		return e
	case typ == revision.TypeJob || typ == revision.TypeItem:
		return apierror.Invalidf(key, "Sparse fieldsets for '%s' are not supported by this operation at revision %s.", typ, p.Date)
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
