package admin_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// publicKeyOf returns the public key GET /__admin/accounts lists for the
// test account (which a request has used).
func (e *env) publicKeyOf() string {
	e.t.Helper()
	if r := e.get("/api/catalog-items?page%5Bsize%5D=1"); r.status != 200 {
		e.t.Fatalf("list: %d", r.status)
	}
	var doc struct {
		Accounts []struct {
			PublicKey string `json:"public_key"`
		}
	}
	_ = json.Unmarshal(e.adminSend("GET", "/accounts", "").body, &doc)
	if len(doc.Accounts) != 1 || len(doc.Accounts[0].PublicKey) != 6 {
		e.t.Fatalf("accounts: %+v", doc)
	}
	return doc.Accounts[0].PublicKey
}

// TestPublicKey_NamesTheAccountInBodiesAsInPaths: the web page knows an
// account by the public key GET /__admin/accounts lists (never its whole
// key), and names it so in paths; a fault rule's match.account, a
// scenario's account, a reset's account and the journal's ?account= name
// it the same way.
func TestPublicKey_NamesTheAccountInBodiesAsInPaths(t *testing.T) {
	e := newEnv(t)
	pub := e.publicKeyOf()
	for _, c := range []struct{ what, path, body string }{
		{"a fault rule", "/faults", `{"status":503,"count":1,"match":{"account":"` + pub + `"}}`},
		{"a scenario", "/scenarios/down", `{"account":"` + pub + `"}`},
	} {
		if r := e.adminSend("POST", c.path, c.body); r.status != 201 || !strings.Contains(string(r.body), `"account":"pk_…ef01"`) {
			t.Fatalf("%s for %s: %d %s", c.what, pub, r.status, r.body)
		}
		if r := e.get("/api/catalog-items"); r.status != 503 {
			t.Fatalf("%s for %s: the account's next request got %d", c.what, pub, r.status)
		}
		e.adminSend("DELETE", "/faults", "")
	}
	e.adminSend("POST", "/faults", `{"status":503,"match":{"account":"`+testKey+`"}}`)
	if r := e.adminSend("POST", "/reset", `{"account":"`+pub+`"}`); r.status != 200 ||
		!strings.Contains(string(r.body), `"account":"pk_…ef01"`) {
		t.Fatalf("reset %s: %d %s", pub, r.status, r.body)
	}
	if r := e.get("/api/catalog-items"); r.status != 200 {
		t.Fatalf("the reset left the account's fault rule: %d", r.status)
	}
	var journal struct{ Requests []struct{ Account string } }
	_ = json.Unmarshal(e.adminSend("GET", "/requests?account="+pub, "").body, &journal)
	if len(journal.Requests) == 0 || journal.Requests[0].Account != "pk_…ef01" {
		t.Fatalf("the journal of %s: %+v", pub, journal)
	}
}
