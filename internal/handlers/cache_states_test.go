package handlers

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/httpx"
	"github.com/klaviyo-mock/mockserver/internal/render"
)

// offeredState reports why d is not an offered document (see document):
// exactly one of raw and pieces, nothing kept.
func offeredState(d document) error {
	switch {
	case d.body != "" || d.length != nil:
		return errors.New("an offered document carries kept bytes")
	case (len(d.raw) > 0) == (d.pieces != nil):
		return errors.New("an offered document has both raw and pieces, or neither")
	}
	return nil
}

// keptState reports why d is not a kept document (see document): its
// body and the Content-Length of it, nothing of the request's.
func keptState(d document) error {
	switch {
	case d.raw != nil || d.pieces != nil:
		return errors.New("a kept document holds the request's buffer or pieces")
	case !slices.Equal(d.length, httpx.ContentLength(len(d.body))):
		return errors.New("a kept document's length is not its body's")
	}
	return nil
}

// checkDocumentStates gives h a document cache like its own that fails tb
// when a document offered, kept or costed is in neither state, or keep
// makes of an offered one anything but a kept one with the same bytes.
func checkDocumentStates(tb testing.TB, h *Handler) {
	tb.Helper()
	if h.pages == nil {
		tb.Fatal("no document cache to check")
	}
	cost := func(k string, d document) int64 {
		if offeredState(d) != nil && keptState(d) != nil {
			tb.Errorf("the cache costs a document in neither state: %v; %v", offeredState(d), keptState(d))
		}
		return documentCost(k, d)
	}
	keep := func(d document) document {
		if err := offeredState(d); err != nil {
			tb.Errorf("the cache keeps a document not offered: %v", err)
		}
		want := string(d.raw)
		if d.pieces != nil {
			var b bytes.Buffer
			_, _ = d.pieces.WriteTo(&b)
			want = b.String()
		}
		kept := keepDocument(d)
		if err := keptState(kept); err != nil || kept.body != want {
			tb.Errorf("keepDocument made a document not kept (%v), or other bytes", err)
		}
		return kept
	}
	h.pages = newDocumentsOf(h.pages.Budget(), cost, keep)
}

// TestDocument_EveryDocumentIsOfferedOrKept: the two states a document
// takes are told apart by the checks the twin-cache tests run
// (checkDocumentStates), and keepDocument turns either offered form into a
// kept one.
func TestDocument_EveryDocumentIsOfferedOrKept(t *testing.T) {
	pieces := &render.Pieces{Buf: []byte(`{"data":[]}`)}
	for _, c := range []struct {
		name           string
		d              document
		offered, kept  bool
		keptFromOffers bool
	}{
		{"raw", document{raw: []byte(`{"data":[]}`)}, true, false, true},
		{"pieces", document{pieces: pieces}, true, false, true},
		{"kept", document{body: "{}", length: httpx.ContentLength(2)}, false, true, false},
		{"raw and pieces", document{raw: []byte("{}"), pieces: pieces}, false, false, false},
		{"raw and body", document{raw: []byte("{}"), body: "{}", length: httpx.ContentLength(2)}, false, false, false},
		{"a length not the body's", document{body: "{}", length: httpx.ContentLength(3)}, false, false, false},
		{"nothing", document{}, false, false, false},
	} {
		if got := offeredState(c.d) == nil; got != c.offered {
			t.Errorf("%s: offered %v, want %v", c.name, got, c.offered)
		}
		if got := keptState(c.d) == nil; got != c.kept {
			t.Errorf("%s: kept %v, want %v", c.name, got, c.kept)
		}
		if c.keptFromOffers {
			if k := keepDocument(c.d); keptState(k) != nil || k.body != `{"data":[]}` {
				t.Errorf("%s: keepDocument made %+v", c.name, k)
			}
		}
	}
}
