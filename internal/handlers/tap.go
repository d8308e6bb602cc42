package handlers

import (
	"bytes"
	"io"
	"net/http"
	"unsafe"

	"github.com/klaviyo-mock/mockserver/internal/journal"
)

// tapBody puts a bodyTap on r's body when the journal keeps bodies.
func (h *Handler) tapBody(r *http.Request) *bodyTap {
	if h.opts.Journal.Cap() == 0 {
		return nil
	}
	tap := &bodyTap{ReadCloser: r.Body}
	r.Body = tap
	return tap
}

// bodyTap keeps the first journal.MaxBody bytes a handler reads: as a
// copy, or, once a reader lent it the buffer it reads into (lend), as a
// view of that buffer while each read lands right after the one before.
type bodyTap struct {
	io.ReadCloser
	buf       bytes.Buffer
	truncated bool
	lent      bool
	view      []byte // the bytes read so far, in the lender's buffer
}

// lend tells the tap that its reader keeps every byte it reads in one
// buffer it never modifies, read after read, so the tap may keep a view
// of it instead of a copy (readBody's reads of an identity-encoded body).
func (t *bodyTap) lend() {
	if t.buf.Len() == 0 && !t.truncated {
		t.lent = true
	}
}

func (t *bodyTap) Read(p []byte) (int, error) {
	if t.lent && !t.follows(p) {
		t.lent = false // not the lender's next bytes: copy from here on
		t.copyIn(t.view)
		t.view = nil
	}
	n, err := t.ReadCloser.Read(p)
	if t.lent {
		if len(t.view) == 0 {
			t.view = p[:n]
		} else {
			t.view = t.view[:len(t.view)+n]
		}
		return n, err
	}
	t.copyIn(p[:n])
	return n, err
}

// follows reports whether p starts where the view ends, in its buffer.
func (t *bodyTap) follows(p []byte) bool {
	if len(t.view) == 0 || len(p) == 0 {
		return true
	}
	return cap(t.view) > len(t.view) && &t.view[:len(t.view)+1][len(t.view)] == &p[0]
}

// copyIn copies what fits of b.
func (t *bodyTap) copyIn(b []byte) {
	if room := journal.MaxBody - t.buf.Len(); room > 0 {
		t.buf.Write(b[:min(len(b), room)])
		t.truncated = t.truncated || len(b) > room
	} else if len(b) > 0 {
		t.truncated = true
	}
}

// body returns the bytes kept and whether more were read. A view is kept
// as it is when its buffer is at most twice the bytes kept (so the
// journal pins no more than a copy's growth could), else copied.
func (t *bodyTap) body() (string, bool) {
	if !t.lent {
		return t.buf.String(), t.truncated
	}
	kept := t.view[:min(len(t.view), journal.MaxBody)]
	truncated := len(t.view) > journal.MaxBody
	if len(kept) == 0 || cap(kept) > 2*len(kept) {
		return string(kept), truncated
	}
	return unsafe.String(&kept[0], len(kept)), truncated
}
