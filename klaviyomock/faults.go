package klaviyomock

import (
	"fmt"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/faults"
)

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
