package klaviyomock

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/config"
	"github.com/klaviyo-mock/mockserver/internal/faults"
	"github.com/klaviyo-mock/mockserver/internal/journal"
	"github.com/klaviyo-mock/mockserver/internal/secret"
	"github.com/klaviyo-mock/mockserver/internal/server"
)

// Request is one API request the server journaled, and its answer.
type Request struct {
	Seq       uint64
	RequestID string
	Time      time.Time
	Method    string
	Path      string
	Query     string
	Headers   http.Header
	// Body is the request body as read (at most the journal's per-entry
	// cap); BodyTruncated reports that more was sent.
	Body          string
	BodyTruncated bool
	Status        int
	// Revision is the revision that served the request ("" when it was
	// refused before one was resolved); RequestedRevision is the header as
	// sent.
	Revision          string
	RequestedRevision string
	// Account is the account's Fingerprint (its whole key when the server
	// runs with --journal-credentials).
	Account   string
	Operation string
	// Fault names the fault rule (or "prefer", "throttle-probability")
	// that answered the request, if one did.
	Fault    string
	Duration time.Duration
}

// Filter selects journaled requests; zero fields match anything.
type Filter struct {
	Method string
	// Path is a prefix of the URL path, as FaultMatch.Path is (and the
	// control API's ?path=).
	Path string
	// PathPrefix is Path's older name.
	//
	// Deprecated: use Path; when both are set, Path is used.
	PathPrefix string
	// Account is an account's whole key ("pk_…", or "bearer:" and the
	// OAuth token) or its Fingerprint.
	Account   string
	Revision  string
	Operation string
	// RequestID is the x-klaviyo-req-id header the client received.
	RequestID string
	Status    int
	// Limit keeps only the newest Limit matches (0: all).
	Limit int
}

// Fault is a fault rule: requests Match selects get its effect (a Status,
// added Latency, or a dropped connection) with Probability and/or for the
// next Count matching requests. For example:
//
//	m.AddFault(klaviyomock.Fault{
//		Match:  klaviyomock.FaultMatch{Method: "GET", Path: "/api/catalog-item-bulk-update-jobs"},
//		Status: 503,
//		Count:  2,
//	})
type Fault struct {
	// ID is set by AddFault.
	ID    string
	Match FaultMatch
	// Status, when non-zero (429, 500, 502, 503 or 504), answers the request
	// with that Klaviyo-shaped error instead of serving it.
	Status int
	// RetryAfter is the Retry-After of a simulated 429, in seconds (default 1).
	RetryAfter int
	// Latency delays the request before it is served (or failed), up to 5m.
	Latency time.Duration
	// Drop closes the connection without an answer.
	Drop bool
	// Probability in (0, 1] that a matching request is hit; 0 means always.
	Probability float64
	// Count, when non-zero, is how many requests the rule still hits; it is
	// removed when spent.
	Count int
	// Matched and Hits count the requests the rule matched and hit (read only).
	Matched, Hits int
}

// FaultMatch selects the requests a Fault applies to; empty fields match
// anything.
type FaultMatch struct {
	Method string
	// Path is a prefix of the URL path, as Filter.Path is.
	Path    string
	Account string
	// Revision is the revision that serves the request, e.g. "2026-07-15".
	Revision string
}

// Fingerprint returns how the server shows the account key key in its
// journal, logs and control API answers: its kind, an ellipsis and its last
// characters ("pk_…ef01", "bearer:…wxyz"), never the whole key.
func Fingerprint(key string) string { return secret.Fingerprint(key) }

func (f Fault) rule() faults.Rule {
	return faults.Rule{
		Match:       faults.Match{Method: f.Match.Method, Path: f.Match.Path, Account: f.Match.Account, Revision: f.Match.Revision},
		Effect:      faults.Effect{Status: f.Status, RetryAfter: f.RetryAfter, Latency: faults.Duration(f.Latency), Drop: f.Drop},
		Probability: f.Probability, Count: f.Count,
	}
}

func faultOf(r faults.Rule) Fault {
	return Fault{
		ID:     r.ID,
		Match:  FaultMatch{Method: r.Match.Method, Path: r.Match.Path, Account: r.Match.Account, Revision: r.Match.Revision},
		Status: r.Status, RetryAfter: r.RetryAfter, Latency: time.Duration(r.Latency), Drop: r.Drop,
		Probability: r.Probability, Count: r.Count, Matched: r.Matched, Hits: r.Hits,
	}
}

func requestOf(e journal.Entry) Request {
	return Request{
		Seq: e.Seq, RequestID: e.RequestID, Time: e.Time, Method: e.Method, Path: e.Path, Query: e.Query,
		Headers: http.Header(e.Headers).Clone(), Body: e.Body, BodyTruncated: e.Truncated, Status: e.Status,
		Revision: e.Revision, RequestedRevision: e.RequestedRevision, Account: e.Account,
		Operation: e.Operation, Fault: e.Fault, Duration: time.Duration(e.DurationMicros) * time.Microsecond,
	}
}

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

// Requests returns the journaled API requests, oldest first.
func (s *Server) Requests() []Request { return s.RequestsMatching(Filter{}) }

// RequestsMatching returns the journaled API requests f selects.
func (s *Server) RequestsMatching(f Filter) []Request {
	if f.Path == "" {
		f.Path = f.PathPrefix
	}
	entries := s.srv.Journal().List(journal.Filter{
		Method: f.Method, PathPrefix: f.Path, Account: f.Account, Revision: f.Revision,
		Operation: f.Operation, RequestID: f.RequestID, Status: f.Status, Limit: f.Limit,
	})
	out := make([]Request, len(entries))
	for i, e := range entries {
		out[i] = requestOf(e)
	}
	return out
}

// ClearRequests empties the journal.
func (s *Server) ClearRequests() { s.srv.Journal().Clear() }

// AddFault adds a fault rule (tried after the ones already added) and
// returns it with its ID; a rule that cannot apply is an error.
func (s *Server) AddFault(f Fault) (Fault, error) {
	r, err := s.srv.Faults().Add(f.rule())
	if err != nil {
		return Fault{}, fmt.Errorf("klaviyomock: %w", err)
	}
	return faultOf(r), nil
}

// Faults returns the fault rules, in the order they are tried.
func (s *Server) Faults() []Fault {
	rules := s.srv.Faults().List()
	out := make([]Fault, len(rules))
	for i, r := range rules {
		out[i] = faultOf(r)
	}
	return out
}

// DeleteFault removes one fault rule.
func (s *Server) DeleteFault(id string) bool { return s.srv.Faults().Delete(id) }

// ClearFaults removes every fault rule.
func (s *Server) ClearFaults() { s.srv.Faults().Clear() }

// ThrottleNext makes the next n API requests of account key answer a
// throttled 429 (Retry-After: 1), indistinguishable from a real one. Like
// AddFault, it returns the fault rule it added (DeleteFault lifts it
// early), or why it could not.
func (s *Server) ThrottleNext(key string, n int) (Fault, error) {
	r, err := s.srv.Handler().Admin().ThrottleNext(key, n, 1)
	if err != nil {
		return Fault{}, fmt.Errorf("klaviyomock: %w", err)
	}
	return faultOf(r), nil
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
