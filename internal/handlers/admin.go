package handlers

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/cors"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/jsonw"
	"github.com/klaviyo-mock/mockserver/internal/secret"
)

// The control API (/__admin) lets tests reset, seed, inspect and steer the
// emulator. It is JSON in and out, never rate-limited, throttled or
// journaled, has no CORS headers and refuses browser-originated requests
// (an Origin header) unless the origin is allowed.

// Admin content type.
const adminJSON = "application/json"

// maxAdminBody caps control API bodies.
const maxAdminBody = 64 << 20

func (h *Handler) adminRoutes(r chi.Router) {
	r.Use(h.adminGuard)
	r.Get("/health", h.adminHealth)
	r.Head("/health", h.adminHealth)
	r.Post("/reset", h.adminReset)
	r.Post("/snapshot", h.adminSnapshot)
	r.Get("/accounts", h.adminAccounts)
	r.Route("/accounts/{key}", func(r chi.Router) {
		r.Use(h.adminKey)
		r.Get("/", h.adminGetAccount)
		r.Put("/", h.adminPutAccount)
		r.Delete("/", h.adminForgetAccount)
		r.Post("/throttle", h.adminThrottle)
		// One route for every collection of the store (items, variants,
		// categories and each job kind's).
		r.Get("/{collection}", h.adminGetCollection)
		r.Put("/{collection}", h.adminPutCollection)
	})
	r.Get("/requests", h.adminRequests)
	r.Delete("/requests", h.adminClearRequests)
	r.Get("/faults", h.adminFaults)
	r.Post("/faults", h.adminAddFault)
	r.Delete("/faults", h.adminClearFaults)
	r.Delete("/faults/{id}", h.adminDeleteFault)
	r.Get("/clock", h.adminClock)
	r.Post("/clock", h.adminSetClock)
	r.NotFound(h.pathNotFound)
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		h.adminError(w, r, apierror.MethodNotAllowed(r.Method, allowedAdminMethods(r)))
	})
}

// Health returns a handler that answers only GET and HEAD /__admin/health,
// for the --health-socket.
func (h *Handler) Health() http.Handler {
	r := chi.NewRouter()
	r.Get(adminPrefix+"/health", h.adminHealth)
	r.Head(adminPrefix+"/health", h.adminHealth)
	return r
}

// allowedAdminMethods lists the methods the control path serves.
func allowedAdminMethods(r *http.Request) []string {
	rctx := chi.RouteContext(r.Context())
	var out []string
	if rctx == nil || rctx.Routes == nil {
		return out
	}
	// rctx.Routes is the top router here; it matches the full path.
	path := r.URL.Path
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if rctx.Routes.Match(chi.NewRouteContext(), m, path) {
			out = append(out, m)
		}
	}
	return out
}

// adminGuard keeps web pages from driving the control API. A request
// carrying an Origin that --admin-origins does not list is refused before
// anything happens; a listed origin gets full CORS (preflights answered,
// headers on every answer) so a page there can drive it and read the
// results. Writes (POST, PUT, PATCH) must be sent as application/json:
// no CORS-simple request (a form post, a text/plain fetch) can change state.
func (h *Handler) adminGuard(next http.Handler) http.Handler {
	inner := next
	if len(h.opts.AdminOrigins) > 0 {
		inner = cors.Handler(cors.Options{
			AllowedOrigins: h.opts.AdminOrigins,
			AllowedMethods: []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete},
			AllowedHeaders: []string{"Content-Type"},
			MaxAge:         600,
		})(next)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !h.adminHostAllowed(r.Host) {
			h.adminError(w, r, apierror.PermissionDenied(fmt.Sprintf(
				"The control API answers only loopback hosts and the names --admin-hosts lists; Host %q is neither "+
					"(this keeps a web page using DNS rebinding out). Start the server with --admin-hosts=%s to allow it.",
				r.Host, hostOnly(r.Host))))
			return
		}
		if o := r.Header.Get("Origin"); o != "" && !slices.Contains(h.opts.AdminOrigins, o) {
			h.adminError(w, r, apierror.PermissionDenied(fmt.Sprintf(
				"The control API refuses browser requests from origin %q; allow it with --admin-origins.", o)))
			return
		}
		if adminWrite(r.Method) && slices.Contains(allowedAdminMethods(r), r.Method) {
			if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != adminJSON {
				h.adminError(w, r, adminNeedsJSON(r.Header.Get("Content-Type")))
				return
			}
		}
		inner.ServeHTTP(w, r)
	})
}

