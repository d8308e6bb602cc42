package server

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/config"
	"github.com/klaviyo-mock/mockserver/internal/faults"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

const key = "pk_0123456789abcdef0123456789abcdef01"

func cfgWith(t *testing.T, args ...string) config.Config {
	t.Helper()
	c, err := config.Parse(append([]string{"--addr=127.0.0.1:0", "--jobs=5"}, args...), func(string) string { return "" }, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// serve runs s until the returned stop is called.
func serve(t *testing.T, s *Server) (base string, stop func()) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	return "http://" + ln.Addr().String(), func() {
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("serve: %v", err)
		}
	}
}

func post(t *testing.T, base, itemID string) {
	t.Helper()
	body := `{"data":{"type":"catalog-item-bulk-update-job","attributes":{"items":{"data":[{"type":"catalog-item","id":"` +
		itemID + `","attributes":{"title":"after restart"}}]}}}}`
	req, _ := http.NewRequest("POST", base+"/api/catalog-item-bulk-update-jobs", strings.NewReader(body))
	req.Header.Set("revision", "2026-07-15")
	req.Header.Set("Authorization", "Klaviyo-API-Key "+key)
	req.Header.Set("Content-Type", "application/vnd.api+json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 202 {
		t.Fatalf("POST: %d", res.StatusCode)
	}
}

func TestStateFile_SurvivesARestartIncludingJobsInProgress(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	clk := clock.NewFrozen(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
	cfg := cfgWith(t, "--state-file="+path, "--job-transition=duration", "--job-duration=10s")
	s1, err := New(cfg, nil, clk)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s1.Store().Account(key)
	items, _ := a.AllEntities(itemKind)
	base, stop := serve(t, s1)
	post(t, base, items[0].ID)
	stop() // saves on shutdown

	clk2 := clock.New()
	s2, err := New(cfg, nil, clk2)
	if err != nil {
		t.Fatal(err)
	}
	if !clk2.Frozen() || !clk2.Now().Equal(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)) {
		t.Fatalf("clock not restored: %v frozen=%v", clk2.Now(), clk2.Frozen())
	}
	a2, _ := s2.Store().Account(key)
	jobs, _ := a2.AllJobs(jobItemUpdate)
	last := jobs[len(jobs)-1]
	if len(jobs) != 6 || last.Status != store.Queued || !last.Created() {
		t.Fatalf("%d jobs, last %+v", len(jobs), last)
	}
	clk2.Advance(10 * time.Second)
	done, _, _ := a2.Job(jobItemUpdate, last.ID)
	it, _ := a2.Entities(itemKind, []string{items[0].ID})
	if done.Status != store.Complete || done.Completed != 1 || attrStr(it[0], "title") != "after restart" {
		t.Fatalf("the restored job did not finish its work: %+v", done)
	}
}

func TestStateFile_CorruptFileStopsTheStartAndIsKept(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	bad := []byte(`{"version":1,"accounts":[{"account":"pk_a","jobs":[{"id":"x","status":"queued"}],"items":[]}]}`)
	os.WriteFile(path, bad, 0o600)
	_, err := New(cfgWith(t, "--state-file="+path), nil, nil)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, bad) {
		t.Fatal("the corrupt file was replaced")
	}
}

func TestSnapshot_WithoutAStateFileSaysHowToGetOne(t *testing.T) {
	s, _ := New(cfgWith(t), nil, nil)
	if _, err := s.Snapshot(); err == nil || !strings.Contains(err.Error(), "--state-file") {
		t.Fatalf("%v", err)
	}
}

func TestSnapshot_SavesOnlyChangedAccounts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	s, _ := New(cfgWith(t, "--state-file="+path), nil, nil)
	s.Store().Account("pk_untouched")
	a, _ := s.Store().Mutable("pk_changed")
	a.Delete(jobItemUpdate, "nothing")
	if _, err := s.Snapshot(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), "pk_changed") || strings.Contains(string(b), "pk_untouched") {
		t.Fatalf("state file: %s", b)
	}
}

func TestClockFlags_StartSetAndFrozen(t *testing.T) {
	s, _ := New(cfgWith(t, "--clock=2027-01-01T00:00:00Z", "--freeze-clock"), nil, nil)
	if !s.Clock().Frozen() || !s.Clock().Now().Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("%v", s.Clock().Now())
	}
	s.Clock().Advance(time.Hour)
	s.Reset(0, nil)
	if !s.Clock().Now().Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatal("reset did not return the clock to its configured start")
	}
}

