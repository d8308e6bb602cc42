// Package server assembles the emulator from its configuration (clock,
// store, fixtures, limiter, faults, journal, handlers) and runs it on a
// listener with graceful shutdown. cmd/mockserver and the public Go package
// share this one construction path.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/admin"
	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/config"
	"github.com/klaviyo-mock/mockserver/internal/faults"
	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/handlers"
	"github.com/klaviyo-mock/mockserver/internal/journal"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/persist"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Server is one emulator instance.
type Server struct {
	cfg     config.Config
	logger  *slog.Logger
	clock   *clock.Clock
	store   *store.Store
	limiter *limiter.Limiter
	faults  *faults.Set
	journal *journal.Journal
	handler *handlers.Handler

	healthLn net.Listener // the --health-socket, when Listen opened one

	mu     sync.Mutex // guards seed and jobs (changed by Reset), saves and the lock
	seed   uint64
	jobs   int
	lock   *persist.Lock // ownership of the state file, until Close
	closed bool
}

// New builds a server from cfg. A nil clk means a clock in real time, set and
// frozen as cfg asks; tests may inject their own. With a state file, the
// server owns it until Close (see openState) and loads the saved state; a
// file that cannot be saved, is owned by another server, or is corrupt is
// an error, and the file is left untouched.
func New(cfg config.Config, logger *slog.Logger, clk *clock.Clock) (*Server, error) {
	return NewContext(context.Background(), cfg, logger, clk)
}

