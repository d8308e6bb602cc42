package handlers

import (
	"net/http"
	"reflect"

	"github.com/klaviyo-mock/mockserver/internal/httpx"
)

// requestHeaders is what the steps after observe read of a request's
// headers, noted in observe's one walk over the header map (the journal's
// capture when the journal is on, see journal.Begin), which also sizes
// them for the 431 check: routing (Origin), the revision (its values and
// the fall-forward opt-out), authentication and the Prefer fault. A value
// is the first one sent ("" for none), as http.Header.Get answers, but the
// revision's, whose values are all read. Each is read by its canonical
// key, the map's own, as a lookup of it would.
type requestHeaders struct {
	revision                      []string
	authorization, optOut, prefer string
	origin                        bool
	// size is what the headers weigh against --max-header-bytes: each
	// value with its name and four bytes (": " and CRLF).
	size int
}

// SeeHeader notes one header (journal.HeaderSeer).
func (s *requestHeaders) SeeHeader(name string, vs []string) {
	for _, v := range vs {
		s.size += len(name) + len(v) + 4
	}
	switch name {
	case keyRequestRevision:
		s.revision = vs
	case keyAuthorization:
		s.authorization = firstValue(vs)
	case keyOptOut:
		s.optOut = firstValue(vs)
	case headerPrefer:
		s.prefer = firstValue(vs)
	case keyOrigin:
		s.origin = true
	}
}

// see notes every header of hd.
func (s *requestHeaders) see(hd http.Header) {
	for name, vs := range hd {
		s.SeeHeader(name, vs)
	}
}

// lookHeaders looks up in hd what requestHeaders notes, but the size: for
// a request observe did not walk (chi's copy of it, the control API's).
func lookHeaders(hd http.Header) requestHeaders {
	_, origin := hd[keyOrigin]
	return requestHeaders{revision: hd[keyRequestRevision], authorization: firstValue(hd[keyAuthorization]),
		optOut: firstValue(hd[keyOptOut]), prefer: firstValue(hd[headerPrefer]), origin: origin}
}

// observedOf returns the observed request w records (nil when w is not
// observe's recorder): found through the recorder's State, the field
// observe sets for the steps after it, not through a hook another step
// may have wrapped.
func observedOf(w http.ResponseWriter) *observed {
	rec, _ := w.(*httpx.Recorder)
	if rec == nil {
		return nil
	}
	o, _ := rec.State.(*observed)
	return o
}

// headersOf returns r's headers as the steps read them: those observe's
// walk noted when r's header map is that of the request o observed (r
// itself, or chi's copy of it), else looked up (the control API's own
// request for the API; o may be nil).
func (o *observed) headersOf(r *http.Request) *requestHeaders {
	if o.noted(r) {
		return &o.hd
	}
	hd := lookHeaders(r.Header)
	return &hd
}

// noted reports whether o noted r's headers: r's header map is the one o
// walked, which nothing changes after.
func (o *observed) noted(r *http.Request) bool {
	return o != nil && (o.r == r || reflect.ValueOf(o.r.Header).UnsafePointer() == reflect.ValueOf(r.Header).UnsafePointer())
}

// fromBrowser reports whether r names an Origin: a browser's request,
// which goes through CORS (o, when r is its request, noted it).
func (o *observed) fromBrowser(r *http.Request) bool {
	if o.noted(r) {
		return o.hd.origin
	}
	return fromBrowser(r)
}
