package handlers

import (
	"bytes"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/secret"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// logBuffer is a log destination safe for the server's goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// withLog sends the server's log, every level, to buf.
func withLog(buf *logBuffer) envOption {
	return func(o *Options, _ *store.Options) {
		o.Logger = slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
}

// oddCredentials are Authorization values whose credential holds a byte
// outside printable ASCII (the client sends them; Go's client refuses
// control bytes, so those are left to the secret package's tests).
var oddCredentials = []string{
	"Klaviyo-API-Key pk_\xff",
	"Klaviyo-API-Key pk_\xfe",
	"Klaviyo-API-Key pk_é",
	"Klaviyo-API-Key pk_0123456789abcdef\t0123456789abcdef01",
	"Klaviyo-API-Key pk_0123456789abcdef 0123456789abcdef01",
	"Bearer tok\xff",
	"Bearer tok en",
	"Klaviyo-API-Key pk_\u00a0",
	"Bearer \u3000tok",
}

func TestAuth_CredentialOutsidePrintableASCIIFailsAndMakesNoAccount(t *testing.T) {
	e := newEnv(t)
	for _, auth := range oddCredentials {
		r := e.req("POST", "/api/catalog-items", strings.NewReader(`{"data":{"type":"catalog-item","attributes":`+
			`{"external_id":"ODD","title":"t","description":"d","url":"https://shop.example/odd"}}}`),
			"Authorization: "+auth, "Content-Type: application/vnd.api+json")
		er := wantError(t, r, 401, apierror.CodeAuthenticationFailed, map[string]any{"pointer": "/data/"})
		if er["title"] != apierror.TitleAuthenticationFailed || er["detail"] != apierror.TitleAuthenticationFailed {
			t.Fatalf("%q: %v", auth, er)
		}
		validate(t, r, "2026-07-15")
	}
	keys, _ := e.store.Keys()
	for _, k := range keys {
		if secret.BadByte(k) >= 0 {
			t.Errorf("an account was made for the refused key %q", k)
		}
	}
}

func TestAuth_AnEmptyKeyFailsAsAWrongOne(t *testing.T) {
	e := newEnv(t)
	for _, auth := range []string{"Klaviyo-API-Key", "Klaviyo-API-Key  "} {
		r := e.get(listPath, "Authorization: "+auth)
		wantError(t, r, 401, apierror.CodeAuthenticationFailed, map[string]any{"pointer": "/data/"})
	}
}

func TestAuth_TwoOddKeysNeverShareAnAccount(t *testing.T) {
	e := newEnv(t)
	for _, auth := range []string{"Klaviyo-API-Key pk_\xff", "Klaviyo-API-Key pk_\xfe"} {
		r := e.req("POST", "/api/catalog-items", strings.NewReader(`{"data":{"type":"catalog-item","attributes":`+
			`{"external_id":"SHARED","title":"t","description":"d","url":"https://shop.example/s"}}}`),
			"Authorization: "+auth, "Content-Type: application/vnd.api+json")
		if r.status != 401 {
			t.Fatalf("%q: status %d, want 401: %s", auth, r.status, r.body)
		}
	}
	if keys, _ := e.store.Keys(); len(keys) != 0 {
		t.Fatalf("accounts %q were made", keys)
	}
}

// TestAuth_UnicodeSpaceAroundAKeyIsPartOfIt: only HTTP's own whitespace
// (space, tab) around the credential is dropped. A key ending or starting
// with a Unicode space (U+00A0, U+0085, U+3000, in UTF-8) was trimmed to
// the key without it, so the two selected one account; each is now a 401,
// and no account.
func TestAuth_UnicodeSpaceAroundAKeyIsPartOfIt(t *testing.T) {
	e := newEnv(t)
	for _, cred := range []string{"pk_nbsp\u00a0", "\u00a0pk_nbsp", "pk_nbsp\u0085", "pk_nbsp\u3000", "\u2003pk_nbsp"} {
		r := e.get(listPath, "Authorization: Klaviyo-API-Key "+cred)
		if r.status != 401 {
			t.Errorf("%q: status %d, want 401", cred, r.status)
		}
		if r := e.get(listPath, "Authorization: Bearer "+cred); r.status != 401 {
			t.Errorf("Bearer %q: status %d, want 401", cred, r.status)
		}
	}
	if keys, _ := e.store.Keys(); len(keys) != 0 {
		t.Fatalf("accounts %q were made", keys)
	}
	for _, auth := range []string{"Klaviyo-API-Key  pk_nbsp", "Klaviyo-API-Key pk_nbsp \t"} {
		if r := e.get(listPath, "Authorization: "+auth); r.status != 200 {
			t.Errorf("%q: status %d, want 200 (HTTP whitespace is not part of the credential)", auth, r.status)
		}
	}
	if keys, _ := e.store.Keys(); len(keys) != 1 || keys[0] != "pk_nbsp" {
		t.Fatalf("accounts %q, want pk_nbsp alone", keys)
	}
}

func TestAuth_RefusedCredentialLogsWhatAKeyLooksLike(t *testing.T) {
	for _, strict := range []bool{false, true} {
		var log logBuffer
		e := newEnv(t, withLog(&log), func(o *Options, _ *store.Options) { o.StrictKeys = strict })
		r := e.get(listPath, "Authorization: Klaviyo-API-Key pk_secret\xffvalue")
		wantError(t, r, 401, apierror.CodeAuthenticationFailed, nil)
		out := log.String()
		id := regexp.QuoteMeta(r.header.Get("X-Klaviyo-Req-Id"))
		if id == "" || !regexp.MustCompile(`level=INFO .*request_id=`+id+` .*0x21 to 0x7E`).MatchString(out) {
			t.Fatalf("strict keys %v: no hint with the request id in the log:\n%s", strict, out)
		}
		if strings.Contains(out, "secret") {
			t.Fatalf("the log shows the refused credential:\n%s", out)
		}
	}
}
