// Package journal records the requests the emulator served, in a capped
// ring, so tests can check what their client sent (WireMock's request
// journal). It knows nothing of HTTP beyond plain values.
package journal

import (
	"strings"
	"sync"
	"time"
)

// DefaultCap is the number of entries kept by default.
const DefaultCap = 1000

// MaxBody is how much of a request body an entry keeps.
const MaxBody = 64 << 10

// Entry is one request and the emulator's answer.
type Entry struct {
	Seq       uint64              `json:"seq"`
	RequestID string              `json:"request_id"`
	Time      time.Time           `json:"time"`
	Method    string              `json:"method"`
	Path      string              `json:"path"`
	Query     string              `json:"query"`
	Headers   map[string][]string `json:"headers"`
	Body      string              `json:"body,omitempty"`
	Truncated bool                `json:"body_truncated,omitempty"`
	Status    int                 `json:"status"`
	// Revision is the revision that served the request ("" when refused
	// before one was resolved); RequestedRevision is the header as sent.
	Revision          string `json:"revision"`
	RequestedRevision string `json:"requested_revision"`
	Account           string `json:"account"`
	Operation         string `json:"operation"`
	Fault             string `json:"fault,omitempty"`
	DurationMicros    int64  `json:"duration_us"`
}

// Filter selects entries; empty fields match anything.
type Filter struct {
	Method, PathPrefix, Account, Revision, Operation string
	Status                                           int
	// Limit keeps only the newest Limit matches (0: all).
	Limit int
}

func (f Filter) matches(e *Entry) bool {
	return (f.Method == "" || strings.EqualFold(f.Method, e.Method)) &&
		(f.PathPrefix == "" || strings.HasPrefix(e.Path, f.PathPrefix)) &&
		(f.Account == "" || f.Account == e.Account) &&
		(f.Revision == "" || f.Revision == e.Revision) &&
		(f.Operation == "" || f.Operation == e.Operation) &&
		(f.Status == 0 || f.Status == e.Status)
}

// Journal is a ring of the last Cap entries. Safe for concurrent use.
type Journal struct {
	mu      sync.Mutex
	entries []Entry
	next    int
	full    bool
	seq     uint64
}

// New returns a journal keeping at most capacity entries (0 disables it).
func New(capacity int) *Journal {
	return &Journal{entries: make([]Entry, capacity)}
}

// Cap returns the journal's capacity.
func (j *Journal) Cap() int { return len(j.entries) }

// Record appends e, dropping the oldest entry when full.
func (j *Journal) Record(e Entry) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.entries) == 0 {
		return
	}
	j.seq++
	e.Seq = j.seq
	j.entries[j.next] = e
	j.next++
	if j.next == len(j.entries) {
		j.next, j.full = 0, true
	}
}

// List returns the matching entries, oldest first.
func (j *Journal) List(f Filter) []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := []Entry{}
	n := j.next
	start := 0
	if j.full {
		n = len(j.entries)
		start = j.next
	}
	for i := 0; i < n; i++ {
		e := &j.entries[(start+i)%len(j.entries)]
		if f.matches(e) {
			out = append(out, *e)
		}
	}
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[len(out)-f.Limit:]
	}
	return out
}

// Len returns the number of entries held.
func (j *Journal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.full {
		return len(j.entries)
	}
	return j.next
}

// Clear drops every entry.
func (j *Journal) Clear() {
	j.mu.Lock()
	defer j.mu.Unlock()
	clear(j.entries)
	j.next, j.full = 0, false
}
