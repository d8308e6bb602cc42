package handlers

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/admin"
	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/httpx"
	"github.com/klaviyo-mock/mockserver/internal/journal"
	"github.com/klaviyo-mock/mockserver/internal/secret"
)

// observe gives each request an id, caps its headers and body, turns a
// panic into a logged Klaviyo-shaped 500, writes one access-log line and
// records API requests in the journal. An API request's id is the
// x-klaviyo-req-id its answer carries, so the client's id finds its log
// lines and its journal entry; a control API request's is req-<n>.
func (h *Handler) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o := h.newObserved(w, r)
		rec := &o.rec
		defer func() {
			v := recover()
			if v != nil && v != http.ErrAbortHandler {
				h.opts.Logger.Error("panic serving request", "request_id", rec.ID,
					"method", r.Method, "path", admin.ShownPath(r), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if rec.Status == 0 {
					h.errs.Write(rec, apierror.Style{Modern: true}, apierror.Server(http.StatusInternalServerError))
				}
			}
			o.StatusKnown() // dropped connections and handlers that wrote nothing
			if buf := rec.CapturedBuffer(); o.entry != nil && buf != nil {
				h.opts.Journal.CompleteOwned(o.entry, rec.Header(), buf, rec.Captured)
			} else if o.entry != nil {
				h.opts.Journal.Complete(o.entry, rec.Header(), rec.CapturedBody(), rec.Captured)
			}
			h.logRequest(r, rec, o.sw)
			h.release(o)
			if v == http.ErrAbortHandler {
				panic(v)
			}
		}()
		o.path = escapedPath(r.URL)
		if aerr := h.checkLimits(r, o.hd.size, o.path); aerr != nil {
			h.errs.Write(rec, apierror.Style{Modern: true}, aerr)
			return
		}
		if httpx.HasBody(r) {
			rec.Body = h.meterBody(w, r, o.api)
			defer rec.Body.Release()
			if o.api {
				// The control API has its own, larger cap.
				r.Body = http.MaxBytesReader(rec, r.Body, h.opts.MaxBodyBytes)
				o.tap = h.tapBody(r) // outermost, for readBody to find
			}
		}
		next.ServeHTTP(rec, r)
	})
}

// newObserved starts following r, answered through w: its id, its
// recorder, its journal entry begun, its headers walked once.
func (h *Handler) newObserved(w http.ResponseWriter, r *http.Request) *observed {
	// One value holds what every step of the request shares: a request
	// answered before gave it back (release), or a new one.
	o, _ := h.observed.Get().(*observed)
	if o == nil {
		o = new(observed)
	}
	o.h, o.r, o.api = h, r, !strings.HasPrefix(r.URL.Path, admin.Prefix)
	started, sw := h.opts.Clock.Start() // one reading of the machine's time
	o.started, o.sw = started, sw
	rec := &o.rec
	rec.ResponseWriter = w
	rec.State = o
	if o.api {
		id := h.reqIDs.NextValue() // the id and its header slice in one allocation
		rec.ID = id[0]
		w.Header()[keyReqID] = id
	} else {
		rec.ID = requestID(h.reqSeq.Add(1))
	}
	if o.api && h.opts.Journal.Cap() > 0 {
		rec.CaptureMax = journal.MaxBody
		rec.Buffers = h.opts.Journal // answers it dropped
		// The journal's walk over the headers is the request's one.
		o.entry = h.opts.Journal.Begin(r.Header, &o.hd)
		o.entry.Time = started
	} else {
		o.hd.see(r.Header)
	}
	rec.OnStatus = o
	return o
}

// release gives o back for a later request once its request is answered:
// nothing refers to it then (the journal's entry, the log line and the
// caches keep strings and buffers of their own; net/http reads neither
// the writer nor the body a handler set after the handler returns). It is
// cleared first, so it pins nothing of the request.
func (h *Handler) release(o *observed) {
	*o = observed{}
	h.observed.Put(o)
}

