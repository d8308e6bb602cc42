package server

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/secret"
)

// apiAs sends an API request with the Authorization value auth.
func apiAs(t *testing.T, method, target, auth, body string) int {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("revision", "2026-07-15")
	req.Header.Set("Authorization", auth)
	if body != "" {
		req.Header.Set("Content-Type", "application/vnd.api+json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func itemDoc(ext string) string {
	return `{"data":{"type":"catalog-item","attributes":{"external_id":"` + ext +
		`","title":"t","description":"d","url":"https://shop.example/x"}}}`
}

func itemURL(base, ext string) string {
	return base + "/api/catalog-items/" + url.PathEscape("$custom:::$default:::"+ext)
}

// TestStateFile_EveryAcceptedKeyKeepsItsOwnAccountAcrossARestart: keys
// with bytes outside printable ASCII are refused (written to the state
// file, pk_\xff and pk_\xfe both became pk_\ufffd and neither found its
// data again); every key accepted, however odd, finds its own data, and
// only its own, after a restart.
func TestStateFile_EveryAcceptedKeyKeepsItsOwnAccountAcrossARestart(t *testing.T) {
	accepted := []string{
		"Klaviyo-API-Key " + key,
		`Klaviyo-API-Key pk_"\<>&'%ff+/=`,
		"Klaviyo-API-Key pk_short",
		"Bearer a/b+c==",
		"Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig",
	}
	refused := []string{"Klaviyo-API-Key pk_\xff", "Klaviyo-API-Key pk_\xfe", "Klaviyo-API-Key pk_é", "Bearer tok\xff"}
	path := filepath.Join(t.TempDir(), "state.json")
	cfg := cfgWith(t, "--state-file="+path)
	s1, err := New(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	base, stop := serve(t, s1)
	for i, auth := range accepted {
		if got := apiAs(t, "POST", base+"/api/catalog-items", auth, itemDoc("K"+string(rune('0'+i)))); got != 201 {
			t.Fatalf("%q: create answered %d", auth, got)
		}
	}
	for _, auth := range refused {
		if got := apiAs(t, "POST", base+"/api/catalog-items", auth, itemDoc("ODD")); got != 401 {
			t.Errorf("%q: create answered %d, want 401", auth, got)
		}
	}
	stop()

	s2, err := New(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	base, stop = serve(t, s2)
	defer stop()
	for i, auth := range accepted {
		for j := range accepted {
			want := 404
			if i == j {
				want = 200
			}
			if got := apiAs(t, "GET", itemURL(base, "K"+string(rune('0'+j))), auth, ""); got != want {
				t.Errorf("after the restart %q reads item K%d: %d, want %d", auth, j, got, want)
			}
		}
	}
	keys, _ := s2.Store().Keys()
	for _, k := range keys {
		if secret.BadByte(k) >= 0 {
			t.Errorf("the state file restored the account %q", k)
		}
	}
}

// TestStateFile_AnUnreachableAccountIsSkippedWithAWarning: a file written
// before keys were checked may hold an account whose key no request can
// send any more; it is left out, with a warning, and the others load.
func TestStateFile_AnUnreachableAccountIsSkippedWithAWarning(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	doc := `{"version":3,"saved_at":"2026-11-28T12:00:00Z","seed":1,"jobs":5,"clock":{"frozen":true,"at":"2026-11-28T12:00:00Z","offset":0},
"accounts":[{"account":"pk_\ufffd","items":[]},{"account":"` + key + `","items":[]}]}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	s, err := New(cfgWith(t, "--state-file="+path), slog.New(slog.NewTextHandler(&log, nil)), nil)
	if err != nil {
		t.Fatalf("the file was refused: %v", err)
	}
	keys, changed := s.Store().Keys()
	if len(keys) != 1 || keys[0] != key || !changed[0] {
		t.Fatalf("accounts %q restored", keys)
	}
	if !strings.Contains(log.String(), "level=WARN") || !strings.Contains(log.String(), "pk_…?") {
		t.Fatalf("no warning names the skipped account:\n%s", log.String())
	}
}

// TestStateFile_ACorruptAccountIsNamedByItsFingerprint: the error that
// stops the start names the account without showing its key.
func TestStateFile_ACorruptAccountIsNamedByItsFingerprint(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	doc := `{"version":3,"accounts":[{"account":"` + key + `","jobs":[{"id":"x","status":"queued"}]}]}`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := New(cfgWith(t, "--state-file="+path), nil, nil)
	if err == nil || strings.Contains(err.Error(), key) || !strings.Contains(err.Error(), secret.Fingerprint(key)) {
		t.Fatalf("err = %v", err)
	}
}