// TestStateFile_RoundTripsAtTheClocksExtremes completes jobs at the first
// and the last instants the clock can read (with the longest job duration:
// the last day of its range, then its last microsecond), saves, and starts
// a second server from the file: whatever the server writes, it must read
// back. (At 1970 every revision is in the future, so the jobs are created
// through the store, as the POST handler does.)
func TestStateFile_RoundTripsAtTheClocksExtremes(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(8999, 12, 30, 23, 59, 59, 999999000, time.UTC),
	} {
		t.Run(at.Format(time.DateOnly), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.json")
			clk := clock.NewFrozen(at)
			cfg := cfgWith(t, "--state-file="+path, "--job-transition=duration", "--job-duration=24h")
			s1, err := New(cfg, nil, clk)
			if err != nil {
				t.Fatal(err)
			}
			a, err := s1.Store().Mutable(key)
			if err != nil {
				t.Fatal(err)
			}
			items, _ := a.AllEntities(itemKind)
			create := func(i int) {
				t.Helper()
				v := withAttrs(itemKind, "title", "at the edge")
				if _, err := a.Create(store.CreateRequest{Kind: jobItemUpdate, Pointer: "/data/attributes/items/data",
					Elements: []store.Element{{ID: items[i].ID, Set: itemKind.SetOf("title"), Values: v}}}); err != nil {
					t.Fatal(err)
				}
			}
			create(0) // completes a day after the clock's instant
			create(1)
			clk.Advance(24 * time.Hour)
			create(2) // still pending when saved
			st, _ := accountdoc.JobStates(a, jobItemUpdate)
			done := st[len(st)-3]
			if done.Status != "complete" || done.ExpiresAt == nil || (at.Year() > 2000 && done.ExpiresAt.Year() != 9000) ||
				(at.Year() > 2000 && clk.Now().Year() != 8999) {
				t.Fatalf("job at the edge: %+v", done)
			}
			if _, err := s1.Snapshot(); err != nil {
				t.Fatal(err)
			}
			s1.Close()
			s2, err := New(cfg, nil, clock.NewFrozen(clk.Now()))
			if err != nil {
				t.Fatalf("the server refused the state file it wrote: %v", err)
			}
			a2, _ := s2.Store().Account(key)
			st2, _ := accountdoc.JobStates(a2, jobItemUpdate)
			if len(st2) != len(st) {
				t.Fatalf("reloaded %d jobs, saved %d", len(st2), len(st))
			}
			got := st2[len(st2)-3]
			if got.ID != done.ID || !got.ExpiresAt.Equal(*done.ExpiresAt) || st2[len(st2)-1].Pending == nil {
				t.Fatalf("reloaded %+v, want %+v and a pending last job", got, done)
			}
		})
	}
}

