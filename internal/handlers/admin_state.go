package handlers

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/clock"
	"github.com/klaviyo-mock/mockserver/internal/faults"
	"github.com/klaviyo-mock/mockserver/internal/journal"
	"github.com/klaviyo-mock/mockserver/internal/secret"
)

func (h *Handler) adminRequests(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if rev := q.Get("revision"); rev != "" {
		if _, err := time.Parse(time.DateOnly, rev); err != nil {
			h.adminError(w, r, apierror.Invalid("revision", fmt.Sprintf("revision must be a date such as 2026-07-15, got %q.", rev)))
			return
		}
	}
	status, aerr := queryInt(r, "status")
	if aerr == nil {
		var limit int
		limit, aerr = queryInt(r, "limit")
		if aerr == nil {
			entries := h.opts.Journal.List(journal.Filter{
				Method: q.Get("method"), PathPrefix: q.Get("path"), Account: q.Get("account"),
				Revision: q.Get("revision"), Operation: q.Get("operation"), Status: status, Limit: limit,
			})
			writeJournal(w, entries, h.opts.Journal.Cap())
			return
		}
	}
	h.adminError(w, r, aerr)
}

// writeJournal streams {"requests":[…],"cap":N} one entry at a time (the
// entries share their strings with the journal; nothing is copied whole).
func writeJournal(w http.ResponseWriter, entries []journal.Entry, capacity int) {
	w.Header().Set("Content-Type", adminJSON)
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

func (h *Handler) adminClearRequests(w http.ResponseWriter, r *http.Request) {
	h.opts.Journal.Clear()
	adminJSONReply(w, http.StatusOK, map[string]any{"cleared": true})
}

func (h *Handler) adminFaults(w http.ResponseWriter, r *http.Request) {
	rules := h.opts.Faults.List()
	for i := range rules {
		rules[i] = shownRule(rules[i])
	}
	adminJSONReply(w, http.StatusOK, map[string]any{"faults": rules})
}

func (h *Handler) adminAddFault(w http.ResponseWriter, r *http.Request) {
	var rule faults.Rule
	if !h.decodeAdmin(w, r, &rule, false) {
		return
	}
	if d := keyProblem(rule.Match.Account); rule.Match.Account != "" && d != "" {
		h.adminError(w, r, apierror.InvalidPointer("/match/account", d))
		return
	}
	added, err := h.opts.Faults.Add(rule)
	if err != nil {
		h.adminError(w, r, apierror.InvalidPointer("", err.Error()))
		return
	}
	adminJSONReply(w, http.StatusCreated, shownRule(added))
}

func (h *Handler) adminClearFaults(w http.ResponseWriter, r *http.Request) {
	h.opts.Faults.Clear()
	adminJSONReply(w, http.StatusOK, map[string]any{"cleared": true})
}

func (h *Handler) adminDeleteFault(w http.ResponseWriter, r *http.Request) {
	id := pathParam(r, "id")
	if !h.opts.Faults.Delete(id) {
		h.adminError(w, r, apierror.NotFound(fmt.Sprintf("A fault with id %s does not exist.", id)))
		return
	}
	adminJSONReply(w, http.StatusOK, map[string]any{"deleted": id})
}

// shownRule is a fault rule as the control API shows it: the account it
// matches by its fingerprint.
func shownRule(r faults.Rule) faults.Rule {
	r.Match.Account = secret.Fingerprint(r.Match.Account)
	return r
}

// ThrottleNext makes the next n API requests of account key answer a
// simulated 429 (Retry-After retryAfter seconds, default 1).
func (h *Handler) ThrottleNext(key string, n, retryAfter int) (faults.Rule, error) {
	return h.opts.Faults.Add(faults.Rule{
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

func (h *Handler) adminClock(w http.ResponseWriter, r *http.Request) {
	adminJSONReply(w, http.StatusOK, h.clockState())
}

func (h *Handler) clockState() map[string]any {
	return map[string]any{"now": h.opts.Clock.Now(), "frozen": h.opts.Clock.Frozen()}
}

func (h *Handler) adminSetClock(w http.ResponseWriter, r *http.Request) {
	var req clockRequest
	if !h.decodeAdmin(w, r, &req, false) {
		return
	}
	if req.Set == nil && req.Advance == nil && req.Freeze == nil && !req.Reset {
		h.adminError(w, r, apierror.InvalidPointer("", `Say what to do: {"set": "2026-01-01T00:00:00Z"}, {"advance": "90s"}, {"freeze": true|false} or {"reset": true}.`))
		return
	}
	c := h.opts.Clock
	target := c.Now()
	if req.Set != nil {
		target = *req.Set
	}
	if req.Advance != nil {
		target = target.Add(time.Duration(*req.Advance))
	}
	if err := clock.CheckRange(target); (req.Set != nil || req.Advance != nil) && err != nil {
		h.adminError(w, r, apierror.InvalidPointer("", err.Error()))
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
	adminJSONReply(w, http.StatusOK, h.clockState())
}
