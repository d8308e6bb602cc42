package admin

import (
	"net/http"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/revision"
)

// apiPath is what follows an account in a control route that reaches the
// API on its behalf: /__admin/accounts/{key}/api/… serves /api/….
const apiPath = "/api/"

// serveAPI serves the API request the rest of the path names for the
// route's account: the API's own routes and operations answer it, so the
// control API shows and changes exactly what the API does (with the API's
// filters, sparse fieldsets, includes and cursor pages), but the request is
// not rate-limited, faulted or journaled, and needs no credential. A
// request without a revision header gets the newest revision. The web page
// reads the catalog and the jobs this way.
func (a *API) serveAPI(w http.ResponseWriter, r *http.Request) {
	if a.o.ServeAPI == nil {
		http.NotFound(w, r)
		return
	}
	escaped := r.URL.EscapedPath()
	i := strings.Index(escaped, apiPath)
	inner := r.Clone(r.Context())
	inner.URL.RawPath = escaped[i:]
	inner.URL.Path = r.URL.Path[strings.Index(r.URL.Path, apiPath):]
	inner.RequestURI = inner.URL.RequestURI()
	if inner.Header.Get(revision.Header) == "" {
		all := a.o.Revisions.All()
		inner.Header.Set(revision.Header, all[len(all)-1].Date)
	}
	inner.Header.Del("Authorization")
	a.o.ServeAPI(w, inner, a.accountKey(r))
}
