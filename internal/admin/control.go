package admin

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/faults"
	"github.com/klaviyo-mock/mockserver/internal/httpx"
	"github.com/klaviyo-mock/mockserver/internal/journal"
	"github.com/klaviyo-mock/mockserver/internal/secret"
)

func (a *API) requests(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if rev := q.Get("revision"); rev != "" {
		if _, err := time.Parse(time.DateOnly, rev); err != nil {
			a.fail(w, apierror.Invalid("revision", fmt.Sprintf("revision must be a date such as 2026-07-15, got %q.", rev)))
			return
		}
	}
	path := q.Get("path")
	if path == "" {
		path = q.Get("path_prefix") // the Go package's older name
	}
	f := journal.Filter{Method: q.Get("method"), PathPrefix: path, Account: a.keyNamed(q.Get("account")),
		Revision: q.Get("revision"), Operation: q.Get("operation"), RequestID: q.Get("request_id")}
	var after int
	for _, p := range []struct {
		name string
		v    *int
	}{{"status", &f.Status}, {"limit", &f.Limit}, {"after", &after}} {
		n, aerr := queryInt(r, p.name)
		if aerr != nil {
			a.fail(w, aerr)
			return
		}
		*p.v = n
	}
	f.After = uint64(after)
	writeJournal(w, a.o.Journal.List(f), a.o.Journal.Cap())
}

// writeJournal streams {"requests":[…],"cap":N} one entry at a time (the
// entries share their strings with the journal; nothing is copied whole).
func writeJournal(w http.ResponseWriter, entries []journal.Entry, capacity int) {
	w.Header().Set("Content-Type", contentJSON)
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(`{"requests":[`)
	for i := range entries {
		if i > 0 {
			bw.WriteByte(',')
		}
		b, err := json.Marshal(&entries[i])
		if err != nil {
			return
		}
		bw.Write(b)
	}
	fmt.Fprintf(bw, `],"cap":%d}`+"\n", capacity)
	bw.Flush()
}

func (a *API) clearRequests(w http.ResponseWriter, r *http.Request) {
	a.o.Journal.Clear()
	reply(w, http.StatusOK, map[string]any{"cleared": true})
}

func (a *API) listFaults(w http.ResponseWriter, r *http.Request) {
	rules := a.o.Faults.List()
	for i := range rules {
		rules[i] = shownRule(rules[i])
	}
	reply(w, http.StatusOK, map[string]any{"faults": rules})
}

// faultBody is a fault rule as POST /__admin/faults takes it: its
// match.path_prefix is match.path under the Go package's older name.
type faultBody struct {
	faults.Rule
	Match struct {
		faults.Match
		PathPrefix string `json:"path_prefix"`
	} `json:"match"`
}

func (a *API) addFault(w http.ResponseWriter, r *http.Request) {
	var body faultBody
	if !a.decode(w, r, &body, false) {
		return
	}
	rule := body.Rule
	rule.Match = body.Match.Match
	if p := body.Match.PathPrefix; p != "" {
		if rule.Match.Path != "" && rule.Match.Path != p {
			a.fail(w, apierror.InvalidPointer("/match/path_prefix", "path_prefix is another name of path: send one of them."))
			return
		}
		rule.Match.Path = p
	}
	if d := keyProblem(rule.Match.Account); rule.Match.Account != "" && d != "" {
		a.fail(w, apierror.InvalidPointer("/match/account", d))
		return
	}
	if rule.Match.Account != "" {
		rule.Match.Account = a.keyNamed(rule.Match.Account)
	}
	added, err := a.o.Faults.Add(rule)
	if err != nil {
		a.fail(w, apierror.InvalidPointer("", err.Error()))
		return
	}
	reply(w, http.StatusCreated, shownRule(added))
}

func (a *API) clearFaults(w http.ResponseWriter, r *http.Request) {
	a.o.Faults.Clear()
	reply(w, http.StatusOK, map[string]any{"cleared": true})
}

func (a *API) deleteFault(w http.ResponseWriter, r *http.Request) {
	id := httpx.PathParam(r, "id")
	if !a.o.Faults.Delete(id) {
		a.fail(w, apierror.NotFound(fmt.Sprintf("A fault with id %s does not exist.", id)))
		return
	}
	reply(w, http.StatusOK, map[string]any{"deleted": id})
}

// shownRule is a fault rule as the control API shows it: the account it
// matches by its fingerprint.
func shownRule(r faults.Rule) faults.Rule {
	r.Match.Account = secret.Fingerprint(r.Match.Account)
	return r
}

// throttle makes the next API requests of the path's account answer a 429.
func (a *API) throttle(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Count      int `json:"count"`
		RetryAfter int `json:"retry_after"`
	}
	if !a.decode(w, r, &req, false) {
		return
	}
	if req.Count < 1 {
		a.fail(w, apierror.InvalidPointer("/count", "count must be 1 or more."))
		return
	}
	rule, err := a.ThrottleNext(a.accountKey(r), req.Count, req.RetryAfter)
	if err != nil {
		a.fail(w, apierror.InvalidPointer("", err.Error()))
		return
	}
	reply(w, http.StatusCreated, shownRule(rule))
}

// ThrottleNext makes the next n API requests of account key answer a
// simulated 429 (Retry-After retryAfter seconds, default 1).
func (a *API) ThrottleNext(key string, n, retryAfter int) (faults.Rule, error) {
	return a.o.Faults.Add(faults.Rule{
		Match:  faults.Match{Account: key},
		Effect: faults.Effect{Status: http.StatusTooManyRequests, RetryAfter: retryAfter},
		Count:  n,
	})
}

// clockRequest is the body of POST /__admin/clock; the steps apply in the
// order freeze, set, advance, unfreeze, reset.
type clockRequest struct {
	Set     *time.Time       `json:"set"`
	Advance *faults.Duration `json:"advance"`
	Freeze  *bool            `json:"freeze"`
	Reset   bool             `json:"reset"`
}

func (a *API) getClock(w http.ResponseWriter, r *http.Request) {
	reply(w, http.StatusOK, a.clockState())
}

func (a *API) clockState() map[string]any {
	return map[string]any{"now": a.o.Clock.Now(), "frozen": a.o.Clock.Frozen()}
}

func (a *API) setClock(w http.ResponseWriter, r *http.Request) {
	var req clockRequest
	if !a.decode(w, r, &req, false) {
		return
	}
	if req.Set == nil && req.Advance == nil && req.Freeze == nil && !req.Reset {
		a.fail(w, apierror.InvalidPointer("", `Say what to do: {"set": "2026-01-01T00:00:00Z"}, {"advance": "90s"}, {"freeze": true|false} or {"reset": true}.`))
		return
	}
	c := a.o.Clock
	target := c.Now()
	if req.Set != nil {
		target = *req.Set
	}
	if req.Advance != nil {
		target = target.Add(time.Duration(*req.Advance))
	}
	if err := clock.CheckRange(target); (req.Set != nil || req.Advance != nil) && err != nil {
		a.fail(w, apierror.InvalidPointer("", err.Error()))
		return
	}
	if req.Freeze != nil && *req.Freeze {
		c.Freeze() // first, so a set or advance in the same request lands exactly
	}
	if req.Set != nil {
		c.Set(*req.Set)
	}
	if req.Advance != nil {
		c.Advance(time.Duration(*req.Advance))
	}
	if req.Freeze != nil && !*req.Freeze {
		c.Unfreeze()
	}
	if req.Reset {
		c.Reset()
	}
	reply(w, http.StatusOK, a.clockState())
}
