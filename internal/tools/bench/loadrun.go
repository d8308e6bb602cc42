package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/tools/proc"
)

// row is one load row: a flow sent as an account to an emulator, and the
// answers it recorded (one iteration), which the static server gives.
type row struct {
	name    string
	emu     *proc.Server
	account string
	flow    flow
	answers []answer
	// forget: the emulator forgets the account before each run, so what
	// a writing row created before does not pile up (the same data
	// regenerates from the seed).
	forget bool
}

// answer is one recorded response, keyed by its call.
type answer struct {
	call
	Status int
	Header http.Header
	Body   []byte `json:"Answer"`
}

// runLoad measures the load rows: the emulator with default flags (and
// -args), one with created jobs completing at their third poll for the
// creating flow, the static server; then prints the table.
func runLoad(o options, bin string) error {
	emu, err := proc.Start(bin, append([]string{"--rate-limits", "off"}, o.extra...)...)
	if err != nil {
		return err
	}
	defer emu.Stop()
	rows, err := singleRows(o, emu)
	if err != nil {
		return err
	}
	if o.selected("changing") {
		item, err := firstID(emu.Base, writerKey, "/api/catalog-items")
		if err != nil {
			return err
		}
		rows = append(rows, &row{name: "changing: PATCH + list", emu: emu, account: writerKey, flow: &changing{item: item}, forget: true})
	}
	if o.selected("creating") {
		// A run creates thousands of items: a budget that holds them, and
		// the account forgotten before each run.
		jobs, err := proc.Start(bin, append([]string{"--rate-limits", "off", "--job-transition", "polls", "--memory-budget", "2GiB"}, o.extra...)...)
		if err != nil {
			return err
		}
		defer jobs.Stop()
		rows = append(rows, &row{name: "creating: job + polls", emu: jobs, account: writerKey, flow: &creating{}, forget: true})
	}
	if len(rows) == 0 {
		return nil
	}
	return loadRows(o, rows, emu)
}

// singleRows are the single requests selected, resolved in the account.
func singleRows(o options, emu *proc.Server) ([]*row, error) {
	var rows []*row
	ids, err := accountIDs(emu.Base, key)
	if err != nil {
		return nil, err
	}
	for _, rq := range requests {
		if !o.selected(rq.Name) {
			continue
		}
		target, err := resolve(emu.Base, rq, ids)
		if err != nil {
			return nil, err
		}
		rows = append(rows, &row{name: rq.Name, emu: emu, account: key, flow: single{&call{Method: "GET", Rev: rq.Rev, Target: target}}})
	}
	return rows, nil
}

// loadRows records the rows' answers, starts the static server on them
// and measures.
func loadRows(o options, rows []*row, emu *proc.Server) error {
	var all []answer
	for _, r := range rows {
		if err := r.record(); err != nil {
			return err
		}
		all = append(all, r.answers...)
	}
	tmp, err := os.MkdirTemp("", "bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	file := filepath.Join(tmp, "answers.json")
	b, _ := json.Marshal(all)
	if err := os.WriteFile(file, b, 0o600); err != nil {
		return err
	}
	stat, err := startStatic(file)
	if err != nil {
		return err
	}
	defer stat.Stop()
	fmt.Printf("bench: %d load rows × %d rounds × %v per server, %d connections, GOMAXPROCS %d, %d CPUs\n",
		len(rows), o.rounds, o.duration, o.conns, runtime.GOMAXPROCS(0), runtime.NumCPU())
	fmt.Printf("emulator %s (pid %d), static %s (pid %d)\n\n", emu.Base, emu.Pid(), stat.Base, stat.Pid())
	results, err := measure(rows, stat, o)
	if err != nil {
		return err
	}
	report(rows, results, o.rounds)
	rss, peak := proc.RSS(emu.Pid())
	fmt.Printf("emulator RSS %d MiB (peak %d MiB)\n", rss>>20, peak>>20)
	return nil
}

// record runs one iteration of the row's flow on its emulator, keeping
// every answer; each must be a success.
func (r *row) record() error {
	host := strings.TrimPrefix(r.emu.Base, "http://")
	c, err := dial(host, 10*time.Second)
	if err != nil {
		return err
	}
	defer c.close()
	cl := r.flow.first(0, 0)
	for step := 0; ; step++ {
		rep, err := c.do(cl.raw(host, r.account), true, time.Minute)
		if err != nil {
			return fmt.Errorf("%s: %s %s: %w", r.name, cl.Method, cl.Target, err)
		}
		if rep.status/100 != 2 {
			return fmt.Errorf("%s: %s %s answered %d: %.300s", r.name, cl.Method, cl.Target, rep.status, rep.body)
		}
		a := answer{call: *cl, Status: rep.status, Header: http.Header{}, Body: bytes.Clone(rep.body)}
		a.call.Body = nil
		for _, kv := range rep.header {
			a.Header.Add(kv[0], kv[1])
		}
		r.answers = append(r.answers, a)
		next, ok := r.flow.then(step, a.Body)
		if !ok {
			return nil
		}
		if step == maxSteps {
			return fmt.Errorf("%s: not over after %d calls", r.name, maxSteps)
		}
		cl = next
	}
}

// bytesPerIteration is what the row's answers weigh, one iteration.
func (r *row) bytesPerIteration() int {
	n := 0
	for _, a := range r.answers {
		n += len(a.Body)
	}
	return n
}

// send makes one request as account and returns the answer's body and
// status.
func send(base, account, method, rev, target string, body []byte) ([]byte, int, error) {
	req, err := http.NewRequest(method, base+target, bytes.NewReader(body))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("revision", rev)
	req.Header.Set("Authorization", "Klaviyo-API-Key "+account)
	if body != nil {
		ct := "application/vnd.api+json"
		if strings.HasPrefix(target, "/__admin/") {
			ct = "application/json" // the control API's only type
		}
		req.Header.Set("Content-Type", ct)
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return b, res.StatusCode, err
}

// reset makes the emulator forget the row's account, when the row says so.
func (r *row) reset() error {
	if !r.forget {
		return nil
	}
	body, status, err := send(r.emu.Base, r.account, "DELETE", "", "/__admin/accounts/"+r.account, nil)
	if err == nil && status/100 != 2 {
		err = fmt.Errorf("DELETE /__admin/accounts/…: %d %.200s", status, body)
	}
	return err
}
