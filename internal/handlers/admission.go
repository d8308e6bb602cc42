package handlers

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/clock"
)

// Request bodies are read, decoded and validated in memory; a decoded
// document takes several times the bytes of its text. A request takes room
// for its body in the shared allowance of Options.BodyBytes as the bytes
// arrive (bodyMeter): before each read, the inflation times the bytes the
// read may return; after it, back what was not filled. What was filled is
// held until the request is answered. So no number of concurrent uploads
// can take the process past its memory budget, and a body holds room for
// what it sent, not for what it declared: one that sends slowly holds
// little, and one that falls below the minimum rate is ended.
const (
	// apiInflation bounds the memory an API body takes per byte read
	// (the body, its decoded tree and the validated request).
	apiInflation = 4
	// adminInflation bounds the same for control API documents (the
	// decoded states and the store values made from them).
	adminInflation = 8
	// admissionWait is how long a read waits for room before the request
	// is answered with a 429.
	admissionWait = 10 * time.Second
	// bodyWindowMin and bodyWindowMax bound the bytes one read may return:
	// the first reads of a body take room for 1 KiB, and the window
	// doubles with each read that fills it.
	bodyWindowMin = 1 << 10
	bodyWindowMax = 64 << 10
)

// errBodyTooSlow ends a body that arrives below the minimum rate (a 408).
var errBodyTooSlow = errors.New("the request body arrived below the minimum rate")

// hasBody reports whether r may carry a body to read.
func hasBody(r *http.Request) bool {
	return r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0
}

// bodyMeter is a request's body as the handlers read it: it takes room in
// the allowance as bytes arrive and holds the client to the minimum rate
// (a read deadline on the connection: after Options.BodyGrace, the body
// must have arrived at Options.BodyRate bytes a second on average, not
// counting the time spent waiting for room).
type bodyMeter struct {
	h    *Handler
	w    http.ResponseWriter
	path string
	src  io.ReadCloser
	acct *account
	rc   *http.ResponseController // nil when the connection takes no deadline
	// raw is the inflation of the bytes read from src: 0 for a compressed
	// body, metered once decompressed (decoded) at inflation.
	raw, inflation int64
	window         int64

	started  bool
	sw       clock.Stopwatch // from the first read (when any 100 Continue is sent)
	waited   time.Duration   // waiting for room, which the rate does not count
	received int64
	err      error
}

// meterBody makes r's body a bodyMeter; close it when r is answered.
func (h *Handler) meterBody(w http.ResponseWriter, r *http.Request) *bodyMeter {
	m := &bodyMeter{h: h, w: w, path: r.URL.Path, src: r.Body, acct: h.body.open(),
		rc: http.NewResponseController(w), inflation: apiInflation, window: bodyWindowMin}
	if strings.HasPrefix(r.URL.Path, adminPrefix) {
		m.inflation = adminInflation
	}
	m.raw = m.inflation
	if enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc != "" && enc != "identity" && m.inflation == apiInflation {
		m.raw = 0
	}
	r.Body = m
	return m
}

// Read implements io.Reader.
func (m *bodyMeter) Read(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	if !m.started {
		m.started, m.sw = true, clock.StartStopwatch()
	}
	if m.raw == 0 {
		return m.timedRead(p)
	}
	return m.metered(p, m.raw, &m.window, m.timedRead)
}

// Close implements io.Closer.
func (m *bodyMeter) Close() error { return m.src.Close() }

// close gives back the request's room.
func (m *bodyMeter) close() { m.acct.close() }

// decoded meters src, m's body decompressed, against the allowance (m nil:
// src as it is).
func (m *bodyMeter) decoded(src io.Reader) io.Reader {
	if m == nil {
		return src
	}
	return &decodedBody{m: m, src: src, window: bodyWindowMin}
}

type decodedBody struct {
	m      *bodyMeter
	src    io.Reader
	window int64
}

func (d *decodedBody) Read(p []byte) (int, error) {
	if d.m.err != nil {
		return 0, d.m.err
	}
	return d.m.metered(p, d.m.inflation, &d.window, d.src.Read)
}

