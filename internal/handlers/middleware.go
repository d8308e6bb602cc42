package handlers

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/journal"
	"github.com/klaviyo-mock/mockserver/internal/secret"
)

// adminPrefix starts every control API path.
const adminPrefix = "/__admin"

// recorder wraps the ResponseWriter of one request: it carries the request
// id and what later steps learned (account, revision, operation, fault) to
// the access log and the journal, and records the status and size written.
type recorder struct {
	http.ResponseWriter
	id       string
	status   int
	bytes    int
	account  string
	revision string
	op       string
	fault    string
	dropped  bool
	// body is the request's body as metered against the body allowance
	// (nil without a body).
	body *bodyMeter
	// onStatus runs once, when the status is known and before any byte of
	// the response is sent (so a client never sees a response whose journal
	// entry is missing).
	onStatus func()
}

func (rec *recorder) setStatus(code int) {
	if rec.status == 0 {
		rec.status = code
		if rec.onStatus != nil {
			rec.onStatus()
		}
	}
}

func (rec *recorder) WriteHeader(code int) {
	rec.setStatus(code)
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(b []byte) (int, error) {
	rec.setStatus(http.StatusOK)
	n, err := rec.ResponseWriter.Write(b)
	rec.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (rec *recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// recorderOf returns the request's recorder (a throwaway one outside observe).
func recorderOf(w http.ResponseWriter) *recorder {
	if rec, ok := w.(*recorder); ok {
		return rec
	}
	return &recorder{ResponseWriter: w}
}

// tapBody puts a bodyTap on r's body when the journal keeps bodies.
func (h *Handler) tapBody(r *http.Request) *bodyTap {
	if h.opts.Journal.Cap() == 0 {
		return nil
	}
	tap := &bodyTap{ReadCloser: r.Body}
	r.Body = tap
	return tap
}

// bodyTap keeps the first journal.MaxBody bytes a handler reads.
type bodyTap struct {
	io.ReadCloser
	buf       bytes.Buffer
	truncated bool
}

func (t *bodyTap) Read(p []byte) (int, error) {
	n, err := t.ReadCloser.Read(p)
	if room := journal.MaxBody - t.buf.Len(); room > 0 {
		t.buf.Write(p[:min(n, room)])
		t.truncated = t.truncated || n > room
	} else if n > 0 {
		t.truncated = true
	}
	return n, err
}

// observe gives each request an id, caps its headers and body, turns a
// panic into a logged Klaviyo-shaped 500, writes one access-log line and
// records API requests in the journal.
func (h *Handler) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := clock.StartStopwatch()
		started := h.opts.Clock.Now()
		rec := &recorder{ResponseWriter: w, id: requestID(h.reqSeq.Add(1))}
		api := !strings.HasPrefix(r.URL.Path, adminPrefix)
		var tap *bodyTap
		journaled := false
		record := func() {
			if api && !journaled {
				journaled = true
				h.journal(r, rec, tap, started, sw)
			}
		}
		rec.onStatus = record
		defer func() {
			v := recover()
			if v != nil && v != http.ErrAbortHandler {
				h.opts.Logger.Error("panic serving request", "request_id", rec.id,
					"method", r.Method, "path", shownPath(r), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if rec.status == 0 {
					h.writeErrors(rec, r, apierror.Style{Modern: true}, apierror.Server(http.StatusInternalServerError))
				}
			}
			record() // dropped connections and handlers that wrote nothing
			h.logRequest(r, rec, sw)
			if v == http.ErrAbortHandler {
				panic(v)
			}
		}()
		if aerr := h.checkLimits(r); aerr != nil {
			h.writeErrors(rec, r, apierror.Style{Modern: true}, aerr)
			return
		}
		if hasBody(r) {
			rec.body = h.meterBody(w, r)
			defer rec.body.close()
			if api {
				tap = h.tapBody(r)
				// The control API has its own, larger cap.
				r.Body = http.MaxBytesReader(rec, r.Body, h.opts.MaxBodyBytes)
			}
		}
		next.ServeHTTP(rec, r)
	})
}

// checkLimits refuses requests whose headers are larger than allowed, as a
// Klaviyo-shaped 431 (the server's own hard cap is above this one), and
// those whose declared body is over its route's cap (a 413).
func (h *Handler) checkLimits(r *http.Request) *apierror.Error {
	size := len(r.Method) + len(r.URL.RequestURI()) + len(r.Host)
	for k, vs := range r.Header {
		for _, v := range vs {
			size += len(k) + len(v) + 4
		}
	}
	if size > h.opts.MaxHeaderBytes {
		return apierror.HeaderTooLarge(fmt.Sprintf(
			"The request line and headers are %d bytes; the maximum is %d.", size, h.opts.MaxHeaderBytes))
	}
	return h.declaredTooLarge(r)
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
func (h *Handler) logRequest(r *http.Request, rec *recorder, sw clock.Stopwatch) {
	level := slog.LevelDebug
	if rec.status >= 500 {
		level = slog.LevelError
	}
	if !h.opts.Logger.Enabled(r.Context(), level) {
		return
	}
	h.opts.Logger.LogAttrs(r.Context(), level, "request",
		slog.String("request_id", rec.id),
		slog.String("method", r.Method),
		slog.String("path", shownPath(r)),
		slog.String("query", shownQuery(r)),
		slog.Int("status", rec.status),
		slog.Int("bytes", rec.bytes),
		slog.String("account", secret.Fingerprint(rec.account)),
		slog.String("revision", rec.revision),
		slog.String("operation", rec.op),
		slog.String("fault", rec.fault),
		slog.Bool("dropped", rec.dropped),
		slog.Duration("duration", sw.Elapsed()),
	)
}

// journal records one API request.
func (h *Handler) journal(r *http.Request, rec *recorder, tap *bodyTap, started time.Time, sw clock.Stopwatch) {
	if h.opts.Journal.Cap() == 0 {
		return
	}
	path, query := r.URL.Path, r.URL.RawQuery
	if len(r.RequestURI) > 2*journal.MaxURLPart {
		// They may share the request line's string: copies pin less.
		path, query = strings.Clone(path), strings.Clone(query)
	}
	e := journal.Entry{
		RequestID:         rec.id,
		Time:              started,
		Method:            r.Method,
		Path:              path,
		Query:             query,
		Headers:           r.Header, // Record keeps what it needs, as it needs
		Status:            rec.status,
		Revision:          rec.revision,
		RequestedRevision: r.Header.Get("revision"),
		Account:           rec.account,
		Operation:         rec.op,
		Fault:             rec.fault,
		DurationMicros:    sw.Elapsed().Microseconds(),
	}
	if tap != nil {
		e.Body, e.Truncated = tap.buf.String(), tap.truncated
	}
	h.opts.Journal.Record(e)
}
