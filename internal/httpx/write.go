// Package httpx is the HTTP plumbing the API handlers and the control API
// share: the one writer of a complete response, the writer of Klaviyo error
// documents, the recorder each request's answer goes through, the admission
// of request bodies into the memory they may take, path parameters, and the
// mapping of the store's sentinels to Klaviyo-shaped errors. It knows
// neither resource nor control route.
package httpx

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"unsafe"

	"github.com/go-chi/chi/v5"

	"github.com/klaviyo-mock/mockserver/internal/revision"
)

// Header keys as net/http canonicalises them, for setting the header map
// directly (http.Header.Set canonicalises every key on every call).
const (
	keyContentType   = "Content-Type"
	keyContentLength = "Content-Length"
)

// Header values shared by every response (never modified).
var (
	valueJSONAPI = []string{revision.JSONAPI}
	valueJSON    = []string{revision.JSON}
)

// contentType returns the shared header value of a content type.
func contentType(ct string) []string {
	switch ct {
	case revision.JSONAPI:
		return valueJSONAPI
	case revision.JSON:
		return valueJSON
	}
	return []string{ct}
}

// Write sends a complete response: status, content type, length and body.
func Write(w http.ResponseWriter, status int, ct string, body []byte) {
	writeHead(w, status, ct, ContentLength(len(body)))
	_, _ = w.Write(body)
}

// Body is a response body in pieces: its length, and its bytes written
// in order, one Write a piece.
type Body interface {
	io.WriterTo
	// Len returns the body's length in bytes.
	Len() int
}

// WriteBody sends a complete response whose body is in pieces, some kept
// elsewhere and not copied into an answer buffer (net/http hands a piece
// larger than its buffer to the connection whole): Content-Length is the
// pieces' total. A Recorder's capture is sized at once for the whole body,
// so the journal records what Write of the joined bytes would.
func WriteBody(w http.ResponseWriter, status int, ct string, body Body) {
	n := body.Len()
	writeHead(w, status, ct, ContentLength(n))
	if rec, ok := w.(*Recorder); ok {
		rec.expect(n)
	}
	_, _ = body.WriteTo(w)
}

// WriteDocument sends a complete response whose body is a document made
// once and served many times: length is its Content-Length value, made with
// it (shared, never modified), and the body goes to the writer as one Write
// of the string's own bytes (a Recorder's WriteString, which also keeps it
// for the journal without a copy), so neither is copied per response.
func WriteDocument(w http.ResponseWriter, status int, ct string, length []string, body string) {
	writeHead(w, status, ct, length)
	if rec, ok := w.(*Recorder); ok {
		_, _ = rec.WriteString(body)
		return
	}
	_, _ = w.Write(stringBytes(body))
}

// writeHead sets a complete response's content type and Content-Length
// (length, never modified after) and writes its status.
func writeHead(w http.ResponseWriter, status int, ct string, length []string) {
	hd := w.Header()
	hd[keyContentType] = contentType(ct)
	hd[keyContentLength] = length
	w.WriteHeader(status)
}

// stringBytes returns s's own bytes, for a writer: an io.Writer may neither
// modify nor retain them, and net/http sends a large slice to the
// connection whole, where its WriteString copies a string through a 2 KiB
// buffer, a write to the connection per piece.
func stringBytes(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// ContentLength returns the Content-Length value of a body of n bytes.
func ContentLength(n int) []string { return []string{strconv.Itoa(n)} }

// PathParam returns the path parameter name of r, percent-decoded: chi
// matches the escaped path when the request had escapes a plain path cannot
// hold (%2F in an OAuth token used as an account key).
func PathParam(r *http.Request, name string) string {
	v := chi.URLParam(r, name)
	if r.URL.RawPath == "" {
		return v
	}
	if d, err := url.PathUnescape(v); err == nil {
		return d
	}
	return v
}
