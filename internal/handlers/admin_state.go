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
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// ExportAccount returns an account's jobs and items.
func (h *Handler) ExportAccount(key string) (store.AccountState, error) {
	a, err := h.opts.Store.Account(key)
	if err != nil {
		return store.AccountState{}, err
	}
	return a.State(), nil
}

// ImportAccount validates jobs and/or items (nil leaves that part as is)
// and, only if all are valid, replaces the account's content with them.
func (h *Handler) ImportAccount(key string, jobs []store.JobState, items []store.ItemState) []*apierror.Error {
	var errs []*apierror.Error
	add := func(probs []store.Problem) {
		for _, p := range probs {
			errs = append(errs, apierror.InvalidPointer(p.Pointer, p.Detail))
		}
	}
	var js []*store.Job
	var is []*store.Item
	if jobs != nil {
		var probs []store.Problem
		js, probs = store.JobsFromState(jobs, "/jobs", false)
		add(probs)
	}
	if items != nil {
		var probs []store.Problem
		is, probs = store.ItemsFromState(items, "/items")
		add(probs)
		now := h.opts.Clock.Now().Truncate(time.Microsecond)
		for _, it := range is {
			if it.Created.IsZero() {
				it.Created = now
			}
			if it.Updated.IsZero() {
				it.Updated = it.Created
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	a, err := h.opts.Store.Mutable(key)
	if err != nil {
		return []*apierror.Error{h.storeError(err)}
	}
	if err := a.Replace(js, is); err != nil {
		return []*apierror.Error{h.storeError(err)}
	}
	return nil
}

func (h *Handler) adminGetAccount(w http.ResponseWriter, r *http.Request) {
	h.exportPart(w, r, store.PartAll)
}

func (h *Handler) adminGetJobs(w http.ResponseWriter, r *http.Request) {
	h.exportPart(w, r, store.PartJobs)
}

func (h *Handler) adminGetItems(w http.ResponseWriter, r *http.Request) {
	h.exportPart(w, r, store.PartItems)
}

// exportPart streams an account's document, one object at a time, so an
// export never holds a copy of the account.
func (h *Handler) exportPart(w http.ResponseWriter, r *http.Request, parts store.Parts) {
	a, err := h.opts.Store.Account(pathParam(r, "key"))
	if err != nil {
		h.adminError(w, r, h.storeError(err))
		return
	}
	ex := a.Export()
	w.Header().Set("Content-Type", adminJSON)
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := ex.WriteJSON(bw, parts); err == nil {
		bw.WriteString("\n")
		bw.Flush()
	}
}

func (h *Handler) adminPutAccount(w http.ResponseWriter, r *http.Request) {
	var st store.AccountState
	if !h.decodeAdmin(w, r, &st, false) {
		return
	}
	if st.Jobs == nil || st.Items == nil {
		h.adminError(w, r, apierror.InvalidPointer("", "PUT an account with both \"jobs\" and \"items\" arrays; use .../jobs or .../items to replace one part."))
		return
	}
	h.importPart(w, r, st.Jobs, st.Items)
}

func (h *Handler) adminPutJobs(w http.ResponseWriter, r *http.Request) {
	var st struct {
		Jobs []store.JobState `json:"jobs"`
	}
	if !h.decodeAdmin(w, r, &st, false) {
		return
	}
	if st.Jobs == nil {
		h.adminError(w, r, apierror.InvalidPointer("/jobs", "A \"jobs\" array is required (it may be empty)."))
		return
	}
	h.importPart(w, r, st.Jobs, nil)
}

func (h *Handler) adminPutItems(w http.ResponseWriter, r *http.Request) {
	var st struct {
		Items []store.ItemState `json:"items"`
	}
	if !h.decodeAdmin(w, r, &st, false) {
		return
	}
	if st.Items == nil {
		h.adminError(w, r, apierror.InvalidPointer("/items", "An \"items\" array is required (it may be empty)."))
		return
	}
	h.importPart(w, r, nil, st.Items)
}

func (h *Handler) importPart(w http.ResponseWriter, r *http.Request, jobs []store.JobState, items []store.ItemState) {
	key := pathParam(r, "key")
	if errs := h.ImportAccount(key, jobs, items); errs != nil {
		h.adminError(w, r, errs...)
		return
	}
	a, err := h.opts.Store.Account(key)
	if err != nil {
		h.adminError(w, r, h.storeError(err))
		return
	}
	jobsN, itemsN := a.Counts()
	adminJSONReply(w, http.StatusOK, map[string]any{"account": key, "jobs": jobsN, "items": itemsN})
}

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
	adminJSONReply(w, http.StatusOK, map[string]any{"faults": h.opts.Faults.List()})
}

func (h *Handler) adminAddFault(w http.ResponseWriter, r *http.Request) {
	var rule faults.Rule
	if !h.decodeAdmin(w, r, &rule, false) {
		return
	}
	added, err := h.opts.Faults.Add(rule)
	if err != nil {
		h.adminError(w, r, apierror.InvalidPointer("", err.Error()))
		return
	}
	adminJSONReply(w, http.StatusCreated, added)
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
	if (req.Set != nil || req.Advance != nil) && !clock.InRange(target) {
		h.adminError(w, r, apierror.InvalidPointer("", fmt.Sprintf(
			"The clock would read %s; it must stay between 1970-01-01 and 9000-01-01.", target.UTC().Format(time.RFC3339))))
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
