package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"golang.org/x/sync/semaphore"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
)

// Request bodies are read, decoded and validated in memory; a decoded
// document takes several times the bytes of its text. Before a body is
// read, the request takes its worst case (the inflation times the most
// bytes it may send) from a shared allowance of Options.BodyBytes, and
// gives it back when it is answered, so no number of concurrent uploads
// can take the process past its memory budget.
const (
	// apiInflation bounds the memory an API body takes per byte read
	// (the body, its decoded tree and the validated request).
	apiInflation = 4
	// adminInflation bounds the same for control API documents (the
	// decoded states and the store values made from them).
	adminInflation = 8
	// admissionWait is how long a request waits for room before it is
	// answered with a 429.
	admissionWait = 10 * time.Second
)

// bodyAllowance is the shared allowance of request-body memory.
type bodyAllowance struct {
	sem   *semaphore.Weighted
	total int64
}

func newBodyAllowance(total int64) *bodyAllowance {
	return &bodyAllowance{sem: semaphore.NewWeighted(total), total: total}
}

// hasBody reports whether r may carry a body to read.
func hasBody(r *http.Request) bool {
	return r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0
}

// bodyCost is what reading r's body may take at most: the inflation times
// the bytes it may send (its Content-Length, or the route's cap when the
// length is unknown or the body is compressed).
func (h *Handler) bodyCost(r *http.Request) (cost, limit int64) {
	inflation, limit := int64(apiInflation), h.apiBodyLimit()
	if strings.HasPrefix(r.URL.Path, adminPrefix) {
		inflation, limit = adminInflation, h.adminBodyLimit()
	}
	n := limit
	if r.ContentLength > 0 && r.ContentLength < n && r.Header.Get("Content-Encoding") == "" {
		n = r.ContentLength
	}
	return inflation * n, limit
}

// apiBodyLimit is the most body bytes an API request is read for: the
// largest payload any revision accepts (a larger body is a 413 anyway).
func (h *Handler) apiBodyLimit() int64 {
	var n int64
	for _, p := range h.opts.Resources.Revisions().All() {
		n = max(n, p.MaxPayload)
	}
	return n + 1
}

// adminBodyLimit is the most bytes a control API body may have: what the
// allowance can hold at the control API's inflation.
func (h *Handler) adminBodyLimit() int64 {
	return min(h.body.total/adminInflation, maxAdminBody)
}

// admit takes the body allowance r needs, waiting up to admissionWait. It
// returns the function that gives it back, or the error to answer with.
func (h *Handler) admitBody(r *http.Request) (release func(), aerr *apierror.Error) {
	if !hasBody(r) {
		return func() {}, nil
	}
	cost, _ := h.bodyCost(r)
	cost = min(cost, h.body.total) // the largest body may take it all, never more
	release = func() { h.body.sem.Release(cost) }
	if h.body.sem.TryAcquire(cost) {
		return release, nil
	}
	// Wait for room, but not past a shutdown: a client gone while its body
	// waits unread is not noticed, and the drain must not wait for it.
	ctx, cancel := context.WithTimeout(r.Context(), admissionWait)
	defer cancel()
	go func() {
		select {
		case <-h.stopping:
			cancel()
		case <-ctx.Done():
		}
	}()
	if err := h.body.sem.Acquire(ctx, cost); err != nil {
		h.opts.Logger.Warn("request body refused: the memory allowed for bodies is in use",
			"path", r.URL.Path, "cost", cost, "allowance", h.body.total)
		return nil, apierror.Throttled(1, true)
	}
	return release, nil
}

// declaredTooLarge is the 413 for a request whose declared Content-Length
// is over its route's cap. It is decided before any of the body is read,
// so before net/http answers an Expect: 100-continue (which it does on the
// first read): the client learns at once instead of sending, or waiting
// to send, a body that would be refused.
func (h *Handler) declaredTooLarge(r *http.Request) *apierror.Error {
	switch {
	case r.ContentLength <= 0:
		return nil
	case strings.HasPrefix(r.URL.Path, adminPrefix):
		if r.ContentLength > h.adminBodyLimit() {
			return h.adminBodyTooLarge()
		}
		return nil
	}
	payload := h.apiBodyLimit() - 1 // the largest payload any revision takes
	limit := min(payload, h.opts.MaxBodyBytes)
	if r.Header.Get("Content-Encoding") != "" {
		limit = h.opts.MaxBodyBytes // a compressed body is capped once decompressed
	}
	if r.ContentLength > limit {
		return apierror.TooLarge(fmt.Sprintf("The maximum allowed payload size is %dMB.", payload>>20))
	}
	return nil
}

// adminBodyTooLarge is the 413 for a control API body over its cap.
func (h *Handler) adminBodyTooLarge() *apierror.Error {
	limit := h.adminBodyLimit()
	return apierror.TooLarge(fmt.Sprintf(
		"Control API bodies are limited to %d bytes (%d MiB) by the memory budget; send fewer objects per request "+
			"or start the server with a larger --memory-budget.", limit, limit>>20))
}