// metered reads into p with read, holding room for what it may return.
func (m *bodyMeter) metered(p []byte, inflation int64, window *int64, read func([]byte) (int, error)) (int, error) {
	if len(p) == 0 {
		return read(p)
	}
	want := min(int64(len(p)), *window)
	sw := clock.StartStopwatch()
	got, err := m.acct.take(inflation*min(want, bodyWindowMin), inflation*want, admissionWait, m.h.stopping)
	m.waited += sw.Elapsed()
	if err != nil {
		return 0, m.fail(err)
	}
	n := int(got / inflation)
	k, err := read(p[:n])
	m.acct.give(got - int64(k)*inflation)
	if k == n {
		*window = min(2**window, bodyWindowMax)
	}
	return k, err
}

// timedRead reads from the body with the deadline the minimum rate sets.
func (m *bodyMeter) timedRead(p []byte) (int, error) {
	if m.rc != nil {
		allowed := m.h.opts.BodyGrace + m.waited +
			time.Duration(float64(m.received)/float64(m.h.opts.BodyRate)*float64(time.Second))
		if m.rc.SetReadDeadline(m.sw.Deadline(allowed)) != nil {
			m.rc = nil
		}
	}
	n, err := m.src.Read(p)
	m.received += int64(n)
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		return n, m.fail(errBodyTooSlow)
	}
	return n, err
}

// fail ends the body with err; the connection is closed after the answer,
// as the rest of the body is never read.
func (m *bodyMeter) fail(err error) error {
	m.err = err
	m.w.Header().Set("Connection", "close")
	if err == errBodyTooSlow {
		m.h.opts.Logger.Warn("request body too slow: after the first "+m.h.opts.BodyGrace.String()+
			" a body must arrive at "+strconv.FormatInt(m.h.opts.BodyRate>>10, 10)+" KiB/s or more on average; send it whole, at once",
			"path", m.path, "received", m.received, "elapsed", m.sw.Elapsed())
	} else {
		m.h.opts.Logger.Warn("request body refused: the memory allowed for bodies is in use; retry, or raise --memory-budget",
			"path", m.path, "allowance", m.h.body.total)
	}
	return err
}

// bodyReadError is the answer to a body the meter ended, or nil for
// another read error.
func bodyReadError(err error) *apierror.Error {
	switch {
	case errors.Is(err, errBodyTooSlow):
		return apierror.RequestTimeout("The request body arrived too slowly.")
	case errors.Is(err, errNoRoom):
		return apierror.Throttled(1, true)
	}
	return nil
}

// apiBodyLimit is the most body bytes an API request is read for: the
// largest payload any revision accepts (a larger body is a 413 anyway).
func (h *Handler) apiBodyLimit() int64 {
	var n int64
	for _, p := range h.opts.Resources.Revisions().All() {
		n = max(n, p.MaxPayload)
	}
	return n + 1
}

// adminBodyLimit is the most bytes a control API body may have: what the
// allowance can hold at the control API's inflation.
func (h *Handler) adminBodyLimit() int64 {
	return min(h.body.total/adminInflation, maxAdminBody)
}

// declaredTooLarge is the 413 for a request whose declared Content-Length
// is over its route's cap. It is decided before any of the body is read,
// so before net/http answers an Expect: 100-continue (which it does on the
// first read): the client learns at once instead of sending, or waiting
// to send, a body that would be refused.
func (h *Handler) declaredTooLarge(r *http.Request) *apierror.Error {
	switch {
	case r.ContentLength <= 0:
		return nil
	case strings.HasPrefix(r.URL.Path, adminPrefix):
		if r.ContentLength > h.adminBodyLimit() {
			return h.adminBodyTooLarge()
		}
		return nil
	}
	payload := h.apiBodyLimit() - 1 // the largest payload any revision takes
	limit := min(payload, h.opts.MaxBodyBytes)
	if r.Header.Get("Content-Encoding") != "" {
		limit = h.opts.MaxBodyBytes // a compressed body is capped once decompressed
	}
	if r.ContentLength > limit {
		return apierror.TooLarge(fmt.Sprintf("The maximum allowed payload size is %dMB.", payload>>20))
	}
	return nil
}

// adminBodyTooLarge is the 413 for a control API body over its cap.
func (h *Handler) adminBodyTooLarge() *apierror.Error {
	limit := h.adminBodyLimit()
	return apierror.TooLarge(fmt.Sprintf(
		"Control API bodies are limited to %d bytes (%d MiB) by the memory budget; send fewer objects per request "+
			"or start the server with a larger --memory-budget.", limit, limit>>20))
}
