package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
)

// flow is what one connection of a load row sends, iteration after
// iteration: first starts an iteration, then says what follows an answer.
type flow interface {
	// first is the first call of connection c's iteration n.
	first(c, n int) *call
	// then is the call that follows the answer body to the iteration's
	// call at step, or false when the iteration is over.
	then(step int, body []byte) (*call, bool)
}

// single repeats one call.
type single struct{ c *call }

func (s single) first(int, int) *call           { return s.c }
func (s single) then(int, []byte) (*call, bool) { return nil, false }

// changing alternates a PATCH of one item of the first page (a new title
// each time) and the list it is on: every read follows a change, so no
// whole-document cache can answer it.
type changing struct {
	item string // the item's id
	seq  atomic.Int64
}

const changingRev = "2026-07-15"

func (f *changing) first(c, n int) *call {
	title := fmt.Sprintf("bench %d-%d-%d", c, n, f.seq.Add(1))
	body := fmt.Sprintf(`{"data":{"type":"catalog-item","id":%q,"attributes":{"title":%q}}}`, f.item, title)
	return &call{Method: "PATCH", Rev: changingRev, Target: "/api/catalog-items/" + url.PathEscape(f.item), Body: []byte(body)}
}

var changingList = &call{Method: "GET", Rev: changingRev, Target: "/api/catalog-items", Step: 1}

func (f *changing) then(step int, _ []byte) (*call, bool) {
	if step == 0 {
		return changingList, true
	}
	return nil, false
}

// creating posts a bulk-create job of 10 new items, then GETs it with
// include=items until it is complete.
type creating struct{ seq atomic.Int64 }

const creatingRev = "2026-07-15"

func (f *creating) first(c, n int) *call {
	run := f.seq.Add(1)
	var b strings.Builder
	b.WriteString(`{"data":{"type":"catalog-item-bulk-create-job","attributes":{"items":{"data":[`)
	for j := range 10 {
		if j > 0 {
			b.WriteByte(',')
		}
		ext := fmt.Sprintf("BENCH-%d-%d-%d-%d", run, c, n, j)
		fmt.Fprintf(&b, `{"type":"catalog-item","attributes":{"external_id":%q,"title":"Bench item %d","description":"made by scripts/bench",`+
			`"url":"https://bench.example/%s","price":%d.5}}`, ext, j, strings.ToLower(ext), j+1)
	}
	b.WriteString(`]}}}}`)
	return &call{Method: "POST", Rev: creatingRev, Target: "/api/catalog-item-bulk-create-jobs", Body: []byte(b.String())}
}

func (f *creating) then(step int, body []byte) (*call, bool) {
	if bytes.Contains(body, []byte(`"status":"complete"`)) {
		return nil, false
	}
	var doc struct {
		Data struct{ ID string } `json:"data"`
	}
	// The job's id is the first "id" of the answer: a cheap look, equal for
	// both servers.
	if i := bytes.Index(body, []byte(`"id":"`)); i >= 0 {
		if j := bytes.IndexByte(body[i+6:], '"'); j >= 0 {
			doc.Data.ID = string(body[i+6 : i+6+j])
		}
	}
	if doc.Data.ID == "" && json.Unmarshal(body, &doc) != nil {
		return nil, false
	}
	return &call{Method: "GET", Rev: creatingRev, Target: "/api/catalog-item-bulk-create-jobs/" + url.PathEscape(doc.Data.ID) + "?include=items",
		Step: step + 1}, true
}

// maxSteps bounds the calls of one iteration (a job that never completes).
const maxSteps = 100
