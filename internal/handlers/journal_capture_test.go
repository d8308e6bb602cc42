package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/journal"
)

// TestJournal_AnswersCapturedIntoReusedBuffersAreExact runs creating
// flows through a journal of four entries, so every answer after the
// first few is captured into the buffer of one the journal dropped: each
// entry keeps the bytes its client received, and entries listed earlier
// keep theirs however many requests follow.
func TestJournal_AnswersCapturedIntoReusedBuffersAreExact(t *testing.T) {
	h := flowHandlerJournal(4)
	c := newFlowClient(h)
	var sent []string
	var listed []journal.Entry
	var listedSent []string
	for n := 1; n <= 6; n++ {
		body := appendCreateBody(nil, n)
		answer := string(c.call(t, http.MethodPost, "/api/catalog-item-bulk-create-jobs", "", body))
		sent = append(sent, answer)
		path := "/api/catalog-item-bulk-create-jobs/" + jobID([]byte(answer))
		for range 3 {
			sent = append(sent, string(c.call(t, http.MethodGet, path, "include=items", nil)))
		}
		if n == 3 {
			listed, listedSent = h.opts.Journal.List(journal.Filter{}), append([]string(nil), sent[len(sent)-4:]...)
		}
	}
	check := func(what string, entries []journal.Entry, want []string) {
		t.Helper()
		if len(entries) != len(want) {
			t.Fatalf("%s: %d entries", what, len(entries))
		}
		for i, e := range entries {
			if e.ResponseBody != want[i] || e.ResponseTruncated {
				t.Fatalf("%s: entry %d (%s %s) keeps %q, the client received %q", what, i, e.Method, e.Path, e.ResponseBody, want[i])
			}
		}
	}
	check("now", h.opts.Journal.List(journal.Filter{}), sent[len(sent)-4:])
	check("listed before", listed, listedSent)
}

// TestJournal_APageSentInPiecesIsCapturedAsSent: a list read after a
// change is sent partly from its page memo (render.Pieces); the journal
// keeps the first bytes the client received, as for an answer sent
// whole, marked truncated past its cap.
func TestJournal_APageSentInPiecesIsCapturedAsSent(t *testing.T) {
	h := flowHandlerJournal(8)
	c := newFlowClient(h)
	list := string(c.call(t, http.MethodGet, "/api/catalog-items", "", nil))
	c.call(t, http.MethodGet, "/api/catalog-items", "", nil)
	const key = `"data":[{"type":"catalog-item","id":"`
	i := strings.Index(list, key)
	if i < 0 {
		t.Fatalf("no item in %.300s", list)
	}
	id := list[i+len(key) : i+len(key)+strings.IndexByte(list[i+len(key):], '"')]
	for n := range 3 {
		body := fmt.Appendf(nil, `{"data":{"type":"catalog-item","id":%q,"attributes":{"title":"journal %d"}}}`, id, n)
		c.call(t, http.MethodPatch, "/api/catalog-items/"+url.PathEscape(id), "", body)
		sent := string(c.call(t, http.MethodGet, "/api/catalog-items", "", nil))
		entries := h.opts.Journal.List(journal.Filter{})
		e := entries[len(entries)-1]
		if e.Method != http.MethodGet {
			t.Fatalf("the newest entry is a %s", e.Method)
		}
		if !e.ResponseTruncated || len(e.ResponseBody) >= len(sent) || !strings.HasPrefix(sent, e.ResponseBody) || len(e.ResponseBody) < 4096 {
			t.Fatalf("change %d: the entry keeps %d bytes (truncated %v) of an answer of %d; want its first bytes, truncated",
				n, len(e.ResponseBody), e.ResponseTruncated, len(sent))
		}
	}
}
