package admin

import (
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/go-chi/cors"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/httpx"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/secret"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// guard keeps web pages from driving the control API. A request
// carrying an Origin that --admin-origins does not list is refused before
// anything happens; a listed origin gets full CORS (preflights answered,
// headers on every answer) so a page there can drive it and read the
// results. Writes (POST, PUT, PATCH) must be sent as application/json:
// no CORS-simple request (a form post, a text/plain fetch) can change state.
func (a *API) guard(next http.Handler) http.Handler {
	inner := next
	if len(a.o.Origins) > 0 {
		inner = cors.Handler(cors.Options{
			AllowedOrigins: a.o.Origins,
			AllowedMethods: []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete},
			AllowedHeaders: []string{"Content-Type"},
			MaxAge:         600,
		})(next)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !a.hostAllowed(r.Host) {
			a.fail(w, apierror.PermissionDenied(fmt.Sprintf(
				"The control API answers only loopback hosts and the names --admin-hosts lists; Host %q is neither "+
					"(this keeps a web page using DNS rebinding out). Start the server with --admin-hosts=%s to allow it.",
				r.Host, hostOnly(r.Host))))
			return
		}
		if o := r.Header.Get("Origin"); o != "" && !slices.Contains(a.o.Origins, o) && !sameOrigin(o, r.Host) {
			a.fail(w, apierror.PermissionDenied(fmt.Sprintf(
				"The control API refuses browser requests from origin %q; allow it with --admin-origins.", o)))
			return
		}
		if isWrite(r.Method) && slices.Contains(allowedMethods(r), r.Method) {
			if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || (mt != contentJSON && mt != revision.JSONAPI) {
				a.fail(w, needsJSON(r.Header.Get("Content-Type")))
				return
			}
		}
		inner.ServeHTTP(w, r)
	})
}

// hostAllowed reports whether the control API answers a request sent
// to host: loopback names and addresses, the --admin-hosts names ("*" for
// any), the --public-url host, and requests without a Host (HTTP/1.0, never
// a browser).
func (a *API) hostAllowed(host string) bool {
	name := strings.ToLower(hostOnly(host))
	if name == "" || name == "localhost" || strings.HasSuffix(name, ".localhost") {
		return true
	}
	if ip := net.ParseIP(name); ip != nil && ip.IsLoopback() {
		return true
	}
	for _, allowed := range a.o.Hosts {
		if allowed == "*" || strings.EqualFold(allowed, name) {
			return true
		}
	}
	if u, err := url.Parse(a.o.PublicURL); err == nil && a.o.PublicURL != "" && strings.EqualFold(u.Hostname(), name) {
		return true
	}
	return false
}

// hostOnly strips the port (and an IPv6 literal's brackets) from a Host.
func hostOnly(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return strings.Trim(host, "[]")
}

// isWrite reports whether method may change state and so must carry a
// JSON body (DELETE is never CORS-simple: a browser preflights it).
func isWrite(method string) bool {
	return method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch
}

// needsJSON is the 415 for a control API write that is not JSON.
func needsJSON(contentType string) *apierror.Error {
	e := apierror.UnsupportedMediaType(contentType)
	e.Detail = fmt.Sprintf("Control API writes must be sent with Content-Type: application/json (got %q), "+
		"so that no web page can make them with a simple form or text request.", contentType)
	return e
}

// keyGuard refuses a {key} that no API request could send: one with a
// byte outside printable ASCII.
func (a *API) keyGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := keyProblem(httpx.PathParam(r, "key")); d != "" {
			a.fail(w, apierror.Invalid("key", d))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// accountKey is the account a route's {key} names (see keyNamed).
func (a *API) accountKey(r *http.Request) string { return a.keyNamed(httpx.PathParam(r, "key")) }

// keyNamed is the account key that key names, in a path or a body: the
// whole key, or a public key (six letters and digits), which names the
// account answering to it (the web page knows accounts by their public
// keys only).
func (a *API) keyNamed(key string) string {
	if store.ValidPublicKey(key) {
		return a.o.Store.KeyOfPublicKey(key)
	}
	return key
}

// keyProblem says what is wrong with an account key a control request
// names ("" when nothing is), without repeating the key.
func keyProblem(key string) string {
	i := secret.BadByte(key)
	if i < 0 {
		return ""
	}
	what := "is empty"
	if key != "" {
		what = fmt.Sprintf("has the byte %#02x at position %d", key[i], i)
	}
	return "The account key " + what + "; no request could select its account. Keys are the private key " +
		"(pk_…) or bearer: and the OAuth token, whole. " + secret.Hint
}

// sameOrigin reports whether origin is the page the control API itself
// serves (its web page, /__admin/ui/): the origin's host is the request's
// own Host, which the Host check has already allowed. Browsers send
// Origin on a page's own writes; another page's origin names its own host.
func sameOrigin(origin, host string) bool {
	u, err := url.Parse(origin)
	return err == nil && host != "" && (u.Scheme == "http" || u.Scheme == "https") && strings.EqualFold(u.Host, host)
}
