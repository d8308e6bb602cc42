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

// checkJob checks the members of one rendered job resource at date.
func checkJob(t *testing.T, date string, job map[string]any, j *store.Job, withData bool) {
	t.Helper()
	top := []string{"type", "attributes", "relationships", "links"}
	attrs := jobAttrs
	if factTopLevelID(date) {
		top = append(top, "id")
		if job["id"] != j.ID {
			t.Errorf("%s: id %v, want %q", date, job["id"], j.ID)
		}
	} else {
		attrs = append([]string{"job_id"}, jobAttrs...)
	}
	wantKeys(t, date+" job", job, top...)
	if job["type"] != revision.TypeJob {
		t.Errorf("%s: type %v, want %q", date, job["type"], revision.TypeJob)
	}
	a := obj(t, job, "attributes")
	wantKeys(t, date+" job attributes", a, attrs...)
	if !factTopLevelID(date) && a["job_id"] != j.ID {
		t.Errorf("%s: attributes.job_id %v, want %q", date, a["job_id"], j.ID)
	}
	rel := obj(t, job, "relationships")
	wantKeys(t, date+" relationships", rel, "items")
	items := obj(t, rel, "items")
	var want []string
	if withData {
		want = append(want, "data")
	}
	if factItemsLinks(date) {
		want = append(want, "links")
	}
	wantKeys(t, date+" relationships.items", items, want...)
	if withData {
		data := arr(t, items, "data")
		if len(data) != len(j.Items) {
			t.Fatalf("%s: %d item identifiers, want %d", date, len(data), len(j.Items))
		}
		for i, d := range data {
			id := d.(map[string]any)
			wantKeys(t, date+" item identifier", id, "type", "id")
			if id["type"] != revision.TypeItem || id["id"] != j.Items[i] {
				t.Errorf("%s: identifier %d = %v, want catalog-item %q", date, i, id, j.Items[i])
			}
		}
	}
	if factItemsLinks(date) {
		l := obj(t, items, "links")
		wantKeys(t, date+" relationships.items.links", l, "self", "related")
		if l["self"] != base+render.JobsPath+j.ID+"/relationships/items/" || l["related"] != base+render.JobsPath+j.ID+"/items/" {
			t.Errorf("%s: items links %v", date, l)
		}
	}
	links := obj(t, job, "links")
	wantKeys(t, date+" job links", links, "self")
	if links["self"] != base+render.JobsPath+j.ID+"/" {
		t.Errorf("%s: job links.self %v, want %q", date, links["self"], base+render.JobsPath+j.ID+"/")
	}
}

// checkItem checks the members of one included catalog item at date.
func checkItem(t *testing.T, date string, it map[string]any, id string) {
	t.Helper()
	top := []string{"type", "id", "attributes", "links"}
	if factItemVariants(date) {
		top = append(top, "relationships")
	}
	wantKeys(t, date+" item", it, top...)
	if it["type"] != revision.TypeItem || it["id"] != id {
		t.Errorf("%s: item type/id %v/%v, want catalog-item %q", date, it["type"], it["id"], id)
	}
	wantKeys(t, date+" item attributes", obj(t, it, "attributes"), itemAttrs...)
	if factItemVariants(date) {
		rel := obj(t, it, "relationships")
		wantKeys(t, date+" item relationships", rel, "variants")
		v := obj(t, rel, "variants")
		wantKeys(t, date+" variants", v, "links")
		l := obj(t, v, "links")
		wantKeys(t, date+" variants links", l, "self", "related")
		if l["self"] != base+render.ItemsPath+id+"/relationships/variants/" || l["related"] != base+render.ItemsPath+id+"/variants/" {
			t.Errorf("%s: variants links %v", date, l)
		}
	}
	if l := obj(t, it, "links"); l["self"] != base+render.ItemsPath+id+"/" {
		t.Errorf("%s: item links.self %v", date, l["self"])
	}
}

func TestProfileFlagsMatchFacts(t *testing.T) {
	for _, p := range revision.Default().All() {
		got := []bool{!p.JobIDAttribute, p.ItemsLinks, p.ItemsDataOptional, p.DocumentSelfLink, p.AgentHints, p.ItemVariants}
		want := []bool{factTopLevelID(p.Date), factItemsLinks(p.Date), factItemsDataOptional(p.Date),
			factDocumentSelfLink(p.Date), factAgentHints(p.Date), factItemVariants(p.Date)}
		if !slices.Equal(got, want) {
			t.Errorf("%s: flags [topID itemsLinks dataOptional selfLink hints variants] = %v, want %v", p.Date, got, want)
		}
	}
}

