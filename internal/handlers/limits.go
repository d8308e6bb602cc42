package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
)

// checkLimits refuses requests whose headers are larger than allowed, as a
// Klaviyo-shaped 431 (the server's own hard cap is above this one), and
// those whose declared body is over its route's cap (a 413). headerSize is
// what the headers weigh, noted in observe's walk over them
// (requestHeaders.size); path is escapedPath(r.URL).
func (h *Handler) checkLimits(r *http.Request, headerSize int, path string) *apierror.Error {
	size := len(r.Method) + requestURILen(r.URL, path) + len(r.Host) + headerSize
	if size > h.opts.MaxHeaderBytes {
		return apierror.HeaderTooLarge(fmt.Sprintf(
			"The request line and headers are %d bytes; the maximum is %d.", size, h.opts.MaxHeaderBytes))
	}
	return h.declaredTooLarge(r)
}

// requestURILen is len(u.RequestURI()) without making the string, which
// with a query string is a concatenation; path is escapedPath(u).
func requestURILen(u *url.URL, path string) int {
	n := len(u.Opaque)
	switch {
	case n == 0:
		n = max(len(path), 1) // "" is sent as "/"
	case strings.HasPrefix(u.Opaque, "//"):
		n += len(u.Scheme) + 1
	}
	if u.ForceQuery || u.RawQuery != "" {
		n += 1 + len(u.RawQuery)
	}
	return n
}
