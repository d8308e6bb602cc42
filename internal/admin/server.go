package admin

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/fixtures"
	"github.com/klaviyo-mock/mockserver/internal/secret"
)

func (a *API) health(w http.ResponseWriter, r *http.Request) {
	keys, _ := a.o.Store.Keys()
	used, limit := a.o.Store.Used()
	made, madeLimit := a.o.Store.MadeJobs()
	madeEnts, madeEntsLimit := a.o.Store.MadeEntities()
	reply(w, http.StatusOK, map[string]any{
		"status":          "ok",
		"now":             a.o.Clock.Now(),
		"clock_frozen":    a.o.Clock.Frozen(),
		"oldest_revision": a.o.Revisions.Oldest().Date,
		"newest_revision": a.o.Revisions.Newest().Date,
		"accounts":        len(keys),
		"memory": map[string]any{
			"accounts_bytes":            used,
			"accounts_limit_bytes":      limit,
			"journal_bytes":             a.o.Journal.Bytes(),
			"journal_limit_bytes":       a.o.Journal.Options().Bytes,
			"bodies_limit_bytes":        a.o.Bodies.Total(),
			"made_jobs_bytes":           made,
			"made_jobs_limit_bytes":     madeLimit,
			"made_entities_bytes":       madeEnts,
			"made_entities_limit_bytes": madeEntsLimit,
		},
		"render_cache": a.o.CacheStats(),
	})
}

// resetRequest is the body of POST /__admin/reset (all optional).
type resetRequest struct {
	Seed    uint64 `json:"seed"`
	Jobs    *int   `json:"jobs"`
	Account string `json:"account"`
}

func (a *API) reset(w http.ResponseWriter, r *http.Request) {
	var req resetRequest
	if !a.decode(w, r, &req, true) {
		return
	}
	if req.Account != "" {
		if d := keyProblem(req.Account); d != "" {
			a.fail(w, apierror.InvalidPointer("/account", d))
			return
		}
		if req.Seed != 0 || req.Jobs != nil {
			a.fail(w, apierror.InvalidPointer("/seed", "seed and jobs apply to the whole server; leave them out to reset one account."))
			return
		}
		key := a.keyNamed(req.Account)
		a.forget(key)
		reply(w, http.StatusOK, map[string]any{"reset": "account", "account": secret.Fingerprint(key)})
		return
	}
	if req.Jobs != nil && (*req.Jobs < 0 || *req.Jobs > fixtures.MaxJobs) {
		a.fail(w, apierror.InvalidPointer("/jobs", fmt.Sprintf("jobs must be between 0 and %d.", fixtures.MaxJobs)))
		return
	}
	if a.o.Control == nil {
		a.fail(w, apierror.InvalidPointer("", "This server cannot be reset."))
		return
	}
	if err := a.o.Control.Reset(req.Seed, req.Jobs); err != nil {
		var re *ResetError
		if errors.As(err, &re) {
			a.fail(w, apierror.InvalidPointer(re.Member, re.Detail))
			return
		}
		a.fail(w, apierror.InvalidPointer("", err.Error()))
		return
	}
	reply(w, http.StatusOK, map[string]any{"reset": "server"})
}

// forget returns one account to its seeded state and clears its counters
// and the fault rules aimed at it.
func (a *API) forget(key string) {
	a.o.Store.Forget(key)
	a.o.Limiter.ResetAccount(key)
	for _, f := range a.o.Faults.List() {
		if f.Match.Account == key {
			a.o.Faults.Delete(f.ID)
		}
	}
}

func (a *API) snapshot(w http.ResponseWriter, r *http.Request) {
	if a.o.Control == nil {
		a.fail(w, apierror.InvalidPointer("", "This server has no state file."))
		return
	}
	path, err := a.o.Control.Snapshot()
	if err != nil {
		a.fail(w, apierror.InvalidPointer("", err.Error()))
		return
	}
	reply(w, http.StatusOK, map[string]any{"saved": path})
}
