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
// body once decompressed. tap (nil: none) is the journal's body tap, lent
// the buffer an identity-encoded body is read into when it is the body
// read, so that the journal keeps a view of that buffer, not a copy
// (TestJournal_ABodyTheHandlerReadsIsKeptWithoutACopy).
func readBody(r *http.Request, p *revision.Profile, m *httpx.BodyMeter, tap *bodyTap) ([]byte, *apierror.Error) {
	limit := p.MaxPayload
	ct := r.Header.Get("Content-Type")
	if !jsonMediaType(ct) {
		return nil, apierror.UnsupportedMediaType(ct)
	}
	var src io.Reader = r.Body
	size := r.ContentLength // what the body holds, when the request says
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
		// The body is read into one buffer that nothing modifies after:
		// the journal's tap may keep it rather than a copy, when the tap
		// sees the reads into it (no reader between them).
		if tap != nil && r.Body == io.ReadCloser(tap) {
			tap.lend()
		}
	case "gzip":
		size = -1
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			return nil, apierror.InvalidHeader("Content-Encoding", "The request body is not valid gzip: "+err.Error())
		}
		defer zr.Close()
		src = m.Decoded(zr)
	default:
		return nil, apierror.UnsupportedEncoding(enc)
	}
	body, err := readAll(&io.LimitedReader{R: src, N: limit + 1}, size)
	if aerr := httpx.BodyReadError(err); aerr != nil {
		return nil, aerr
	}
	switch {
	case err != nil && maxBytes(err), err == nil && int64(len(body)) > limit:
		return nil, apierror.TooLarge(fmt.Sprintf("The maximum allowed payload size is %dMB.", limit>>20))
	case err != nil:
		return nil, apierror.InvalidPointer(apierror.PointerData, "The request body could not be read: "+err.Error())
	}
	return body, nil
}

// maxBytes reports whether err is the server's refusal of a body past its
// limit.
func maxBytes(err error) bool {
	var maxErr *http.MaxBytesError
	return errors.As(err, &maxErr)
}

// jsonMediaType reports whether a Content-Type names JSON:API's or JSON's
// media type (parameters allowed); the bare type, as clients send it,
// needs no parsing.
func jsonMediaType(ct string) bool {
	if ct == revision.JSONAPI || ct == revision.JSON {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && (mt == revision.JSONAPI || mt == revision.JSON)
}

// presizeMax bounds the buffer made from a stated length before the body
// arrives: past it, the buffer grows as the body is read.
const presizeMax = 64 << 10

// readAll is io.ReadAll with a first buffer of the body's stated size
// (size < 0: unknown), one byte more to see the end without growing: a
// body of known length is read into one buffer, not copied into the
// next larger one each time 512 bytes, then more, are full.
func readAll(src *io.LimitedReader, size int64) ([]byte, error) {
	n := int64(512)
	if size >= 0 {
		n = min(size, src.N, presizeMax) + 1
	}
	b := make([]byte, 0, n)
	for {
		k, err := src.Read(b[len(b):cap(b)])
		b = b[:len(b)+k]
		if err != nil {
			if err == io.EOF {
				err = nil
			}
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}
