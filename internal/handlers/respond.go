package handlers

import (
	"net/http"
	"strconv"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/revision"
)

// Header keys as net/http canonicalises them, for setting the header map
// directly (http.Header.Set canonicalises every key on every call).
const (
	keyContentType   = "Content-Type"
	keyContentLength = "Content-Length"
	keyAllow         = "Allow"
	keyLimit         = "Ratelimit-Limit"
	keyRemaining     = "Ratelimit-Remaining"
	keyReset         = "Ratelimit-Reset"
	keyRevision      = "X-Klaviyo-Api-Revision"
	keyReqID         = "X-Klaviyo-Req-Id"
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

// write sends a complete response: status, content type, length and body.
func write(w http.ResponseWriter, status int, ct string, body []byte) {
	hd := w.Header()
	hd[keyContentType] = contentType(ct)
	hd[keyContentLength] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// OverloadedResponse returns a whole HTTP/1.1 response, Klaviyo's 503 with
// Retry-After: 1 that closes the connection, for a connection the server
// accepted but has no room to serve.
func (h *Handler) OverloadedResponse() []byte {
	body := apierror.Append(nil, h.errorID(), apierror.Style{Modern: true}, apierror.Server(http.StatusServiceUnavailable))
	head := "HTTP/1.1 503 Service Unavailable\r\nContent-Type: " + revision.JSONAPI +
		"\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n"
	return append([]byte(head), body...)
}

// writeErrors sends errs as one Klaviyo error document: the status of the
// first error, all errors sharing one id, always application/vnd.api+json.
func (h *Handler) writeErrors(w http.ResponseWriter, r *http.Request, style apierror.Style, errs ...*apierror.Error) {
	first := errs[0]
	hd := w.Header()
	if first.RetryAfter > 0 {
		hd.Set("Retry-After", strconv.Itoa(first.RetryAfter))
	}
	if first.Allow != "" {
		hd.Set("Allow", first.Allow)
	}
	if first.Status >= 500 {
		h.opts.Logger.Error("server error", "request_id", recorderOf(w).id, "status", first.Status, "detail", first.Detail)
	}
	buf := h.getBuf()
	*buf = apierror.Append(*buf, h.errorID(), style, errs...)
	write(w, first.Status, revision.JSONAPI, *buf)
	h.putBuf(buf)
}

// styleOf returns the error style of a revision (modern when unknown).
func styleOf(p *revision.Profile) apierror.Style {
	return apierror.Style{Modern: p == nil || p.ModernErrors}
}
