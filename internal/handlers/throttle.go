package handlers

import (
	"net/http"
	"strconv"
	"time"
	"unsafe"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/faults"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
)

// Response headers (Klaviyo's spelling).
const (
	headerLimit      = "RateLimit-Limit"
	headerRemaining  = "RateLimit-Remaining"
	headerReset      = "RateLimit-Reset"
	headerRetryAfter = "Retry-After"
	headerPrefer     = "Prefer"
	// headerRevision is the revision that served the request; headerReqID
	// a UUID per request (observed on Klaviyo in 2026).
	headerRevision = "x-klaviyo-api-revision"
	headerReqID    = "x-klaviyo-req-id"
)

// injectFault applies a simulated fault to c, if one is asked for
// (Prefer: code=NNN) or a fault rule or the throttle probability hits. It
// reports whether the request goes on. Simulated faults are decided before
// the limiter and are not counted by it.
func (h *Handler) injectFault(c *call) bool {
	if c.control {
		return true // the control API's own reads and writes are never faulted
	}
	style := styleOf(c.p)
	if v := c.hd.prefer; v != "" {
		code, err := faults.ParsePrefer(v)
		if err != nil {
			h.peekLimits(c)
			h.errs.Write(c.w, style, apierror.InvalidHeader(headerPrefer, err.Error()))
			return false
		}
		if code != 0 {
			c.rec.Fault = "prefer"
			h.failSimulated(c, faults.Effect{Status: code})
			return false
		}
	}
	eff, id, ok := h.opts.Faults.Decide(faults.Request{
		Method: c.r.Method, Path: c.r.URL.Path, Account: c.key, Revision: c.p.Date,
	})
	if !ok {
		return true
	}
	c.rec.Fault = id
	if eff.Latency > 0 {
		// The delay must not run into the server's write timeout.
		_ = http.NewResponseController(c.w).SetWriteDeadline(time.Time{})
		t := time.NewTimer(time.Duration(eff.Latency))
		select {
		case <-t.C:
		case <-h.stopping: // shutting down: the delay ends, the request is served
			t.Stop()
		case <-c.r.Context().Done():
			t.Stop()
			return false
		}
	}
	if eff.Drop {
		c.rec.Dropped = true
		panic(http.ErrAbortHandler)
	}
	if eff.Status != 0 {
		h.failSimulated(c, eff)
		return false
	}
	return true
}

// failSimulated answers c with a simulated fault's error. A simulated 5xx
// carries the RateLimit-* headers like any non-429 answer that reached an
// account (without counting the request); a simulated 429 drops them like
// the limiter's own.
func (h *Handler) failSimulated(c *call, eff faults.Effect) {
	style := styleOf(c.p)
	if eff.Status != http.StatusTooManyRequests {
		h.peekLimits(c)
	}
	h.errs.Write(c.w, style, simulated(eff, style.Modern))
}

// simulated is the error a fault answers with: a 429 indistinguishable from
// the limiter's, or a Klaviyo-shaped 5xx.
func simulated(eff faults.Effect, modern bool) *apierror.Error {
	if eff.Status == http.StatusTooManyRequests {
		return apierror.Throttled(max(eff.RetryAfter, 1), modern)
	}
	return apierror.Server(eff.Status)
}

// admit asks the limiter about c. An admitted request gets the steady
// window's RateLimit-* headers; a refused one gets the throttled 429 with
// Retry-After and none of them. It reports whether the request goes on.
func (h *Handler) admit(c *call) bool {
	pol := h.opts.RateLimits
	if pol.Off || c.control {
		return true
	}
	d := h.opts.Limiter.Allow(h.limitKey(c), pol.Apply(h.limits(c)))
	if !d.Allowed {
		h.errs.Write(c.w, styleOf(c.p), apierror.Throttled(d.RetryAfter, c.p.ModernErrors))
		return false
	}
	setLimitHeaders(c.w.Header(), d)
	return true
}

// peekLimits sets the RateLimit-* headers of c's bucket as they stand,
// counting nothing.
func (h *Handler) peekLimits(c *call) {
	if pol := h.opts.RateLimits; !pol.Off {
		setLimitHeaders(c.w.Header(), h.opts.Limiter.Peek(h.limitKey(c), pol.Apply(h.limits(c))))
	}
}

// limitKey is c's bucket: one per account and operation (every resource's
// operations have their own).
func (h *Handler) limitKey(c *call) limiter.Key {
	return limiter.Key{Account: c.key, Operation: c.ep.Name()}
}

// limits are the operation's limits at the served revision.
func (h *Handler) limits(c *call) limiter.Limits { return c.o.Limits }

// setLimitHeaders writes the form Klaviyo answered with in 2026:
// RateLimit-Limit "<limit>, <burst>;w=1, <steady>;w=60" (the first the
// limit of the window closer to exhaustion), RateLimit-Remaining and
// RateLimit-Reset of that window.
func setLimitHeaders(hd http.Header, d limiter.Decision) {
	w := d.Binding()
	// The three values are cut from one text, written into the value that
	// also holds their slices (each capped at its own value, so an append
	// copies): one allocation on every answer. The text is never written
	// again once cut (a longer one than the room moved to a buffer of its
	// own as append grew it).
	lv := new(limitValues)
	v := strconv.AppendInt(lv.text[:0], int64(w.Limit), 10)
	v = append(v, ", "...)
	v = strconv.AppendInt(v, int64(d.Burst.Limit), 10)
	v = append(v, ";w=1, "...)
	v = strconv.AppendInt(v, int64(d.Steady.Limit), 10)
	v = append(v, ";w=60"...)
	limit := len(v)
	v = strconv.AppendInt(v, int64(w.Remaining), 10)
	remaining := len(v)
	v = strconv.AppendInt(v, int64(w.Reset), 10)
	s := unsafe.String(unsafe.SliceData(v), len(v))
	lv.vals = [3]string{s[:limit], s[limit:remaining], s[remaining:]}
	hd[keyLimit] = lv.vals[0:1:1]
	hd[keyRemaining] = lv.vals[1:2:2]
	hd[keyReset] = lv.vals[2:3:3]
}

// limitValues holds an answer's three rate-limit values and their text:
// room for limits of ten digits each (a limit of 2^30, as tests set to
// leave requests unlimited, is ten).
type limitValues struct {
	vals [3]string
	text [64]byte
}
