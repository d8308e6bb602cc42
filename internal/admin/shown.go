package admin

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/secret"
)

// Control API requests carry account keys in their path ({key}) and in the
// journal filter's query (?account=); where such a request is shown (log
// lines, a 404's detail) the key is replaced by its fingerprint.

// accountsPrefix starts the control API paths that hold a {key}.
const accountsPrefix = Prefix + "/accounts/"

// ShownPath returns r's path with the {key} segment of a control API path
// shown by its fingerprint; other paths are returned as they are.
func ShownPath(r *http.Request) string {
	if !strings.HasPrefix(r.URL.Path, accountsPrefix) {
		return r.URL.Path
	}
	rest := strings.TrimPrefix(r.URL.EscapedPath(), accountsPrefix)
	seg, tail, slash := strings.Cut(rest, "/")
	key, err := url.PathUnescape(seg)
	if err != nil {
		key = seg
	}
	out := accountsPrefix + secret.Fingerprint(key)
	if slash {
		if t, err := url.PathUnescape(tail); err == nil {
			tail = t
		}
		out += "/" + tail
	}
	return out
}

// ShownQuery returns r's query with a control API request's account
// parameter shown by its fingerprint (one that is a fingerprint already is
// kept).
func ShownQuery(r *http.Request) string {
	q := r.URL.RawQuery
	if !strings.HasPrefix(r.URL.Path, Prefix) || !strings.Contains(q, "account") {
		return q
	}
	vals, err := url.ParseQuery(q)
	if err != nil {
		return "[unreadable query]"
	}
	for i, v := range vals["account"] {
		if !strings.Contains(v, secret.Ellipsis) {
			vals["account"][i] = secret.Fingerprint(v)
		}
	}
	return vals.Encode()
}
