package handlers

import (
	"net/http"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/query"
	"github.com/klaviyo-mock/mockserver/internal/render"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Agent hints (meta.agent_hints.next_steps, 2026-07-15+).
const (
	// hintPoll is "Poll GET <path>/<id>" and hintPollEnd, written in parts
	// at every poll of a job in progress (jobDoc).
	hintPoll    = "Poll GET "
	hintPollEnd = " until its status is complete."
)

// renderer returns the renderer of c's documents: of the served resource,
// or of the related resource on a related list. It is a value, so that a
// caller whose documents keep no pointer to it (a job's, an entity's)
// keeps it on the stack.
func (h *Handler) renderer(c *call) render.Renderer {
	p := c.rp
	if c.ep.Op == resource.OpRelated {
		p = c.ep.Rel.Target.At(c.p)
	}
	return render.Renderer{
		P:              p,
		Base:           h.base(c.r),
		Fields:         c.q.fields,
		IncludedFields: c.q.includedFields,
		Include:        c.q.include,
		Write:          c.ep.Op == resource.OpCreate || c.ep.Op == resource.OpUpdate,
		Frags:          h.frags,
	}
}

// list serves GET <jobs>: one keyset page of at most 100 jobs in id order.
func (h *Handler) list(c *call, buf *[]byte) (int, []*apierror.Error) {
	req := store.PageRequest{Statuses: c.q.statuses()}
	var aerr *apierror.Error
	if req.Before, req.After, aerr = seek(c, jobPosition); aerr != nil {
		return 0, []*apierror.Error{aerr}
	}
	page, err := c.acct.Page(c.res.Job.Kind, req)
	if err != nil {
		return 0, []*apierror.Error{h.storeError(err)}
	}
	rd := h.renderer(c)
	var room [2]string // the next-page hint and the job one, on the stack
	lh := h.listHintsOf(c.res)
	links, hints := pageLinks(c, rd.Base, paged{
		n: len(page.Jobs), hasNext: page.HasNext, hasPrev: page.HasPrev, hints: room[:0],
		cursor: func(i int, dir query.Direction) string {
			return query.EncodeCursor(query.Cursor{Dir: dir, ID: page.Jobs[i].ID})
		},
	}, lh.next)
	if c.p.AgentHints {
		hints = append(hints, lh.one)
	}
	*buf = rd.Jobs(*buf, page.Jobs, links, hints)
	return 200, nil
}

// jobPosition reads a job list's cursor: the id it continues from (job
// lists are ordered by id alone, so a keyed cursor is refused).
func jobPosition(cur query.Cursor) (string, *apierror.Error) {
	if cur.Keyed {
		return "", apierror.InvalidCursor()
	}
	return cur.ID, nil
}

// getOne serves GET <jobs>/{job_id}.
func (h *Handler) getOne(c *call, buf *[]byte) (int, []*apierror.Error) {
	id := c.id
	kind := c.res.Job.Kind
	var job *store.Job
	ok := false
	if query.ValidID(id) {
		var err error
		if c.r.Method == http.MethodHead {
			job, ok, err = c.acct.Job(kind, id) // only a GET is a poll
		} else {
			job, ok, err = c.acct.Poll(kind, id)
		}
		if err != nil {
			return 0, []*apierror.Error{h.storeError(err)}
		}
	}
	if !ok {
		return 0, []*apierror.Error{apierror.ResourceNotFound(c.res.Type, id)}
	}
	var included []*store.Entity
	if c.q.include {
		// A job's entities are listed on the stack (a job holds at most
		// MaxJobElements), not in a list made at every poll (past 32 of
		// them, EntitiesTo makes a set of their ids).
		var room [store.MaxJobElements]*store.Entity
		var err error
		if included, err = c.acct.EntitiesTo(room[:0], kind.Entity(), job.IDs); err != nil {
			return 0, []*apierror.Error{h.storeError(err)}
		}
	}
	rd := h.renderer(c)
	// A job in progress shows the entities applied so far, each again at
	// every poll until it completes (at each, with those applied since):
	// they are rendered, not cached, since keeping one (its copy and the
	// cache's bookkeeping, about 2.4 µs and 730 bytes for an item) costs
	// more than rendering it again (about 1.6 µs). Once complete, the
	// job's entities are offered as any object is, kept if read again.
	if job.Status.InProgress() {
		rd.Objects = render.Uncached
	}
	*buf = h.jobDoc(c, &rd, *buf, job, included)
	return 200, nil
}

// create serves POST <jobs>: it validates the whole request first and
// stores nothing unless every check passes.
func (h *Handler) create(c *call, buf *[]byte) (int, []*apierror.Error) {
	req, errs := payload.ParseCreate(c.rp, c.body)
	if len(errs) > 0 {
		return 0, errs
	}
	acct, err := h.opts.Store.Mutable(c.key)
	if err != nil {
		return 0, []*apierror.Error{h.storeError(err)}
	}
	job, err := acct.Create(req)
	if err != nil {
		return 0, []*apierror.Error{h.storeError(err)}
	}
	rd := h.renderer(c)
	*buf = h.jobDoc(c, &rd, *buf, job, nil)
	return http.StatusAccepted, nil
}

// jobDoc appends job's document as rd renders it, with its self link (the
// request's URL) and its hints, each written in parts: a poll of a job in
// progress makes neither its link nor its hint as a string.
func (h *Handler) jobDoc(c *call, rd *render.Renderer, b []byte, job *store.Job, included []*store.Entity) []byte {
	self := selfAt(rd.Base, c)
	if c.p.AgentHints && job.Status.InProgress() {
		hint := render.Text{hintPoll, c.res.Path(), "/", job.ID, hintPollEnd}
		return rd.JobDocParts(b, job, included, &self, nil, &hint)
	}
	return rd.JobDocParts(b, job, included, &self, h.jobHints(c, job), nil)
}

// jobHints suggests what an agent should do next with a job no longer in
// progress (nothing at a revision that shows no hints). A job in progress
// is told to poll: jobDoc writes that hint in parts.
func (h *Handler) jobHints(c *call, j *store.Job) []string {
	switch {
	case !c.p.AgentHints:
		return nil
	case j.Failed > 0:
		return []string{jobErrorsHint(j.Kind)}
	}
	return []string{}
}

// jobGetOneHint is the hint a job list carries, "Fetch one job with GET
// <path>/{job_id} to poll its progress.", concatenated: one string, where
// a format put its argument on the heap besides.
func jobGetOneHint(res *resource.Resource) string {
	return "Fetch one job with GET " + res.Path() + "/{job_id} to poll its progress."
}

// jobErrorsHint is the hint of a job of kind that failed some elements,
// "Inspect errors for the <entities> the job could not <action>.",
// concatenated as jobGetOneHint is.
func jobErrorsHint(kind store.JobKind) string {
	return "Inspect errors for the " + kind.Entity().Plural() + " the job could not " + kind.Action().String() + "."
}
