package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// The odd-keys attack sends credentials with bytes outside printable ASCII
// (bytes above 0x7E, Unicode spaces at either end, a space or tab inside,
// control bytes) on raw connections, so that every byte reaches the
// server. Each must be refused (a 401; a control byte is refused earlier
// by Go's HTTP parser with its own 400) and must make no account; a key
// that differs from another only in such bytes must never see the other's
// data.

// oddKeys is the state of the odd-keys attack.
type oddKeys struct {
	f *fleet
	v *verdicts

	refused   atomic.Int64 // answers 401
	parser400 atomic.Int64 // refused by Go's HTTP parser (control bytes)
	twins     atomic.Int64 // rounds whose printable twin was checked
	listed    atomic.Int64 // account listings checked
	noAnswer  atomic.Int64 // no answer, or no slot for the connection (503 with Retry-After)
}

// oddVariants returns credentials that differ from the printable cred
// only in bytes outside printable ASCII.
func oddVariants(cred string) []string {
	return []string{
		cred + "\xff",
		cred[:len(cred)-1] + "\xe9" + cred[len(cred)-1:],
		cred + "\u00a0",
		"\u3000" + cred,
		cred + "\u2003",
		cred[:4] + "\t" + cred[4:],
		cred[:4] + " " + cred[4:],
		cred + "\x01",
		cred[:5] + "\x7f" + cred[5:],
	}
}

// run sends a round a second against the current server, and checks the
// account listing every 15 rounds and at the end.
func (o *oddKeys) run(ctx context.Context, _ int) {
	defer o.checkListing(context.WithoutCancel(ctx))
	for n := 0; ctx.Err() == nil; n++ {
		if o.f.ready(ctx) {
			o.round(ctx, n)
		}
		if n%15 == 14 {
			o.checkListing(ctx)
		}
		sleep(ctx, time.Second)
	}
}

// round creates an item with each odd variant of a fresh credential (each
// must be refused), checks that the printable twin does not see it, then
// creates it with the twin and checks that no variant reads it.
func (o *oddKeys) round(ctx context.Context, n int) {
	scheme, twin := "Klaviyo-API-Key", fmt.Sprintf("pk_odd%08d", n)
	if n%2 == 1 {
		scheme, twin = "Bearer", fmt.Sprintf("tok_odd%08d", n)
	}
	ext := fmt.Sprintf("ODD-%d", n)
	create := fmt.Sprintf(`{"data":{"type":"catalog-item","attributes":{"external_id":%q,"title":"odd","description":"d","url":"https://shop.example/odd"}}}`, ext)
	for _, v := range oddVariants(twin) {
		o.expectRefused(ctx, "POST", "/api/catalog-items", scheme+" "+v, create)
	}
	status, _ := o.send(ctx, "GET", itemPath(ext), scheme+" "+twin, "")
	switch status {
	case 0:
		return
	case 200:
		o.v.fail("odd keys", "%s %q read the item %s written with keys that differ from it only in bytes outside printable ASCII", scheme, twin, ext)
	}
	if status, _ := o.send(ctx, "POST", "/api/catalog-items", scheme+" "+twin, create); status != 201 {
		return // a full memory budget, say: nothing to read back
	}
	for _, v := range oddVariants(twin) {
		o.expectRefused(ctx, "GET", itemPath(ext), scheme+" "+v, "")
	}
	o.twins.Add(1)
}

// expectRefused sends a request with an odd credential: the answer must
// be a 401, or Go's HTTP parser's 400 for a control byte.
func (o *oddKeys) expectRefused(ctx context.Context, method, path, auth, body string) {
	status, res := o.send(ctx, method, path, auth, body)
	switch {
	case status == 0:
		o.noAnswer.Add(1)
	case status == http.StatusUnauthorized:
		o.refused.Add(1)
	case status == http.StatusBadRequest && strings.ContainsAny(auth, "\x01\x7f") && strings.HasPrefix(res, "400 Bad Request"):
		o.parser400.Add(1)
	default:
		o.v.fail("odd keys", "%s %s with Authorization %q: %d, want 401: %.300s", method, path, auth, status, res)
	}
}

