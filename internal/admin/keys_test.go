package admin_test

import (
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/secret"
)

// TestAdminKeys_KeysOutsidePrintableASCIIAreRefused: the control API takes
// no key the API would refuse, so it never makes an account that no
// request can reach, nor two keys that the state file would merge.
func TestAdminKeys_KeysOutsidePrintableASCIIAreRefused(t *testing.T) {
	e := newEnv(t)
	items := `{"items":[]}`
	paths := []struct{ method, path, body string }{
		{"GET", "/accounts/pk_%FF", ""},
		{"GET", "/accounts/pk_%FE/items", ""},
		{"PUT", "/accounts/pk_%C3%A9", items},
		{"PUT", "/accounts/pk_a%20b/items", items},
		{"DELETE", "/accounts/pk_%09", ""},
		{"POST", "/accounts/bearer:tok%FF/throttle", `{"count":1}`},
	}
	for _, c := range paths {
		r := e.adminReq(c.method, c.path, "", c.body)
		er := wantError(t, r, 400, "invalid", map[string]any{"parameter": "key"})
		if d := er["detail"].(string); !strings.Contains(d, "0x21 to 0x7E") {
			t.Errorf("%s %s: detail %q does not say what a key may hold", c.method, c.path, d)
		}
	}
	bodies := []struct{ path, body, pointer string }{
		{"/reset", `{"account":"pk_\u00ff"}`, "/account"},
		{"/reset", `{"account":"pk_a b"}`, "/account"},
		{"/faults", `{"match":{"account":"pk_\u00e9"},"status":500}`, "/match/account"},
	}
	for _, c := range bodies {
		r := e.adminReq("POST", c.path, "", c.body)
		wantError(t, r, 400, "invalid", map[string]any{"pointer": c.pointer})
	}
	if f := e.adminReq("GET", "/faults", "", ""); strings.Contains(string(f.body), "pk_") {
		t.Fatalf("a refused fault was added: %s", f.body)
	}
	keys, _ := e.store.Keys()
	for _, k := range keys {
		if secret.BadByte(k) >= 0 {
			t.Errorf("the control API made the account %q", k)
		}
	}
}
