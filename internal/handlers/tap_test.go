package handlers

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unsafe"

	"github.com/klaviyo-mock/mockserver/internal/journal"
)

// TestBodyTap_KeepsTheBufferLentNotACopy: a body read into one buffer by
// a reader that lent it is kept as a view of that buffer, byte for byte.
func TestBodyTap_KeepsTheBufferLentNotACopy(t *testing.T) {
	body := []byte(strings.Repeat("x", 3000))
	tap := &bodyTap{ReadCloser: io.NopCloser(iotestHalf(body))}
	tap.lend()
	got, err := readAll(&io.LimitedReader{R: tap, N: 1 << 20}, int64(len(body)))
	if err != nil || !bytes.Equal(got, body) {
		t.Fatalf("read %d bytes, %v", len(got), err)
	}
	kept, truncated := tap.body()
	if kept != string(body) || truncated {
		t.Fatalf("kept %d bytes (truncated %v)", len(kept), truncated)
	}
	if unsafe.StringData(kept) != unsafe.SliceData(got) {
		t.Fatal("the tap kept a copy of the buffer lent")
	}
}

// iotestHalf reads b at most half of what is asked at a time, as a
// connection may.
func iotestHalf(b []byte) io.Reader { return &halfReader{b} }

type halfReader struct{ b []byte }

func (h *halfReader) Read(p []byte) (int, error) {
	if len(h.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:max(len(p)/2, 1)], h.b)
	h.b = h.b[n:]
	return n, nil
}

// TestJournal_KeepsTheRequestBodySent: whichever way a body is read (one
// buffer of its stated length, a buffer grown for a body of unknown
// length, gzip, past the journal's cap), its entry keeps the first
// journal.MaxBody bytes the client sent.
func TestJournal_KeepsTheRequestBodySent(t *testing.T) {
	create := string(appendCreateBody(nil, 1))
	large := `{"data":{"type":"catalog-item-bulk-create-job","attributes":{"items":{"data":[` +
		strings.Repeat(" ", 20000) + `]}}}}`
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	_, _ = zw.Write([]byte(create))
	_ = zw.Close()
	for _, tc := range []struct {
		name     string
		body     string
		length   bool
		encoding string
	}{
		{"stated length", create, true, ""},
		{"unknown length", create, false, ""},
		{"past the cap", large, true, ""},
		{"past the cap, unknown length", large, false, ""},
		{"gzip", zipped.String(), true, "gzip"},
		{"not JSON", "not json at all", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := flowHandlerJournal(8)
			r := flowRequest(http.MethodPost, "/api/catalog-item-bulk-create-jobs", []byte(tc.body))
			if !tc.length {
				r.ContentLength = -1
				r.Body = io.NopCloser(iotestHalf([]byte(tc.body)))
			}
			if tc.encoding != "" {
				r.Header.Set("Content-Encoding", tc.encoding)
			}
			h.ServeHTTP(httptest.NewRecorder(), r)
			entries := h.opts.Journal.List(journal.Filter{})
			if len(entries) != 1 {
				t.Fatalf("%d entries", len(entries))
			}
			want, truncated := tc.body, false
			if len(want) > journal.MaxBody {
				want, truncated = want[:journal.MaxBody], true
			}
			if e := entries[0]; e.Body != want || e.Truncated != truncated {
				t.Fatalf("the entry keeps %d bytes (truncated %v), want %d (%v): %.80q",
					len(e.Body), e.Truncated, len(want), truncated, e.Body)
			}
		})
	}
}