// adminHostAllowed reports whether the control API answers a request sent
// to host: loopback names and addresses, the --admin-hosts names ("*" for
// any), the --public-url host, and requests without a Host (HTTP/1.0, never
// a browser).
func (h *Handler) adminHostAllowed(host string) bool {
	name := strings.ToLower(hostOnly(host))
	if name == "" || name == "localhost" || strings.HasSuffix(name, ".localhost") {
		return true
	}
	if ip := net.ParseIP(name); ip != nil && ip.IsLoopback() {
		return true
	}
	for _, allowed := range h.opts.AdminHosts {
		if allowed == "*" || strings.EqualFold(allowed, name) {
			return true
		}
	}
	if u, err := url.Parse(h.opts.PublicURL); err == nil && h.opts.PublicURL != "" && strings.EqualFold(u.Hostname(), name) {
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

// pathParam returns the path parameter name of r, percent-decoded: chi
// matches the escaped path when the request had escapes a plain path cannot
// hold (%2F in an OAuth token used as an account key).
func pathParam(r *http.Request, name string) string {
	v := chi.URLParam(r, name)
	if r.URL.RawPath == "" {
		return v
	}
	if d, err := url.PathUnescape(v); err == nil {
		return d
	}
	return v
}

// adminWrite reports whether method may change state and so must carry a
// JSON body (DELETE is never CORS-simple: a browser preflights it).
func adminWrite(method string) bool {
	return method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch
}

// adminNeedsJSON is the 415 for a control API write that is not JSON.
func adminNeedsJSON(contentType string) *apierror.Error {
	e := apierror.UnsupportedMediaType(contentType)
	e.Detail = fmt.Sprintf("Control API writes must be sent with Content-Type: application/json (got %q), "+
		"so that no web page can make them with a simple form or text request.", contentType)
	return e
}

// adminJSONReply writes v as JSON.
func adminJSONReply(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(`{}`)
	}
	write(w, status, adminJSON, append(b, '\n'))
}

func (h *Handler) adminError(w http.ResponseWriter, r *http.Request, errs ...*apierror.Error) {
	h.writeErrors(w, r, apierror.Style{Modern: true}, errs...)
}

// decodeAdmin decodes a JSON body strictly into v as it is read (the body
// is never held whole); an empty body leaves v as is when optional. A
// number anywhere in the document that does not fit a float64 is refused
// at its member (jsonw.NumberGuard watches the text as the decoder reads
// it), after syntax errors and before what v's types make of it.
func (h *Handler) decodeAdmin(w http.ResponseWriter, r *http.Request, v any, optional bool) bool {
	br := bufio.NewReader(http.MaxBytesReader(w, r.Body, h.adminBodyLimit()))
	if skipSpace(br) == io.EOF && optional {
		return true
	}
	var guard jsonw.NumberGuard
	dec := json.NewDecoder(io.TeeReader(br, &guard))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, perr := peekNonSpace(io.MultiReader(dec.Buffered(), br)); perr != io.EOF {
			err = errTrailingData
		}
	}
	var maxErr *http.MaxBytesError
	var syntaxErr *json.SyntaxError
	switch {
	case err != nil && bodyReadError(err) != nil:
		h.adminError(w, r, bodyReadError(err))
	case errors.As(err, &maxErr):
		h.adminError(w, r, h.adminBodyTooLarge())
	case errors.Is(err, errTrailingData):
		h.adminError(w, r, apierror.InvalidPointer("", "The request body has data after the JSON document."))
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		h.adminError(w, r, decodeError(err))
	case guard.Err() != nil:
		h.adminError(w, r, apierror.Undecodable(guard.Err()))
	case err == nil:
		return true
	default:
		h.adminError(w, r, decodeError(err))
	}
	return false
}

var errTrailingData = errors.New("data after the JSON document")

