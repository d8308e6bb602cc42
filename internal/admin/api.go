// Package admin is the control API (/__admin): it lets tests reset, seed,
// inspect and steer the emulator. It is JSON in and out, never
// rate-limited, throttled or journaled, has no CORS headers and refuses
// browser-originated requests (an Origin header) unless the origin is
// allowed, and requests sent to a Host that is neither loopback nor listed.
// The API handlers' router mounts its routes under Prefix.
package admin

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/faults"
	"github.com/klaviyo-mock/mockserver/internal/httpx"
	"github.com/klaviyo-mock/mockserver/internal/journal"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Prefix starts every control API path.
const Prefix = "/__admin"

// contentJSON is the control API's content type.
const contentJSON = "application/json"

// Control API bodies are decoded into states and then store values, which
// take more memory per byte than an API document: Inflation is the memory
// one byte of a control API body takes once decoded, and MaxBody caps a
// body whatever the memory budget.
const (
	Inflation = 8
	MaxBody   = 64 << 20
)

// Control is what the control API needs from the server beyond the state
// it is given.
type Control interface {
	// Reset returns every account to its seeded state, with seed and jobs
	// when given (the configured ones when seed is 0 or jobs nil), and
	// clears rate counters, fault rules, the journal and the clock.
	Reset(seed uint64, jobs *int) error
	// Snapshot saves the state file and returns its path.
	Snapshot() (string, error)
}

// ResetError is a reset the server refused, about one member of the
// request (a JSON pointer).
type ResetError struct {
	Member, Detail string
}

// Error implements error: the member, then what is wrong with it.
func (e *ResetError) Error() string { return e.Member + ": " + e.Detail }

// Options are what the control API steers and reports on.
type Options struct {
	Store     *store.Store
	Clock     *clock.Clock
	Revisions *revision.Table
	// Resources are the resources the API serves, which GET
	// /__admin/catalog describes (nil: no such route).
	Resources *resource.Registry
	Limiter   *limiter.Limiter
	Faults    *faults.Set
	Journal   *journal.Journal
	// Control carries out the server-wide operations (nil: none).
	Control Control
	// Origins are the browser origins allowed to call the control API; a
	// request carrying another Origin is refused.
	Origins []string
	// Hosts are the Host names it answers besides loopback ("*": any), so
	// a page cannot reach it through DNS rebinding; the PublicURL host is
	// answered too.
	Hosts     []string
	PublicURL string
	// Errors writes its error documents (one id sequence with the API's).
	Errors *httpx.Errors
	// Bodies admits request bodies; control API bodies take Inflation
	// bytes of its allowance per byte.
	Bodies *httpx.Bodies
	// CacheStats reports the API's render caches, for /health.
	CacheStats func() map[string]int64
	// Stopping is closed when the server begins to shut down: an export
	// in progress is cut then.
	Stopping <-chan struct{}
	// ServeAPI serves an /api request for account key on the control API's
	// behalf: not rate-limited, faulted, journaled or authenticated (nil:
	// no such route).
	ServeAPI func(w http.ResponseWriter, r *http.Request, key string)
	// Buckets returns an account's rate-limit buckets and whether rate
	// limits are on (nil: not shown).
	Buckets func(key string) ([]Bucket, bool)
}

// API is the control API.
type API struct {
	o   Options
	cat catalogOnce
}

// New returns the control API of o.
func New(o Options) *API { return &API{o: o} }

// Routes registers the control routes on r, the router mounted at Prefix.
func (a *API) Routes(r chi.Router) {
	r.Use(a.guard)
	r.Get("/", a.index)
	r.Get("/ui", a.servePage)
	r.Get("/ui/*", a.servePage)
	r.Head("/ui/*", a.servePage)
	r.Get("/health", a.health)
	r.Head("/health", a.health)
	r.Post("/reset", a.reset)
	r.Post("/snapshot", a.snapshot)
	r.Get("/catalog", a.catalog)
	r.Get("/accounts", a.accounts)
	r.Route("/accounts/{key}", func(r chi.Router) {
		r.Use(a.keyGuard)
		r.Get("/", a.getAccount)
		r.Put("/", a.putAccount)
		r.Delete("/", a.forgetAccount)
		r.Post("/throttle", a.throttle)
		r.Put("/public-key", a.bindPublicKey)
		r.HandleFunc("/api/*", a.serveAPI)
		r.Post("/jobs/complete", a.completeJobs)
		r.Get("/limits", a.limits)
		// One route for every collection of the store (items, variants,
		// categories and each job kind's).
		r.Get("/{collection}", a.getCollection)
		r.Put("/{collection}", a.putCollection)
	})
	r.Post("/jobs/complete", a.completeJobs)
	r.Get("/scenarios", a.listScenarios)
	r.Post("/scenarios/{name}", a.startScenario)
	r.Delete("/scenarios/{name}", a.stopScenario)
	r.Get("/requests", a.requests)
	r.Delete("/requests", a.clearRequests)
	r.Get("/faults", a.listFaults)
	r.Post("/faults", a.addFault)
	r.Delete("/faults", a.clearFaults)
	r.Delete("/faults/{id}", a.deleteFault)
	r.Get("/clock", a.getClock)
	r.Post("/clock", a.setClock)
	r.NotFound(a.pathNotFound)
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		a.fail(w, apierror.MethodNotAllowed(r.Method, allowedMethods(r)))
	})
}

// Health returns a handler that answers only GET and HEAD /__admin/health,
// for the --health-socket.
func (a *API) Health() http.Handler {
	r := chi.NewRouter()
	r.Get(Prefix+"/health", a.health)
	r.Head(Prefix+"/health", a.health)
	return r
}

// allowedMethods lists the methods the control path serves.
func allowedMethods(r *http.Request) []string {
	rctx := chi.RouteContext(r.Context())
	var out []string
	if rctx == nil || rctx.Routes == nil {
		return out
	}
	// rctx.Routes is the top router here; it matches the full path.
	path := r.URL.Path
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if rctx.Routes.Match(chi.NewRouteContext(), m, path) {
			out = append(out, m)
		}
	}
	return out
}

// BodyLimit is the most bytes a control API body may have: what the
// allowance can hold at the control API's inflation.
func (a *API) BodyLimit() int64 {
	return min(a.o.Bodies.Total()/Inflation, MaxBody)
}

// BodyTooLarge is the 413 for a control API body over its cap.
func (a *API) BodyTooLarge() *apierror.Error {
	limit := a.BodyLimit()
	return apierror.TooLarge(fmt.Sprintf(
		"Control API bodies are limited to %d bytes (%d MiB) by the memory budget; send fewer objects per request "+
			"or start the server with a larger --memory-budget.", limit, limit>>20))
}

// reply writes v as JSON.
func reply(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(`{}`)
	}
	httpx.Write(w, status, contentJSON, append(b, '\n'))
}

// fail answers with errs.
func (a *API) fail(w http.ResponseWriter, errs ...*apierror.Error) {
	a.o.Errors.Write(w, apierror.Style{Modern: true}, errs...)
}

// pathNotFound answers a control path that does not exist as the API
// answers an unknown path, the account key in it shown by its fingerprint.
func (a *API) pathNotFound(w http.ResponseWriter, r *http.Request) {
	a.o.Errors.Write(w, apierror.Style{Spaced: true}, apierror.PathNotFound(ShownPath(r)))
}

// storeError maps the store's sentinels to Klaviyo-shaped errors.
func (a *API) storeError(err error) *apierror.Error { return httpx.StoreError(a.o.Store, err) }
