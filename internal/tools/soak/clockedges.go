package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/tools/proc"
)

// The clock-edges attack runs on a quiet server of its own, with its own
// state file (moving the main server's clock to 1970, where every revision
// is in the future, would turn the mixed load into 400s). It sets the
// clock near 9000-01-01, creates jobs, runs the clock into the end and
// tries to move it past, saves and restarts; then near 1970-01-01 the
// same. Each save must succeed, each restart must load, and the clock and
// the jobs must come back. It also holds odd-keys' exact account count,
// which needs a server no other client makes accounts on.

// The clock's range: it reads from rangeStart up to, not including,
// rangeEnd.
var (
	rangeStart = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	rangeEnd   = time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC)
	nearEnd    = time.Date(8999, 12, 31, 23, 59, 59, 500_000_000, time.UTC)
)

// edgeKey is the account the attack writes to.
const edgeKey = "pk_edge"

// edges is the state of the clock-edges attack.
type edges struct {
	bin  string
	args []string
	v    *verdicts
	odd  *oddKeys

	p      *proc.Process
	base   string
	checks int // expectations met
	loads  int // restarts that loaded the state file
}

// run starts the quiet server and takes the steps; the steps run to
// their end even if the soak's time runs out meanwhile.
func (e *edges) run(ctx context.Context, _ int) {
	ctx = context.WithoutCancel(ctx)
	if !e.start() {
		return
	}
	defer e.stop()
	e.odd.exact(ctx, e.base)
	jobs := e.atTheEnd(ctx)
	if !e.restart(ctx) {
		return
	}
	e.wantClock(ctx, nearEnd, rangeEnd, "after a restart, the clock that ran into the end")
	for _, id := range jobs {
		e.want(ctx, 200, "GET", listPath+"/"+id, "", "a job created at the end, after a restart")
	}
	history := e.atTheStart(ctx)
	if !e.restart(ctx) {
		return
	}
	e.wantClock(ctx, rangeStart, rangeStart.Add(time.Nanosecond), "after a restart, the clock frozen at 1970-01-01")
	_, b := e.call(ctx, "GET", "/__admin/accounts/"+edgeKey+"/item-bulk-update-jobs", "")
	for _, id := range history {
		if e.expect(bytes.Contains(b, []byte(id)), "after a restart, the job %s supplied at 1970-01-01 is missing: %.300s", id, b) {
			e.checks++
		}
	}
}

// atTheEnd sets the clock a day before its end, creates jobs, refuses a
// move past the end, lets the clock run into it (it must stop there),
// creates a job at the very end and saves. It returns the jobs' ids.
func (e *edges) atTheEnd(ctx context.Context) []string {
	e.want(ctx, 200, "PUT", "/__admin/accounts/"+edgeKey+"/items", `{"items":[{"external_id":"EDGE-1","title":"at the edge"}]}`, "items")
	e.want(ctx, 200, "POST", "/__admin/clock", `{"set":"8999-12-31T00:00:00Z"}`, "setting the clock a day before its end")
	jobs := []string{e.createJob(ctx), e.createJob(ctx)}
	e.want(ctx, 400, "POST", "/__admin/clock", `{"advance":"48h"}`, "advancing the clock past its end")
	e.want(ctx, 200, "POST", "/__admin/clock", `{"set":"`+nearEnd.Format(time.RFC3339Nano)+`","freeze":false}`, "running the clock half a second before its end")
	time.Sleep(1500 * time.Millisecond) // real time: the clock runs into its end
	e.wantClock(ctx, nearEnd, rangeEnd, "the clock that ran into its end")
	e.want(ctx, 400, "POST", "/__admin/clock", `{"advance":"1h"}`, "advancing the clock stopped at its end")
	jobs = append(jobs, e.createJob(ctx))
	for _, id := range jobs {
		e.want(ctx, 200, "GET", listPath+"/"+id, "", "a job at the end of the clock's range")
	}
	e.want(ctx, 200, "POST", "/__admin/snapshot", "{}", "saving with the clock at its end")
	return jobs
}

// atTheStart freezes the clock at its start, refuses moves before it,
// supplies job history there through the control API (the API refuses
// every revision at 1970: all are in the future) and saves. It returns
// the jobs' ids.
func (e *edges) atTheStart(ctx context.Context) []string {
	e.want(ctx, 200, "POST", "/__admin/clock", `{"freeze":true,"set":"1970-01-01T00:00:00Z"}`, "freezing the clock at its start")
	e.want(ctx, 400, "POST", "/__admin/clock", `{"set":"1969-12-31T23:59:59Z"}`, "setting the clock before its start")
	e.want(ctx, 400, "POST", "/__admin/clock", `{"advance":"-1ns"}`, "moving the clock back from its start")
	e.want(ctx, 400, "GET", listPath, "", "an API read at 1970 (a revision in the future)")
	ids := []string{"00000000000000000000000001", "00000000000000000000000002"}
	jobs := `{"item-bulk-update-jobs":[{"id":"` + ids[0] + `","status":"complete","created_at":"1970-01-01T00:00:00Z",` +
		`"completed_at":"1970-01-01T00:00:05Z","expires_at":"1970-01-31T00:00:05Z","total_count":1,"completed_count":1,` +
		`"failed_count":0,"errors":[],"items":["$custom:::$default:::EDGE-1"]},{"id":"` + ids[1] + `","status":"queued",` +
		`"created_at":"1970-01-01T00:00:00Z","total_count":1,"completed_count":0,"failed_count":0,"errors":[],"items":["$custom:::$default:::EDGE-1"]}]}`
	e.want(ctx, 200, "PUT", "/__admin/accounts/"+edgeKey+"/item-bulk-update-jobs", jobs, "job history at 1970-01-01")
	e.want(ctx, 200, "POST", "/__admin/snapshot", "{}", "saving with the clock at its start")
	return ids
}

