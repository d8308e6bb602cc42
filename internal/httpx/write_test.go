package httpx

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unsafe"
)

// TestWriteDocument_AnyWriterGetsTheDocumentsOwnBytesInOneWrite checks
// the document writer on a recorder and on a writer that is not one: the
// headers made with the document, and its body as one Write of its own
// bytes (never WriteString, which net/http copies through a 2 KiB buffer).
func TestWriteDocument_AnyWriterGetsTheDocumentsOwnBytesInOneWrite(t *testing.T) {
	doc := strings.Repeat("d", 40<<10)
	length := ContentLength(len(doc))
	for _, recorded := range []bool{true, false} {
		spy := &spyWriter{ResponseRecorder: httptest.NewRecorder()}
		var w http.ResponseWriter = spy
		if recorded {
			w = &Recorder{ResponseWriter: spy, CaptureMax: 16}
		}
		WriteDocument(w, http.StatusOK, "application/vnd.api+json", length, doc)
		if spy.writes != 1 || spy.stringWrites != 0 || unsafe.SliceData(spy.first) != unsafe.StringData(doc) {
			t.Fatalf("recorder %v: %d writes, %d string writes; want one write of the document's own bytes",
				recorded, spy.writes, spy.stringWrites)
		}
		hd := spy.Result().Header
		if spy.Code != http.StatusOK || hd.Get("Content-Length") != "40960" ||
			hd.Get("Content-Type") != "application/vnd.api+json" || spy.Body.String() != doc {
			t.Fatalf("recorder %v: %d %v, %d bytes", recorded, spy.Code, hd, spy.Body.Len())
		}
	}
}
