package journal

import (
	"hash/maphash"
	"strings"
	"time"
)

// Defaults and per-entry caps.
const (
	// DefaultCap is the number of entries kept by default.
	DefaultCap = 1000
	// MaxBody is how much of a request body an entry keeps.
	MaxBody = 16 << 10
	// MaxHeaderValue is how much of one header value an entry keeps.
	MaxHeaderValue = 1 << 10
	// MaxHeaders is how many header bytes (names and values) an entry keeps;
	// headers past it are left out and HeadersTruncated is set.
	MaxHeaders = 8 << 10
	// MaxURLPart is how much of the path and of the query an entry keeps.
	MaxURLPart = 4 << 10
	// entryOverhead is what an entry costs besides its strings.
	entryOverhead = 512
)

// Entry is one request and the emulator's answer.
type Entry struct {
	Seq              uint64              `json:"seq"`
	RequestID        string              `json:"request_id"`
	Time             time.Time           `json:"time"`
	Method           string              `json:"method"`
	Path             string              `json:"path"`
	Query            string              `json:"query"`
	Headers          map[string][]string `json:"headers"`
	HeadersTruncated bool                `json:"headers_truncated,omitempty"`
	Body             string              `json:"body,omitempty"`
	Truncated        bool                `json:"body_truncated,omitempty"`
	Status           int                 `json:"status"`
	// Revision is the revision that served the request ("" when refused
	// before one was resolved); RequestedRevision is the header as sent.
	Revision          string `json:"revision"`
	RequestedRevision string `json:"requested_revision"`
	// Account is the account's fingerprint (secret.Fingerprint), or its
	// whole key when the journal keeps credentials; Record sets it from the
	// whole key the caller puts here.
	Account        string `json:"account"`
	Operation      string `json:"operation"`
	Fault          string `json:"fault,omitempty"`
	DurationMicros int64  `json:"duration_us"`
	// ResponseHeaders and ResponseBody are the answer's, capped and
	// redacted as the request's are (set by Complete once it is written).
	ResponseHeaders   map[string][]string `json:"response_headers,omitempty"`
	ResponseBody      string              `json:"response_body,omitempty"`
	ResponseTruncated bool                `json:"response_body_truncated,omitempty"`

	bytes int64 // the entry's size, set by Record
	// reqHeaders and respHeaders are Headers and ResponseHeaders as kept
	// (capped and redacted), until a reader asks for the maps (shown).
	reqHeaders, respHeaders kept
	held                    bool // the journal still holds it
	answered                bool // Complete added the answer while it was held
	// respList is the list of a reused entry's answer headers, for
	// Complete to fill again.
	respList []header
	// respBuf is the buffer ResponseBody is made of when the journal was
	// handed it (CompleteOwned), given to a later answer once the entry
	// is dropped. lent is set once a reader was shown the entry: its
	// buffer is never reused, as the reader's copy shares it.
	respBuf []byte
	lent    bool
	fp      string // the account's fingerprint, set by Record
	keyHash uint64 // a hash of the account's whole key, set by Record
}

// size estimates the bytes an entry holds.
func (e *Entry) size() int64 {
	n := entryOverhead + len(e.RequestID) + len(e.Method) + len(e.Path) + len(e.Query) + len(e.Body) +
		len(e.Revision) + len(e.RequestedRevision) + len(e.Account) + len(e.Operation) + len(e.Fault)
	if e.fp != e.Account { // the whole key is shown
		n += len(e.fp)
	}
	n += e.reqHeaders.bytes + e.respHeaders.bytes + len(e.ResponseBody)
	return int64(n)
}

// Filter selects entries; empty fields match anything. Account matches an
// account's whole key or its fingerprint; RequestID is the x-klaviyo-req-id
// the client received.
type Filter struct {
	Method, PathPrefix, Account, Revision, Operation, RequestID string
	Status                                                      int
	// After keeps only entries recorded after the one of this Seq (a live
	// view asks for what is new since its last look).
	After uint64
	// Limit keeps only the newest Limit matches (0: all).
	Limit int
}

// matcher returns f's test of an entry (the key's hash taken once).
func (j *Journal) matcher(f Filter) func(*Entry) bool {
	h := maphash.String(j.seed, f.Account)
	return func(e *Entry) bool { return f.matches(e, h) }
}

func (f Filter) matches(e *Entry, keyHash uint64) bool {
	return (f.Method == "" || strings.EqualFold(f.Method, e.Method)) &&
		(f.PathPrefix == "" || strings.HasPrefix(e.Path, f.PathPrefix)) &&
		(f.Account == "" || f.Account == e.fp || keyHash == e.keyHash) &&
		(f.Revision == "" || f.Revision == e.Revision) &&
		(f.Operation == "" || f.Operation == e.Operation) &&
		(f.RequestID == "" || f.RequestID == e.RequestID) &&
		(f.Status == 0 || f.Status == e.Status) &&
		e.Seq > f.After
}
