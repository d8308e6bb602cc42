package handlers

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/revision"
)

// createJob serves POST /api/catalog-item-bulk-update-jobs: it validates
// the whole request first and stores nothing unless every check passes.
func (h *Handler) createJob(c *call, buf *[]byte) (int, []*apierror.Error) {
	q, errs := parseQuery(c)
	if len(errs) > 0 {
		return 0, errs
	}
	body, aerr := readBody(c.r, c.p.MaxPayload)
	if aerr != nil {
		return 0, []*apierror.Error{aerr}
	}
	req, errs := payload.ParseCreate(c.p, body)
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
	rd := h.renderer(c, &q)
	*buf = rd.One(*buf, job, nil, selfURL(rd.Base, c.r), jobHints(job))
	return http.StatusAccepted, nil
}

// readBody checks the request's media type and encoding and reads at most
// limit bytes of (decompressed) body.
func readBody(r *http.Request, limit int64) ([]byte, *apierror.Error) {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != revision.JSONAPI && mt != revision.JSON) {
		return nil, apierror.UnsupportedMediaType(ct)
	}
	var src io.Reader = r.Body
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			return nil, apierror.InvalidHeader("Content-Encoding", "The request body is not valid gzip: "+err.Error())
		}
		defer zr.Close()
		src = zr
	default:
		return nil, apierror.UnsupportedEncoding(enc)
	}
	body, err := io.ReadAll(io.LimitReader(src, limit+1))
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr), err == nil && int64(len(body)) > limit:
		return nil, apierror.TooLarge(fmt.Sprintf("The maximum allowed payload size is %dMB.", limit>>20))
	case err != nil:
		return nil, apierror.InvalidPointer(apierror.PointerData, "The request body could not be read: "+err.Error())
	}
	return body, nil
}
