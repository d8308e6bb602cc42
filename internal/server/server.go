// Package server assembles the emulator from its configuration (clock,
// store, fixtures, limiter, faults, journal, handlers) and runs it on a
// listener with graceful shutdown. cmd/mockserver and the public Go package
// share this one construction path.
package server

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"sync"

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
