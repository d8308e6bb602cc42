package admin_test

import (
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/handlers"
	"github.com/klaviyo-mock/mockserver/internal/secret"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

func TestAdmin_RefusesHostsThatAreNotLoopbackOrListed(t *testing.T) {
	e := newEnv(t)
	e.get(listPath) // the journal holds a request with a key
	for _, host := range []string{"127.0.0.1:8080", "localhost:8080", "LOCALHOST", "[::1]:8080", "127.0.0.2", "app.localhost:3000"} {
		if r := e.adminReq("GET", "/requests", host, ""); r.status != 200 {
			t.Errorf("Host %s: %d", host, r.status)
		}
	}
	for _, host := range []string{"attacker.example:8080", "attacker.example", "10.0.0.5:8080", "klaviyo:8080", "127.0.0.1.nip.io"} {
		r := e.adminReq("GET", "/requests", host, "")
		er := wantError(t, r, 403, "permission_denied", nil)
		if !strings.Contains(er["detail"].(string), "--admin-hosts=") {
			t.Errorf("Host %s: detail %v", host, er["detail"])
		}
		if strings.Contains(string(r.body), testKey) {
			t.Fatalf("Host %s: the answer leaks a key", host)
		}
	}
	// A refused write changes nothing.
	before := e.clock.Now()
	wantError(t, e.adminReq("POST", "/clock", "attacker.example", `{"advance":"1h"}`), 403, "permission_denied", nil)
	if !e.clock.Now().Equal(before) {
		t.Fatal("a refused Host moved the clock")
	}

	listed := newEnv(t, func(o *handlers.Options, _ *store.Options) { o.AdminHosts = []string{"klaviyo"} })
	if r := listed.adminReq("GET", "/health", "klaviyo:8080", ""); r.status != 200 {
		t.Errorf("listed host: %d", r.status)
	}
	if r := listed.adminReq("GET", "/health", "other:8080", ""); r.status != 403 {
		t.Errorf("unlisted host with a list: %d", r.status)
	}
	any := newEnv(t, func(o *handlers.Options, _ *store.Options) { o.AdminHosts = []string{"*"} })
	if r := any.adminReq("GET", "/health", "anything.example", ""); r.status != 200 {
		t.Errorf("--admin-hosts=*: %d", r.status)
	}
	pub := newEnv(t, func(o *handlers.Options, _ *store.Options) { o.PublicURL = "https://a.klaviyo.com" })
	if r := pub.adminReq("GET", "/health", "a.klaviyo.com", ""); r.status != 200 {
		t.Errorf("--public-url host: %d", r.status)
	}
}

func TestAdmin_KeysWithSlashesAreDecodedFromThePath(t *testing.T) {
	e := newEnv(t)
	const token = "a/b+c=="
	body := `{"jobs":[{"id":"01JAAAAAAAAAAAAAAAAAAAAAAA","status":"queued","created_at":"2026-01-01T00:00:00Z",` +
		`"completed_at":null,"expires_at":null,"total_count":1,"completed_count":0,"failed_count":0,"errors":[],` +
		`"items":["$custom:::$default:::SKU-1"]}]}`
	if r := e.adminReq("PUT", "/accounts/"+strings.ReplaceAll(secret.BearerPrefix+token, "/", "%2F")+"/jobs", "", body); r.status != 200 {
		t.Fatalf("PUT: %d %s", r.status, r.body)
	}
	r := e.get(listPath, "Authorization: Bearer "+token)
	if data := r.doc(t)["data"].([]any); len(data) != 1 || jobIDOf(data[0].(map[string]any)) != "01JAAAAAAAAAAAAAAAAAAAAAAA" {
		t.Fatalf("the bearer account does not hold the PUT job: %s", r.body)
	}
	keys, _ := e.store.Keys()
	for _, k := range keys {
		if strings.Contains(k, "%") {
			t.Fatalf("an account named %q was created from the escaped path", k)
		}
	}
	got := e.adminReq("GET", "/accounts/"+strings.ReplaceAll(secret.BearerPrefix+token, "/", "%2F")+"/jobs", "", "")
	if !strings.Contains(string(got.body), "01JAAAAAAAAAAAAAAAAAAAAAAA") {
		t.Fatalf("GET of the escaped key: %s", got.body)
	}
}
