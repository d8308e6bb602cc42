package handlers

import (
	"net/http"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/resource"
)

// route serves a request on one of the API's paths; id is the path's id
// segment, percent-decoded ("" on a collection's path).
type route func(w http.ResponseWriter, r *http.Request, id string)

// fastRoutes finds the route chi would choose for the API's reads, by
// resource name, without chi's cost per request: a copy of the request
// with a context of its own, and a map of path values (four allocations),
// besides the walk of its tree. It answers only what it is sure of: a GET
// or HEAD, sent without an Origin (a browser's request goes through CORS,
// under chi), of a path without escapes (chi then matches the escaped
// path) that is one of the paths registered for it, with or without the
// trailing slash; every other request is chi's. Both give the request to
// the same route, so the answers are the same
// (FuzzFastRoutes_AnswerAsChi).
type fastRoutes map[string]*fastResource

// fastResource is one resource's routes: its collection, one resource,
// and by relation name its related lists and relationship endpoints (nil:
// no such path).
type fastResource struct {
	collection, one        route
	related, relationships map[string]route
}

// at returns the routes of res to fill in, or nil when f is nil or res's
// name is not one path segment.
func (f fastRoutes) at(res *resource.Resource) *fastResource {
	if f == nil || res.Name == "" || strings.Contains(res.Name, "/") {
		return nil
	}
	fr := f[res.Name]
	if fr == nil {
		fr = &fastResource{related: map[string]route{}, relationships: map[string]route{}}
		f[res.Name] = fr
	}
	return fr
}

// set gives fr (nil: no one) its collection's and one resource's routes.
func (fr *fastResource) set(collection, one route) {
	if fr != nil {
		fr.collection, fr.one = collection, one
	}
}

// setRelation gives fr (nil: no one) a relation's related list and
// relationship endpoint (nil: no such path).
func (fr *fastResource) setRelation(name string, related, relationships route) {
	if fr == nil {
		return
	}
	if related != nil {
		fr.related[name] = related
	}
	if relationships != nil {
		fr.relationships[name] = relationships
	}
}

// match returns r's route and the id its path names, or false when r is
// chi's to route; browser reports whether r names an Origin.
func (f fastRoutes) match(r *http.Request, browser bool) (route, string, bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead || r.URL.RawPath != "" {
		return nil, "", false
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/api/")
	if !ok {
		return nil, "", false
	}
	if browser {
		return nil, "", false
	}
	rest = strings.TrimSuffix(rest, "/") // each path is registered with and without it
	name, rest, more := strings.Cut(rest, "/")
	fr := f[name]
	if fr == nil {
		return nil, "", false
	}
	if !more {
		return fr.collection, "", fr.collection != nil
	}
	id, rest, more := strings.Cut(rest, "/")
	if id == "" {
		return nil, "", false // "…-jobs//" is no path of the API
	}
	if !more {
		return fr.one, id, fr.one != nil
	}
	seg, rest, more := strings.Cut(rest, "/")
	var rt route
	switch {
	case !more:
		rt = fr.related[seg]
	case seg == "relationships" && !strings.Contains(rest, "/"):
		rt = fr.relationships[rest]
	}
	return rt, id, rt != nil
}

// serveRouted routes r: by h.fast when it can, else by chi.
func (h *Handler) serveRouted(w http.ResponseWriter, r *http.Request) {
	if rt, id, ok := h.fast.match(r, observedOf(w).fromBrowser(r)); ok {
		varyOrigin(w.Header()) // all the CORS middleware does for a request without an Origin
		rt(w, r, id)
		return
	}
	h.router.ServeHTTP(w, r)
}
