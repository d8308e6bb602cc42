package handlers

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/revision"
)

// A body whose length the request states is read into one buffer of that
// size: read as io.ReadAll reads (from 512 bytes, grown as it fills), a
// 2 KB job body was copied four times over, and the media type was parsed
// into a map of parameters even when it was sent bare.
func TestReadBody_ABodyOfKnownLengthIsReadIntoOneBuffer(t *testing.T) {
	body := []byte(`{"data":` + strings.Repeat(" ", 2000) + `null}`)
	rd := bytes.NewReader(body)
	r := httptest.NewRequest(http.MethodPost, "/api/catalog-item-bulk-create-jobs", rd)
	r.Header.Set("Content-Type", revision.JSONAPI)
	r.Body = io.NopCloser(rd)
	p := revision.Default().Newest()
	var got []byte
	n := testing.AllocsPerRun(50, func() {
		rd.Reset(body)
		b, aerr := readBody(r, p, nil, nil)
		if aerr != nil {
			t.Fatal(aerr.Detail)
		}
		got = b
	})
	if !bytes.Equal(got, body) {
		t.Fatalf("read %q", got)
	}
	if n > 1 {
		t.Fatalf("reading a body of a stated length allocates %.1f times, want 1", n)
	}
}

// What readBody accepts and refuses does not depend on whether the body
// states its length, nor on whether it states it truly.
func TestReadBody_SameAnswerWhateverTheStatedLength(t *testing.T) {
	p := revision.Default().Newest()
	for _, c := range []struct {
		name string
		body string
		size int64
		ct   string
	}{
		{"stated", `{"a":1}`, 7, revision.JSONAPI},
		{"unknown", `{"a":1}`, -1, revision.JSONAPI},
		{"stated short", `{"a":1}`, 3, revision.JSONAPI},
		{"stated long", `{"a":1}`, 100, revision.JSONAPI},
		{"none", ``, 0, revision.JSONAPI},
		{"json", `{"a":1}`, 7, revision.JSON},
		{"parameters", `{"a":1}`, 7, revision.JSONAPI + "; charset=utf-8"},
		{"upper", `{"a":1}`, 7, "Application/VND.API+JSON"},
		{"other", `{"a":1}`, 7, "text/plain"},
		{"too large", strings.Repeat(" ", int(p.MaxPayload)+1), int64(p.MaxPayload) + 1, revision.JSONAPI},
		{"too large unstated", strings.Repeat(" ", int(p.MaxPayload)+1), -1, revision.JSONAPI},
		{"just fits", strings.Repeat(" ", int(p.MaxPayload)), int64(p.MaxPayload), revision.JSONAPI},
	} {
		r := httptest.NewRequest(http.MethodPost, "/api/catalog-items", strings.NewReader(c.body))
		r.Header.Set("Content-Type", c.ct)
		r.ContentLength = c.size
		b, aerr := readBody(r, p, nil, nil)
		switch {
		case c.name == "other":
			if aerr == nil || aerr.Status != 415 {
				t.Errorf("%s: %v, want 415", c.name, aerr)
			}
		case strings.HasPrefix(c.name, "too large"):
			if aerr == nil || aerr.Status != 413 {
				t.Errorf("%s: %v, want 413", c.name, aerr)
			}
		case aerr != nil || string(b) != c.body:
			t.Errorf("%s: %v, read %d bytes of %d", c.name, aerr, len(b), len(c.body))
		}
	}
}
