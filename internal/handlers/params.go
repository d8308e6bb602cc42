package handlers

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/query"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// paramPageSize is page[size], accepted by catalog lists from 2026-04-15.
const paramPageSize = "page[size]"

// request is a parsed query string.
type request struct {
	params         query.Params
	terms          []query.Term
	cursor         query.Cursor
	hasCursor      bool
	size           int // 0: the default page size
	desc           bool
	fields         resource.FieldSet
	includedFields resource.FieldSet
	include        bool
}

// statuses returns the job statuses the filter allows.
func (q *request) statuses() store.StatusSet { return query.StatusFilter(q.terms) }

// parseQuery reads the query string of c for its endpoint at its revision
// (resource.Endpoint.Query says what it may hold). Every problem becomes
// one error; unknown parameters outside the JSON:API families (cache
// busters such as _=1) are ignored.
// revs are every revision, oldest first (for hints naming another).
func parseQuery(c *call, revs []*revision.Profile) (request, []*apierror.Error) {
	q := request{fields: resource.AllFields, includedFields: resource.AllFields}
	params, perr := query.Parse(c.r.URL.RawQuery)
	if perr != nil {
		return q, []*apierror.Error{perr}
	}
	q.params = params
	qp := queryParser{c: c, acc: c.ep.Query(c.p), typ: c.res.Type, revs: revs}
	if qp.acc.Fields != nil {
		qp.typ = qp.acc.Fields.Type
	}
	var errs []*apierror.Error
	for i, prm := range params {
		if laterDuplicate(params, i) {
			continue
		}
		if e := qp.param(&q, prm.Key, prm.Value); e != nil {
			errs = append(errs, e)
		}
	}
	return q, errs
}

// queryParser reads the parameters of one query string; each method is
// handed the *request to fill. Keep no *request here: held beside strings
// that error details send to the heap, it makes the request escape too
// (TestParseQuery_KeepsTheParsedRequestOnTheStack).
type queryParser struct {
	c    *call
	acc  resource.Query // what the query may hold
	typ  string         // the type the endpoint's errors name
	revs []*revision.Profile
}

// param reads one parameter, the last of its key, into q; it returns its
// problem, if any.
func (qp queryParser) param(q *request, key, v string) *apierror.Error {
	acc := qp.acc
	family, member, bracketed := query.Bracketed(key)
	switch {
	case key == query.ParamFilter:
		if acc.Filters == nil {
			return apierror.Invalid(key, "Filtering is not supported by this operation.")
		}
		var e *apierror.Error
		q.terms, e = query.ParseFilter(v, acc.Filters)
		return e
	case key == query.ParamCursor && acc.Cursor:
		var e *apierror.Error
		q.cursor, e = query.ParseCursorParam(v)
		q.hasCursor = e == nil
		return e
	case key == paramPageSize && acc.PageSize:
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > store.PageSize {
			return apierror.Invalidf(key, "'%s' is not a valid page size: page[size] must be an integer from 1 to %d.", v, store.PageSize)
		}
		q.size = n
	case bracketed && family == "filter":
		return apierror.Invalidf(key, "'%s' is not a valid parameter: filter with filter=%s.", key, filterExample(acc.Filters))
	case bracketed && family == "page":
		return apierror.UnsupportedQueryField("page_"+member, qp.typ).WithHint(qp.pageHint(member))
	case key == "sort":
		return qp.sort(q, key, v)
	case key == "include":
		if acc.Include == "" {
			return apierror.Invalidf(key, apierror.DetailInvalidInclude, v)
		}
		var e *apierror.Error
		q.include, e = query.ParseInclude(v, acc.Include)
		return e
	case bracketed && family == "fields":
		return parseFieldsParam(q, qp.c, acc, key, member, v)
	}
	return nil
}

// pageHint says how to page where page[member] is refused: page[size]
// from the first revision that takes it, or page[cursor].
func (qp queryParser) pageHint(member string) string {
	const cursor = "page with page[cursor]: follow each page's links.next."
	if member != "size" {
		return "This endpoint takes no page[" + member + "]; " + cursor
	}
	for _, p := range qp.revs {
		if _, ok := qp.c.ep.At(p); ok && p.Index > qp.c.p.Index && qp.c.ep.Query(p).PageSize {
			return fmt.Sprintf("page[size] is accepted from revision %s (this request was served at %s): send 'revision: %s' "+
				"or later, or %s", p.Date, qp.c.p.Date, p.Date, cursor)
		}
	}
	return "This endpoint takes no page[size] at any revision; " + cursor
}

// sort reads sort=v into q: one of the values the endpoint accepts, "-"
// first for the reverse order.
func (qp queryParser) sort(q *request, key, v string) *apierror.Error {
	switch {
	case qp.acc.Sorts == nil:
		return apierror.Invalidf(key, "Sorting is not supported by this operation: '%s' is not a valid sort field for the resource '%s'.",
			strings.TrimPrefix(v, "-"), qp.typ)
	case !slices.Contains(qp.acc.Sorts, v):
		return apierror.Invalidf(key, "'%s' is not a valid sort value for the resource '%s'; use one of %s.", v, qp.typ, strings.Join(qp.acc.Sorts, ", "))
	}
	q.desc = strings.HasPrefix(v, "-")
	return nil
}

// filterExample is a filter an endpoint accepts, for error details.
func filterExample(fields []resource.FilterField) string {
	if len(fields) == 0 {
		return "equals(status,'queued')"
	}
	return query.FilterExample(fields[0])
}

// parseFieldsParam reads fields[typ]: the endpoint's own type, or the
// included entities' type where include is accepted.
func parseFieldsParam(q *request, c *call, acc resource.Query, key, typ, v string) *apierror.Error {
	switch {
	case acc.Fields != nil && typ == acc.Fields.Type:
		fs, e := query.ParseFields(typ, v, acc.Fields.At(c.p).Fields, acc.Fields.Names())
		if e == nil {
			q.fields = fs.Set
		}
		return e
	case acc.Included != nil && typ == acc.Included.Type:
		fs, e := query.ParseFields(typ, v, acc.Included.At(c.p).Fields, acc.Included.Names())
		if e == nil {
			q.includedFields = fs.Set
		}
		return e
	case typ == c.res.Type || (c.res.Job != nil && typ == c.res.Job.Entity.Type) || (c.ep.Rel != nil && typ == c.ep.Rel.Target.Type):
		return apierror.Invalidf(key, "Sparse fieldsets for '%s' are not supported by this operation at revision %s.", typ, c.p.Date)
	}
	return apierror.Invalidf(key, "'%s' is not a valid resource type for sparse fieldsets on this endpoint.", typ).
		WithHint(fieldsTypeHint(acc, typ, v))
}

// fieldsTypeHint names the fields[…] parameter a client probably meant: the
// endpoint's sparse-fieldset type nearest to typ.
func fieldsTypeHint(acc resource.Query, typ, v string) string {
	var types []string
	for _, r := range []*resource.Resource{acc.Fields, acc.Included} {
		if r != nil {
			types = append(types, r.Type)
		}
	}
	if len(types) == 0 {
		return "This endpoint takes no sparse fieldsets at this revision."
	}
	return fmt.Sprintf("Sparse fieldsets are named by resource type (singular): did you mean fields[%s]=%s? "+
		"This endpoint takes fields[%s].", query.Nearest(typ, types), v, strings.Join(types, "], fields["))
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
