package handlers

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/admin"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/secret"
)

// oddInserts are what FuzzRouter's odd parameter (below 0x80) puts into a
// credential: HTTP's whitespace, Unicode spaces strings.TrimSpace would
// drop (U+00A0, U+0085, U+3000, U+2003), bytes above 0x7E and a letter
// outside ASCII. Bytes below 0x20 other than a tab never reach a handler:
// the HTTP server refuses them with its own 400.
var oddInserts = []string{"\t", " ", "\u00a0", "\u0085", "\u3000", "\u2003", "\x80", "\xff", "é"}

// withOdd returns auth with something outside printable ASCII in it, as
// odd says: nothing for 0; for 0x80 and above that byte, else one of
// oddInserts; at the end of auth when odd is even, else before its last
// byte.
func withOdd(auth string, odd uint8) string {
	if odd == 0 {
		return auth
	}
	ins := string([]byte{odd})
	if odd < 0x80 {
		ins = oddInserts[int(odd>>1)%len(oddInserts)]
	}
	at := len(auth)
	if odd&1 == 1 && at > 0 {
		at--
	}
	return auth[:at] + ins + auth[at:]
}

// oddCredential reports whether the Authorization value auth carries a
// credential (what follows the scheme and a space, without HTTP's
// whitespace around it) with a byte outside printable ASCII, as no Klaviyo
// key or token has.
func oddCredential(auth string) bool {
	_, cred, ok := strings.Cut(auth, " ")
	cred = strings.Trim(cred, " \t")
	return ok && cred != "" && secret.BadByte(cred) >= 0
}

// checkOddCredential holds FuzzRouter to the rules for credentials: no
// account held has a key outside printable ASCII; a request with an odd
// credential makes no account (accounts held before: before), and is a
// 401 when it reaches authentication: a declared API operation, at a
// revision that resolves and has it, whose path has no empty id and that
// was not refused earlier for its size (413, 431).
func checkOddCredential(t *testing.T, e *fuzzEnv, req *http.Request, rec *httptest.ResponseRecorder, before int) {
	t.Helper()
	keys, _ := e.store.Keys()
	for _, k := range keys {
		if secret.BadByte(k) >= 0 {
			t.Fatalf("%s %s: an account is held for the key %q, outside printable ASCII", req.Method, req.URL.Path, k)
		}
	}
	auth := req.Header.Get("Authorization")
	if !oddCredential(auth) || strings.HasPrefix(req.URL.Path, admin.Prefix) {
		return
	}
	if len(keys) > before {
		t.Fatalf("%s %s with the credential %q: %d accounts held, %d before", req.Method, req.URL.Path, auth, len(keys), before)
	}
	ep, ok := endpointOf(req.Method, req.URL.EscapedPath())
	if !ok || strings.Contains(strings.TrimSuffix(req.URL.EscapedPath(), "/"), "//") {
		return
	}
	p, err := e.h.opts.Resources.Revisions().Resolve(req.Header.Get("revision"), revision.ResolveOptions{Today: e.h.opts.Clock.Now()})
	if err != nil {
		return
	}
	if _, ok := ep.At(p); !ok {
		return
	}
	switch rec.Code {
	case http.StatusUnauthorized, http.StatusRequestEntityTooLarge, http.StatusRequestHeaderFieldsTooLarge:
	default:
		t.Fatalf("%s %s with the credential %q: %d, want 401\n%s", req.Method, req.URL.Path, auth, rec.Code, rec.Body.Bytes())
	}
}