// observed is one request as observe follows it: its recorder, what its
// journal entry is made of, the headers its steps read (noted in one walk)
// and the pipeline's call of an API request (see newCall), in the one
// allocation every step shares. The steps after observe find it as their
// recorder's State.
type observed struct {
	rec  httpx.Recorder
	call call
	h    *Handler
	r    *http.Request
	hd   requestHeaders
	// path is r's path as sent, escaped (escapedPath), for the size check
	// and the cache's key.
	path string
	// started is the clock's reading when the request came: the journal
	// entry's time, and the day its revision is resolved at.
	started time.Time
	sw      clock.Stopwatch
	tap     *bodyTap
	// entry is the request's journal entry: begun (journal.Begin), with
	// its time, when the request comes, filled in and added once its
	// status is known (journaled).
	entry                  *journal.Entry
	api, called, journaled bool
}

// StatusKnown records an API request in the journal, once: when its status
// is known, before its answer is sent.
func (o *observed) StatusKnown() {
	if o.api && !o.journaled {
		o.journaled = true
		o.h.journal(o)
	}
}

// bodyTap returns the journal's tap on the request's body (nil: none, or
// o is nil).
func (o *observed) bodyTap() *bodyTap {
	if o == nil {
		return nil
	}
	return o.tap
}

// firstValue is the first of a header's values ("" for none), as
// http.Header.Get answers.
func firstValue(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// requestID is "req-" and n in at least eight digits.
func requestID(n uint64) string {
	var digits [20]byte
	d := strconv.AppendUint(digits[:0], n, 10)
	var b [32]byte
	out := append(b[:0], "req-"...)
	for i := len(d); i < 8; i++ {
		out = append(out, '0')
	}
	return string(append(out, d...))
}

// logRequest writes the access-log line of a request: at debug level (the
// request journal, GET /__admin/requests, is where requests are inspected;
// --log-level debug prints every one), at error level for a 5xx.
func (h *Handler) logRequest(r *http.Request, rec *httpx.Recorder, sw clock.Stopwatch) {
	level := slog.LevelDebug
	if rec.Status >= 500 {
		level = slog.LevelError
	}
	if !h.opts.Logger.Enabled(r.Context(), level) {
		return
	}
	h.opts.Logger.LogAttrs(r.Context(), level, "request",
		slog.String("request_id", rec.ID),
		slog.String("method", r.Method),
		slog.String("path", admin.ShownPath(r)),
		slog.String("query", admin.ShownQuery(r)),
		slog.Int("status", rec.Status),
		slog.Int("bytes", rec.Bytes),
		slog.String("account", secret.Fingerprint(rec.Account)),
		slog.String("revision", rec.Revision),
		slog.String("operation", rec.Op),
		slog.String("fault", rec.Fault),
		slog.Bool("dropped", rec.Dropped),
		slog.Duration("duration", sw.Elapsed()),
	)
}

// journal fills in the entry begun for o's request, in place, and adds it
// to the journal (nothing when the journal is off).
func (h *Handler) journal(o *observed) {
	e := o.entry
	if e == nil {
		return
	}
	r, rec := o.r, &o.rec
	path, query := r.URL.Path, r.URL.RawQuery
	if len(r.RequestURI) > 2*journal.MaxURLPart {
		// They may share the request line's string: copies pin less.
		path, query = strings.Clone(path), strings.Clone(query)
	}
	e.RequestID, e.Method, e.Path, e.Query = rec.ID, r.Method, path, query
	e.Status, e.Revision, e.RequestedRevision = rec.Status, rec.Revision, firstValue(o.hd.revision)
	e.Account, e.Operation, e.Fault = rec.Account, rec.Op, rec.Fault
	e.DurationMicros = o.sw.Elapsed().Microseconds()
	if o.tap != nil {
		e.Body, e.Truncated = o.tap.body()
	}
	h.opts.Journal.Add(e)
}
