package handlers

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/cors"

	"github.com/klaviyo-mock/mockserver/internal/admin"
	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/httpx"
	"github.com/klaviyo-mock/mockserver/internal/images"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
)

// Headers a browser may send to /api, and response headers it may read.
var (
	corsAllowedHeaders = []string{"Authorization", "revision", "Prefer", "Content-Type", "Accept",
		"Content-Encoding", revision.OptOutHeader}
	corsExposedHeaders = []string{headerLimit, headerRemaining, headerReset, headerRetryAfter, headerRevision, headerReqID}
)

// opFunc returns the shared operation serving an endpoint: job resources
// and catalog entities each have one implementation per op, driven by the
// registry.
func (h *Handler) opFunc(ep resource.Endpoint) opFunc {
	if ep.Res.Job != nil {
		return [resource.NumOps]opFunc{resource.OpList: h.list, resource.OpGet: h.getOne, resource.OpCreate: h.create}[ep.Op]
	}
	if ep.Res.Entity.Enqueue {
		return [resource.NumOps]opFunc{resource.OpCreate: h.entitySubmit}[ep.Op]
	}
	return [resource.NumOps]opFunc{
		resource.OpList:      h.entityList,
		resource.OpGet:       h.entityGet,
		resource.OpCreate:    h.entityWrite,
		resource.OpUpdate:    h.entityWrite,
		resource.OpDelete:    h.entityDelete,
		resource.OpRelated:   h.entityList,
		resource.OpRelIDs:    h.entityList,
		resource.OpRelAdd:    h.relationshipWrite,
		resource.OpRelSet:    h.relationshipWrite,
		resource.OpRelRemove: h.relationshipWrite,
	}[ep.Op]
}

// routes builds the one router: the control API mounted at admin.Prefix,
// and every endpoint of the registry, each path with and without the
// trailing slash, with the methods its operations declare at any revision;
// the API's reads are also found in h.fast, which it fills. Every request
// goes through clientOrigins and observe first, in that order (see New).
func (h *Handler) routes() chi.Router {
	r := chi.NewRouter()
	h.fast = fastRoutes{}

	r.Route(admin.Prefix, h.admin.Routes)
	r.Handle(images.Prefix+"*", images.Handler())

	api := r.With(browsersOnly(cors.Handler(cors.Options{
		AllowedOrigins: h.opts.CORSOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete, http.MethodHead, http.MethodOptions},
		AllowedHeaders: corsAllowedHeaders,
		ExposedHeaders: corsExposedHeaders,
		MaxAge:         600,
	})))
	client := r.With(clientPreflight(h.clientMethods()))
	for _, res := range h.opts.Resources.All() {
		if res.Client {
			h.resourceRoutes(client, res, nil)
			continue
		}
		h.resourceRoutes(api, res, h.fast.at(res))
	}
	api.Handle("/api/*", http.HandlerFunc(h.pathNotFound))
	client.Handle(clientPrefix+"*", http.HandlerFunc(h.pathNotFound))
	r.NotFound(h.pathNotFound)
	r.MethodNotAllowed(h.pathNotFound)
	return r
}

// fromBrowser reports whether r names an Origin: a browser's request,
// which goes through CORS.
func fromBrowser(r *http.Request) bool {
	_, ok := r.Header[keyOrigin]
	return ok
}

// browsersOnly runs the CORS middleware mw for requests that carry an
// Origin. To any other request (not a browser's; a preflight has one) mw
// only adds Vary: Origin, which this does itself, with a shared value and
// without the header key's canonicalisation: most requests are not a
// browser's.
func browsersOnly(mw func(http.Handler) http.Handler) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		withCORS := mw(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if fromBrowser(r) {
				withCORS.ServeHTTP(w, r)
				return
			}
			varyOrigin(w.Header())
			next.ServeHTTP(w, r)
		})
	}
}

// varyOriginValue is the Vary value varyOrigin sets: shared, never
// modified (an Add appends to a copy).
var varyOriginValue = []string{"Origin"}

// varyOrigin adds Origin to hd's Vary, as go-chi/cors does to a request
// without an Origin, without the key's canonicalisation.
func varyOrigin(hd http.Header) {
	if vs := hd["Vary"]; len(vs) > 0 {
		hd["Vary"] = append(vs, "Origin")
	} else {
		hd["Vary"] = varyOriginValue
	}
}

// handle registers the methods m serve on path and path + "/" and returns
// their route (none: no route, nil); param is the path's id parameter,
// which must not be empty.
func (h *Handler) handle(api chi.Router, path string, m methods, param string) route {
	if len(m) == 0 {
		return nil
	}
	fn := h.dispatch(m)
	for _, p := range []string{path, path + "/"} {
		api.Handle(p, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := ""
			if param != "" {
				if chi.URLParam(r, param) == "" { // "…-jobs//" is no path of the API
					h.pathNotFound(w, r)
					return
				}
				id = httpx.PathParam(r, param)
			}
			fn(w, r, id)
		}))
	}
	return fn
}

