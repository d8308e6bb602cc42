// Package handlers is the HTTP face of the emulator: the one router (which
// mounts the control API of package admin under /__admin), the middleware,
// the request pipeline (revision -> auth -> account -> faults -> rate limit
// -> query and body -> operation) and the API's operations. The plumbing it
// shares with the control API (the writers, the recorder, body admission)
// is package httpx.
package handlers

import (
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/klaviyo-mock/mockserver/internal/admin"
	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/faults"
	"github.com/klaviyo-mock/mockserver/internal/httpx"
	"github.com/klaviyo-mock/mockserver/internal/journal"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/rcache"
	"github.com/klaviyo-mock/mockserver/internal/render"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Options are what the handlers need from the server.
type Options struct {
	Store *store.Store
	Clock *clock.Clock
	// Resources are the resources served (resource.Default() when nil),
	// with the revision table they are profiled on.
	Resources *resource.Registry
	Logger    *slog.Logger
	// PublicURL, when set, is the scheme and host links start with;
	// otherwise links use the request's scheme and Host.
	PublicURL string
	// StrictKeys refuses Klaviyo-API-Key values that are not pk_ + 34
	// lowercase hex characters.
	StrictKeys bool
	// RetireRevisions turns on Klaviyo's retirement of two-year-old
	// revisions (fall-forward, opt-out header, 410).
	RetireRevisions bool
	// Seed makes generated error ids deterministic.
	Seed uint64
	// Limiter counts requests; RateLimits adjusts Klaviyo's limits.
	Limiter    *limiter.Limiter
	RateLimits limiter.Policy
	// Faults are the fault rules and the server-wide throttle probability.
	Faults *faults.Set
	// Journal records the API requests served (not the control API's).
	Journal *journal.Journal
	// Control carries out the control API's server-wide operations.
	Control admin.Control
	// CORSOrigins are the browser origins allowed to call /api ("*": any).
	CORSOrigins []string
	// AdminOrigins are the browser origins allowed to call /__admin; a
	// request carrying another Origin is refused.
	AdminOrigins []string
	// AdminHosts are the Host names /__admin answers besides loopback ("*":
	// any), so a page cannot reach it through DNS rebinding.
	AdminHosts []string
	// MaxBodyBytes caps every request body (above the create endpoint's own
	// 4-5 MB cap, which it answers with its own 413).
	MaxBodyBytes int64
	// MaxHeaderBytes caps the request line and headers.
	MaxHeaderBytes int
	// BodyBytes is the memory request bodies being read may take at once
	// (see httpx.Bodies); DefaultBodyBytes when zero.
	BodyBytes int64
	// BodyGrace is how long a request body may arrive at any pace; after
	// it, it must have arrived at BodyRate bytes a second on average, or
	// it is answered with a 408 (DefaultBodyGrace and DefaultBodyRate when
	// zero).
	BodyGrace time.Duration
	BodyRate  int64
	// CacheBytes bounds the rendered documents and objects kept for reuse
	// (half each of what it is given, see cache.go); DefaultCacheBytes when zero, no caching
	// when negative.
	CacheBytes int64
}

// Defaults of Options.
const (
	DefaultMaxBodyBytes   = 16 << 20
	DefaultMaxHeaderBytes = 64 << 10
	DefaultBodyBytes      = 64 << 20
	DefaultCacheBytes     = 16 << 20
	DefaultBodyGrace      = 2 * time.Second
	DefaultBodyRate       = 64 << 10
)

// Handler serves the emulated API.
type Handler struct {
	opts Options
	// root serves every request: clientOrigins, observe, then the route
	// h.fast finds or router.
	root   http.Handler
	router chi.Router
	fast   fastRoutes
	reqSeq atomic.Uint64

	// errs writes error documents (the API's and the control API's, ids
	// from one sequence); reqIDs hands out the x-klaviyo-req-id values,
	// without a lock.
	errs   *httpx.Errors
	reqIDs httpx.UUIDs

	bufs *httpx.Buffers
	// body is the memory request bodies may take at once; bodies admits
	// them into it.
	body   *httpx.Allowance
	bodies *httpx.Bodies

	// admin is the control API, mounted at admin.Prefix.
	admin *admin.API

	// revisionValues are the x-klaviyo-api-revision values, by revision.
	revisionValues [][]string

	// controlRouter serves the API for the control API (see controlKey).
	controlRouter chi.Router

	// pages and frags cache rendered documents and objects (nil: off).
	pages *rcache.Cache[string, document]
	frags *render.Fragments
	// hints are each resource's list hints (see listHints).
	hints map[*resource.Resource]listHints
	// lastBase is the base URL made last (see base).
	lastBase atomic.Pointer[baseMemo]

	// stopping is closed when the server begins to shut down: injected
	// delays end then, so a drain never waits for a latency fault.
	stopping chan struct{}
	stopOnce sync.Once

	// observed holds the observed requests of requests answered, for the
	// next ones (see newObserved).
	observed sync.Pool
}

// New builds the handler and its routes.
func New(o Options) *Handler {
	o = o.withDefaults()
	h := &Handler{opts: o, stopping: make(chan struct{}), bufs: httpx.NewBuffers()}
	if o.CacheBytes > 0 {
		h.pages = newDocuments(o.CacheBytes / 2)
		h.frags = render.NewFragments(o.CacheBytes / 2)
	}
	h.hints = hintsByResource(o.Resources)
	h.errs = httpx.NewErrors(o.Seed, o.Logger, h.bufs)
	h.Reseed(o.Seed)
	h.body = httpx.NewAllowance(o.BodyBytes)
	h.bodies = httpx.NewBodies(httpx.BodyOptions{Allowance: h.body, Grace: o.BodyGrace, Rate: o.BodyRate,
		Logger: o.Logger, Stopping: h.stopping})
	h.admin = admin.New(admin.Options{
		Store: o.Store, Clock: o.Clock, Revisions: o.Resources.Revisions(), Resources: o.Resources, Limiter: o.Limiter, Faults: o.Faults,
		Journal: o.Journal, Control: o.Control, Origins: o.AdminOrigins, Hosts: o.AdminHosts, PublicURL: o.PublicURL,
		Errors: h.errs, Bodies: h.bodies, CacheStats: h.cacheStats, Stopping: h.stopping,
		ServeAPI: func(w http.ResponseWriter, r *http.Request, key string) { h.serveControl(w, r, key) },
		Buckets:  h.buckets,
	})
	for _, p := range o.Resources.Revisions().All() {
		h.revisionValues = append(h.revisionValues, []string{p.Date})
	}
	h.router = h.routes()
	h.root = clientOrigins(h.observe(http.HandlerFunc(h.serveRouted)))
	h.controlRouter = h.controlRoutes()
	return h
}

// withDefaults fills in what o leaves out.
func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Resources == nil {
		o.Resources = resource.Default()
	}
	if o.Limiter == nil {
		o.Limiter = limiter.New(o.Clock.Now)
	}
	if o.Faults == nil {
		o.Faults = faults.New(o.Seed, 0)
	}
	if o.Journal == nil {
		o.Journal = journal.New(journal.Options{Entries: journal.DefaultCap})
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.MaxHeaderBytes <= 0 {
		o.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if o.BodyBytes <= 0 {
		o.BodyBytes = DefaultBodyBytes
	}
	if o.BodyGrace <= 0 {
		o.BodyGrace = DefaultBodyGrace
	}
	if o.BodyRate <= 0 {
		o.BodyRate = DefaultBodyRate
	}
	if o.CORSOrigins == nil {
		o.CORSOrigins = []string{"*"}
	}
	if o.CacheBytes == 0 {
		o.CacheBytes = DefaultCacheBytes
	}
	return o
}

// Admin returns the control API the handler serves under /__admin.
func (h *Handler) Admin() *admin.API { return h.admin }

// revisionValue is the shared header value naming revision p.
func (h *Handler) revisionValue(p *revision.Profile) []string { return h.revisionValues[p.Index] }

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.root.ServeHTTP(w, r)
}

// Stop ends every injected delay now and for the rest of the handler's
// life: requests held by a latency fault are served at once. The server
// calls it when it starts to shut down.
func (h *Handler) Stop() { h.stopOnce.Do(func() { close(h.stopping) }) }

// Reseed restarts the error-id and request-id sequences from seed (on a
// reset).
func (h *Handler) Reseed(seed uint64) {
	h.errs.Reseed(seed)
	h.reqIDs.Reseed(seed, 0x726571756573)
}

// storeError maps the store's sentinels to Klaviyo-shaped errors.
func (h *Handler) storeError(err error) *apierror.Error { return httpx.StoreError(h.opts.Store, err) }
