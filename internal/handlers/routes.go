package handlers

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/cors"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/revision"
)

// Paths served.
const (
	jobsPath = "/api/catalog-item-bulk-update-jobs"
	jobPath  = "/api/catalog-item-bulk-update-jobs/{job_id}"
)

// Headers a browser may send to /api, and response headers it may read.
var (
	corsAllowedHeaders = []string{"Authorization", "revision", "Prefer", "Content-Type", "Accept",
		"Content-Encoding", revision.OptOutHeader}
	corsExposedHeaders = []string{headerLimit, headerRemaining, headerReset, headerRetryAfter}
)

func (h *Handler) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(h.observe)

	r.Route(adminPrefix, h.adminRoutes)

	api := r.With(cors.Handler(cors.Options{
		AllowedOrigins: h.opts.CORSOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodHead, http.MethodOptions},
		AllowedHeaders: corsAllowedHeaders,
		ExposedHeaders: corsExposedHeaders,
		MaxAge:         600,
	}))
	collection := methods{
		http.MethodGet:  h.operation(revision.OpList, h.listJobs),
		http.MethodHead: h.operation(revision.OpList, h.listJobs),
		http.MethodPost: h.operation(revision.OpCreate, h.createJob),
	}
	one := methods{
		http.MethodGet:  h.operation(revision.OpGet, h.getJob),
		http.MethodHead: h.operation(revision.OpGet, h.getJob),
	}
	for _, p := range []string{jobsPath, jobsPath + "/"} {
		api.Handle(p, h.dispatch(collection))
	}
	oneHandler := h.dispatch(one)
	for _, p := range []string{jobPath, jobPath + "/"} {
		api.Handle(p, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if chi.URLParam(r, "job_id") == "" { // "…-jobs//" is no path of the API
				h.pathNotFound(w, r)
				return
			}
			oneHandler(w, r)
		}))
	}
	api.Handle("/api/*", http.HandlerFunc(h.pathNotFound))
	r.NotFound(h.pathNotFound)
	r.MethodNotAllowed(h.pathNotFound)
	return r
}

// methods dispatches by HTTP method and answers OPTIONS and 405 itself.
type methods map[string]http.HandlerFunc

func (m methods) allow() []string {
	var out []string
	for _, k := range []string{http.MethodGet, http.MethodPost, http.MethodHead} {
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