func TestList_HasTheMembersEachRevisionImplies(t *testing.T) {
	for _, p := range revision.Default().All() {
		t.Run(p.Date, func(t *testing.T) {
			jobs := []*store.Job{completeJob(), queuedJob()}
			hints := []string{"Fetch the next page of jobs by following links.next."}
			next := listSelf + "?page%5Bcursor%5D=bmV4dDo6aWQ6OjAx"
			doc := decode(t, renderer(p).List(nil, jobs, render.Links{Self: listSelf, Next: next}, hints))
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

func TestList_ItemDataOnRequestWhereOptional(t *testing.T) {
	for _, p := range revision.Default().All() {
		r := renderer(p)
		r.ItemData = true
		doc := decode(t, r.List(nil, []*store.Job{completeJob()}, render.Links{Self: listSelf}, nil))
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
		got := renderer(profile(t, date)).List(nil, nil, render.Links{Self: listSelf}, nil)
		if string(got) != want {
			t.Errorf("%s:\n got %s\nwant %s", date, got, want)
		}
	}
}

func TestList_PrevAndNextRenderAsStringsWhenSet(t *testing.T) {
	got := renderer(profile(t, "2024-10-15")).List(nil, nil,
		render.Links{Self: listSelf + "?x=1", Next: listSelf + "?n", Prev: listSelf + "?p"}, nil)
	want := `{"data":[],"links":{"self":"` + listSelf + `?x=1","next":"` + listSelf + `?n","prev":"` + listSelf + `?p"}}`
	if string(got) != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

func TestList_ExactDocumentAt20221017(t *testing.T) {
	got := renderer(profile(t, "2022-10-17")).List(nil, []*store.Job{completeJob()}, render.Links{Self: listSelf}, []string{"ignored"})
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
	r.ItemData = true
	got := r.One(nil, queuedJob(), []*store.Item{{ID: store.ItemID("SKU-1"), ExternalID: "SKU-1", Price: ptr(20.0)}},
		oneSelf, []string{"Poll it."})
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
	for _, p := range revision.Default().All() {
		t.Run(p.Date, func(t *testing.T) {
			for _, include := range []bool{false, true} {
				r := renderer(p)
				r.ItemData = include
				var included []*store.Item
				if include {
					included = []*store.Item{fullItem()}
				}
				hints := []string{"Inspect errors for the items the job could not update."}
				doc := decode(t, r.One(nil, completeJob(), included, oneSelf, hints))
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
					checkItem(t, p.Date, inc[0].(map[string]any), store.ItemID("SKU-1"))
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
	if doc := decode(t, r.One(nil, queuedJob(), nil, oneSelf, nil)); doc["included"] != nil {
		t.Errorf("nil included rendered as %v, want absent", doc["included"])
	}
	doc := decode(t, r.One(nil, queuedJob(), []*store.Item{}, oneSelf, nil))
	if inc, ok := doc["included"].([]any); !ok || len(inc) != 0 {
		t.Errorf("empty included rendered as %#v, want []", doc["included"])
	}
}

func TestOne_EmptyAgentHintsRenderAsEmptyArray(t *testing.T) {
	r := renderer(profile(t, "2026-07-15"))
	for _, hints := range [][]string{nil, {}} {
		got := string(r.One(nil, queuedJob(), nil, oneSelf, hints))
		if want := `,"meta":{"agent_hints":{"next_steps":[]}}}`; got[len(got)-len(want):] != want {
			t.Errorf("hints %#v: document ends %q, want %q", hints, got[max(0, len(got)-60):], want)
		}
	}
}

func TestRender_AppendsToTheBuffer(t *testing.T) {
	r := renderer(profile(t, "2026-07-15"))
	prefix := []byte("PREFIX")
	one := r.One(nil, queuedJob(), nil, oneSelf, nil)
	got := r.One(prefix, queuedJob(), nil, oneSelf, nil)
	if string(got) != "PREFIX"+string(one) {
		t.Errorf("One did not append after the existing bytes: %.40s", got)
	}
	list := r.List(nil, []*store.Job{queuedJob()}, render.Links{Self: listSelf}, nil)
	got = r.List([]byte("xy"), []*store.Job{queuedJob()}, render.Links{Self: listSelf}, nil)
	if string(got) != "xy"+string(list) {
		t.Errorf("List did not append after the existing bytes: %.40s", got)
	}
}

func TestRender_BaseStartsEveryLink(t *testing.T) {
	r := renderer(profile(t, "2026-07-15"))
	r.Base = "http://127.0.0.1:8080"
	r.ItemData = true
	doc := decode(t, r.One(nil, completeJob(), []*store.Item{fullItem()}, "http://127.0.0.1:8080/x", nil))
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
