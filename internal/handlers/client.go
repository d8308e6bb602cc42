package handlers

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// /client: Klaviyo's endpoints for browsers and apps (security: [] in its
// spec). The account is the one whose public key the query's company_id
// is; an Authorization header is ignored (it never chooses the account);
// storefronts on any origin call them, so every answer carries CORS
// headers (docs/klaviyo-behaviour.md §10.3).

// paramCompanyID names the account's public key in a /client query.
const paramCompanyID = "company_id"

// clientMaxAge is how long a browser may keep a /client preflight's answer
// (a day).
const clientMaxAge = "86400"

// clientPrefix starts every /client path.
const clientPrefix = "/client/"

// clientOrigins lets any origin read every /client answer:
// Access-Control-Allow-Origin: * and the exposed headers, set before
// anything else runs, so an answer given before a route is chosen (a 431,
// a 413) carries them too.
func clientOrigins(next http.Handler) http.Handler {
	exposed := []string{strings.Join(corsExposedHeaders, ", ")}
	star := []string{"*"}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, clientPrefix) {
			hd := w.Header()
			hd["Access-Control-Allow-Origin"] = star
			hd["Access-Control-Expose-Headers"] = exposed
		}
		next.ServeHTTP(w, r)
	})
}

// clientPreflight answers a CORS preflight of a /client route with 204,
// allowing methods (the /client routes' own), the headers it asks for,
// for a day.
func clientPreflight(methods string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
				next.ServeHTTP(w, r)
				return
			}
			hd := w.Header()
			hd.Set("Access-Control-Allow-Methods", methods)
			if asked := strings.TrimSpace(r.Header.Get("Access-Control-Request-Headers")); asked != "" {
				hd.Set("Access-Control-Allow-Headers", asked)
			}
			hd.Set("Access-Control-Max-Age", clientMaxAge)
			w.WriteHeader(http.StatusNoContent)
		})
	}
}

// identifyByPublicKey finds the account of a /client request: the one
// answering to the query's company_id (a well-formed key no account
// answers to gets an account of its own). A missing or malformed
// company_id is a 400 about the parameter.
func (h *Handler) identifyByPublicKey(c *call) bool {
	ids := c.r.URL.Query()[paramCompanyID]
	id := ""
	if len(ids) > 0 {
		id = ids[len(ids)-1] // the last one wins, as with every parameter
	}
	var aerr *apierror.Error
	switch {
	case id == "":
		aerr = apierror.Invalid(paramCompanyID, apierror.DetailMissingCompanyID)
	case !store.ValidPublicKey(id):
		aerr = apierror.Invalidf(paramCompanyID, apierror.DetailInvalidCompanyID, id)
	}
	if aerr != nil {
		h.errs.Write(c.w, styleOf(c.p), aerr)
		return false
	}
	if c.r.Header.Get("Authorization") != "" {
		h.opts.Logger.LogAttrs(c.r.Context(), slog.LevelInfo, "Authorization ignored on /client",
			slog.String("request_id", c.rec.ID), slog.String("hint",
				"/client endpoints take the public key in company_id; never send a private key from a browser"))
	}
	acct, err := h.opts.Store.AccountByPublicKey(id)
	if err != nil {
		h.errs.Write(c.w, styleOf(c.p), h.storeError(err))
		return false
	}
	c.key, c.acct = acct.Key(), acct
	c.rec.Account = c.key
	return true
}

// entitySubmit serves the create of an entity whose ids the server makes
// and which Klaviyo only enqueues (POST /api/back-in-stock-subscriptions
// and its /client twin): the body is checked whole, the entity stored (or
// merged into the one it matches), and the answer is 202 with no body.
func (h *Handler) entitySubmit(c *call, _ *[]byte) (int, []*apierror.Error) {
	el, errs := payload.ParseSubmission(c.rp, c.body)
	if len(errs) > 0 {
		return 0, errs
	}
	acct, err := h.opts.Store.Mutable(c.key)
	if err != nil {
		return 0, []*apierror.Error{h.storeError(err)}
	}
	if _, _, err := acct.Submit(c.res.Entity.Kind, el); err != nil {
		return 0, []*apierror.Error{h.storeError(err)}
	}
	return http.StatusAccepted, nil
}
