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
	keyAllow     = "Allow"
	keyLimit     = "Ratelimit-Limit"
	keyRemaining = "Ratelimit-Remaining"
	keyReset     = "Ratelimit-Reset"
	keyRevision  = "X-Klaviyo-Api-Revision"
	keyReqID     = "X-Klaviyo-Req-Id"
	// keyRequestRevision is revision.Header canonicalised, to read the
	// request's header map without canonicalising the key (an allocation)
	// on every request.
	keyRequestRevision = "Revision"
	// keyAuthorization and keyOptOut are the request's Authorization and
	// revision.OptOutHeader, read the same way (http.Header.Get checks
	// that a key is canonical, byte by byte, on every call).
	keyAuthorization = "Authorization"
	keyOptOut        = revision.OptOutHeader // written canonically (a test checks)
	// keyOrigin is a browser's Origin.
	keyOrigin = "Origin"
)

// OverloadedResponse returns a whole HTTP/1.1 response, Klaviyo's 503 with
// Retry-After: 1 that closes the connection, for a connection the server
// accepted but has no room to serve.
func (h *Handler) OverloadedResponse() []byte {
	body := apierror.Append(nil, h.errs.ID(), apierror.Style{Modern: true}, apierror.Server(http.StatusServiceUnavailable))
	head := "HTTP/1.1 503 Service Unavailable\r\nContent-Type: " + revision.JSONAPI +
		"\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n"
	return append([]byte(head), body...)
}

// styleOf returns the error style of a revision (modern when unknown).
func styleOf(p *revision.Profile) apierror.Style {
	return apierror.Style{Modern: p == nil || p.ModernErrors}
}
