package klaviyomock

import (
	"net/http"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/journal"
	"github.com/klaviyo-mock/mockserver/internal/secret"
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

// Fingerprint returns how the server shows the account key key in its
// journal, logs and control API answers: its kind, an ellipsis and its last
// characters ("pk_…ef01", "bearer:…wxyz"), never the whole key.
func Fingerprint(key string) string { return secret.Fingerprint(key) }

func requestOf(e journal.Entry) Request {
	return Request{
		Seq: e.Seq, RequestID: e.RequestID, Time: e.Time, Method: e.Method, Path: e.Path, Query: e.Query,
		Headers: http.Header(e.Headers).Clone(), Body: e.Body, BodyTruncated: e.Truncated, Status: e.Status,
		Revision: e.Revision, RequestedRevision: e.RequestedRevision, Account: e.Account,
		Operation: e.Operation, Fault: e.Fault, Duration: time.Duration(e.DurationMicros) * time.Microsecond,
	}
}

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
