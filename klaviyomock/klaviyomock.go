// Package klaviyomock runs the Klaviyo catalog item bulk update jobs
// emulator in-process for Go tests, miniredis style:
//
//	func TestSync(t *testing.T) {
//		m := klaviyomock.RunT(t, "--jobs=20")
//		client := NewClient(m.URL(), "pk_...")
//		m.ThrottleNext("pk_...", 1)
//		...
//		if got := m.Requests(); len(got) != 2 { ... }
//	}
//
// The server is the same one cmd/mockserver runs (one construction path),
// listening on 127.0.0.1 on a free port. Its arguments are the binary's
// flags; environment variables are not read.
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
	"github.com/klaviyo-mock/mockserver/internal/faults"
	"github.com/klaviyo-mock/mockserver/internal/journal"
	"github.com/klaviyo-mock/mockserver/internal/server"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Job is a job as SetJobs takes it and Jobs returns it.
type Job = store.JobState

// Item is a catalog item as SetItems takes it and Items returns it.
type Item = store.ItemState

// JobError is one entry of a job's errors.
type JobError = store.JobError

// Request is one journaled API request.
type Request = journal.Entry

// Filter selects journaled requests.
type Filter = journal.Filter

// Fault is a fault rule: Match selects requests, the Effect (Status,
// RetryAfter, Latency, Drop) applies with Probability and/or Count.
type Fault = faults.Rule

// FaultMatch selects the requests a Fault applies to.
type FaultMatch = faults.Match

// Duration is a fault latency.
type Duration = faults.Duration

// Server is a running emulator.
type Server struct {
	srv    *server.Server
	url    string
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
		return nil, fmt.Errorf("klaviyomock: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{srv: srv, url: "http://" + ln.Addr().String(), cancel: cancel, done: make(chan error, 1)}
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

// SetJobs replaces the jobs of account key (an API key such as "pk_…", or
// "bearer:" + an OAuth token) with exactly jobs, as history. Nothing changes
// if any job is invalid.
func (s *Server) SetJobs(key string, jobs ...Job) error {
	return importErr(s.srv.Handler().ImportAccount(key, nonNil(jobs), nil))
}

// SetItems replaces the catalog items of account key with exactly items.
func (s *Server) SetItems(key string, items ...Item) error {
	return importErr(s.srv.Handler().ImportAccount(key, nil, nonNil(items)))
}

// Jobs returns the jobs of account key, in id order.
func (s *Server) Jobs(key string) []Job {
	st, _ := s.srv.Handler().ExportAccount(key)
	return st.Jobs
}

// Items returns the catalog items of account key, in id order.
func (s *Server) Items(key string) []Item {
	st, _ := s.srv.Handler().ExportAccount(key)
	return st.Items
}

// Requests returns the journaled API requests, oldest first.
func (s *Server) Requests() []Request { return s.srv.Journal().List(Filter{}) }

// RequestsMatching returns the journaled API requests f selects.
func (s *Server) RequestsMatching(f Filter) []Request { return s.srv.Journal().List(f) }

// ClearRequests empties the journal.
func (s *Server) ClearRequests() { s.srv.Journal().Clear() }

// AddFault adds a fault rule and returns it with its id.
func (s *Server) AddFault(f Fault) (Fault, error) { return s.srv.Faults().Add(f) }

// DeleteFault removes one fault rule.
func (s *Server) DeleteFault(id string) bool { return s.srv.Faults().Delete(id) }

// ClearFaults removes every fault rule.
func (s *Server) ClearFaults() { s.srv.Faults().Clear() }

// ThrottleNext makes the next n API requests of account key answer a
// throttled 429 (Retry-After: 1), indistinguishable from a real one.
func (s *Server) ThrottleNext(key string, n int) {
	_, _ = s.srv.Handler().ThrottleNext(key, n, 1)
}

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
