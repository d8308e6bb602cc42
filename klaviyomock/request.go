package klaviyomock

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/revision"
)

// DefaultKey is the private API key Key returns and NewRequest and Do
// send. It is an ordinary key: any well-formed key ("pk_" and 34 letters
// and digits) reaches an account of its own, seeded alike.
const DefaultKey = "pk_0123456789abcdef0123456789abcdef01"

// Key returns the key NewRequest and Do authenticate with: DefaultKey.
// Pass it to the package's account methods (Items, JobsOf, CompleteJobs,
// …) to reach the account those requests use.
func (s *Server) Key() string { return DefaultKey }

// Revision returns the newest revision the server serves, the one
// NewRequest and Do send, e.g. "2026-07-15".
func (s *Server) Revision() string { return s.newest }

// NewRequest returns a request to the server's API as a Klaviyo SDK makes
// it: path (with its query, e.g. "/api/catalog-items?page[size]=5") after
// URL(), the header revision set to Revision(), Authorization to
// "Klaviyo-API-Key " + Key(), Accept to application/vnd.api+json, and,
// when body is not nil, Content-Type to application/vnd.api+json. Change a
// header to send another key or revision:
//
//	req, _ := m.NewRequest("GET", "/api/catalog-items", nil)
//	req.Header.Set("revision", "2024-10-15")
//	res, err := http.DefaultClient.Do(req)
func (s *Server) NewRequest(method, path string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequest(method, s.url+path, body)
	if err != nil {
		return nil, fmt.Errorf("klaviyomock: %w", err)
	}
	req.Header.Set("revision", s.Revision())
	req.Header.Set("Authorization", "Klaviyo-API-Key "+s.Key())
	req.Header.Set("Accept", "application/vnd.api+json")
	if body != nil {
		req.Header.Set("Content-Type", "application/vnd.api+json")
	}
	return req, nil
}

// Do sends NewRequest(method, path, body) with http.DefaultClient (an
// empty body sends none) and returns the response, whose Body the caller
// closes.
func (s *Server) Do(method, path, body string) (*http.Response, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := s.NewRequest(method, path, rd)
	if err != nil {
		return nil, err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("klaviyomock: %w", err)
	}
	return res, nil
}

// CompleteJobs completes every job of account key still in progress now,
// as POST /__admin/accounts/{key}/jobs/complete does: their remaining
// elements are applied at the server clock's reading, so a test need not
// know the job duration (--job-duration, 5s by default) or move the clock.
// It returns how many jobs it completed.
func (s *Server) CompleteJobs(key string) (int, error) {
	a, err := s.srv.Store().Account(s.accountKey(key))
	if err != nil {
		return 0, fmt.Errorf("klaviyomock: %w", err)
	}
	return a.CompleteJobs(), nil
}

// newestRevision is the newest revision of the revision table the server
// serves.
func newestRevision() string {
	all := revision.Default().All()
	return all[len(all)-1].Date
}
