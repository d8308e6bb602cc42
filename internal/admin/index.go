package admin

import (
	"fmt"
	"html"
	"net/http"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/ui"
)

// route is one control route, as the index lists it.
type route struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	What   string `json:"what"`
}

// ExampleKey is the private key the start-up lines suggest and the web page
// opens when no account is held yet (any key of the form works; each is
// its own account).
const ExampleKey = "pk_0123456789abcdef0123456789abcdef01"

// routes are the control routes, as the index lists them.
var routes = []route{
	{"GET", Prefix + "/ui/", "the web page: the catalog, the jobs, the requests, and the controls"},
	{"GET", Prefix + "/health", "readiness, the clock, memory"},
	{"POST", Prefix + "/reset", "back to the seeded state (all accounts, or {\"account\": key})"},
	{"GET", Prefix + "/catalog", "what the API serves: entities, attributes, filters, relations, job kinds"},
	{"GET", Prefix + "/accounts", "the accounts held, with their public keys"},
	{"GET, PUT, DELETE", Prefix + "/accounts/{key}", "export, replace or forget an account ({key}: the key, or its public key)"},
	{"GET, PUT", Prefix + "/accounts/{key}/{collection}", "export or replace one collection"},
	{"GET, POST, PATCH, DELETE", Prefix + "/accounts/{key}/api/…", "the API on the account's behalf, neither limited, faulted nor journaled"},
	{"POST", Prefix + "/accounts/{key}/jobs/complete", "complete the account's jobs in progress now"},
	{"GET", Prefix + "/accounts/{key}/limits", "the account's rate-limit buckets"},
	{"POST", Prefix + "/accounts/{key}/throttle", "make the account's next requests 429s"},
	{"PUT", Prefix + "/accounts/{key}/public-key", "make the account answer to another public key"},
	{"POST", Prefix + "/jobs/complete", "complete every account's jobs in progress now"},
	{"GET, DELETE", Prefix + "/requests", "the request journal (?after=seq for what is new)"},
	{"GET, POST, DELETE", Prefix + "/faults", "fault rules; DELETE /faults/{id} removes one"},
	{"GET", Prefix + "/scenarios", "presets of fault rules; POST or DELETE /scenarios/{name} turns one on or off"},
	{"GET, POST", Prefix + "/clock", "read or move the server clock"},
	{"POST", Prefix + "/snapshot", "save the state file now"},
}

// index answers GET /__admin and /__admin/: the control routes and the
// page, as HTML for a browser and JSON for anything else.
func (a *API) index(w http.ResponseWriter, r *http.Request) {
	if !strings.Contains(r.Header.Get("Accept"), "text/html") {
		reply(w, http.StatusOK, map[string]any{"page": Prefix + "/ui/", "example_key": ExampleKey, "routes": routes})
		return
	}
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Control API</title></head><body>`)
	fmt.Fprintf(&b, `<h1>Control API</h1><p><a href="%s/ui/">Open the web page</a></p><table><thead><tr>`+
		`<th scope="col">method</th><th scope="col">path</th><th scope="col">what it does</th></tr></thead><tbody>`, Prefix)
	for _, rt := range routes {
		fmt.Fprintf(&b, "<tr><td>%s</td><td><code>%s</code></td><td>%s</td></tr>",
			html.EscapeString(rt.Method), html.EscapeString(rt.Path), html.EscapeString(rt.What))
	}
	b.WriteString("</tbody></table></body></html>")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(b.String()))
}

// page serves the web page's files under Prefix/ui/.
var page = ui.Handler(Prefix + "/ui/")

// servePage serves the web page; Prefix/ui redirects to Prefix/ui/.
func (a *API) servePage(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == Prefix+"/ui" {
		http.Redirect(w, r, Prefix+"/ui/", http.StatusMovedPermanently)
		return
	}
	page.ServeHTTP(w, r)
}
