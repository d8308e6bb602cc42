package handlers

import (
	"net/http"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/httpx"
	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// relationshipWrite serves POST (add), PATCH (replace) and DELETE (remove)
// on /<owner>/{id}/relationships/<relation>: 204 with no body.
func (h *Handler) relationshipWrite(c *call, _ *[]byte) (int, []*apierror.Error) {
	ids, errs := payload.ParseIdentifiers(c.rp, c.ep.Rel.Target.Type, c.body)
	if len(errs) > 0 {
		return 0, errs
	}
	id := c.id
	acct, err := h.opts.Store.Mutable(c.key)
	if err != nil {
		return 0, []*apierror.Error{h.storeError(err)}
	}
	act := map[resource.Op]store.RelAction{resource.OpRelAdd: store.RelAdd, resource.OpRelSet: store.RelReplace,
		resource.OpRelRemove: store.RelRemove}[c.ep.Op]
	eerr, err := acct.Relate(c.res.Entity.Kind, c.ep.Rel.Decl, id, act, ids)
	if errs := h.writeRefused(err, eerr, c.res.Type, id); errs != nil {
		return 0, errs
	}
	return http.StatusNoContent, nil
}

// unknownRelation answers /<owner>/{id}/relationships/<x> for an x the
// owner has no relationship endpoint for: a refused related_resource while
// that was the path's parameter (up to 2023-01-24), no such path after.
func (h *Handler) unknownRelation(c *call, _ *[]byte) (int, []*apierror.Error) {
	name := httpx.PathParam(c.r, "related_resource")
	if !c.rp.RelGeneric {
		return 0, []*apierror.Error{apierror.PathNotFound(c.r.URL.Path)}
	}
	var valid []string
	for _, rel := range c.res.Relations {
		if _, ok := (resource.Endpoint{Res: c.res, Rel: rel, Op: resource.OpRelIDs}).At(c.p); ok {
			valid = append(valid, "'"+rel.Name+"'")
		}
	}
	return 0, []*apierror.Error{apierror.Invalidf("related_resource", "'%s' is not a valid choice for 'related_resource'; valid values are %s.",
		name, joinOr(valid))}
}

func joinOr(list []string) string {
	switch len(list) {
	case 0:
		return "none"
	case 1:
		return list[0]
	}
	out := list[0]
	for _, s := range list[1 : len(list)-1] {
		out += ", " + s
	}
	return out + " and " + list[len(list)-1]
}