// skipSpace consumes JSON whitespace; it returns io.EOF at the end.
func skipSpace(br *bufio.Reader) error {
	for {
		b, err := br.Peek(1)
		if err != nil {
			return err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			br.Discard(1)
		default:
			return nil
		}
	}
}

// peekNonSpace skips JSON whitespace and reports the next byte, or io.EOF.
func peekNonSpace(r io.Reader) (byte, error) {
	var b [1]byte
	for {
		n, err := r.Read(b[:])
		if n == 1 {
			switch b[0] {
			case ' ', '\t', '\r', '\n':
				continue
			}
			return b[0], nil
		}
		if err != nil {
			return 0, err
		}
	}
}

func (h *Handler) adminHealth(w http.ResponseWriter, r *http.Request) {
	keys, _ := h.opts.Store.Keys()
	used, limit := h.opts.Store.Used()
	made, madeLimit := h.opts.Store.MadeJobs()
	adminJSONReply(w, http.StatusOK, map[string]any{
		"status":          "ok",
		"now":             h.opts.Clock.Now(),
		"clock_frozen":    h.opts.Clock.Frozen(),
		"oldest_revision": h.opts.Resources.Revisions().Oldest().Date,
		"newest_revision": h.opts.Resources.Revisions().Newest().Date,
		"accounts":        len(keys),
		"memory": map[string]any{
			"accounts_bytes":        used,
			"accounts_limit_bytes":  limit,
			"journal_bytes":         h.opts.Journal.Bytes(),
			"journal_limit_bytes":   h.opts.Journal.Options().Bytes,
			"bodies_limit_bytes":    h.body.total,
			"made_jobs_bytes":       made,
			"made_jobs_limit_bytes": madeLimit,
		},
		"render_cache": h.cacheStats(),
	})
}

// cacheStats reports the render caches: bytes held against their budget,
// hits and misses since start.
func (h *Handler) cacheStats() map[string]int64 {
	var held, limit, hits, misses int64
	add := func(b, l, h, m int64) { held, limit, hits, misses = held+b, limit+l, hits+h, misses+m }
	if h.pages != nil {
		ph, pm := h.pages.Stats()
		add(h.pages.Bytes(), h.pages.Budget(), ph, pm)
	}
	if h.frags != nil {
		c := h.frags.Cache()
		fh, fm := c.Stats()
		add(c.Bytes(), c.Budget(), fh, fm)
	}
	return map[string]int64{"bytes": held, "limit_bytes": limit, "hits": hits, "misses": misses}
}

// ResetError is a reset the server refused, about one member of the
// request (a JSON pointer).
type ResetError struct {
	Member, Detail string
}

func (e *ResetError) Error() string { return e.Member + ": " + e.Detail }

// resetRequest is the body of POST /__admin/reset (all optional).
type resetRequest struct {
	Seed    uint64 `json:"seed"`
	Jobs    *int   `json:"jobs"`
	Account string `json:"account"`
}

func (h *Handler) adminReset(w http.ResponseWriter, r *http.Request) {
	var req resetRequest
	if !h.decodeAdmin(w, r, &req, true) {
		return
	}
	if req.Account != "" {
		if d := keyProblem(req.Account); d != "" {
			h.adminError(w, r, apierror.InvalidPointer("/account", d))
			return
		}
		if req.Seed != 0 || req.Jobs != nil {
			h.adminError(w, r, apierror.InvalidPointer("/seed", "seed and jobs apply to the whole server; leave them out to reset one account."))
			return
		}
		h.forget(req.Account)
		adminJSONReply(w, http.StatusOK, map[string]any{"reset": "account", "account": secret.Fingerprint(req.Account)})
		return
	}
	if req.Jobs != nil && (*req.Jobs < 0 || *req.Jobs > fixtures.MaxJobs) {
		h.adminError(w, r, apierror.InvalidPointer("/jobs", fmt.Sprintf("jobs must be between 0 and %d.", fixtures.MaxJobs)))
		return
	}
	if h.opts.Control == nil {
		h.adminError(w, r, apierror.InvalidPointer("", "This server cannot be reset."))
		return
	}
	if err := h.opts.Control.Reset(req.Seed, req.Jobs); err != nil {
		var re *ResetError
		if errors.As(err, &re) {
			h.adminError(w, r, apierror.InvalidPointer(re.Member, re.Detail))
			return
		}
		h.adminError(w, r, apierror.InvalidPointer("", err.Error()))
		return
	}
	adminJSONReply(w, http.StatusOK, map[string]any{"reset": "server"})
}