// NewContext is New for a server that may be told to stop before it has
// started: when ctx ends while it waits for another server to give up the
// state file, it stops waiting and returns an error wrapping ctx's.
func NewContext(ctx context.Context, cfg config.Config, logger *slog.Logger, clk *clock.Clock) (*Server, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, logger: logger, clock: clk, seed: cfg.Seed, jobs: cfg.Jobs}
	if clk == nil {
		s.clock = clock.New()
		s.startClock()
	}
	clk = s.clock
	if err := s.newStore(); err != nil {
		return nil, err
	}
	s.limiter = limiter.New(clk.Now)
	s.faults = faults.New(cfg.Seed, cfg.ThrottleProbability)
	s.journal = journal.New(journal.Options{Entries: cfg.JournalSize, Bytes: cfg.Shares().Journal, KeepCredentials: cfg.JournalCredentials})
	s.handler = handlers.New(s.handlerOptions())
	if cfg.StateFile != "" {
		if err := s.openState(ctx); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// newStore builds the store cfg asks for, refusing seeded counts whose
// largest collection alone would not fit the accounts' share.
func (s *Server) newStore() error {
	cfg := s.cfg
	mode, _ := store.ParseMode(cfg.JobTransition)
	shares := cfg.Shares()
	est := fixtures.Estimates(s.fixtureParams())
	s.store = store.New(store.Options{
		Lifecycle: store.Lifecycle{Mode: mode, Duration: cfg.JobDuration, Polls: cfg.JobPolls},
		Seed:      cfg.Seed,
		Seeder:    fixtures.Seeder(s.fixtureParams()),
		SeedBytes: est,
		MaxBytes:  shares.Accounts,
		// A quarter of the caches' share keeps seeded jobs and entities
		// once made, an eighth each.
		MadeJobBytes:    shares.Caches / 8,
		MadeEntityBytes: shares.Caches / 8,
		Now:             s.clock.Now,
		MaxAccounts:     cfg.MaxAccounts,
	})
	if c, n := fixtures.Largest(est); !s.store.Fits(n) {
		return fmt.Errorf("--jobs, --items, --variants, --categories: an account's %s take about %d MiB, more than the %d MiB --memory-budget leaves for accounts; seed less or raise --memory-budget",
			c.Name(), n>>20, shares.Accounts>>20)
	}
	return nil
}

// handlerOptions are what the handlers get from cfg and the server's parts.
func (s *Server) handlerOptions() handlers.Options {
	cfg, shares := s.cfg, s.cfg.Shares()
	return handlers.Options{
		Store:           s.store,
		Clock:           s.clock,
		Resources:       resource.Default(),
		Logger:          s.logger,
		PublicURL:       cfg.PublicURL,
		StrictKeys:      cfg.StrictKeys,
		RetireRevisions: cfg.RetireRevisions,
		Seed:            cfg.Seed,
		Limiter:         s.limiter,
		RateLimits: limiter.Policy{
			Off:    cfg.RateLimits == "off",
			Scale:  cfg.RateLimitScale,
			Burst:  cfg.RateLimitBurst,
			Steady: cfg.RateLimitSteady,
		},
		Faults:         s.faults,
		Journal:        s.journal,
		Control:        s,
		CORSOrigins:    cfg.CORSOrigins,
		AdminOrigins:   cfg.AdminOrigins,
		AdminHosts:     cfg.AdminHosts,
		MaxBodyBytes:   cfg.MaxBodyBytes,
		BodyBytes:      shares.Bodies,
		BodyGrace:      cfg.Timing.BodyGrace,
		BodyRate:       cfg.Timing.BodyRate,
		CacheBytes:     shares.Caches - shares.Caches/4,
		MaxHeaderBytes: cfg.MaxHeaderBytes,
	}
}

func (s *Server) fixtureParams() fixtures.Params {
	return fixtures.Params{Seed: s.seed, Jobs: s.jobs, Counts: s.cfg.Counts, Epoch: s.cfg.Epoch}
}

// startClock applies --clock and --freeze-clock to a clock in real time.
func (s *Server) startClock() {
	s.clock.Reset()
	if s.cfg.FreezeClock {
		s.clock.Freeze()
	}
	if !s.cfg.ClockStart.IsZero() {
		s.clock.Set(s.cfg.ClockStart)
	}
}

// jobsFit says why n jobs of each kind do not fit the memory budget, or
// nil when they do.
func (s *Server) jobsFit(n int) *admin.ResetError {
	p := s.fixtureParams()
	p.Jobs = n
	if _, size := fixtures.Largest(fixtures.Estimates(p)); !s.store.Fits(size) {
		_, limit := s.store.Used()
		return &admin.ResetError{Member: "/jobs", Detail: fmt.Sprintf(
			"%d jobs of one kind take about %d MiB, more than the %d MiB the memory budget leaves for accounts "+
				"(half of --memory-budget); ask for fewer jobs or start the server with a larger --memory-budget.",
			n, size>>20, limit>>20)}
	}
	return nil
}

// Reset implements admin.Control.
func (s *Server) Reset(seed uint64, jobs *int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if jobs != nil {
		if re := s.jobsFit(*jobs); re != nil {
			return re
		}
	}
	s.seed, s.jobs = s.cfg.Seed, s.cfg.Jobs
	if seed != 0 {
		s.seed = seed
	}
	if jobs != nil {
		s.jobs = *jobs
	}
	s.store.Reset(s.seed, fixtures.Seeder(s.fixtureParams()), fixtures.Estimates(s.fixtureParams()))
	s.limiter.Reset()
	s.faults.Reset(s.seed)
	s.journal.Clear()
	s.handler.Reseed(s.seed)
	s.startClock()
	s.logger.Info("reset", "seed", s.seed, "jobs", s.jobs)
	return nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() *handlers.Handler { return s.handler }

// Clock returns the server's clock.
func (s *Server) Clock() *clock.Clock { return s.clock }

// Store returns the server's store.
func (s *Server) Store() *store.Store { return s.store }

// Limiter returns the server's rate limiter.
func (s *Server) Limiter() *limiter.Limiter { return s.limiter }

// Faults returns the server's fault rules.
func (s *Server) Faults() *faults.Set { return s.faults }

// Journal returns the server's request journal.
func (s *Server) Journal() *journal.Journal { return s.journal }

// Config returns the configuration the server was built with.
func (s *Server) Config() config.Config { return s.cfg }

// HTTPServer returns the net/http server the emulator runs h on, with
// cfg's limits: timeouts against slow clients (cfg.Timing.Head for a
// request head, cfg.Timing.Idle for a kept-alive connection between
// requests) and the header cap. Serve it on Limit's listener.
// scripts/bench runs its static-bytes server on the same settings.
func HTTPServer(h http.Handler, cfg config.Config, errorLog *log.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: cfg.Timing.Head,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       cfg.Timing.Idle,
		// net/http reads up to this plus 4 KiB: between the two the
		// handlers answer Klaviyo's 431; above, net/http's own. Keeping it
		// at --max-header-bytes bounds what each connection can hold.
		MaxHeaderBytes: cfg.MaxHeaderBytes,
		ErrorLog:       errorLog,
	}
}

// Serve serves on ln, admitting connections as Limit describes (and on the
// health socket Listen opened, if any) until ctx is done, then shuts down
// gracefully (waiting up to ten seconds for requests in flight), saves the
// state file, if any, and gives it up (Close).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	defer s.Close()
	hs := HTTPServer(s.handler, s.cfg, slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn))
	errc := make(chan error, 1)
	ln = Limit(hs, ln, s.cfg, s.handler.OverloadedResponse)
	go func() { errc <- hs.Serve(ln) }()
	var health *http.Server
	if s.healthLn != nil {
		health = &http.Server{Handler: s.handler.Admin().Health(), ReadHeaderTimeout: s.cfg.Timing.Head}
		go func() { _ = health.Serve(s.healthLn) }()
	}
	var serveErr error
	select {
	case serveErr = <-errc:
	case <-ctx.Done():
		s.logger.Info("shutting down")
		s.handler.Stop()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := hs.Shutdown(sctx); err != nil {
			serveErr = fmt.Errorf("shutdown: %w", err)
		} else if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
			serveErr = err
		}
	}
	if health != nil {
		_ = health.Close()
	}
	if s.cfg.StateFile != "" {
		if _, err := s.Snapshot(); err != nil {
			return errors.Join(serveErr, err)
		}
	}
	return serveErr
}

