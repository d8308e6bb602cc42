package handlers

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/secret"
)

// testToken is an OAuth token; its account key is "bearer:" + testToken.
const testToken = "eyJhbGciOiJIUzI1NiJ9.e30.oauth-token-wxyz"

// wantNoKeys fails if text shows the secret part of testKey or testToken.
func wantNoKeys(t *testing.T, what, text string) {
	t.Helper()
	for _, k := range []string{strings.TrimPrefix(testKey, "pk_"), testToken} {
		if i := strings.Index(text, k); i >= 0 {
			t.Errorf("%s shows a whole key: …%s…", what, text[max(i-300, 0):min(i+len(k)+40, len(text))])
		}
	}
}

// member decodes r's JSON body and returns the value at path (object
// members; a number indexes an array).
func member(t *testing.T, r *resp, path ...any) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("%s %s: %v\n%s", r.method, r.path, err, r.body)
	}
	for _, p := range path {
		switch p := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[p]
		case int:
			a, _ := v.([]any)
			if p >= len(a) {
				return nil
			}
			v = a[p]
		}
	}
	return v
}

func TestFingerprint_AnswersAndLogLinesShowKeysByTheirFingerprint(t *testing.T) {
	var log logBuffer
	e := newEnv(t, withLog(&log))
	bearer := "Authorization: Bearer " + testToken
	fpKey, fpToken := secret.Fingerprint(testKey), secret.Fingerprint(bearerPrefix+testToken)
	wantStatus(t, e.get(listPath, "X-Auth-Token: "+testToken, "Cookie: a=1; session="+testToken), 200)
	wantStatus(t, e.get(listPath, bearer), 200)
	fault := e.adminReq("POST", "/faults", "", `{"match":{"account":"bearer:`+testToken+`"},"status":500,"count":1}`)
	if fault.status != 201 || member(t, fault, "match", "account") != fpToken {
		t.Fatalf("fault rule answer: %d %s", fault.status, fault.body)
	}
	if r := e.get(listPath, bearer); r.status != 500 {
		t.Fatalf("the fault did not answer: %d", r.status)
	}
	throttle := e.adminReq("POST", "/accounts/"+testKey+"/throttle", "", `{"count":1}`)
	checks := []struct {
		r    *resp
		path []any
		want string
	}{
		{throttle, []any{"match", "account"}, fpKey},
		{e.adminReq("GET", "/faults", "", ""), []any{"faults", 0, "match", "account"}, fpKey},
		{e.adminReq("GET", "/requests", "", ""), []any{"requests", 0, "account"}, fpKey},
		{e.adminReq("GET", "/requests?account="+testKey, "", ""), []any{"requests", 0, "account"}, fpKey},
		{e.adminReq("GET", "/requests?account="+urlEscape(fpToken), "", ""), []any{"requests", 1, "account"}, fpToken},
		{e.adminReq("GET", "/accounts", "", ""), []any{"accounts", 0, "account"}, fpToken},
		{e.adminReq("GET", "/accounts/"+testKey, "", ""), []any{"account"}, fpKey},
		{e.adminReq("GET", "/accounts/"+testKey+"/items", "", ""), []any{"account"}, fpKey},
		{e.adminReq("PUT", "/accounts/"+testKey+"/items", "", `{"items":[]}`), []any{"account"}, fpKey},
		{e.adminReq("POST", "/reset", "", `{"account":"`+testKey+`"}`), []any{"account"}, fpKey},
		{e.adminReq("DELETE", "/accounts/bearer:"+testToken, "", ""), []any{"account"}, fpToken},
	}
	for _, c := range checks {
		if c.r.status >= 300 || member(t, c.r, c.path...) != c.want {
			t.Errorf("%s %s: %d, %v is %v, want %q", c.r.method, c.r.path, c.r.status, c.path, member(t, c.r, c.path...), c.want)
		}
		wantNoKeys(t, c.r.method+" "+c.r.path, string(c.r.body))
	}
	lost := e.adminReq("GET", "/accounts/bearer:"+testToken+"/items/extra", "", "")
	if d, _ := member(t, lost, "errors", 0, "detail").(string); lost.status != 404 || !strings.Contains(d, fpToken+"/items/extra") {
		t.Errorf("unknown control path: %d %s", lost.status, lost.body)
	}
	wantNoKeys(t, "a 404's detail", string(lost.body))
	out := log.String()
	wantNoKeys(t, "the log", out)
	if !regexp.MustCompile(`level=ERROR msg=request .*account=` + regexp.QuoteMeta(fpToken)).MatchString(out) {
		t.Fatalf("the 5xx's log line does not name the account by its fingerprint:\n%s", out)
	}
}

// TestFingerprint_AnExportPutsBackIntoItsAccountOrAnother: an export names
// its account by fingerprint; a PUT takes the account from its path and
// reads the document's "account" member as a label only, so an export
// puts back unchanged, and copies into another account.
func TestFingerprint_AnExportPutsBackIntoItsAccountOrAnother(t *testing.T) {
	e := newEnv(t, withJobs(20))
	other := bearerPrefix + testToken
	wantStatus(t, e.send("POST", "/api/catalog-items", "2026-07-15", item("ROUND-1", nil)), 201)
	before := e.adminReq("GET", "/accounts/"+testKey, "", "")
	if before.status != 200 || member(t, before, "account") != secret.Fingerprint(testKey) {
		t.Fatalf("export: %d %.300s", before.status, before.body)
	}
	for _, target := range []string{testKey, other} {
		put := e.adminReq("PUT", "/accounts/"+target, "", string(before.body))
		if put.status != 200 || member(t, put, "account") != secret.Fingerprint(target) {
			t.Fatalf("PUT of the export into %s: %d %.600s", secret.Fingerprint(target), put.status, put.body)
		}
		after := e.adminReq("GET", "/accounts/"+target, "", "")
		want := strings.Replace(string(before.body), `"account":"`+secret.Fingerprint(testKey)+`"`,
			`"account":"`+secret.Fingerprint(target)+`"`, 1)
		// The account's own entity carries its public key, not the source's.
		want = strings.ReplaceAll(want, `"`+publicKeyOf(t, before)+`"`, `"`+publicKeyOf(t, after)+`"`)
		if string(after.body) != want {
			t.Fatalf("%s after the PUT differs from the export:\n%.400s\nwant\n%.400s", secret.Fingerprint(target), after.body, want)
		}
	}
	for _, label := range []string{`"` + testKey + `"`, `"pk_…0000"`, `""`} {
		doc := `{"account":` + label + `,"items":[]}`
		if r := e.adminReq("PUT", "/accounts/"+testKey+"/items", "", doc); r.status != 200 {
			t.Errorf("PUT with the account %s: %d %s", label, r.status, r.body)
		}
	}
	if r := e.adminReq("PUT", "/accounts/"+testKey+"/items", "", `{"account":7,"items":[]}`); r.status != 400 {
		t.Errorf("PUT with a non-string account: %d %s", r.status, r.body)
	}
}

// publicKeyOf returns the public key an account export shows.
func publicKeyOf(t *testing.T, r *resp) string {
	t.Helper()
	var doc struct {
		Accounts []struct {
			ID string `json:"id"`
		} `json:"accounts"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil || len(doc.Accounts) != 1 {
		t.Fatalf("no account in the export: %v %.300s", err, r.body)
	}
	return doc.Accounts[0].ID
}
