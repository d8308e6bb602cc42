package handlers

import (
	"fmt"
	"net/http"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/query"
	"github.com/klaviyo-mock/mockserver/internal/render"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// Agent hints (meta.agent_hints.next_steps, 2026-07-15+).
const (
	hintNextPage = "Fetch the next page of jobs by following links.next."
	hintGetOne   = "Fetch one job with GET /api/catalog-item-bulk-update-jobs/{job_id} to poll its progress."
	hintPoll     = "Poll GET /api/catalog-item-bulk-update-jobs/%s until its status is complete."
	hintErrors   = "Inspect errors for the items the job could not update."
)

func (h *Handler) renderer(c *call, q *request) *render.Renderer {
	return &render.Renderer{
		P:          c.p,
		Base:       h.base(c.r),
		JobFields:  q.jobFields,
		ItemFields: q.itemFields,
		ItemData:   q.include,
	}
}

// listJobs serves GET /api/catalog-item-bulk-update-jobs: one keyset page
// of at most 100 jobs in id order.
func (h *Handler) listJobs(c *call, buf *[]byte) (int, []*apierror.Error) {
	q, errs := parseQuery(c)
	if len(errs) > 0 {
		return 0, errs
	}
	req := store.PageRequest{Statuses: q.statuses}
	if q.hasCursor {
		if q.cursor.Dir == query.Prev {
			req.Before = q.cursor.ID
		} else {
			req.After = q.cursor.ID
		}
	}
	page := c.acct.Page(req)
	rd := h.renderer(c, &q)
	links := render.Links{Self: selfURL(rd.Base, c.r)}
	var hints []string
	if page.HasNext && len(page.Jobs) > 0 {
		last := page.Jobs[len(page.Jobs)-1].ID
		links.Next = pageURL(rd.Base, c.r, q.params, query.EncodeCursor(query.Cursor{Dir: query.Next, ID: last}))
		hints = append(hints, hintNextPage)
	}
	if page.HasPrev && len(page.Jobs) > 0 {
		links.Prev = pageURL(rd.Base, c.r, q.params, query.EncodeCursor(query.Cursor{Dir: query.Prev, ID: page.Jobs[0].ID}))
	}
	if c.p.AgentHints {
		hints = append(hints, hintGetOne)
	}
	*buf = rd.List(*buf, page.Jobs, links, hints)
	return 200, nil
}

// getJob serves GET /api/catalog-item-bulk-update-jobs/{job_id}.
func (h *Handler) getJob(c *call, buf *[]byte) (int, []*apierror.Error) {
	q, errs := parseQuery(c)
	if len(errs) > 0 {
		return 0, errs
	}
	id := pathParam(c.r, "job_id")
	var job *store.Job
	ok := false
	if query.ValidID(id) {
		if c.r.Method == http.MethodHead {
			job, ok = c.acct.Job(id) // only a GET is a poll
		} else {
			job, ok = c.acct.Poll(id)
		}
	}
	if !ok {
		return 0, []*apierror.Error{apierror.JobNotFound(id)}
	}
	var included []*store.Item
	if q.include {
		included = c.acct.Items(job.Items)
	}
	rd := h.renderer(c, &q)
	*buf = rd.One(*buf, job, included, selfURL(rd.Base, c.r), jobHints(job))
	return 200, nil
}

// jobHints suggests what an agent should do next with one job.
func jobHints(j *store.Job) []string {
	switch {
	case j.Status.InProgress():
		return []string{fmt.Sprintf(hintPoll, j.ID)}
	case j.Failed > 0:
		return []string{hintErrors}
	}
	return []string{}
}
