package handlers

import (
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/query"
	"github.com/klaviyo-mock/mockserver/internal/render"
)

// base returns the scheme and host links start with. The last one made
// is kept and given again while requests come for the same scheme and
// host (every request of a client, as a rule): joining them was an
// allocation of every write and list.
func (h *Handler) base(r *http.Request) string {
	scheme, host := h.baseParts(r)
	if host == "" {
		return scheme
	}
	if m := h.lastBase.Load(); m != nil && m.scheme == scheme && m.host == host {
		return m.base
	}
	m := &baseMemo{scheme: scheme, host: host, base: scheme + host}
	h.lastBase.Store(m)
	return m.base
}

// baseMemo is a base URL made of its scheme and host.
type baseMemo struct{ scheme, host, base string }

// baseParts returns base(r) in two parts, the scheme (with "://") and the
// host, for a caller that appends them where they go: the public URL is
// the first part whole.
func (h *Handler) baseParts(r *http.Request) (string, string) {
	if h.opts.PublicURL != "" {
		return h.opts.PublicURL, ""
	}
	scheme := "http://"
	if r.TLS != nil {
		scheme = "https://"
	}
	host := r.Host
	if host == "" { // HTTP/1.0 without Host: the address the request came in on
		if addr, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
			host = addr.String()
		}
	}
	return scheme, host
}

// selfAt is a document's self link: the request URL as sent (path with or
// without the trailing slash, raw query), in its parts, written from them
// (making the string was an allocation of every list, write and poll). The
// escaped path begins with "/" and the query follows "?", so no character
// spans two parts (render.Text's rule). The path is the one observe took
// (c.escapedPath), not escaped again.
func selfAt(base string, c *call) render.Text {
	if c.r.URL.RawQuery == "" {
		return render.Text{base, c.escapedPath()}
	}
	return render.Text{base, c.escapedPath(), "?", c.r.URL.RawQuery}
}

// pageURL is the request URL with page[cursor] replaced by cursor: other
// parameters kept in order, re-encoded with brackets as %5B/%5D, the cursor
// last, as Klaviyo writes links.next. It is written once, into the
// string's own buffer (a byte slice copied into a string was two
// allocations a link).
func pageURL(base string, c *call, params query.Params, cursor string) string {
	var sb strings.Builder
	sb.Grow(len(base) + len(c.r.URL.Path) + len(c.r.URL.RawQuery) + len(cursor) + 32)
	sb.WriteString(base)
	sb.WriteString(c.escapedPath())
	sb.WriteByte('?')
	var room [256]byte // the other parameters, re-encoded (on the stack unless longer)
	if q := params.Encode(room[:0], query.ParamCursor); len(q) > 0 {
		sb.Write(q)
		sb.WriteByte('&')
	}
	sb.WriteString("page%5Bcursor%5D=")
	sb.WriteString(url.QueryEscape(cursor))
	return sb.String()
}

// pathSegment is an id as it appears in a path (percent-encoded where it
// must be; a catalog id's $ and : stay as they are).
func pathSegment(id string) string { return url.PathEscape(id) }
