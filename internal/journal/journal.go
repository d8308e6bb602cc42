// Package journal records the requests the emulator served, so tests can
// check what their client sent (WireMock's request journal). It is bounded
// twice: in entries and in bytes, with every entry's headers, query and body
// capped, so no request (however large its headers) and no number of
// requests can make it hold more than its budget. Credentials are redacted
// unless asked for, and accounts are shown by their fingerprint. It knows
// nothing of HTTP beyond plain values.
package journal

import (
	"hash/maphash"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/klaviyo-mock/mockserver/internal/secret"
)

// Options bound a journal.
type Options struct {
	// Entries is the most entries kept (0 disables the journal).
	Entries int
	// Bytes is the most bytes the entries may hold together (0: no byte
	// bound besides the per-entry caps); the oldest entries go first.
	Bytes int64
	// KeepCredentials keeps Authorization, Cookie and similar header values
	// as sent instead of redacting them, and shows each entry's whole
	// account key instead of its fingerprint.
	KeepCredentials bool
}

// Journal keeps the newest entries within its bounds. Safe for concurrent
// use.
type Journal struct {
	opts Options
	// seed hashes account keys: entries keep a key's hash (for filters)
	// and its fingerprint, never the key itself unless KeepCredentials.
	seed maphash.Seed

	// spare is an entry dropped after its answer was added: nothing refers
	// to it any more (readers get copies), so the next Record fills it, and
	// its header lists, instead of allocating. lastKey is the account shown
	// last, as most requests follow one of the same account.
	spare   atomic.Pointer[Entry]
	lastKey atomic.Pointer[shownKey]
	// lastSecret is the credential header redacted last, as most
	// requests send the same one as the request before.
	lastSecret atomic.Pointer[redaction]
	// free holds the buffers of answers dropped unseen.
	free freeBuffers

	mu      sync.Mutex
	entries []*Entry // ring of len opts.Entries
	start   int      // index of the oldest entry
	n       int      // entries held
	bytes   int64    // their estimated size
	seq     uint64
}

// New returns a journal bounded by o.
func New(o Options) *Journal {
	return &Journal{opts: o, seed: maphash.MakeSeed(), entries: make([]*Entry, max(o.Entries, 0))}
}

// Cap returns the most entries the journal keeps.
func (j *Journal) Cap() int { return len(j.entries) }

// Options returns the journal's bounds.
func (j *Journal) Options() Options { return j.opts }

// Record caps and redacts e, then appends it, dropping the oldest entries
// while either bound would be exceeded. It returns the entry held, for
// Complete (nil when the journal is off).
func (j *Journal) Record(e Entry) *Entry {
	p := j.Begin(e.Headers, nil)
	if p == nil {
		return nil
	}
	k, cut, resp := p.reqHeaders, p.HeadersTruncated, p.respList
	*p = e
	p.Headers, p.reqHeaders, p.respList = nil, k, resp
	p.HeadersTruncated = e.HeadersTruncated || cut
	return j.Add(p)
}

// Add caps and redacts an entry Begin returned, filled in place, then
// appends it as Record does, and returns it for Complete (nil for nil).
func (j *Journal) Add(p *Entry) *Entry {
	if p == nil {
		return nil
	}
	j.trim(p)
	size := p.size()
	p.bytes = size
	j.mu.Lock() // held only to link it in
	defer j.mu.Unlock()
	for j.n > 0 && (j.n == len(j.entries) || (j.opts.Bytes > 0 && j.bytes+size > j.opts.Bytes)) {
		j.dropOldestLocked()
	}
	j.seq++
	p.Seq = j.seq
	p.held = true
	j.entries[(j.start+j.n)%len(j.entries)] = p
	j.n++
	j.bytes += size
	return p
}

// Complete adds the answer to entry h (Record's), once it is written: its
// headers, capped and redacted as a request's, and the first MaxBody bytes
// of its body. An entry the journal dropped since is left as it is.
// headers may be the response's live map: the entry keeps a map of its
// own (sharing the value slices, which a writer replaces, never edits).
func (j *Journal) Complete(h *Entry, headers map[string][]string, body string, truncated bool) {
	if h == nil {
		return
	}
	if len(body) > MaxBody {
		body, truncated = strings.Clone(body[:MaxBody]), true
	}
	j.complete(h, headers, body, nil, truncated)
}