// createJob creates an update job of EDGE-1 and returns its id.
func (e *edges) createJob(ctx context.Context) string {
	body := `{"data":{"type":"catalog-item-bulk-update-job","attributes":{"items":{"data":[{"type":"catalog-item",` +
		`"id":"$custom:::$default:::EDGE-1","attributes":{"title":"at the edge"}}]}}}}`
	status, b := e.call(ctx, "POST", listPath, body)
	var doc struct {
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	json.Unmarshal(b, &doc)
	if e.expect(status == 202 && doc.Data.ID != "", "creating a job at %s: %d %.300s", e.clockNow(ctx), status, b) {
		e.checks++
	}
	return doc.Data.ID
}

// wantClock checks that the clock reads in [lo, hi), and still does a
// moment later.
func (e *edges) wantClock(ctx context.Context, lo, hi time.Time, what string) {
	for range 2 {
		now := e.clockNow(ctx)
		if !e.expect(!now.Before(lo) && now.Before(hi), "%s reads %s, want from %s to before %s", what, now.Format(time.RFC3339Nano),
			lo.Format(time.RFC3339Nano), hi.Format(time.RFC3339Nano)) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	e.checks++
}

// clockNow reads the server's clock.
func (e *edges) clockNow(ctx context.Context) time.Time {
	_, b := e.call(ctx, "GET", "/__admin/clock", "")
	var c struct {
		Now time.Time `json:"now"`
	}
	json.Unmarshal(b, &c)
	return c.Now
}

// want sends a request and checks its status.
func (e *edges) want(ctx context.Context, status int, method, path, body, what string) {
	got, b := e.call(ctx, method, path, body)
	if e.expect(got == status, "%s (%s %s): %d, want %d: %.300s", what, method, path, got, status, b) {
		e.checks++
	}
}

// expect records a violation unless ok.
func (e *edges) expect(ok bool, format string, args ...any) bool {
	if !ok {
		e.v.fail("clock edges", format, args...)
	}
	return ok
}

// call sends a request to the quiet server: an API request as edgeKey,
// or a control API one.
func (e *edges) call(ctx context.Context, method, path, body string) (int, []byte) {
	req, err := http.NewRequestWithContext(ctx, method, e.base+path, strings.NewReader(body))
	if err != nil {
		return 0, nil
	}
	if strings.HasPrefix(path, "/api/") {
		for k, v := range apiHeaders(edgeKey) {
			req.Header.Set(k, v)
		}
		req.Header.Set("Content-Type", "application/vnd.api+json")
	} else if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, []byte(err.Error())
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 500 {
		e.v.fail("clock edges", "%s %s at %s: %d %.300s", method, path, e.clockNow(ctx), res.StatusCode, b)
	}
	return res.StatusCode, b
}

// start starts the quiet server.
func (e *edges) start() bool {
	p, err := proc.Launch(e.bin, e.args...)
	if err == nil {
		var srv *proc.Server
		if srv, err = p.Listening(listenTimeout); err == nil {
			e.p, e.base = p, srv.Base
			return true
		}
		err = fmt.Errorf("%v\n%s", err, p.Log())
		p.Kill()
	}
	e.v.fail("clock edges", "the quiet server did not start: %v", err)
	return false
}

// stop stops the quiet server: it must save and exit 0.
func (e *edges) stop() bool {
	e.p.Terminate()
	code, ok := e.p.Wait(time.Minute)
	if !ok {
		e.p.Kill()
	}
	return e.expect(ok && code == 0 && strings.Contains(e.p.Log(), "state saved"),
		"the quiet server exited %d (exited: %v) at SIGTERM without saying it saved\n%s", code, ok, e.p.Log())
}

// restart stops the quiet server and starts another on its state file,
// which must load it.
func (e *edges) restart(ctx context.Context) bool {
	if !e.stop() || !e.start() {
		return false
	}
	if !e.expect(strings.Contains(e.p.Log(), "state loaded"), "the restarted server did not load the state file\n%s", e.p.Log()) {
		return false
	}
	e.loads++
	return true
}

// report prints what the attack did.
func (e *edges) report() {
	fmt.Printf("clock edges: %d expectations met on a quiet server; %d restarts loaded the state file saved at the clock's ends\n", e.checks, e.loads)
}
