package handlers

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/klaviyo-mock/mockserver/internal/admin"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
)

// controlKey marks a request the control API serves on an account's
// behalf (its value is the account's key): it goes through the API's own
// routes and operations, so the control API reads and writes exactly what
// the API does, but it is neither rate-limited, nor faulted, nor
// journaled, nor authenticated.
type controlKey struct{}

// controlAccount returns the account key of a request the control API
// serves, if it is one.
func controlAccount(r *http.Request) (string, bool) {
	key, ok := r.Context().Value(controlKey{}).(string)
	return key, ok
}

// serveControl serves r, an /api request, for account key on behalf of
// the control API (see controlKey).
func (h *Handler) serveControl(w http.ResponseWriter, r *http.Request, key string) {
	h.controlRouter.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), controlKey{}, key)))
}

// controlRoutes builds the router serveControl uses: every API endpoint,
// without the middleware of the public router (the control API's own
// request has been observed and admitted already).
func (h *Handler) controlRoutes() chi.Router {
	r := chi.NewRouter()
	for _, res := range h.opts.Resources.All() {
		h.resourceRoutes(r, res, nil)
	}
	r.Handle("/api/*", http.HandlerFunc(h.pathNotFound))
	r.NotFound(h.pathNotFound)
	r.MethodNotAllowed(h.pathNotFound)
	return r
}

// buckets returns account key's rate-limit buckets: every operation's at
// the newest revision (its limits as --rate-limits and the scale make
// them), both windows as they stand, counting nothing; and whether rate
// limits are on.
func (h *Handler) buckets(key string) ([]admin.Bucket, bool) {
	pol := h.opts.RateLimits
	if pol.Off {
		return nil, false
	}
	all := h.opts.Resources.Revisions().All()
	newest := all[len(all)-1]
	var out []admin.Bucket
	seen := map[string]bool{}
	for _, ep := range h.opts.Resources.Endpoints() {
		o, ok := ep.At(newest)
		if !ok || seen[ep.Name()] {
			continue
		}
		seen[ep.Name()] = true
		d := h.opts.Limiter.Peek(limiter.Key{Account: key, Operation: ep.Name()}, pol.Apply(o.Limits))
		out = append(out, admin.Bucket{Operation: ep.Name(),
			Burst:  admin.Window{Limit: d.Burst.Limit, Remaining: d.Burst.Remaining, Reset: d.Burst.Reset},
			Steady: admin.Window{Limit: d.Steady.Limit, Remaining: d.Steady.Remaining, Reset: d.Steady.Reset}})
	}
	return out, true
}
