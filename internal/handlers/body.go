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
	"github.com/klaviyo-mock/mockserver/internal/httpx"
	"github.com/klaviyo-mock/mockserver/internal/revision"
)

// readBody checks the request's media type and encoding and reads at most
// the revision's payload cap of (decompressed) body; m meters a compressed
// body once decompressed.
func readBody(r *http.Request, p *revision.Profile, m *httpx.BodyMeter) ([]byte, *apierror.Error) {
	limit := p.MaxPayload
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
		src = m.Decoded(zr)
	default:
		return nil, apierror.UnsupportedEncoding(enc)
	}
	body, err := io.ReadAll(io.LimitReader(src, limit+1))
	var maxErr *http.MaxBytesError
	if aerr := httpx.BodyReadError(err); aerr != nil {
		return nil, aerr
	}
	switch {
	case errors.As(err, &maxErr), err == nil && int64(len(body)) > limit:
		return nil, apierror.TooLarge(fmt.Sprintf("The maximum allowed payload size is %dMB.", limit>>20))
	case err != nil:
		return nil, apierror.InvalidPointer(apierror.PointerData, "The request body could not be read: "+err.Error())
	}
	return body, nil
}
