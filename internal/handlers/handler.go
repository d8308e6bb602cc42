// Package handlers is the HTTP face of the emulator and the only package
// that knows HTTP and chi: routing, middleware, the request pipeline
// (revision -> auth -> account -> rate limit -> operation) and the one writer
// that turns a handler's result into a response.
package handlers

import (
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/faults"
	"github.com/klaviyo-mock/mockserver/internal/journal"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/rcache"
	"github.com/klaviyo-mock/mockserver/internal/render"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/splitmix"
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
	Control Control
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
	// (see admission.go); DefaultBodyBytes when zero.
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

// Control is what the control API needs from the server beyond the
// handlers' own state.
type Control interface {
	// Reset returns every account to its seeded state, with seed and jobs
	// when given (the configured ones when seed is 0 or jobs nil), and
	// clears rate counters, fault rules, the journal and the clock.
	Reset(seed uint64, jobs *int) error
	// Snapshot saves the state file and returns its path.
	Snapshot() (string, error)
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
	opts   Options
	router chi.Router
	reqSeq atomic.Uint64

	// errorIDs and reqIDs hand out the error ids and x-klaviyo-req-id
	// values, without a lock.
	errorIDs, reqIDs uuidSource

	bufs sync.Pool
	body *allowance

	// revisionValues are the x-klaviyo-api-revision values, by revision.
	revisionValues [][]string

	// pages and frags cache rendered documents and objects (nil: off).
	pages *rcache.Bytes[string]
	frags *render.Fragments

	// stopping is closed when the server begins to shut down: injected
	// delays end then, so a drain never waits for a latency fault.
	stopping chan struct{}
	stopOnce sync.Once
}

// New builds the handler and its routes.
func New(o Options) *Handler {
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
	h := &Handler{opts: o, stopping: make(chan struct{})}
	if o.CacheBytes > 0 {
		h.pages = rcache.New[string](o.CacheBytes/2, 4)
		h.frags = render.NewFragments(o.CacheBytes / 2)
	}
	h.Reseed(o.Seed)
	h.body = newAllowance(o.BodyBytes)
	for _, p := range o.Resources.Revisions().All() {
		h.revisionValues = append(h.revisionValues, []string{p.Date})
	}
	h.bufs.New = func() any { b := make([]byte, 0, 64<<10); return &b }
	h.router = h.routes()
	return h
}

// revisionValue is the shared header value naming revision p.
func (h *Handler) revisionValue(p *revision.Profile) []string { return h.revisionValues[p.Index] }

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.router.ServeHTTP(w, r)
}

// Stop ends every injected delay now and for the rest of the handler's
// life: requests held by a latency fault are served at once. The server
// calls it when it starts to shut down.
func (h *Handler) Stop() { h.stopOnce.Do(func() { close(h.stopping) }) }

// Reseed restarts the error-id and request-id sequences from seed (on a
// reset).
func (h *Handler) Reseed(seed uint64) {
	h.errorIDs.reseed(seed, 0x6572726f72)
	h.reqIDs.reseed(seed, 0x726571756573)
}

// errorID returns a UUID4 for one error response, from the seeded source.
func (h *Handler) errorID() string { return h.errorIDs.next() }

// requestUUID returns the x-klaviyo-req-id of one API response, from its
// own seeded source (deterministic per run).
func (h *Handler) requestUUID() string { return h.reqIDs.next() }

// uuidSource is a deterministic sequence of UUID4s: the n-th is a hash of
// (seed, stream, n), so concurrent requests take one each without a lock.
type uuidSource struct {
	key atomic.Uint64
	n   atomic.Uint64
}

func (s *uuidSource) reseed(seed, stream uint64) {
	s.key.Store(splitmix.Mix(seed ^ splitmix.Mix(stream)))
	s.n.Store(0)
}

func (s *uuidSource) next() string {
	n, key := s.n.Add(1), s.key.Load()
	hi := splitmix.Mix(key + n*splitmix.Golden)
	return splitmix.UUID4(hi, splitmix.Mix(hi^key))
}

func (h *Handler) getBuf() *[]byte { return h.bufs.Get().(*[]byte) }

func (h *Handler) putBuf(b *[]byte) {
	if cap(*b) > 4<<20 {
		return
	}
	*b = (*b)[:0]
	h.bufs.Put(b)
}
