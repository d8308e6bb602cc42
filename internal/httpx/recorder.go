package httpx

import (
	"net/http"
	"unsafe"
)

// Recorder wraps the ResponseWriter of one request: it carries the request
// id and what later steps learned (account, revision, operation, fault) to
// the access log and the journal, and records the status and size written.
type Recorder struct {
	http.ResponseWriter
	ID       string
	Status   int
	Bytes    int
	Account  string
	Revision string
	Op       string
	Fault    string
	Dropped  bool
	// Body is the request's body as metered against the body allowance
	// (nil without a body).
	Body *BodyMeter
	// State is the request's own state as the middleware that made the
	// recorder keeps it (the API handlers' observed request: the
	// pipeline's call, the headers it reads, the journal's body tap), for
	// the steps after it to find directly, not through a hook (OnStatus)
	// that another step may wrap.
	State any
	// OnStatus is told once, when the status is known and before any byte
	// of the response is sent (so a client never sees a response whose
	// journal entry is missing).
	OnStatus StatusHook
	// CaptureMax > 0 keeps the first CaptureMax bytes of the response body
	// (CapturedBody); Captured reports whether more were written.
	CaptureMax int
	Captured   bool
	// Buffers, when set, gives the capture's buffer (see BufferSource).
	Buffers BufferSource
	// capture is sized at the first write, which is the whole body for
	// most responses; bytes once in it never change, so the journal takes
	// it without another copy.
	capture []byte
	// whole is the one string written so far when it fits the cap whole
	// (a cached document): kept as it is, not copied into capture.
	whole string
}

// StatusHook is told when a response's status is known. It is an
// interface, not a func, so the request's own state can be the hook
// without a closure allocated for every request.
type StatusHook interface {
	// StatusKnown is called once, before any byte of the response is sent.
	StatusKnown()
}

func (rec *Recorder) setStatus(code int) {
	if rec.Status == 0 {
		rec.Status = code
		if rec.OnStatus != nil {
			rec.OnStatus.StatusKnown()
		}
	}
}

// WriteHeader implements http.ResponseWriter.
func (rec *Recorder) WriteHeader(code int) {
	rec.setStatus(code)
	rec.ResponseWriter.WriteHeader(code)
}

// Write implements http.ResponseWriter.
func (rec *Recorder) Write(b []byte) (int, error) {
	rec.setStatus(http.StatusOK)
	n, err := rec.ResponseWriter.Write(b)
	rec.Bytes += n
	rec.keepCopy(b[:n], "")
	return n, err
}

// WriteString writes s as Write does, without copying it: the writer is
// given s's own bytes (see stringBytes). A string that is the whole body
// so far and fits the cap is captured as it is: strings do not change,
// and one within the cap pins no more than a copy would.
func (rec *Recorder) WriteString(s string) (int, error) {
	rec.setStatus(http.StatusOK)
	n, err := rec.ResponseWriter.Write(stringBytes(s))
	rec.Bytes += n
	if rec.CaptureMax > 0 && len(rec.capture) == 0 && rec.whole == "" && n == len(s) && n <= rec.CaptureMax {
		rec.whole = s
		return n, err
	}
	rec.keepCopy(nil, s[:n])
	return n, err
}

// BufferSource gives a capture its buffer: the journal's, made of the
// answers it dropped.
type BufferSource interface {
	// ResponseBuffer returns an empty buffer with room for at least n
	// bytes, or nil when it has none.
	ResponseBuffer(n int) []byte
}

// grow makes room for n more captured bytes: the first, in a buffer from
// Buffers when it has one.
func (rec *Recorder) grow(n int) {
	if cap(rec.capture)-len(rec.capture) >= n {
		return
	}
	if len(rec.capture) == 0 && rec.Buffers != nil {
		if b := rec.Buffers.ResponseBuffer(n); cap(b) >= n {
			rec.capture = b[:0]
			return
		}
	}
	rec.capture = append(make([]byte, 0, len(rec.capture)+n), rec.capture...)
}

// expect sizes the capture for a body of n bytes written in pieces, before
// the first: grown piece by piece, it would be copied as it grew.
func (rec *Recorder) expect(n int) {
	if rec.CaptureMax > 0 && len(rec.capture) == 0 && rec.whole == "" && n > 0 {
		rec.grow(min(n, rec.CaptureMax))
	}
}

// keepCopy captures the bytes written (b, or s when b is nil) up to the
// cap, after a whole string captured before.
func (rec *Recorder) keepCopy(b []byte, s string) {
	if rec.CaptureMax <= 0 {
		return
	}
	n := len(b) + len(s)
	if rec.whole != "" && n > 0 {
		rec.grow(min(len(rec.whole)+n, rec.CaptureMax))
		rec.capture = append(rec.capture, rec.whole...)
		rec.whole = ""
	}
	room := rec.CaptureMax - len(rec.capture)
	if room > 0 && n > 0 {
		if cap(rec.capture) == 0 {
			rec.grow(min(n, room))
		}
		if b != nil {
			rec.capture = append(rec.capture, b[:min(n, room)]...)
		} else {
			rec.capture = append(rec.capture, s[:min(n, room)]...)
		}
	}
	rec.Captured = rec.Captured || n > room
}

// CapturedBody returns the first CaptureMax bytes written. The string
// shares the capture's buffer (CapturedBuffer): it stays as it is while
// whoever owns that buffer does not reuse it.
func (rec *Recorder) CapturedBody() string {
	if rec.whole != "" {
		return rec.whole
	}
	return unsafe.String(unsafe.SliceData(rec.capture), len(rec.capture))
}

// CapturedBuffer returns the buffer CapturedBody's bytes are in, for a
// journal to own (nil when nothing was copied: no byte captured, or one
// whole string kept as it is).
func (rec *Recorder) CapturedBuffer() []byte {
	if rec.whole != "" {
		return nil
	}
	return rec.capture
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (rec *Recorder) Unwrap() http.ResponseWriter { return rec.ResponseWriter }

// RecorderOf returns the request's recorder (a throwaway one when w is
// not a Recorder).
func RecorderOf(w http.ResponseWriter) *Recorder {
	if rec, ok := w.(*Recorder); ok {
		return rec
	}
	return &Recorder{ResponseWriter: w}
}
