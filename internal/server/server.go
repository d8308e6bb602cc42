// Package server assembles the emulator from its configuration (clock,
// store, fixtures, handlers) and runs it on a listener with graceful
// shutdown. cmd/mockserver and the public Go package share this one
// construction path.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/config"
	"github.com/klaviyo-mock/mockserver/internal/faults"
	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/handlers"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
	"github.com/klaviyo-mock/mockserver/internal/revision"
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
	handler *handlers.Handler
}

// New builds a server from cfg. A nil clk means real time.
func New(cfg config.Config, logger *slog.Logger, clk *clock.Clock) (*Server, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if clk == nil {
		clk = clock.New()
	}
	s := &Server{cfg: cfg, logger: logger, clock: clk}
	mode, _ := store.ParseMode(cfg.JobTransition)
	s.store = store.New(store.Options{
		Lifecycle:   store.Lifecycle{Mode: mode, Duration: cfg.JobDuration, Polls: cfg.JobPolls},
		Seed:        cfg.Seed,
		Seeder:      fixtures.Seeder(s.fixtureParams(cfg.Seed, cfg.Jobs)),
		Now:         clk.Now,
		MaxAccounts: cfg.MaxAccounts,
	})
	s.limiter = limiter.New(clk.Now)
	s.faults = faults.New(cfg.Seed, cfg.ThrottleProbability)
	s.handler = handlers.New(handlers.Options{
		Limiter: s.limiter,
		RateLimits: limiter.Policy{
			Off:    cfg.RateLimits == "off",
			Scale:  cfg.RateLimitScale,
			Burst:  cfg.RateLimitBurst,
			Steady: cfg.RateLimitSteady,
		},
		Faults:          s.faults,
		Store:           s.store,
		Clock:           clk,
		Revisions:       revision.Default(),
		Logger:          logger,
		PublicURL:       cfg.PublicURL,
		StrictKeys:      cfg.StrictKeys,
		RetireRevisions: cfg.RetireRevisions,
		Seed:            cfg.Seed,
	})
	return s, nil
}

func (s *Server) fixtureParams(seed uint64, jobs int) fixtures.Params {
	return fixtures.Params{Seed: seed, Jobs: jobs, Items: s.cfg.Items, Epoch: s.cfg.Epoch}
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Clock returns the server's clock.
func (s *Server) Clock() *clock.Clock { return s.clock }

// Store returns the server's store.
func (s *Server) Store() *store.Store { return s.store }

// Limiter returns the server's rate limiter.
func (s *Server) Limiter() *limiter.Limiter { return s.limiter }

// Faults returns the server's fault rules.
func (s *Server) Faults() *faults.Set { return s.faults }

// Config returns the configuration the server was built with.
func (s *Server) Config() config.Config { return s.cfg }

// Serve serves on ln until ctx is done, then shuts down gracefully (waiting
// up to ten seconds for requests in flight).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Listen opens the configured address and logs "listening on ADDR" with
// the real address (useful with port 0).
func (s *Server) Listen() (net.Listener, error) {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", s.cfg.Addr, err)
	}
	s.logger.Info("listening on " + ln.Addr().String())
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