// checkListing fails when GET /__admin/accounts lists an account whose
// fingerprint shows a byte outside printable ASCII ('?'): no such key may
// select an account.
func (o *oddKeys) checkListing(ctx context.Context) {
	if !o.f.ready(ctx) {
		return
	}
	prints, err := accountFingerprints(ctx, o.f.Base())
	if err != nil {
		return // the server was being replaced, say
	}
	for _, p := range prints {
		if strings.Contains(p, "?") {
			o.v.fail("odd keys", "an account was made for a key outside printable ASCII (fingerprint %q)", p)
		}
	}
	o.listed.Add(1)
}

// send sends one request with Authorization auth on a new connection to
// the current server, byte for byte, and returns the status and body
// (status 0: no answer).
func (o *oddKeys) send(ctx context.Context, method, path, auth, body string) (int, string) {
	return rawRequest(ctx, o.f.Addr(), method, path, auth, body)
}

// rawRequest sends one API request on a new connection to addr. A 503
// with Retry-After (the server had no slot for the connection: the idle
// flood holds them) counts as no answer, status 0.
func rawRequest(ctx context.Context, addr, method, path, auth, body string) (int, string) {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return 0, ""
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	head := method + " " + path + " HTTP/1.1\r\nHost: soak\r\nrevision: 2026-07-15\r\nConnection: close\r\nAuthorization: " + auth + "\r\n"
	if body != "" {
		head += fmt.Sprintf("Content-Type: application/vnd.api+json\r\nContent-Length: %d\r\n", len(body))
	}
	if _, err := io.WriteString(c, head+"\r\n"+body); err != nil {
		return 0, ""
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0, ""
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
	if res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") != "" {
		return 0, string(b)
	}
	return res.StatusCode, string(b)
}

// accountFingerprints lists the fingerprints of the accounts a server
// holds.
func accountFingerprints(ctx context.Context, base string) ([]string, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/__admin/accounts", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var doc struct {
		Accounts []struct {
			Account string `json:"account"`
		} `json:"accounts"`
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil || res.StatusCode != 200 {
		return nil, fmt.Errorf("GET /__admin/accounts: %d %v", res.StatusCode, err)
	}
	prints := make([]string, len(doc.Accounts))
	for i, a := range doc.Accounts {
		prints[i] = a.Account
	}
	return prints, nil
}

// exact sends every odd variant of one credential to a quiet server (no
// other client makes accounts there) and checks that the number of
// accounts it holds does not grow; then one request with the printable
// credential, which must add exactly one (so that the count is seen to
// move).
func (o *oddKeys) exact(ctx context.Context, base string) {
	addr := strings.TrimPrefix(base, "http://")
	before, err := accountFingerprints(ctx, base)
	if err != nil {
		o.v.fail("odd keys", "the quiet server's accounts: %v", err)
		return
	}
	odd := oddVariants("pk_exact0001")
	for _, v := range odd {
		status, res := rawRequest(ctx, addr, "GET", listPath, "Klaviyo-API-Key "+v, "")
		if status != 401 && !(status == 400 && strings.HasPrefix(res, "400 Bad Request")) {
			o.v.fail("odd keys", "GET with Authorization %q on the quiet server: %d, want 401", v, status)
		}
	}
	after, _ := accountFingerprints(ctx, base)
	rawRequest(ctx, addr, "GET", listPath, "Klaviyo-API-Key pk_exact0001", "")
	twin, _ := accountFingerprints(ctx, base)
	if len(after) != len(before) || len(twin) != len(before)+1 {
		o.v.fail("odd keys", "the quiet server held %d accounts, %d after %d odd credentials, %d after their printable twin (want %d, %d, %d)",
			len(before), len(after), len(odd), len(twin), len(before), len(before), len(before)+1)
		return
	}
	fmt.Printf("odd keys: on a quiet server, %d accounts before %d odd credentials, %d after, %d after their printable twin\n",
		len(before), len(odd), len(after), len(twin))
}

// report prints what the attack did.
func (o *oddKeys) report() {
	fmt.Printf("odd keys: %d refused with a 401, %d with Go's HTTP parser's 400 (control bytes), %d unanswered or without a connection slot; "+
		"%d printable twins checked; %d account listings checked\n",
		o.refused.Load(), o.parser400.Load(), o.noAnswer.Load(), o.twins.Load(), o.listed.Load())
}
