package server

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/config"
)

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
