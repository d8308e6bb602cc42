package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/store/storetest"
)

// call sends an API request as the test account and returns the status and
// the body.
func call(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("revision", "2026-07-15")
	req.Header.Set("Authorization", "Klaviyo-API-Key "+key)
	if body != "" {
		req.Header.Set("Content-Type", "application/vnd.api+json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// jobStatus reads a job document's id and status.
func jobStatus(t *testing.T, body string) (id, status string) {
	t.Helper()
	var doc struct {
		Data struct {
			ID         string `json:"id"`
			Attributes struct {
				Status string `json:"status"`
			} `json:"attributes"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("%v: %.300s", err, body)
	}
	return doc.Data.ID, doc.Data.Attributes.Status
}

// TestStateFile_PollsModeJobKeepsItsPollCount saves a polls-mode job after
// one of its three polls and restarts: the second poll after the restart
// (the third in all) sees it complete, not the third or never.
func TestStateFile_PollsModeJobKeepsItsPollCount(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	clk := clock.NewFrozen(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
	cfg := cfgWith(t, "--state-file="+path, "--job-transition=polls", "--job-polls=3")
	s1, err := New(cfg, nil, clk)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s1.Store().Account(key)
	items, _ := a.AllEntities(itemKind)
	base, stop := serve(t, s1)
	jobs := base + "/api/catalog-item-bulk-update-jobs"
	var els []string
	for _, it := range items[:3] {
		els = append(els, `{"type":"catalog-item","id":"`+it.ID+`","attributes":{"title":"polled"}}`)
	}
	body := `{"data":{"type":"catalog-item-bulk-update-job","attributes":{"items":{"data":[` + strings.Join(els, ",") + `]}}}}`
	code, doc := call(t, "POST", jobs, body)
	if code != 202 {
		t.Fatalf("POST: %d %.300s", code, doc)
	}
	id, _ := jobStatus(t, doc)
	if _, st := jobStatus(t, mustGet(t, jobs+"/"+id)); st == "complete" {
		t.Fatal("complete after one of three polls")
	}
	stop()

	s2, err := New(cfg, nil, clock.NewFrozen(clk.Now()))
	if err != nil {
		t.Fatal(err)
	}
	base2, stop2 := serve(t, s2)
	defer stop2()
	jobs = base2 + "/api/catalog-item-bulk-update-jobs"
	if _, st := jobStatus(t, mustGet(t, jobs+"/"+id)); st == "complete" {
		t.Fatal("complete after two of three polls")
	}
	if _, st := jobStatus(t, mustGet(t, jobs+"/"+id)); st != "complete" {
		t.Fatalf("the third poll (the second after the restart) saw %s, want complete", st)
	}
}

func mustGet(t *testing.T, url string) string {
	t.Helper()
	code, body := call(t, "GET", url, "")
	if code != 200 {
		t.Fatalf("GET %s: %d %.300s", url, code, body)
	}
	return body
}

// wantRefused fails unless err refuses the state file at path, saying
// each of wants, and the file is as it was.
func wantRefused(t *testing.T, err error, path string, content []byte, wants ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("the server started")
	}
	for _, w := range append([]string{path}, wants...) {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("the refusal lacks %q: %v", w, err)
		}
	}
	if strings.Contains(err.Error(), key) {
		t.Errorf("the refusal shows a whole API key: %v", err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, content) {
		t.Error("the state file was changed")
	}
}

func TestStateFile_AnUnwritablePathStopsTheStart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nonexistent", "dir", "s.json")
	_, err := New(cfgWith(t, "--state-file="+path), nil, clock.NewFrozen(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)))
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "no such file or directory") {
		t.Fatalf("err = %v, want the path and the reason", err)
	}
	dir := t.TempDir()
	if _, err := New(cfgWith(t, "--state-file="+dir), nil, nil); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Fatalf("a directory as the state file: %v", err)
	}
}

// stateFile writes a version 3 state file with the given clock and
// accounts (JSON) and returns its path and content.
func stateFile(t *testing.T, clockJSON, jobs, accounts string) (string, []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.json")
	content := []byte(`{"version":3,"saved_at":"2026-11-28T12:00:00Z","seed":1,"jobs":` + jobs + `,"clock":` + clockJSON +
		`,"accounts":[` + accounts + `]}`)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return path, content
}

// TestStateFile_AClockOutsideItsRangeIsRefused: a file may not set the
// clock where POST /__admin/clock may not (a clock at 9999-12-31 loaded,
// then every save failed: "year outside of range").
func TestStateFile_AClockOutsideItsRangeIsRefused(t *testing.T) {
	for name, c := range map[string]string{
		"9999-12-31":      `{"frozen":true,"at":"9999-12-31T00:00:00Z"}`,
		"year 1":          `{"frozen":true,"at":"0001-01-01T00:00:00Z"}`,
		"frozen, no time": `{"frozen":true}`,
		"offset -2^63":    `{"frozen":false,"offset":-9223372036854775808}`,
	} {
		t.Run(name, func(t *testing.T) {
			path, content := stateFile(t, c, "5", "")
			_, err := New(cfgWith(t, "--state-file="+path), nil, clock.NewFrozen(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)))
			wantRefused(t, err, path, content, "corrupt", "/clock", "it must stay between 1970-01-01 and 9000-01-01")
		})
	}
}

// TestStateFile_ValuesBreakingTheAPIsRulesAreRefused: every stored value
// goes through the rules the API and the control API apply; the message
// names the file, the account (by a fingerprint of its key), the member
// and the rule.
func TestStateFile_ValuesBreakingTheAPIsRulesAreRefused(t *testing.T) {
	const frozen = `{"frozen":true,"at":"2026-11-28T12:00:00Z"}`
	pending := `{"id":"01JAAAAAAAAAAAAAAAAAAAAAAA","status":"queued","created_at":"9999-12-30T00:00:00Z","completed_at":null,
"expires_at":null,"total_count":1,"completed_count":0,"failed_count":0,"errors":[],"items":["$custom:::$default:::A"],
"pending":{"start":"9999-12-30T00:00:00Z","elements":[{"id":"$custom:::$default:::A","set":["title"],"values":{"title":"x"}}],
"pointer":"/data/attributes/items/data","processed":0,"polls":0}}`
	for name, tc := range map[string]struct {
		jobs, accounts string
		wants          []string
	}{
		"a pending job past the clock's range": {"5", `{"account":"` + key + `","item-bulk-update-jobs":[` + pending + `]}`,
			[]string{"account 0 (pk_…ef01)", "/item-bulk-update-jobs/0/created_at", "9000-01-01"}},
		"an item's custom_metadata over 100kb": {"5", `{"account":"` + key + `","items":[{"external_id":"A","custom_metadata":{"k":"` +
			strings.Repeat("x", 101*1024) + `"}}]}`, []string{"account 0 (pk_…ef01)", "/items/0/custom_metadata", "100kb"}},
		"a price that is a string": {"5", `{"account":"` + key + `","items":[{"external_id":"A","price":"9"}]}`,
			[]string{"/items/0/price", "Must be a number"}},
		"a negative job count":     {"-1", "", []string{"/jobs", "between 0 and"}},
		"an account without a key": {"5", `{"items":[]}`, []string{"account 0", "is required"}},
	} {
		t.Run(name, func(t *testing.T) {
			path, content := stateFile(t, frozen, tc.jobs, tc.accounts)
			_, err := New(cfgWith(t, "--state-file="+path), nil, clock.NewFrozen(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)))
			wantRefused(t, err, path, content, append([]string{"corrupt"}, tc.wants...)...)
		})
	}
}

// watchedLog is a log sink, safe for the server and the test, that closes
// seen when a line says want.
type watchedLog struct {
	mu   sync.Mutex
	b    bytes.Buffer
	want string
	seen chan struct{}
}

func newWatchedLog(want string) *watchedLog {
	return &watchedLog{want: want, seen: make(chan struct{})}
}

func (w *watchedLog) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	had := strings.Contains(w.b.String(), w.want)
	w.b.Write(p)
	if !had && strings.Contains(w.b.String(), w.want) {
		close(w.seen)
	}
	return len(p), nil
}

func (w *watchedLog) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// TestStateFile_OneServerOwnsItAtATime: a second server on the same state
// file waits for the first to give it up, and refuses to start, naming
// the first, when it does not in time.
func TestStateFile_OneServerOwnsItAtATime(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	cfg := cfgWith(t, "--state-file="+path)
	first, err := New(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	cfg.StateLockWait = 100 * time.Millisecond
	_, err = New(cfg, nil, nil)
	host, _ := os.Hostname()
	for _, want := range []string{path, fmt.Sprintf("pid %d on host %s, started ", os.Getpid(), host), "100ms"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("the second server's refusal lacks %q: %v", want, err)
		}
	}
	// A stale temporary file of the owner's is left alone by the refused one.
	tmp := filepath.Join(filepath.Dir(path), ".state.json.tmp-owned")
	os.WriteFile(tmp, []byte("a save in progress"), 0o600)
	New(cfg, nil, nil)
	if _, err := os.Stat(tmp); err != nil {
		t.Fatalf("a refused server removed the owner's temporary file: %v", err)
	}
	os.Remove(tmp)
	if _, err := first.Snapshot(); err != nil {
		t.Fatal(err)
	}
	first.Close()
	if _, err := first.Snapshot(); err == nil {
		t.Fatal("a closed server saved the state file it gave up")
	}
	second, err := New(cfg, nil, nil)
	if err != nil {
		t.Fatalf("the state file given up was not taken: %v", err)
	}
	second.Close()
}

// TestStateFile_ASecondServerWaitsForTheFirstToSave: the second server
// starts once the first has saved and given the file up, and loads what it
// saved.
func TestStateFile_ASecondServerWaitsForTheFirstToSave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	cfg := cfgWith(t, "--state-file="+path)
	first, err := New(cfg, nil, clock.NewFrozen(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	cfg.StateLockWait = time.Minute
	log := newWatchedLog("waiting for another server to give up the state file")
	type result struct {
		s   *Server
		err error
	}
	got := make(chan result, 1)
	go func() {
		s, err := New(cfg, slog.New(slog.NewTextHandler(log, nil)), nil)
		got <- result{s, err}
	}()
	select {
	case <-log.seen:
	case r := <-got:
		t.Fatalf("the second server did not wait: %v", r.err)
	case <-time.After(30 * time.Second):
		t.Fatal("the second server never said it waits")
	}
	a, _ := first.Store().Mutable(key)
	a.Delete(jobItemUpdate, "nothing") // a change: the account is saved
	if _, err := first.Snapshot(); err != nil {
		t.Fatal(err)
	}
	first.Close()
	r := <-got
	if r.err != nil {
		t.Fatal(r.err)
	}
	defer r.s.Close()
	if !r.s.Clock().Frozen() || !strings.Contains(log.String(), "state loaded") {
		t.Fatalf("the second server did not load what the first saved: %s", log.String())
	}
}

// TestStateFile_ARunningClockCenturiesAheadRoundTrips: a running clock
// further from real time than a time.Duration reaches (292 years) comes
// back where it was (it came back in 2318).
func TestStateFile_ARunningClockCenturiesAheadRoundTrips(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	cfg := cfgWith(t, "--state-file="+path)
	s1, err := New(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(8999, 6, 1, 0, 0, 0, 0, time.UTC)
	s1.Clock().Set(at)
	if _, err := s1.Snapshot(); err != nil {
		t.Fatal(err)
	}
	s1.Close()
	s2, err := New(cfg, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got := s2.Clock().Now(); got.Before(at) || got.After(at.Add(time.Hour)) || s2.Clock().Frozen() {
		t.Fatalf("the running clock came back at %v (frozen %v), want just after %v", got, s2.Clock().Frozen(), at)
	}
}

// TestStateFile_ABoundPublicKeyIsKeptAcrossARestart: a public key bound to
// an account through the control API is saved, and after a restart the
// account answers to it (a storefront's key keeps working).
func TestStateFile_ABoundPublicKeyIsKeptAcrossARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	clk := clock.NewFrozen(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
	cfg := cfgWith(t, "--state-file="+path)
	s1, err := New(cfg, nil, clk)
	if err != nil {
		t.Fatal(err)
	}
	if err := s1.Store().BindPublicKey(key, "Xug2Bq"); err != nil {
		t.Fatal(err)
	}
	_, stop := serve(t, s1)
	stop()
	s2, err := New(cfg, nil, clock.NewFrozen(clk.Now()))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got := s2.Store().PublicKeyOf(key); got != "Xug2Bq" {
		t.Fatalf("after the restart %s answers to %q, want Xug2Bq", key, got)
	}
	if got := s2.Store().KeyOfPublicKey("Xug2Bq"); got != key {
		t.Fatalf("after the restart Xug2Bq reaches %q", got)
	}
}

// TestStateFile_SubscriptionsAndNotificationsSurviveARestartUnrepeated: a
// back-in-stock subscription and the notification its variant's restock
// recorded are saved; after a restart they are there once each (restoring
// the raised variant records nothing again), and the subscription's
// email and variant id are as sent.
func TestStateFile_SubscriptionsAndNotificationsSurviveARestartUnrepeated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	clk := clock.NewFrozen(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
	cfg := cfgWith(t, "--state-file="+path)
	s1, err := New(cfg, nil, clk)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s1.Store().Account(key)
	variants, _ := a.AllEntities(variantKind)
	v := variants[0].ID
	base, stop := serve(t, s1)
	if code, doc := call(t, "PATCH", base+"/api/catalog-variants/"+v, `{"data":{"type":"catalog-variant","id":"`+v+`","attributes":{"inventory_quantity":0}}}`); code != 200 {
		t.Fatalf("PATCH: %d %.300s", code, doc)
	}
	sub := `{"data":{"type":"back-in-stock-subscription","attributes":{"channels":["EMAIL"],"profile":{"data":{"type":"profile",` +
		`"attributes":{"email":"ann@example.com"}}}},"relationships":{"variant":{"data":{"type":"catalog-variant","id":"` + v + `"}}}}}`
	if code, doc := call(t, "POST", base+"/api/back-in-stock-subscriptions", sub); code != 202 {
		t.Fatalf("subscribe: %d %.300s", code, doc)
	}
	if code, doc := call(t, "PATCH", base+"/api/catalog-variants/"+v, `{"data":{"type":"catalog-variant","id":"`+v+`","attributes":{"inventory_quantity":4}}}`); code != 200 {
		t.Fatalf("PATCH: %d %.300s", code, doc)
	}
	stop()
	s2, err := New(cfg, nil, clock.NewFrozen(clk.Now()))
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	a2, _ := s2.Store().Account(key)
	subs, _ := a2.AllEntities(storetest.SubscriptionKind)
	recs, _ := a2.AllEntities(storetest.NotificationKind)
	if len(subs) != 1 || len(recs) != 1 {
		t.Fatalf("after the restart: %d subscriptions, %d notifications; want one each", len(subs), len(recs))
	}
	saved, _ := os.ReadFile(path)
	if !bytes.Contains(saved, []byte(`"email":"ann@example.com"`)) || !bytes.Contains(saved, []byte(`"variant":"`+v+`"`)) {
		t.Fatalf("the state file lacks the subscription's email or variant")
	}
}

// TestListen_SaysWhereTheAPIAndThePageAreInOneRecord: the first minute of
// a new user: once listening, one info record gives the API's base URL,
// the page's URL, a key to use and a request to try.
func TestListen_SaysWhereTheAPIAndThePageAreInOneRecord(t *testing.T) {
	var out bytes.Buffer
	cfg := cfgWith(t, "--addr=127.0.0.1:0", "--log-format=json")
	s, err := New(cfg, NewLogger(cfg, &out), nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := s.Listen()
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	defer s.Close()
	base := "http://" + ln.Addr().String()
	for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var rec map[string]string
		if json.Unmarshal([]byte(line), &rec) != nil || rec["msg"] != "ready" {
			continue
		}
		if rec["api"] != base+"/api" || rec["page"] != base+"/__admin/ui/" || !strings.HasPrefix(rec["example_key"], "pk_") ||
			!strings.Contains(rec["try"], "curl ") || !strings.Contains(rec["try"], base+"/api/catalog-items") {
			t.Fatalf("ready record %v", rec)
		}
		return
	}
	t.Fatalf("no ready record in:\n%s", out.String())
}

// A state file lists its accounts most recently used first, and a start
// restores them in file order: the last restored became the most recently
// used, so each restart reversed the order the control API lists them in,
// and a file saved after a load was not the file loaded (FuzzStateFile
// found it with two accounts).
func TestLoad_KeepsTheAccountsOrderOfUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	content := `{"version":1,"accounts":[{"account":"k0"},{"account":"k1"},{"account":"k2"}]}`
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := New(cfgWith(t, "--state-file="+path), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	keys, _ := s.store.Keys()
	if got, want := strings.Join(keys, ","), "k0,k1,k2"; got != want {
		t.Fatalf("accounts most recently used first: %s, want the file's order %s", got, want)
	}
}
