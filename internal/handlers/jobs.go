package handlers

import (
	"fmt"
	"net/http"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/httpx"
	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/query"
	"github.com/klaviyo-mock/mockserver/internal/render"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Agent hints (meta.agent_hints.next_steps, 2026-07-15+).
const (
	hintNextPage = "Fetch the next page of %s by following links.next."
	hintGetOne   = "Fetch one job with GET %s/{job_id} to poll its progress."
	hintPoll     = "Poll GET %s/%s until its status is complete."
	hintErrors   = "Inspect errors for the %s the job could not %s."
)

// renderer returns the renderer of c's documents: of the served resource,
// or of the related resource on a related list.
func (h *Handler) renderer(c *call) *render.Renderer {
	p := c.rp
	if c.ep.Op == resource.OpRelated {
		p = c.ep.Rel.Target.At(c.p)
	}
	return &render.Renderer{
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
	q := &c.q
	req := store.PageRequest{Statuses: q.statuses()}
	if q.hasCursor && q.cursor.Keyed { // job lists are ordered by id alone
		return 0, []*apierror.Error{apierror.InvalidCursor()}
	}
	if q.hasCursor {
		if q.cursor.Dir == query.Prev {
			req.Before = q.cursor.ID
		} else {
			req.After = q.cursor.ID
		}
	}
	kind := c.res.Job.Kind
	page, err := c.acct.Page(kind, req)
	if err != nil {
		return 0, []*apierror.Error{h.storeError(err)}
	}
	rd := h.renderer(c)
	links := render.Links{Self: selfURL(rd.Base, c.r)}
	var hints []string
	if page.HasNext && len(page.Jobs) > 0 {
		last := page.Jobs[len(page.Jobs)-1].ID
		links.Next = pageURL(rd.Base, c.r, q.params, query.EncodeCursor(query.Cursor{Dir: query.Next, ID: last}))
		hints = append(hints, fmt.Sprintf(hintNextPage, "jobs"))
	}
	if page.HasPrev && len(page.Jobs) > 0 {
		links.Prev = pageURL(rd.Base, c.r, q.params, query.EncodeCursor(query.Cursor{Dir: query.Prev, ID: page.Jobs[0].ID}))
	}
	if c.p.AgentHints {
		hints = append(hints, fmt.Sprintf(hintGetOne, c.res.Path()))
	}
	*buf = rd.Jobs(*buf, page.Jobs, links, hints)
	return 200, nil
}

// getOne serves GET <jobs>/{job_id}.
func (h *Handler) getOne(c *call, buf *[]byte) (int, []*apierror.Error) {
	id := httpx.PathParam(c.r, c.res.IDParam)
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
		var err error
		if included, err = c.acct.Entities(kind.Entity(), job.IDs); err != nil {
			return 0, []*apierror.Error{h.storeError(err)}
		}
	}
	rd := h.renderer(c)
	*buf = rd.JobDoc(*buf, job, included, selfURL(rd.Base, c.r), h.jobHints(c, job))
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
	*buf = rd.JobDoc(*buf, job, nil, selfURL(rd.Base, c.r), h.jobHints(c, job))
	return http.StatusAccepted, nil
}

// jobHints suggests what an agent should do next with one job.
func (h *Handler) jobHints(c *call, j *store.Job) []string {
	switch {
	case j.Status.InProgress():
		return []string{fmt.Sprintf(hintPoll, c.res.Path(), j.ID)}
	case j.Failed > 0:
		return []string{fmt.Sprintf(hintErrors, j.Kind.Entity().Plural(), j.Kind.Action())}
	}
	return []string{}
}