// Listen opens the configured address and logs "listening on ADDR" with the
// real address (useful with port 0). With --health-socket it also opens
// that Unix socket, on which Serve answers /__admin/health: the healthcheck
// subcommand finds the server there whatever address it listens on. A
// socket that cannot be opened is logged and skipped.
func (s *Server) Listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	if name := s.cfg.HealthSocket; name != "" {
		if hl, err := net.Listen("unix", name); err != nil {
			s.logger.Warn("health socket not opened; the healthcheck will probe the TCP address", "socket", name, "error", err)
		} else {
			s.healthLn = hl
		}
	}
	s.logger.Info("listening on " + ln.Addr().String())
	s.logReady(ln.Addr().String())
	return ln, nil
}

// NewLogger returns the slog logger cfg asks for, writing to w.
func NewLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// logReady writes, once the server listens, where the API and the web page
// are and one request to try: one record, so a JSON log holds it whole.
func (s *Server) logReady(addr string) {
	base := s.cfg.PublicURL
	if base == "" {
		host, port, _ := net.SplitHostPort(addr)
		if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
			host = "127.0.0.1"
		}
		base = "http://" + net.JoinHostPort(host, port)
	}
	all := resource.Default().Revisions().All()
	s.logger.Info("ready",
		slog.String("api", base+"/api"),
		slog.String("page", base+"/__admin/ui/"),
		slog.String("example_key", admin.ExampleKey),
		slog.String("try", fmt.Sprintf("curl -H 'revision: %s' -H 'Authorization: Klaviyo-API-Key %s' %s/api/catalog-items",
			all[len(all)-1].Date, admin.ExampleKey, base)))
}