// CompleteOwned is Complete with the body's first MaxBody bytes as a
// buffer the journal now owns: it keeps it as it is, without a copy, and
// gives it to a later answer (ResponseBuffer) once the entry is dropped
// unseen. The caller must not use body afterwards.
func (j *Journal) CompleteOwned(h *Entry, headers map[string][]string, body []byte, truncated bool) {
	if h == nil {
		return
	}
	if len(body) > MaxBody {
		j.Complete(h, headers, string(body), truncated)
		return
	}
	j.complete(h, headers, unsafe.String(unsafe.SliceData(body), len(body)), body, truncated)
}

// complete adds the answer to h: body, made of buf when the journal owns
// it.
func (j *Journal) complete(h *Entry, headers map[string][]string, body string, buf []byte, truncated bool) {
	resp, _ := j.keep(headers, h.respList, nil)
	j.mu.Lock()
	defer j.mu.Unlock()
	if !h.held {
		return
	}
	before := h.bytes
	h.answered, h.respList, h.respBuf = true, nil, buf
	h.respHeaders, h.ResponseHeaders, h.ResponseBody, h.ResponseTruncated = resp, nil, body, truncated
	h.bytes = h.size()
	j.bytes += h.bytes - before
	for j.n > 1 && j.opts.Bytes > 0 && j.bytes > j.opts.Bytes && j.entries[j.start] != h {
		j.dropOldestLocked()
	}
}

func (j *Journal) dropOldestLocked() {
	if old := j.entries[j.start]; old.answered {
		if old.respBuf != nil && !old.lent {
			j.free.put(old.respBuf)
		}
		old.respBuf = nil
		j.spare.Store(old)
	}
	j.entries[j.start].held = false
	j.bytes -= j.entries[j.start].bytes
	j.entries[j.start] = nil
	j.start = (j.start + 1) % len(j.entries)
	j.n--
}

// trim applies the per-entry caps and redaction to e (a private copy)
// besides its headers, which Begin kept. Strings within their caps are
// kept as they are (net/http gives every header value its own string, and
// the caller clones path and query when the request line is large); cut
// strings are copied, so an entry never pins a larger request buffer.
func (j *Journal) trim(e *Entry) {
	e.Path = capString(e.Path, MaxURLPart)
	e.Query = capString(e.Query, MaxURLPart)
	e.RequestedRevision = capString(e.RequestedRevision, 64)
	j.showAccount(e)
	if len(e.Body) > MaxBody {
		e.Body, e.Truncated = e.Body[:MaxBody], true
	}
}

// showAccount replaces e's account key by its fingerprint (unless the
// journal keeps credentials), keeping a hash of the key for filters.
func (j *Journal) showAccount(e *Entry) {
	if e.Account == "" {
		return
	}
	k := j.lastKey.Load()
	if k == nil || k.key != e.Account {
		k = &shownKey{key: e.Account, fp: secret.Fingerprint(e.Account), hash: maphash.String(j.seed, e.Account)}
		j.lastKey.Store(k)
	}
	e.keyHash, e.fp = k.hash, k.fp
	if j.opts.KeepCredentials {
		e.Account = capString(e.Account, MaxHeaderValue)
	} else {
		e.Account = e.fp
	}
}

// shownKey is an account key with its fingerprint and hash. The key is
// kept only to be compared with the next one, never shown.
type shownKey struct {
	key, fp string
	hash    uint64
}

// reuse returns a reused entry's header list, emptied: keep overwrites
// its elements and clears those past the headers it keeps, so it pins no
// header of the request it held (clearing it all first cost as much
// again, the elements holding pointers).
func reuse(list []header) []header { return list[:0] }

// capString returns s cut to at most n bytes; a cut string is a copy, so
// the entry does not pin the larger request buffer it came from.
func capString(s string, n int) string {
	if len(s) > n {
		return strings.Clone(s[:n])
	}
	return s
}
