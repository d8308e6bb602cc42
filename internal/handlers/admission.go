package handlers

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/admin"
	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/httpx"
)

// apiInflation bounds the memory an API body takes per byte read (the
// body, its decoded tree and the validated request); see httpx.Bodies.
const apiInflation = 4

// meterBody makes r's body an httpx.BodyMeter: an API body at the API's
// inflation (a compressed one metered once decompressed, by readBody), a
// control API body at the control API's. Release it when r is answered.
func (h *Handler) meterBody(w http.ResponseWriter, r *http.Request, api bool) *httpx.BodyMeter {
	if api {
		return h.bodies.Meter(w, r, apiInflation, true)
	}
	return h.bodies.Meter(w, r, admin.Inflation, false)
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

// declaredTooLarge is the 413 for a request whose declared Content-Length
// is over its route's cap. It is decided before any of the body is read,
// so before net/http answers an Expect: 100-continue (which it does on the
// first read): the client learns at once instead of sending, or waiting
// to send, a body that would be refused.
func (h *Handler) declaredTooLarge(r *http.Request) *apierror.Error {
	switch {
	case r.ContentLength <= 0:
		return nil
	case strings.HasPrefix(r.URL.Path, admin.Prefix):
		if r.ContentLength > h.admin.BodyLimit() {
			return h.admin.BodyTooLarge()
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
