package handlers

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/cors"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
)

// Headers a browser may send to /api, and response headers it may read.
var (
	corsAllowedHeaders = []string{"Authorization", "revision", "Prefer", "Content-Type", "Accept",
		"Content-Encoding", revision.OptOutHeader}
	corsExposedHeaders = []string{headerLimit, headerRemaining, headerReset, headerRetryAfter, headerRevision, headerReqID}
)

// opHandlers are the shared operations, by op; each serves every resource
// that declares the op.
func (h *Handler) opHandlers() [resource.NumOps]opFunc {
	return [resource.NumOps]opFunc{
		resource.OpList:   h.list,
		resource.OpGet:    h.getOne,
		resource.OpCreate: h.create,
	}
}

// routes registers every resource of the registry: its collection path
// and its one-resource path, each with and without the trailing slash, and
// the methods its operations declare at any revision.
func (h *Handler) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(h.observe)

	r.Route(adminPrefix, h.adminRoutes)

	api := r.With(cors.Handler(cors.Options{
		AllowedOrigins: h.opts.CORSOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete, http.MethodHead, http.MethodOptions},
		AllowedHeaders: corsAllowedHeaders,
		ExposedHeaders: corsExposedHeaders,
		MaxAge:         600,
	}))
	fns := h.opHandlers()
	for _, res := range h.opts.Resources.All() {
		collection, one := methods{}, methods{}
		add := func(m methods, method string, op resource.Op) {
			if declares(res, op) && fns[op] != nil {
				m[method] = h.operation(res, op, fns[op])
			}
		}
		add(collection, http.MethodGet, resource.OpList)
		add(collection, http.MethodHead, resource.OpList)
		add(collection, http.MethodPost, resource.OpCreate)
		add(one, http.MethodGet, resource.OpGet)
		add(one, http.MethodHead, resource.OpGet)
		add(one, http.MethodPatch, resource.OpUpdate)
		add(one, http.MethodDelete, resource.OpDelete)
		if len(collection) > 0 {
			for _, p := range []string{res.Path(), res.Path() + "/"} {
				api.Handle(p, h.dispatch(collection))
			}
		}
		if len(one) > 0 {
			oneHandler := h.dispatch(one)
			param := res.IDParam
			for _, p := range []string{res.Path() + "/{" + param + "}", res.Path() + "/{" + param + "}/"} {
				api.Handle(p, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if chi.URLParam(r, param) == "" { // "…-jobs//" is no path of the API
						h.pathNotFound(w, r)
						return
					}
					oneHandler(w, r)
				}))
			}
		}
	}
	api.Handle("/api/*", http.HandlerFunc(h.pathNotFound))
	r.NotFound(h.pathNotFound)
	r.MethodNotAllowed(h.pathNotFound)
	return r
}

// declares reports whether res has op at some revision.
func declares(res *resource.Resource, op resource.Op) bool { return res.OpName(op) != "" }

// methods dispatches by HTTP method and answers OPTIONS and 405 itself.
type methods map[string]http.HandlerFunc

func (m methods) allow() []string {
	var out []string
	for _, k := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete, http.MethodHead} {
		if m[k] != nil {
			out = append(out, k)
		}
	}
	return append(out, http.MethodOptions)
}

func (h *Handler) dispatch(m methods) http.HandlerFunc {
	allow := m.allow()
	allowHeader := strings.Join(allow, ", ")
	return func(w http.ResponseWriter, r *http.Request) {
		// Klaviyo sends Allow on its answers, 429s included (observed).
		w.Header().Set("Allow", allowHeader)
		if fn := m[r.Method]; fn != nil {
			fn(w, r)
			return
		}
		if r.Method == http.MethodOptions {
			w.Header().Set("Content-Length", "0")
			w.WriteHeader(http.StatusOK)
			return
		}
		h.writeErrors(w, r, apierror.Style{Modern: true}, apierror.MethodNotAllowed(r.Method, allow))
	}
}

// pathNotFound answers any path the emulator does not serve, as Klaviyo's
// unknown-path 404 (spaced JSON, no source).
func (h *Handler) pathNotFound(w http.ResponseWriter, r *http.Request) {
	h.writeErrors(w, r, apierror.Style{Spaced: true}, apierror.PathNotFound(r.URL.Path))
}
