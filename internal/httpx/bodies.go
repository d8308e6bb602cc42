package httpx

import (
	"errors"
	"io"
	"log/slog"
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
// for its body in the shared Allowance as the bytes arrive (BodyMeter):
// before each read, the inflation (the memory one byte of the body takes
// once decoded, which the side serving the request knows) times the bytes
// the read may return; after it, back what was not filled. What was filled
// is held until the request is answered. So no number of concurrent uploads
// can take the process past its memory budget, and a body holds room for
// what it sent, not for what it declared: one that sends slowly holds
// little, and one that falls below the minimum rate is ended.
const (
	// AdmissionWait is how long a read waits for room before the request
	// is answered with a 429.
	AdmissionWait = 10 * time.Second
	// bodyWindowMin and bodyWindowMax bound the bytes one read may return:
	// the first reads of a body take room for 1 KiB, and the window
	// doubles with each read that fills it.
	bodyWindowMin = 1 << 10
	bodyWindowMax = 64 << 10
)

// errBodyTooSlow ends a body that arrives below the minimum rate (a 408).
var errBodyTooSlow = errors.New("the request body arrived below the minimum rate")

// HasBody reports whether r may carry a body to read.
func HasBody(r *http.Request) bool {
	return r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0
}

// BodyOptions configure the admission of request bodies.
type BodyOptions struct {
	// Allowance is the memory bodies being read may take at once.
	Allowance *Allowance
	// Grace is how long a body may arrive at any pace; after it, it must
	// have arrived at Rate bytes a second on average.
	Grace time.Duration
	Rate  int64
	// Logger is told why a body was ended.
	Logger *slog.Logger
	// Stopping is closed when the server begins to shut down: a read
	// waiting for room is refused then.
	Stopping <-chan struct{}
}

// Bodies admits request bodies: each is read through a BodyMeter.
type Bodies struct{ o BodyOptions }

// NewBodies returns the admission of bodies configured by o.
func NewBodies(o BodyOptions) *Bodies { return &Bodies{o: o} }

// Total is the memory bodies being read may take at once.
func (b *Bodies) Total() int64 { return b.o.Allowance.Total() }

// BodyMeter is a request's body as the handlers read it: it takes room in
// the allowance as bytes arrive and holds the client to the minimum rate
// (a read deadline on the connection: after BodyOptions.Grace, the body
// must have arrived at BodyOptions.Rate bytes a second on average, not
// counting the time spent waiting for room).
type BodyMeter struct {
	b     *Bodies
	w     http.ResponseWriter
	path  string
	src   io.ReadCloser
	share *Share
	rc    *http.ResponseController // nil when the connection takes no deadline
	// raw is the inflation of the bytes read from src: 0 for a compressed
	// body, metered once decompressed (Decoded) at inflation.
	raw, inflation int64
	window         int64

	started  bool
	sw       clock.Stopwatch // from the first read (when any 100 Continue is sent)
	waited   time.Duration   // waiting for room, which the rate does not count
	received int64
	err      error
}

// Meter makes r's body a BodyMeter, each byte taking inflation bytes of
// room; decodes: a compressed body is metered once decompressed (through
// Decoded), not as it arrives. Release it when r is answered.
func (b *Bodies) Meter(w http.ResponseWriter, r *http.Request, inflation int64, decodes bool) *BodyMeter {
	m := &BodyMeter{b: b, w: w, path: r.URL.Path, src: r.Body, share: b.o.Allowance.Open(),
		rc: http.NewResponseController(w), inflation: inflation, window: bodyWindowMin}
	m.raw = m.inflation
	if enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc != "" && enc != "identity" && decodes {
		m.raw = 0
	}
	r.Body = m
	return m
}

// Read implements io.Reader.
func (m *BodyMeter) Read(p []byte) (int, error) {
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
func (m *BodyMeter) Close() error { return m.src.Close() }

// Release gives back the request's room.
func (m *BodyMeter) Release() { m.share.Close() }

// Decoded meters src, m's body decompressed, against the allowance (m nil:
// src as it is).
func (m *BodyMeter) Decoded(src io.Reader) io.Reader {
	if m == nil {
		return src
	}
	return &decodedBody{m: m, src: src, window: bodyWindowMin}
}

type decodedBody struct {
	m      *BodyMeter
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
func (m *BodyMeter) metered(p []byte, inflation int64, window *int64, read func([]byte) (int, error)) (int, error) {
	if len(p) == 0 {
		return read(p)
	}
	want := min(int64(len(p)), *window)
	sw := clock.StartStopwatch()
	got, err := m.share.Take(inflation*min(want, bodyWindowMin), inflation*want, AdmissionWait, m.b.o.Stopping)
	m.waited += sw.Elapsed()
	if err != nil {
		return 0, m.fail(err)
	}
	n := int(got / inflation)
	k, err := read(p[:n])
	m.share.Give(got - int64(k)*inflation)
	if k == n {
		*window = min(2**window, bodyWindowMax)
	}
	return k, err
}

// timedRead reads from the body with the deadline the minimum rate sets.
func (m *BodyMeter) timedRead(p []byte) (int, error) {
	if m.rc != nil {
		allowed := m.b.o.Grace + m.waited +
			time.Duration(float64(m.received)/float64(m.b.o.Rate)*float64(time.Second))
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
func (m *BodyMeter) fail(err error) error {
	m.err = err
	m.w.Header().Set("Connection", "close")
	o := m.b.o
	if err == errBodyTooSlow {
		o.Logger.Warn("request body too slow: after the first "+o.Grace.String()+
			" a body must arrive at "+strconv.FormatInt(o.Rate>>10, 10)+" KiB/s or more on average; send it whole, at once",
			"path", m.path, "received", m.received, "elapsed", m.sw.Elapsed())
	} else {
		o.Logger.Warn("request body refused: the memory allowed for bodies is in use; retry, or raise --memory-budget",
			"path", m.path, "allowance", o.Allowance.Total())
	}
	return err
}

// BodyReadError is the answer to a body the meter ended, or nil for
// another read error.
func BodyReadError(err error) *apierror.Error {
	switch {
	case errors.Is(err, errBodyTooSlow):
		return apierror.RequestTimeout("The request body arrived too slowly.")
	case errors.Is(err, errNoRoom):
		return apierror.Throttled(1, true)
	}
	return nil
}