func TestStateFile_StartRemovesTemporaryFilesOfAnInterruptedSave(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	for _, n := range []string{".state.json.tmp-1", ".state.json.tmp-2"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(`{"version":1,"acc`), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := New(cfgWith(t, "--state-file="+path), nil, clock.NewFrozen(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".state.json.tmp-*")); len(left) != 0 {
		t.Fatalf("temporary files left after start: %v", left)
	}
}

// TestShutdown_EndsPendingLatencyFaultsAndExitsCleanly holds a request in a
// five-minute latency fault and stops the server: the delay ends, the
// request is served, and Serve returns without error.
func TestShutdown_EndsPendingLatencyFaultsAndExitsCleanly(t *testing.T) {
	s, err := New(cfgWith(t), nil, clock.NewFrozen(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Faults().Add(faults.Rule{Effect: faults.Effect{Latency: faults.Duration(5 * time.Minute)}}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()

	status := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/api/catalog-item-bulk-update-jobs", nil)
		req.Header.Set("revision", "2026-07-15")
		req.Header.Set("Authorization", "Klaviyo-API-Key "+key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			status <- -1
			return
		}
		res.Body.Close()
		status <- res.StatusCode
	}()
	// Wait until the request is inside the delay (the rule has matched it).
	deadline := time.After(10 * time.Second)
	for s.Faults().List()[0].Matched == 0 {
		select {
		case <-deadline:
			t.Fatal("the request never reached the fault")
		default:
			runtime.Gosched()
		}
	}
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve returned %v after a clean drain", err)
		}
	case <-time.After(8 * time.Second): // far below the fault's five minutes
		t.Fatal("shutdown waited for the latency fault")
	}
	if got := <-status; got != 200 {
		t.Fatalf("the delayed request got %d, want 200", got)
	}
}

func TestServe_HeaderCapsPerConnection(t *testing.T) {
	s, err := New(cfgWith(t), nil, clock.NewFrozen(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	base, stop := serve(t, s)
	defer stop()
	get := func(headerBytes int) (*http.Response, string) {
		req, _ := http.NewRequest("GET", base+"/api/catalog-item-bulk-update-jobs", nil)
		req.Header.Set("revision", "2026-07-15")
		req.Header.Set("X-Padding", strings.Repeat("p", headerBytes))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	// Just over --max-header-bytes (64 KiB): Klaviyo's 431.
	res, body := get(65 << 10)
	if res.StatusCode != 431 || !strings.Contains(body, `"code":"request_header_too_large"`) {
		t.Fatalf("65 KiB of headers: %d %.200s", res.StatusCode, body)
	}
	// Far over it: net/http stops reading at the cap plus 4 KiB.
	res, _ = get(1 << 20)
	if res.StatusCode != 431 {
		t.Fatalf("1 MiB of headers: %d", res.StatusCode)
	}
}

// TestStateFile_KeepsEveryCollectionAJobTouched saves an account whose
// variant create job is half done and whose categories were replaced, and
// restarts: the catalog, the jobs and the pending work come back, and
// collections never used regenerate from the seed.
func TestStateFile_KeepsEveryCollectionAJobTouched(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	clk := clock.NewFrozen(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
	cfg := cfgWith(t, "--state-file="+path, "--job-transition=duration", "--job-duration=10s")
	s1, err := New(cfg, nil, clk)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := s1.Store().Mutable(key)
	items, _ := a.AllEntities(itemKind)
	var req store.CreateRequest
	req.Kind, req.Pointer = jobVariantCreate, "/data/attributes/variants/data"
	for i := 0; i < 4; i++ {
		ext := fmt.Sprintf("NEW-V%d", i)
		el := store.Element{ID: store.EntityID(ext), Set: variantKind.SetOf("external_id"), HasRelated: true,
			Related: []string{items[i].ID}}
		el.Values.ExternalID = ext
		req.Elements = append(req.Elements, el)
	}
	if _, err := a.Create(req); err != nil {
		t.Fatal(err)
	}
	clk.Advance(6 * time.Second) // queued for 2 s, then one element every 2 s: 2 done
	before, _ := accountdoc.JobStates(a, jobVariantCreate)
	pending := before[len(before)-1]
	if pending.Pending == nil || pending.CompletedCount != 2 {
		t.Fatalf("the job is not half done: %+v", pending)
	}
	variantsBefore, _ := a.AllEntities(variantKind)
	if _, err := s1.Snapshot(); err != nil {
		t.Fatal(err)
	}
	s1.Close()
	b, _ := os.ReadFile(path)
	for _, member := range []string{`"items":[`, `"variants":[`, `"variant-bulk-create-jobs":[`, `"version":6`,
		`"seeded_jobs":{"variant-bulk-create-jobs":{"count":5,"first":`, `"hidden":[]}}`,
		`"seeded_catalog":{"items":{"count":200,"first":`, `"variants":{"count":300,"first":`} {
		if !strings.Contains(string(b), member) {
			t.Errorf("the state file lacks %s", member)
		}
	}
	if strings.Contains(string(b), `"item-bulk-delete-jobs"`) {
		t.Error("the state file holds a collection nobody used")
	}

	clk2 := clock.NewFrozen(clk.Now())
	s2, err := New(cfg, nil, clk2)
	if err != nil {
		t.Fatal(err)
	}
	a2, _ := s2.Store().Account(key)
	if got, _ := a2.AllEntities(variantKind); len(got) != len(variantsBefore) {
		t.Fatalf("%d variants after the restart, %d before", len(got), len(variantsBefore))
	}
	clk2.Advance(10 * time.Second)
	after, _ := accountdoc.JobStates(a2, jobVariantCreate)
	if len(after) != len(before) || after[0].ID != before[0].ID {
		t.Fatalf("%d variant create jobs after the restart, %d before", len(after), len(before))
	}
	done := after[len(after)-1]
	if done.ID != pending.ID || done.Status != "complete" || done.CompletedCount != 4 {
		t.Fatalf("the restored job did not finish: %+v", done)
	}
	if vs, _ := a2.ChildIDs(itemKind, items[3].ID, "variants"); !slices.Contains(vs, store.EntityID("NEW-V3")) {
		t.Fatalf("the last element's variant is missing: %v", vs)
	}
	if n := a2.Count(store.JobCollection(jobItemDelete)); n != 5 {
		t.Fatalf("a collection never used regenerated %d jobs, want the seeded 5", n)
	}
}

// TestStateFile_Version1StillLoads starts from a file written by the
// previous release (update jobs and items only, a pending job's work under
// "updates" and "item_pointer").
func TestStateFile_Version1StillLoads(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	v1 := `{"version":1,"saved_at":"2026-11-28T12:00:00Z","seed":1,"jobs":5,"clock":{"frozen":true,"at":"2026-11-28T12:00:00Z","offset":0},
"accounts":[{"account":"` + key + `","jobs":[{"id":"01JAAAAAAAAAAAAAAAAAAAAAAA","status":"queued","created_at":"2026-11-28T12:00:00Z",
"completed_at":null,"expires_at":null,"total_count":1,"completed_count":0,"failed_count":0,"errors":[],"items":["$custom:::$default:::A"],
"pending":{"start":"2026-11-28T12:00:00Z","updates":[{"id":"$custom:::$default:::A","set":["title"],"values":{"id":"","external_id":"",
"title":"from v1","description":null,"price":null,"url":null,"image_full_url":null,"image_thumbnail_url":null,"images":null,
"custom_metadata":null,"published":null,"created":"0001-01-01T00:00:00Z","updated":"0001-01-01T00:00:00Z"}}],
"item_pointer":"/data/attributes/items/data","processed":0,"polls":0}}],
"items":[{"id":"$custom:::$default:::A","external_id":"A","title":"old","description":null,"price":12.5,"url":null,
"image_full_url":null,"image_thumbnail_url":null,"images":null,"custom_metadata":{"k":1},"published":true,
"created":"2026-01-01T00:00:00Z","updated":"2026-01-01T00:00:00Z"}]}]}`
	if err := os.WriteFile(path, []byte(v1), 0o600); err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFrozen(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC))
	s, err := New(cfgWith(t, "--state-file="+path, "--job-transition=immediate"), nil, clk)
	if err != nil {
		t.Fatalf("a version 1 file was refused: %v", err)
	}
	a, _ := s.Store().Account(key)
	j, ok, _ := a.Job(jobItemUpdate, "01JAAAAAAAAAAAAAAAAAAAAAAA")
	it, _, _ := a.Entity(itemKind, store.EntityID("A"))
	if !ok || j.Status != store.Complete || attrStr(it, "title") != "from v1" || !numIs(it, "price", 12.5) {
		t.Fatalf("job %+v, item %+v", j, it)
	}
}

// TestShutdown_EndsAnExportInProgress: an export of an account with many
// jobs (a client reading it slowly, or not at all) is cut when the server
// stops, as the client sees (the response ends without its last chunk),
// and Serve returns without error. It used to hold the shutdown for its
// whole ten seconds, then the server exited 1 ("shutdown: context
// deadline exceeded"): a restart under the soak took over 10 s.
func TestShutdown_EndsAnExportInProgress(t *testing.T) {
	s, err := New(cfgWith(t, "--jobs=100000"), nil, clock.NewFrozen(time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "GET /__admin/accounts/%s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", key)
	c.SetReadDeadline(time.Now().Add(30 * time.Second))
	br := bufio.NewReader(c)
	res, err := http.ReadResponse(br, nil)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("export: %v %v", res, err)
	}
	if _, err := io.ReadFull(res.Body, make([]byte, 1<<10)); err != nil {
		t.Fatalf("the export did not start: %v", err)
	}
	cancel() // the client reads no more: the export blocks on its writes
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("Serve returned %v: the export held the shutdown", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop")
	}
	if _, err := io.Copy(io.Discard, res.Body); err == nil {
		t.Fatal("the cut export ended as a whole response would")
	}
}
