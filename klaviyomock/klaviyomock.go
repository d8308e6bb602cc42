package klaviyomock

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/config"
	"github.com/klaviyo-mock/mockserver/internal/server"
)

// Server is a running emulator.
type Server struct {
	srv    *server.Server
	url    string
	newest string // the newest revision served
	cancel context.CancelFunc
	done   chan error
}

// Run starts a server with the given flags (as for the mockserver binary,
// e.g. "--jobs=10", "--job-transition=immediate"); --addr defaults to
// 127.0.0.1:0.
func Run(args ...string) (*Server, error) {
	cfg, err := config.Parse(append([]string{"--addr=127.0.0.1:0"}, args...), func(string) string { return "" }, io.Discard)
	if err != nil {
		return nil, fmt.Errorf("klaviyomock: %w", err)
	}
	srv, err := server.New(cfg, nil, nil)
	if err != nil {
		return nil, fmt.Errorf("klaviyomock: %w", err)
	}
	ln, err := srv.Listen()
	if err != nil {
		srv.Close() // gives the state file up
		return nil, fmt.Errorf("klaviyomock: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{srv: srv, url: "http://" + ln.Addr().String(), newest: newestRevision(), cancel: cancel, done: make(chan error, 1)}
	go func() { s.done <- srv.Serve(ctx, ln) }()
	return s, nil
}

// RunT starts a server for the test t and closes it when t ends.
func RunT(t testing.TB, args ...string) *Server {
	t.Helper()
	s, err := Run(args...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// URL returns the server's base URL, e.g. "http://127.0.0.1:41234".
func (s *Server) URL() string { return s.url }

// Close stops the server gracefully (saving the state file, if any).
func (s *Server) Close() {
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	<-s.done
}

// Reset returns every account to its seeded state and clears rate
// counters, faults, the journal and the clock.
func (s *Server) Reset() { _ = s.srv.Reset(0, nil) }

// ResetWith is Reset with a new seed (0 keeps it) and jobs per account.
func (s *Server) ResetWith(seed uint64, jobs int) { _ = s.srv.Reset(seed, &jobs) }

// Now returns the server clock's time.
func (s *Server) Now() time.Time { return s.srv.Clock().Now() }

// SetTime moves the server clock to t (a frozen clock stays frozen).
func (s *Server) SetTime(t time.Time) { s.srv.Clock().Set(t) }

// Advance moves the server clock forward by d: jobs progress and rate
// windows pass as if d had elapsed.
func (s *Server) Advance(d time.Duration) { s.srv.Clock().Advance(d) }

// Freeze stops the server clock; Unfreeze lets it run again.
func (s *Server) Freeze() { s.srv.Clock().Freeze() }

// Unfreeze lets a frozen server clock run again from its reading.
func (s *Server) Unfreeze() { s.srv.Clock().Unfreeze() }

// Snapshot saves the state file (--state-file) now.
func (s *Server) Snapshot() error {
	_, err := s.srv.Snapshot()
	return err
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

func importErr(errs []*apierror.Error) error {
	if len(errs) == 0 {
		return nil
	}
	out := make([]error, len(errs))
	for i, e := range errs {
		ptr := ""
		if e.Source != nil {
			ptr = e.Source.Pointer + ": "
		}
		out[i] = errors.New(ptr + e.Detail)
	}
	return fmt.Errorf("klaviyomock: %w", errors.Join(out...))
}
