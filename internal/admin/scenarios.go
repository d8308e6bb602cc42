package admin

import (
	"fmt"
	"net/http"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/faults"
	"github.com/klaviyo-mock/mockserver/internal/httpx"
)

// listScenarios lists the presets (GET /__admin/scenarios), each with its
// rules and whether it is on.
func (a *API) listScenarios(w http.ResponseWriter, r *http.Request) {
	on := map[string]bool{}
	for _, rule := range a.o.Faults.List() {
		on[rule.Scenario] = true
	}
	type shown struct {
		faults.Scenario
		Active bool `json:"active"`
	}
	out := []shown{}
	for _, s := range faults.Scenarios() {
		out = append(out, shown{s, on[s.Name]})
	}
	reply(w, http.StatusOK, map[string]any{"scenarios": out})
}

// startScenario turns a preset on (POST /__admin/scenarios/{name}),
// optionally for one account ({"account": key}): it adds the preset's
// fault rules, labelled with its name.
func (a *API) startScenario(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Account string `json:"account"`
	}
	if !a.decode(w, r, &req, true) {
		return
	}
	if d := keyProblem(req.Account); req.Account != "" && d != "" {
		a.fail(w, apierror.InvalidPointer("/account", d))
		return
	}
	name := httpx.PathParam(r, "name")
	if req.Account != "" {
		req.Account = a.keyNamed(req.Account)
	}
	rules, ok := a.o.Faults.AddScenario(name, req.Account)
	if !ok {
		a.fail(w, unknownScenario(name))
		return
	}
	for i := range rules {
		rules[i] = shownRule(rules[i])
	}
	reply(w, http.StatusCreated, map[string]any{"scenario": name, "rules": rules})
}

// stopScenario turns a preset off (DELETE /__admin/scenarios/{name}).
func (a *API) stopScenario(w http.ResponseWriter, r *http.Request) {
	name := httpx.PathParam(r, "name")
	if _, ok := faults.ScenarioNamed(name); !ok {
		a.fail(w, unknownScenario(name))
		return
	}
	reply(w, http.StatusOK, map[string]any{"scenario": name, "removed": a.o.Faults.RemoveScenario(name)})
}

func unknownScenario(name string) *apierror.Error {
	names := ""
	for i, s := range faults.Scenarios() {
		if i > 0 {
			names += ", "
		}
		names += s.Name
	}
	return apierror.NotFound(fmt.Sprintf("There is no scenario %q; the scenarios are %s.", name, names))
}

// completeJobs completes the jobs in progress of the path's account, or of
// every account held (POST /__admin/accounts/{key}/jobs/complete and
// POST /__admin/jobs/complete): their remaining elements are applied now.
func (a *API) completeJobs(w http.ResponseWriter, r *http.Request) {
	keys := []string{a.accountKey(r)}
	if httpx.PathParam(r, "key") == "" {
		keys, _ = a.o.Store.Keys()
	}
	n := 0
	for _, key := range keys {
		acct, err := a.o.Store.Account(key)
		if err != nil {
			a.fail(w, a.storeError(err))
			return
		}
		n += acct.CompleteJobs()
	}
	reply(w, http.StatusOK, map[string]any{"completed": n})
}

// Bucket is one operation's rate-limit counters for an account, as
// GET /__admin/accounts/{key}/limits shows them.
type Bucket struct {
	Operation string `json:"operation"`
	Burst     Window `json:"burst"`
	Steady    Window `json:"steady"`
}

// Window is one window of a bucket: its limit, what is left, and the
// seconds until it resets.
type Window struct {
	Limit     int `json:"limit"`
	Remaining int `json:"remaining"`
	Reset     int `json:"reset"`
}

// limits shows the path's account's rate-limit buckets, every operation's
// at the newest revision, both windows (nothing is counted).
func (a *API) limits(w http.ResponseWriter, r *http.Request) {
	if a.o.Buckets == nil {
		reply(w, http.StatusOK, map[string]any{"rate_limits": "off", "buckets": []Bucket{}})
		return
	}
	buckets, on := a.o.Buckets(a.accountKey(r))
	mode := "klaviyo"
	if !on {
		mode, buckets = "off", []Bucket{}
	}
	reply(w, http.StatusOK, map[string]any{"rate_limits": mode, "buckets": buckets})
}
