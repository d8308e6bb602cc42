package handlers

import (
	"net/http"
	"strings"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/httpx"
	"github.com/klaviyo-mock/mockserver/internal/rcache"
	"github.com/klaviyo-mock/mockserver/internal/render"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/secret"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// call is one API request on its way through the pipeline.
type call struct {
	w   http.ResponseWriter
	r   *http.Request
	rec *httpx.Recorder
	ep  resource.Endpoint
	res *resource.Resource // ep.Res
	o   *resource.Operation
	rp  *resource.Profile // res at the served revision
	p   *revision.Profile // the served revision
	// id is the path's id segment, percent-decoded ("" on a collection's
	// path). Operations read it here, never from chi's context: a read
	// routed by fastRoutes has none (FuzzFastRoutes_AnswerAsChi).
	id   string
	key  string
	acct *store.Account
	// control: the control API serves the request on the account's
	// behalf (see controlKey).
	control bool
	// hd is what the steps read of the request's headers (see
	// requestHeaders); obs is the observed request (nil: none), whose
	// clock reading is the request's time and to whose body tap readBody
	// lends its buffer.
	hd  *requestHeaders
	obs *observed
	// q is the parsed query string, and body the request's document (for
	// an op that takes one): the pipeline reads both, once, before the op
	// runs. No parser modifies body in place, nor does anything after
	// (TestParsers_LeaveTheBodyAsRead): the journal may keep a view of its
	// buffer, not a copy (bodyTap.lend).
	q    request
	body []byte
	// out is the answer's document when an op rendered part of it in
	// place (render.Renderer.Out): its buffer is then the op's.
	out render.Pieces
}

// newCall returns room for the call of the request rec records, and its
// observed request (nil: none): the call that request holds (one
// allocation fewer per request), or a new one when rec is not observe's or
// its call is taken.
func newCall(rec *httpx.Recorder) (*call, *observed) {
	o, _ := rec.State.(*observed)
	if o != nil && !o.called {
		o.called = true
		return &o.call, o
	}
	return new(call), o
}

// opFunc is an operation: it appends its document to buf and returns the
// status, or returns the errors to send instead.
type opFunc func(c *call, buf *[]byte) (int, []*apierror.Error)

// operation runs fn behind the pipeline, which reads its query and body
// first.
func (h *Handler) operation(ep resource.Endpoint, fn opFunc) route {
	return h.pipeline(ep, fn, true)
}

// pipeline runs the steps shared by every API operation: revision,
// authentication, account, faults, limiter, then (when read) the query and
// the body, then the operation, then the one writer.
func (h *Handler) pipeline(ep resource.Endpoint, fn opFunc, read bool) route {
	name := ep.Name()
	return func(w http.ResponseWriter, r *http.Request, id string) {
		rec := httpx.RecorderOf(w)
		rec.Op = name
		c, o := newCall(rec)
		*c = call{w: w, r: r, rec: rec, ep: ep, res: ep.Res, id: id, hd: o.headersOf(r), obs: o}
		if !h.resolve(c) || !h.identify(c) || !h.injectFault(c) || !h.admit(c) || !h.refuseStrayBody(c) {
			return
		}
		h.serve(c, fn, read)
	}
}

// resolve settles the revision that serves c and the operation at it, or
// answers why there is none.
func (h *Handler) resolve(c *call) bool {
	// Several revision headers are joined, as Django joins them, and so
	// refused as malformed.
	p, aerr := h.opts.Resources.Revisions().Resolve(strings.Join(c.hd.revision, ","), revision.ResolveOptions{
		Today:  h.now(c),
		Retire: h.opts.RetireRevisions,
		OptOut: c.hd.optOut,
	})
	if aerr != nil {
		h.errs.Write(c.w, styleOf(nil), aerr)
		return false
	}
	c.p, c.rp = p, c.ep.Res.At(p)
	c.rec.Revision = p.Date
	c.w.Header()[keyRevision] = h.revisionValue(p)
	o, ok := c.ep.At(p)
	if !ok {
		h.errs.Write(c.w, styleOf(p), apierror.NoValidRevision())
		return false
	}
	c.o = o
	return true
}

// now is the clock's reading when c's request came (observe's), or, for a
// call observe did not see, the clock's now.
func (h *Handler) now(c *call) time.Time {
	if c.obs != nil {
		return c.obs.started
	}
	return h.opts.Clock.Now()
}

// identify authenticates c and finds its account (on /client, the one
// whose public key the query names).
func (h *Handler) identify(c *call) bool {
	if c.res.Client {
		return h.identifyByPublicKey(c)
	}
	key, control := controlAccount(c.r)
	if !control {
		var aerr *apierror.Error
		if key, aerr = h.authenticate(c.hd.authorization); aerr != nil {
			h.errs.Write(c.w, styleOf(c.p), aerr)
			return false
		}
	}
	c.control = control
	c.key = key
	c.rec.Account = key
	acct, err := h.opts.Store.Account(key)
	if err != nil {
		h.errs.Write(c.w, styleOf(c.p), h.storeError(err))
		return false
	}
	c.acct = acct
	return true
}

// refuseStrayBody refuses a body sent to an op that takes none.
func (h *Handler) refuseStrayBody(c *call) bool {
	if !c.ep.Op.TakesBody() && (c.r.ContentLength > 0 || c.r.ContentLength < 0) {
		h.errs.Write(c.w, styleOf(c.p), apierror.InvalidPointer(apierror.PointerData,
			"A "+c.r.Method+" request must not have a body."))
		return false
	}
	return true
}

// pageKeyRoom is the room serve gives a document's cache key on its stack:
// a longer key (a long path or query) is built on the heap.
const pageKeyRoom = 512

// serve answers c from the cache of rendered documents, or reads its
// query and body (when read) and runs the operation, then writes its
// result.
func (h *Handler) serve(c *call, fn opFunc, read bool) {
	var room [pageKeyRoom]byte
	page, cached := h.pageKey(c, room[:0])
	if cached {
		if doc, ok := rcache.GetBytes(h.pages, page); ok {
			httpx.WriteDocument(c.w, http.StatusOK, c.p.ContentType, doc.length, doc.body)
			return
		}
	}
	if read {
		if errs := h.read(c); len(errs) > 0 {
			h.errs.Write(c.w, styleOf(c.p), errs...)
			return
		}
	}
	buf := h.bufs.Get()
	defer h.bufs.Put(buf)
	status, errs := fn(c, buf)
	if len(errs) > 0 {
		h.errs.Write(c.w, styleOf(c.p), errs...)
		return
	}
	if status == http.StatusNoContent || len(*buf) == 0 { // no body, so no Content-Type (an enqueued create's 202)
		c.w.WriteHeader(status)
		return
	}
	doc := document{raw: *buf}
	if c.out.Spliced() {
		c.out.Buf = *buf
		doc = document{pieces: &c.out}
	}
	if cached && status == http.StatusOK {
		// Kept at its second rendering: a document read once after every
		// change would cost a copy no request reads.
		h.pages.Offer(string(page), doc)
	}
	if doc.pieces != nil {
		httpx.WriteBody(c.w, status, c.p.ContentType, doc.pieces)
		return
	}
	httpx.Write(c.w, status, c.p.ContentType, *buf)
}

// read parses c's query string for its endpoint at its revision and, for
// an op that takes a document, reads the body: every op sees them as c.q
// and c.body.
func (h *Handler) read(c *call) []*apierror.Error {
	q, errs := parseQuery(c, h.opts.Resources.Revisions().All())
	if len(errs) > 0 {
		return errs
	}
	c.q = q
	if !c.ep.Op.TakesBody() {
		return nil
	}
	body, aerr := readBody(c.r, c.p, c.rec.Body, c.obs.bodyTap())
	if aerr != nil {
		return []*apierror.Error{aerr}
	}
	c.body = body
	return nil
}

// Authorization schemes.
const (
	schemeAPIKey = "Klaviyo-API-Key"
	schemeBearer = "Bearer"
	bearerPrefix = secret.BearerPrefix
)

// httpSpace is the whitespace HTTP allows around a header's value (RFC
// 9110, section 5.6.3: OWS is spaces and horizontal tabs).
const httpSpace = " \t"

// authenticate returns the account key the Authorization header (its
// first value, auth) selects:
// the private key itself, or "bearer:" + the OAuth token. A credential with
// a byte outside printable ASCII is refused as Klaviyo refuses a wrong key
// (Klaviyo's keys and tokens are printable ASCII, and such a key could not
// be told apart from another once written to the state file); the 401
// carries no meta, as Klaviyo's does not, so its hint goes to the log only.
func (h *Handler) authenticate(auth string) (string, *apierror.Error) {
	scheme, cred, _ := strings.Cut(auth, " ")
	// Only HTTP's whitespace around it is not part of the credential:
	// strings.TrimSpace would also drop Unicode spaces (U+00A0, U+3000…),
	// and a key ending in one would select the account of the key without.
	cred = strings.Trim(cred, httpSpace)
	apiKey := strings.EqualFold(scheme, schemeAPIKey)
	if !apiKey && (!strings.EqualFold(scheme, schemeBearer) || cred == "") {
		return "", apierror.NotAuthenticated()
	}
	if i := secret.BadByte(cred); i >= 0 && cred != "" {
		return "", apierror.AuthenticationFailed().Hintf("The credential has the byte %#02x at position %d. %s",
			cred[i], i, secret.Hint)
	}
	if !apiKey {
		return bearerPrefix + cred, nil
	}
	switch {
	case !strings.HasPrefix(cred, secret.PrivatePrefix):
		return "", apierror.AuthenticationFailed().WithHint("The key does not start with " + secret.PrivatePrefix + ". " + secret.Hint)
	case h.opts.StrictKeys && !ValidPrivateKey(cred):
		return "", apierror.AuthenticationFailed().WithHint("--strict-keys is on. " + secret.Hint)
	}
	return cred, nil
}

// ValidPrivateKey reports whether key has the form of a Klaviyo private key:
// "pk_" followed by 34 lowercase hexadecimal characters.
func ValidPrivateKey(key string) bool {
	if len(key) != 37 || !strings.HasPrefix(key, "pk_") {
		return false
	}
	for _, c := range key[3:] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
