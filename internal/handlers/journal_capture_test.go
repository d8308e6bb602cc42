package handlers

import (
	"net/http"
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
