package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/faults"
	"github.com/klaviyo-mock/mockserver/internal/limiter"
)

// Rate-limit headers (Klaviyo's spelling).
const (
	headerLimit      = "RateLimit-Limit"
	headerRemaining  = "RateLimit-Remaining"
	headerReset      = "RateLimit-Reset"
	headerRetryAfter = "Retry-After"
	headerPrefer     = "Prefer"
)

// injectFault applies a simulated fault to c, if one is asked for
// (Prefer: code=NNN) or a fault rule or the throttle probability hits. It
// reports whether the request goes on. Simulated faults are decided before
// the limiter and are not counted by it.
func (h *Handler) injectFault(c *call) bool {
	style := styleOf(c.p)
	if v := c.r.Header.Get(headerPrefer); v != "" {
		code, err := faults.ParsePrefer(v)
		if err != nil {
			h.writeErrors(c.w, c.r, style, apierror.InvalidHeader(headerPrefer, err.Error()))
			return false
		}
		if code != 0 {
			c.rec.fault = "prefer"
			h.writeErrors(c.w, c.r, style, simulated(faults.Effect{Status: code}, style.Modern))
			return false
		}
	}
	eff, id, ok := h.opts.Faults.Decide(faults.Request{
		Method: c.r.Method, Path: c.r.URL.Path, Account: c.key, Revision: c.p.Date,
	})
	if !ok {
		return true
	}
	c.rec.fault = id
	if eff.Latency > 0 {
		// The delay must not run into the server's write timeout.
		_ = http.NewResponseController(c.w).SetWriteDeadline(time.Time{})
		t := time.NewTimer(time.Duration(eff.Latency))
		select {
		case <-t.C:
		case <-c.r.Context().Done():
			t.Stop()
			return false
		}
	}
	if eff.Drop {
		c.rec.dropped = true
		panic(http.ErrAbortHandler)
	}
	if eff.Status != 0 {
		h.writeErrors(c.w, c.r, style, simulated(eff, style.Modern))
		return false
	}
	return true
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
	if pol.Off {
		return true
	}
	lim := pol.Apply(c.p.Ops[c.op].Limits)
	d := h.opts.Limiter.Allow(limiter.Key{Account: c.key, Operation: c.op.String()}, lim)
	if !d.Allowed {
		h.writeErrors(c.w, c.r, styleOf(c.p), apierror.Throttled(d.RetryAfter, c.p.ModernErrors))
		return false
	}
	hd := c.w.Header()
	hd.Set(headerLimit, strconv.Itoa(d.Limit))
	hd.Set(headerRemaining, strconv.Itoa(d.Remaining))
	hd.Set(headerReset, strconv.Itoa(d.Reset))
	return true
}
