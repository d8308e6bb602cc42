package render_test

import (
	"slices"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/render"
	"github.com/klaviyo-mock/mockserver/internal/revision"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

var jobAttrs = []string{"status", "created_at", "total_count", "completed_count", "failed_count",
	"completed_at", "expires_at", "errors"}

var itemAttrs = []string{"external_id", "title", "description", "price", "url", "image_full_url",
	"image_thumbnail_url", "images", "custom_metadata", "published", "created", "updated"}

// checkJob checks the members of one rendered item update job at date.
func checkJob(t *testing.T, date string, job map[string]any, j *store.Job, withData bool) {
	t.Helper()
	checkJobOf(t, itemUpdate, date, job, j, withData)
}

// checkJobOf checks the members of one rendered job of js at date:
// withData says whether relationships.<key>.data must be there.
func checkJobOf(t *testing.T, js jobSpec, date string, job map[string]any, j *store.Job, withData bool) {
	t.Helper()
	where := date + " " + js.typ
	top := []string{"type", "attributes", "relationships", "links"}
	attrs := jobAttrs
	if factTopLevelID(date) {
		top = append(top, "id")
		if job["id"] != j.ID {
			t.Errorf("%s: id %v, want %q", where, job["id"], j.ID)
		}
	} else {
		attrs = append([]string{"job_id"}, jobAttrs...)
	}
	wantKeys(t, where+" job", job, top...)
	if job["type"] != js.typ {
		t.Errorf("%s: type %v, want %q", where, job["type"], js.typ)
	}
	a := obj(t, job, "attributes")
	wantKeys(t, where+" job attributes", a, attrs...)
	if !factTopLevelID(date) && a["job_id"] != j.ID {
		t.Errorf("%s: attributes.job_id %v, want %q", where, a["job_id"], j.ID)
	}
	rel := obj(t, job, "relationships")
	wantKeys(t, where+" relationships", rel, js.relKey)
	r := obj(t, rel, js.relKey)
	var want []string
	if withData {
		want = append(want, "data")
	}
	if factItemsLinks(date) {
		want = append(want, "links")
	}
	wantKeys(t, where+" relationships."+js.relKey, r, want...)
	if withData {
		data := arr(t, r, "data")
		if len(data) != len(j.IDs) {
			t.Fatalf("%s: %d %s identifiers, want %d", where, len(data), js.entity.typ, len(j.IDs))
		}
		for i, d := range data {
			id := d.(map[string]any)
			wantKeys(t, where+" identifier", id, "type", "id")
			if id["type"] != js.entity.typ || id["id"] != j.IDs[i] {
				t.Errorf("%s: identifier %d = %v, want %s %q", where, i, id, js.entity.typ, j.IDs[i])
			}
		}
	}
	jobBase := base + "/api/" + js.name + "/" + j.ID
	if factItemsLinks(date) {
		l := obj(t, r, "links")
		wantKeys(t, where+" relationships."+js.relKey+".links", l, "self", "related")
		if l["self"] != jobBase+"/relationships/"+js.relKey+"/" || l["related"] != jobBase+"/"+js.relKey+"/" {
			t.Errorf("%s: %s links %v", where, js.relKey, l)
		}
	}
	links := obj(t, job, "links")
	wantKeys(t, where+" job links", links, "self")
	if links["self"] != jobBase+"/" {
		t.Errorf("%s: job links.self %v, want %q", where, links["self"], jobBase+"/")
	}
}

// checkItem checks the members of one included catalog item at date.
func checkItem(t *testing.T, date string, it map[string]any, id string) {
	t.Helper()
	checkEntity(t, items, date, it, id)
}

// checkEntity checks the members of one included entity of es at date:
// every attribute, and its own relationship (links only) from 2026-04-15.
func checkEntity(t *testing.T, es entitySpec, date string, e map[string]any, id string) {
	t.Helper()
	where := date + " " + es.typ
	top := []string{"type", "id", "attributes", "links"}
	if factIncludedRelationships(date) {
		top = append(top, "relationships")
	}
	wantKeys(t, where, e, top...)
	if e["type"] != es.typ || e["id"] != id {
		t.Errorf("%s: type/id %v/%v, want %s %q", where, e["type"], e["id"], es.typ, id)
	}
	wantKeys(t, where+" attributes", obj(t, e, "attributes"), es.attrs...)
	self := base + "/api/" + es.name + "/" + id
	if factIncludedRelationships(date) {
		rel := obj(t, e, "relationships")
		wantKeys(t, where+" relationships", rel, es.relKey)
		v := obj(t, rel, es.relKey)
		wantKeys(t, where+" relationships."+es.relKey, v, "links")
		l := obj(t, v, "links")
		wantKeys(t, where+" relationships."+es.relKey+".links", l, "self", "related")
		if l["self"] != self+"/relationships/"+es.relKey+"/" || l["related"] != self+"/"+es.relKey+"/" {
			t.Errorf("%s: %s links %v", where, es.relKey, l)
		}
	}
	if l := obj(t, e, "links"); l["self"] != self+"/" {
		t.Errorf("%s: links.self %v, want %q", where, l["self"], self+"/")
	}
}

func TestProfileFlagsMatchFacts(t *testing.T) {
	for _, js := range jobSpecs {
		res := jobResource(t, js.name)
		for _, rp := range revision.Default().All() {
			p := res.At(rp)
			got := []bool{!p.JobIDAttribute, p.RelLinks, p.RelDataOnRead, p.RelDataOnCreate, p.DocumentSelfLink,
				p.AgentHints, p.IncludedRelationships, p.TrailingSlash}
			want := []bool{factTopLevelID(p.Date), factItemsLinks(p.Date), factRelDataOnRead(js, p.Date),
				factRelDataOnCreate(p.Date), factDocumentSelfLink(p.Date), factAgentHints(p.Date),
				factIncludedRelationships(p.Date), factTrailingSlash(p.Date)}
			if !slices.Equal(got, want) {
				t.Errorf("%s %s: flags [topID relLinks dataOnRead dataOnCreate selfLink hints includedRels slash] = %v, want %v",
					js.name, p.Date, got, want)
			}
		}
	}
}

func TestList_HasTheMembersEachRevisionImplies(t *testing.T) {
	for _, rp := range revision.Default().All() {
		p := itemUpdateAt(t, rp)
		t.Run(p.Date, func(t *testing.T) {
			jobs := []*store.Job{completeJob(), queuedJob()}
			hints := []string{"Fetch the next page of jobs by following links.next."}
			next := listSelf + "?page%5Bcursor%5D=bmV4dDo6aWQ6OjAx"
			doc := decode(t, renderer(p).Jobs(nil, jobs, render.Links{Self: render.Text{listSelf}, Next: next}, hints))
			top := []string{"data", "links"}
			if factAgentHints(p.Date) {
				top = append(top, "meta")
			}
			wantKeys(t, "document", doc, top...)
			data := arr(t, doc, "data")
			if len(data) != 2 {
				t.Fatalf("got %d jobs, want 2", len(data))
			}
			for i, j := range jobs {
				checkJob(t, p.Date, data[i].(map[string]any), j, !factItemsDataOptional(p.Date))
			}
			links := obj(t, doc, "links")
			wantKeys(t, "document links", links, "self", "next", "prev")
			if links["self"] != listSelf || links["next"] != next || links["prev"] != nil {
				t.Errorf("links = %v", links)
			}
			if factAgentHints(p.Date) {
				meta := obj(t, doc, "meta")
				wantKeys(t, "meta", meta, "agent_hints")
				ah := obj(t, meta, "agent_hints")
				wantKeys(t, "agent_hints", ah, "next_steps")
				if steps := arr(t, ah, "next_steps"); len(steps) != 1 || steps[0] != hints[0] {
					t.Errorf("next_steps = %v, want %q", steps, hints)
				}
			}
		})
	}
}

func TestList_IncludeOnRequestWhereOptional(t *testing.T) {
	for _, rp := range revision.Default().All() {
		p := itemUpdateAt(t, rp)
		r := renderer(p)
		r.Include = true
		doc := decode(t, r.Jobs(nil, []*store.Job{completeJob()}, render.Links{Self: render.Text{listSelf}}, nil))
		checkJob(t, p.Date, arr(t, doc, "data")[0].(map[string]any), completeJob(), true)
	}
}

func TestList_EmptyPage(t *testing.T) {
	cases := map[string]string{
		"2022-10-17": `{"data":[],"links":{"self":"` + listSelf + `","next":null,"prev":null}}`,
		"2026-04-15": `{"data":[],"links":{"self":"` + listSelf + `","next":null,"prev":null}}`,
		"2026-07-15": `{"data":[],"links":{"self":"` + listSelf + `","next":null,"prev":null},"meta":{"agent_hints":{"next_steps":[]}}}`,
	}
	for date, want := range cases {
		got := renderer(profile(t, date)).Jobs(nil, nil, render.Links{Self: render.Text{listSelf}}, nil)
		if string(got) != want {
			t.Errorf("%s:\n got %s\nwant %s", date, got, want)
		}
	}
}

func TestList_PrevAndNextRenderAsStringsWhenSet(t *testing.T) {
	got := renderer(profile(t, "2024-10-15")).Jobs(nil, nil,
		render.Links{Self: render.Text{listSelf + "?x=1"}, Next: listSelf + "?n", Prev: listSelf + "?p"}, nil)
	want := `{"data":[],"links":{"self":"` + listSelf + `?x=1","next":"` + listSelf + `?n","prev":"` + listSelf + `?p"}}`
	if string(got) != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

func TestList_ExactDocumentAt20221017(t *testing.T) {
	got := renderer(profile(t, "2022-10-17")).Jobs(nil, []*store.Job{completeJob()}, render.Links{Self: render.Text{listSelf}}, []string{"ignored"})
	want := `{"data":[{"type":"catalog-item-bulk-update-job","attributes":{"job_id":"` + jobID + `","status":"complete",` +
		`"created_at":"2026-09-30T23:55:29.946027+00:00","total_count":2,"completed_count":1,"failed_count":1,` +
		`"completed_at":"2026-09-30T23:56:01+00:00","expires_at":"2026-10-07T23:56:01+00:00","errors":[{"id":"6f1c0a52-3c8e-4a3e-9d55-0c8d1f0e7a11",` +
		`"code":"not_found","title":"Not found.","detail":"A catalog-item with id $custom:::$default:::GONE does not exist.",` +
		`"source":{"pointer":"/data/attributes/items/data/1/id"}}]},"relationships":{"items":{"data":[` +
		`{"type":"catalog-item","id":"$custom:::$default:::SKU-1"},{"type":"catalog-item","id":"$custom:::$default:::GONE"}]}},` +
		`"links":{"self":"` + base + `/api/catalog-item-bulk-update-jobs/` + jobID + `/"}}],` +
		`"links":{"self":"` + listSelf + `","next":null,"prev":null}}`
	if string(got) != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

func TestOne_ExactDocumentAt20260715(t *testing.T) {
	r := renderer(profile(t, "2026-07-15"))
	r.Include = true
	priced := item(store.EntityID("SKU-1"))
	priced.ExternalID = "SKU-1"
	withAttrs(priced, "price", ptr(20.0))
	got := r.JobDoc(nil, queuedJob(), []*store.Entity{priced}, oneSelf, []string{"Poll it."})
	ib := base + "/api/catalog-items/$custom:::$default:::SKU-1"
	want := `{"data":{"type":"catalog-item-bulk-update-job","id":"` + jobID2 + `","attributes":{"status":"queued",` +
		`"created_at":"2026-09-30T23:55:29.946027+00:00","total_count":1,"completed_count":0,"failed_count":0,` +
		`"completed_at":null,"expires_at":null,"errors":[]},"relationships":{"items":{"data":[` +
		`{"type":"catalog-item","id":"$custom:::$default:::SKU-1"}],"links":{"self":"` + base + `/api/catalog-item-bulk-update-jobs/` + jobID2 +
		`/relationships/items/","related":"` + base + `/api/catalog-item-bulk-update-jobs/` + jobID2 + `/items/"}}},` +
		`"links":{"self":"` + base + `/api/catalog-item-bulk-update-jobs/` + jobID2 + `/"}},` +
		`"included":[{"type":"catalog-item","id":"$custom:::$default:::SKU-1","attributes":{"external_id":"SKU-1",` +
		`"title":null,"description":null,"price":20.0,"url":null,"image_full_url":null,"image_thumbnail_url":null,` +
		`"images":null,"custom_metadata":null,"published":null,"created":null,"updated":null},` +
		`"relationships":{"variants":{"links":{"self":"` + ib + `/relationships/variants/","related":"` + ib + `/variants/"}}},` +
		`"links":{"self":"` + ib + `/"}}],"links":{"self":"` + oneSelf + `"},"meta":{"agent_hints":{"next_steps":["Poll it."]}}}`
	if string(got) != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

func TestOne_HasTheMembersEachRevisionImplies(t *testing.T) {
	for _, rp := range revision.Default().All() {
		p := itemUpdateAt(t, rp)
		t.Run(p.Date, func(t *testing.T) {
			for _, include := range []bool{false, true} {
				r := renderer(p)
				r.Include = include
				var included []*store.Entity
				if include {
					included = []*store.Entity{fullItem()}
				}
				hints := []string{"Inspect errors for the items the job could not update."}
				doc := decode(t, r.JobDoc(nil, completeJob(), included, oneSelf, hints))
				top := []string{"data"}
				if include {
					top = append(top, "included")
				}
				if factDocumentSelfLink(p.Date) {
					top = append(top, "links")
				}
				if factAgentHints(p.Date) {
					top = append(top, "meta")
				}
				wantKeys(t, "document", doc, top...)
				checkJob(t, p.Date, obj(t, doc, "data"), completeJob(), include || !factItemsDataOptional(p.Date))
				if include {
					inc := arr(t, doc, "included")
					if len(inc) != 1 {
						t.Fatalf("got %d included, want 1", len(inc))
					}
					checkItem(t, p.Date, inc[0].(map[string]any), store.EntityID("SKU-1"))
				}
				if factDocumentSelfLink(p.Date) {
					l := obj(t, doc, "links")
					wantKeys(t, "document links", l, "self")
					if l["self"] != oneSelf {
						t.Errorf("links.self %v, want %q", l["self"], oneSelf)
					}
				}
				if factAgentHints(p.Date) {
					steps := arr(t, obj(t, obj(t, doc, "meta"), "agent_hints"), "next_steps")
					if len(steps) != 1 || steps[0] != hints[0] {
						t.Errorf("next_steps %v, want %q", steps, hints)
					}
				}
			}
		})
	}
}

func TestOne_IncludedAbsentWhenNilAndEmptyWhenEmpty(t *testing.T) {
	r := renderer(profile(t, "2023-12-15"))
	if doc := decode(t, r.JobDoc(nil, queuedJob(), nil, oneSelf, nil)); doc["included"] != nil {
		t.Errorf("nil included rendered as %v, want absent", doc["included"])
	}
	doc := decode(t, r.JobDoc(nil, queuedJob(), []*store.Entity{}, oneSelf, nil))
	if inc, ok := doc["included"].([]any); !ok || len(inc) != 0 {
		t.Errorf("empty included rendered as %#v, want []", doc["included"])
	}
}

func TestOne_EmptyAgentHintsRenderAsEmptyArray(t *testing.T) {
	r := renderer(profile(t, "2026-07-15"))
	for _, hints := range [][]string{nil, {}} {
		got := string(r.JobDoc(nil, queuedJob(), nil, oneSelf, hints))
		if want := `,"meta":{"agent_hints":{"next_steps":[]}}}`; got[len(got)-len(want):] != want {
			t.Errorf("hints %#v: document ends %q, want %q", hints, got[max(0, len(got)-60):], want)
		}
	}
}

func TestRender_AppendsToTheBuffer(t *testing.T) {
	r := renderer(profile(t, "2026-07-15"))
	prefix := []byte("PREFIX")
	one := r.JobDoc(nil, queuedJob(), nil, oneSelf, nil)
	got := r.JobDoc(prefix, queuedJob(), nil, oneSelf, nil)
	if string(got) != "PREFIX"+string(one) {
		t.Errorf("One did not append after the existing bytes: %.40s", got)
	}
	list := r.Jobs(nil, []*store.Job{queuedJob()}, render.Links{Self: render.Text{listSelf}}, nil)
	got = r.Jobs([]byte("xy"), []*store.Job{queuedJob()}, render.Links{Self: render.Text{listSelf}}, nil)
	if string(got) != "xy"+string(list) {
		t.Errorf("List did not append after the existing bytes: %.40s", got)
	}
}

func TestRender_BaseStartsEveryLink(t *testing.T) {
	r := renderer(profile(t, "2026-07-15"))
	r.Base = "http://127.0.0.1:8080"
	r.Include = true
	doc := decode(t, r.JobDoc(nil, completeJob(), []*store.Entity{fullItem()}, "http://127.0.0.1:8080/x", nil))
	job := obj(t, doc, "data")
	if got := obj(t, job, "links")["self"]; got != "http://127.0.0.1:8080/api/catalog-item-bulk-update-jobs/"+jobID+"/" {
		t.Errorf("job self %v", got)
	}
	il := obj(t, obj(t, obj(t, job, "relationships"), "items"), "links")
	if il["related"] != "http://127.0.0.1:8080/api/catalog-item-bulk-update-jobs/"+jobID+"/items/" {
		t.Errorf("items related %v", il["related"])
	}
	item := arr(t, doc, "included")[0].(map[string]any)
	if got := obj(t, item, "links")["self"]; got != "http://127.0.0.1:8080/api/catalog-items/$custom:::$default:::SKU-1/" {
		t.Errorf("item self %v", got)
	}
}