// forget returns one account to its seeded state and clears its counters
// and the fault rules aimed at it.
func (h *Handler) forget(key string) {
	h.opts.Store.Forget(key)
	h.opts.Limiter.ResetAccount(key)
	for _, f := range h.opts.Faults.List() {
		if f.Match.Account == key {
			h.opts.Faults.Delete(f.ID)
		}
	}
}

func (h *Handler) adminSnapshot(w http.ResponseWriter, r *http.Request) {
	if h.opts.Control == nil {
		h.adminError(w, r, apierror.InvalidPointer("", "This server has no state file."))
		return
	}
	path, err := h.opts.Control.Snapshot()
	if err != nil {
		h.adminError(w, r, apierror.InvalidPointer("", err.Error()))
		return
	}
	adminJSONReply(w, http.StatusOK, map[string]any{"saved": path})
}

func (h *Handler) adminAccounts(w http.ResponseWriter, r *http.Request) {
	keys, changed := h.opts.Store.Keys()
	out := make([]map[string]any, len(keys))
	for i, k := range keys {
		out[i] = map[string]any{"account": secret.Fingerprint(k), "changed": changed[i]}
	}
	adminJSONReply(w, http.StatusOK, map[string]any{"accounts": out})
}

func (h *Handler) adminForgetAccount(w http.ResponseWriter, r *http.Request) {
	key := pathParam(r, "key")
	h.forget(key)
	adminJSONReply(w, http.StatusOK, map[string]any{"reset": "account", "account": secret.Fingerprint(key)})
}

func (h *Handler) adminThrottle(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Count      int `json:"count"`
		RetryAfter int `json:"retry_after"`
	}
	if !h.decodeAdmin(w, r, &req, false) {
		return
	}
	if req.Count < 1 {
		h.adminError(w, r, apierror.InvalidPointer("/count", "count must be 1 or more."))
		return
	}
	rule, err := h.ThrottleNext(pathParam(r, "key"), req.Count, req.RetryAfter)
	if err != nil {
		h.adminError(w, r, apierror.InvalidPointer("", err.Error()))
		return
	}
	adminJSONReply(w, http.StatusCreated, shownRule(rule))
}

// queryInt reads an optional integer query parameter.
func queryInt(r *http.Request, name string) (int, *apierror.Error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, apierror.Invalid(name, fmt.Sprintf("%s must be a non-negative integer, got %q.", name, v))
	}
	return n, nil
}

// decodeError turns a JSON decoding error of a control API body into a
// Klaviyo-shaped 400 that names the member, without Go type names.
func decodeError(err error) *apierror.Error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		pointer := "/" + strings.ReplaceAll(typeErr.Field, ".", "/")
		return apierror.InvalidPointer(pointer, fmt.Sprintf("%q must be %s, got a JSON %s.",
			typeErr.Field, jsonKind(typeErr.Type.Kind().String()), typeErr.Value))
	case errors.As(err, &syntaxErr):
		return apierror.ParseError(fmt.Sprintf("%s (at byte %d)", syntaxErr.Error(), syntaxErr.Offset))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return apierror.InvalidPointer("/"+name, fmt.Sprintf("%q is not a member this control route reads.", name))
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return apierror.ParseError("the body ends before the JSON document does")
	}
	return apierror.InvalidPointer("", "The request body is not valid: "+strings.TrimPrefix(err.Error(), "json: "))
}

// jsonKind names the JSON type a Go kind is read from.
func jsonKind(goKind string) string {
	switch {
	case strings.HasPrefix(goKind, "int"), strings.HasPrefix(goKind, "uint"), strings.HasPrefix(goKind, "float"):
		return "a number"
	case goKind == "string":
		return "a string"
	case goKind == "bool":
		return "a boolean"
	case goKind == "slice" || goKind == "array":
		return "an array"
	}
	return "an object"
}
