package handlers

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/clock"
)

// recorder wraps the ResponseWriter of one request: it carries the request
// id and what later steps learned (account, revision, operation) to the
// access log, and records the status and size written.
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
}

func (rec *recorder) WriteHeader(code int) {
	if rec.status == 0 {
		rec.status = code
	}
	rec.ResponseWriter.WriteHeader(code)
}

func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
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

// observe gives each request an id, turns a panic into a logged
// Klaviyo-shaped 500, and writes one access-log line.
func (h *Handler) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := clock.StartStopwatch()
		rec := &recorder{ResponseWriter: w, id: fmt.Sprintf("req-%08d", h.reqSeq.Add(1))}
		defer func() {
			v := recover()
			if v == http.ErrAbortHandler {
				h.opts.Logger.Info("request dropped", "request_id", rec.id, "method", r.Method,
					"path", r.URL.Path, "fault", rec.fault)
				panic(v)
			}
			if v != nil {
				h.opts.Logger.Error("panic serving request", "request_id", rec.id,
					"method", r.Method, "path", r.URL.Path, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				if rec.status == 0 {
					h.writeErrors(rec, r, apierror.Style{Modern: true}, apierror.Server(http.StatusInternalServerError))
				}
			}
			level := slog.LevelInfo
			if rec.status >= 500 {
				level = slog.LevelError
			}
			h.opts.Logger.LogAttrs(r.Context(), level, "request",
				slog.String("request_id", rec.id),
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.String("query", r.URL.RawQuery),
				slog.Int("status", rec.status),
				slog.Int("bytes", rec.bytes),
				slog.String("account", rec.account),
				slog.String("revision", rec.revision),
				slog.String("operation", rec.op),
				slog.String("fault", rec.fault),
				slog.Duration("duration", sw.Elapsed()),
			)
		}()
		next.ServeHTTP(rec, r)
	})
}