// resourceRoutes registers res's endpoints: its collection and one
// resource, and for each relation its related list and relationship
// endpoint; fast (nil: none) is given the same routes.
func (h *Handler) resourceRoutes(api chi.Router, res *resource.Resource, fast *fastResource) {
	collection, one := methods{}, methods{}
	h.add(collection, res, nil, resource.OpList, resource.OpCreate)
	h.add(one, res, nil, resource.OpGet, resource.OpUpdate, resource.OpDelete)
	idPath := res.Path() + "/{" + res.IDParam + "}"
	fast.set(h.handle(api, res.Path(), collection, ""), h.handle(api, idPath, one, res.IDParam))
	for _, rel := range res.Relations {
		related, rels := methods{}, methods{}
		h.add(related, res, rel, resource.OpRelated)
		h.add(rels, res, rel, resource.OpRelIDs, resource.OpRelAdd, resource.OpRelSet, resource.OpRelRemove)
		fast.setRelation(rel.Name, h.handle(api, idPath+"/"+rel.Name, related, res.IDParam),
			h.handle(api, idPath+"/relationships/"+rel.Name, rels, res.IDParam))
	}
	if len(res.Relations) == 0 {
		return
	}
	// Up to 2023-01-24 the relationship endpoints were one path,
	// /relationships/{related_resource}; any other value is refused, before
	// the query or the body is read.
	generic := methods{}
	for _, op := range []resource.Op{resource.OpRelIDs, resource.OpRelAdd, resource.OpRelSet, resource.OpRelRemove} {
		ep := resource.Endpoint{Res: res, Rel: res.Relations[len(res.Relations)-1], Op: op}
		generic[opMethod[op]] = h.pipeline(ep, h.unknownRelation, false)
		if op == resource.OpRelIDs {
			generic[http.MethodHead] = generic[http.MethodGet]
		}
	}
	// Kept out of h.fast (its route is not taken): unknownRelation reads
	// related_resource from chi's context, which a fast-routed read has not.
	h.handle(api, idPath+"/relationships/{related_resource}", generic, res.IDParam)
}

// clientMethods lists the methods the /client routes serve, for CORS
// preflights: those of the /client resources' operations, and OPTIONS.
func (h *Handler) clientMethods() string {
	served := map[string]bool{}
	for _, res := range h.opts.Resources.All() {
		for op := resource.OpList; op <= resource.OpDelete && res.Client; op++ {
			if ep := (resource.Endpoint{Res: res, Op: op}); ep.Declared() && h.opFunc(ep) != nil {
				served[opMethod[op]] = true
			}
		}
	}
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete} {
		if served[m] {
			out = append(out, m)
		}
	}
	return strings.Join(append(out, http.MethodOptions), ", ")
}

// opMethod is the HTTP method of each op.
var opMethod = [resource.NumOps]string{
	resource.OpList: http.MethodGet, resource.OpGet: http.MethodGet, resource.OpCreate: http.MethodPost,
	resource.OpUpdate: http.MethodPatch, resource.OpDelete: http.MethodDelete, resource.OpRelated: http.MethodGet,
	resource.OpRelIDs: http.MethodGet, resource.OpRelAdd: http.MethodPost, resource.OpRelSet: http.MethodPatch,
	resource.OpRelRemove: http.MethodDelete,
}

// add registers the ops of res (or of its relation rel) that it declares
// at some revision in m, by method; reads answer HEAD too.
func (h *Handler) add(m methods, res *resource.Resource, rel *resource.Relation, ops ...resource.Op) {
	for _, op := range ops {
		ep := resource.Endpoint{Res: res, Rel: rel, Op: op}
		fn := h.opFunc(ep)
		if !ep.Declared() || fn == nil {
			continue
		}
		m[opMethod[op]] = h.operation(ep, fn)
		if opMethod[op] == http.MethodGet {
			m[http.MethodHead] = m[http.MethodGet]
		}
	}
}

// methods dispatches by HTTP method and answers OPTIONS and 405 itself.
type methods map[string]route

func (m methods) allow() []string {
	var out []string
	for _, k := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete, http.MethodHead} {
		if m[k] != nil {
			out = append(out, k)
		}
	}
	return append(out, http.MethodOptions)
}

func (h *Handler) dispatch(m methods) route {
	allow := m.allow()
	allowHeader := []string{strings.Join(allow, ", ")} // shared, never modified
	return func(w http.ResponseWriter, r *http.Request, id string) {
		// Klaviyo sends Allow on its answers, 429s included (observed).
		w.Header()[keyAllow] = allowHeader
		if fn := m[r.Method]; fn != nil {
			fn(w, r, id)
			return
		}
		if r.Method == http.MethodOptions {
			w.Header().Set("Content-Length", "0")
			w.WriteHeader(http.StatusOK)
			return
		}
		h.errs.Write(w, apierror.Style{Modern: true}, apierror.MethodNotAllowed(r.Method, allow))
	}
}

// pathNotFound answers any path the emulator does not serve, as Klaviyo's
// unknown-path 404 (spaced JSON, no source; a control path's account key
// shown by its fingerprint).
func (h *Handler) pathNotFound(w http.ResponseWriter, r *http.Request) {
	h.errs.Write(w, apierror.Style{Spaced: true}, apierror.PathNotFound(admin.ShownPath(r)))
}
