package handlers

import (
	"net/http"
	"strconv"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/revision"
)

// write sends a complete response: status, content type, length and body.
func write(w http.ResponseWriter, status int, contentType string, body []byte) {
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
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
