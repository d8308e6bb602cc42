// Package handlers is the HTTP face of the emulator and the only package
// that knows HTTP and chi: routing, middleware, the request pipeline
// (revision -> auth -> account -> rate limit -> operation) and the one writer
// that turns a handler's result into a response.
package handlers

import (
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/go-chi/chi/v5"
	"github.com/google/uuid"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/faults"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Options are what the handlers need from the server.
type Options struct {
	Store     *store.Store
	Clock     *clock.Clock
	Revisions *revision.Table
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
}

// Handler serves the emulated API.
type Handler struct {
	opts   Options
	router chi.Router
	reqSeq atomic.Uint64

	idMu  sync.Mutex
	idRng *rand.Rand

	bufs sync.Pool
}

// New builds the handler and its routes.
func New(o Options) *Handler {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Limiter == nil {
		o.Limiter = limiter.New(o.Clock.Now)
	}
	if o.Faults == nil {
		o.Faults = faults.New(o.Seed, 0)
	}
	h := &Handler{opts: o, idRng: rand.New(rand.NewPCG(o.Seed, 0x6572726f72))}
	h.bufs.New = func() any { b := make([]byte, 0, 64<<10); return &b }
	h.router = h.routes()
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.router.ServeHTTP(w, r)
}

// errorID returns a UUID4 for one error response, from the seeded source.
func (h *Handler) errorID() string {
	h.idMu.Lock()
	defer h.idMu.Unlock()
	var b [16]byte
	for i := range b {
		b[i] = byte(h.idRng.Uint32())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return uuid.UUID(b).String()
}

func (h *Handler) getBuf() *[]byte { return h.bufs.Get().(*[]byte) }

func (h *Handler) putBuf(b *[]byte) {
	if cap(*b) > 4<<20 {
		return
	}
	*b = (*b)[:0]
	h.bufs.Put(b)
}
