package handlers

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestRelationships_AnUnknownRelationIsRefusedBeforeTheQueryOrBodyIsRead:
// on the generic relationship path of the earliest revisions, a name the
// resource has no relationship for is refused as a related_resource value
// whatever else the request holds: its query string and its body (of any
// media type) are not read, so their problems are not what it answers.
func TestRelationships_AnUnknownRelationIsRefusedBeforeTheQueryOrBodyIsRead(t *testing.T) {
	e := newEnv(t)
	a, _ := e.store.Account(testKey)
	id := entityIDs(t, a, itemKind)[0]
	path := "/api/catalog-items/" + id + "/relationships/bogus?filter=nonsense&page%5Bsize%5D=0"
	for _, method := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete} {
		var body io.Reader
		hdr := []string{"revision: 2022-10-17"}
		if method != http.MethodGet {
			body = strings.NewReader("not a document")
			hdr = append(hdr, "Content-Type: text/plain", "Content-Encoding: br")
		}
		r := e.req(method, path, body, hdr...)
		wantError(t, r, 400, "invalid", map[string]any{"parameter": "related_resource"})
	}
}
