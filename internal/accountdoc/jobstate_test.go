package accountdoc

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/store"
)

// pendingJob is an item update job of two elements, one processed, as the
// state file writes it.
func pendingJob() JobState {
	at := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	ids := []string{"$custom:::$default:::A", "$custom:::$default:::B"}
	return JobState{
		ID: "01JAAAAAAAAAAAAAAAAAAAAAAA", Status: "processing", CreatedAt: at, TotalCount: 2, CompletedCount: 1,
		Errors: []JobError{}, IDs: map[string][]string{"items": ids},
		Pending: &PendingState{Start: at, Pointer: "/data/attributes/items/data", Processed: 1, Polls: 1, LastPoll: at,
			Elements: []ElementState{
				{ID: ids[0], Set: []string{"title"}, Values: json.RawMessage(`{"title":"a"}`)},
				{ID: ids[1], Set: []string{"title"}, Values: json.RawMessage(`{"title":"b"}`)},
			}},
	}
}

// TestJobsFromState_PendingJobsFollowTheRulesOfCreatedOnes: a pending job
// in a state file is what POST and its progress could have made; anything
// else is refused at its member, so whatever is loaded can be saved again
// and read back.
func TestJobsFromState_PendingJobsFollowTheRulesOfCreatedOnes(t *testing.T) {
	if _, probs := JobsFromState(jobItemUpdate, []JobState{pendingJob()}, "/jobs", true); len(probs) > 0 {
		t.Fatalf("a valid pending job was refused: %v", probs)
	}
	late := time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	for name, tc := range map[string]struct {
		kind   store.JobKind
		change func(*JobState)
		member string
		detail string
	}{
		"start past the clock's range": {jobItemUpdate, func(s *JobState) { s.Pending.Start = late }, "/pending/start", "9000-01-01"},
		"start missing":                {jobItemUpdate, func(s *JobState) { s.Pending.Start = time.Time{} }, "/pending/start", "9000-01-01"},
		"created past the clock's range": {jobItemUpdate, func(s *JobState) { s.CreatedAt = late }, "/created_at",
			"9000-01-01"},
		"last poll past the range": {jobItemUpdate, func(s *JobState) { s.Pending.LastPoll = late }, "/pending/last_poll", "9000-01-01"},
		"processed not the counts": {jobItemUpdate, func(s *JobState) { s.Pending.Processed = 0 }, "/pending/processed",
			"completed_count + failed_count"},
		"negative polls": {jobItemUpdate, func(s *JobState) { s.Pending.Polls = -1 }, "/pending/polls", "polls"},
		"an element of another id": {jobItemUpdate, func(s *JobState) { s.Pending.Elements[1].ID = "$custom:::$default:::C" },
			"/pending/elements/1/id", "$custom:::$default:::B"},
		"an update sets external_id": {jobItemUpdate, func(s *JobState) {
			s.Pending.Elements[0].Set = []string{"external_id"}
			s.Pending.Elements[0].Values = json.RawMessage(`{"external_id":"Z"}`)
		}, "/pending/elements/0/set/0", "external_id"},
		"an update sets created": {jobItemUpdate, func(s *JobState) { s.Pending.Elements[0].Set = []string{"title", "created"} },
			"/pending/elements/0/set/1", "created"},
		"an unknown attribute": {jobItemUpdate, func(s *JobState) { s.Pending.Elements[0].Set = []string{"colour"} },
			"/pending/elements/0/set/0", "colour"},
		"a bad value": {jobItemUpdate, func(s *JobState) { s.Pending.Elements[0].Values = json.RawMessage(`{"title":7}`) },
			"/pending/elements/0/values/title", "Must be a string"},
		"a related id that is no catalog id": {jobItemUpdate, func(s *JobState) {
			s.Pending.Elements[0].Related, s.Pending.Elements[0].HasRelated = []string{"x"}, true
		}, "/pending/elements/0/related/0", "catalog id"},
		"a create of an id not its external_id's": {jobItemCreate, func(s *JobState) {
			s.Pending.Elements[0].Set = []string{"external_id"}
			s.Pending.Elements[0].Values = json.RawMessage(`{"external_id":"Z"}`)
		}, "/pending/elements/0/id", "$custom:::$default:::Z"},
		"a create without external_id": {jobItemCreate, func(s *JobState) {}, "/pending/elements/0/set", "external_id"},
	} {
		s := pendingJob()
		tc.change(&s)
		_, probs := JobsFromState(tc.kind, []JobState{s}, "/jobs", true)
		found := false
		for _, p := range probs {
			if p.Pointer == "/jobs/0"+tc.member && strings.Contains(p.Detail, tc.detail) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: problems %v, want one at /jobs/0%s saying %q", name, probs, tc.member, tc.detail)
		}
	}
}

func TestReplace_RefusesMoreJobsInProgressThanTheAPIAllows(t *testing.T) {
	s := store.New(store.Options{Seed: 1, Now: func() time.Time { return t0 }, Lifecycle: store.Lifecycle{MaxInProgress: 1}})
	a, _ := s.Mutable("k")
	one, two := pendingJob(), pendingJob()
	two.ID = "01JAAAAAAAAAAAAAAAAAAAAAAB"
	st := AccountState{Jobs: map[store.JobKind][]JobState{jobItemUpdate: {one, two}}}
	probs, err := Replace(a, st, ReplaceOptions{AllowPending: true, Now: t0})
	if err != nil || len(probs) != 1 || !strings.Contains(probs[0].Detail, "at most 1") {
		t.Fatalf("problems %v, err %v", probs, err)
	}
}

// TestState_EveryPendingJobReadsBackAsWritten: a job of every kind still in
// progress, exported as the state file writes it, reads back and exports
// the same bytes again. A delete element sets nothing; it was written as a
// whole empty entity ("updated": null), which reading refused, so a state
// file saved while a delete job ran could not be loaded.
func TestState_EveryPendingJobReadsBackAsWritten(t *testing.T) {
	for _, k := range store.JobKinds() {
		t.Run(k.String(), func(t *testing.T) {
			entitiesOnly := func(key string, c store.Collection) store.Seed {
				if _, ok := c.IsJobs(); ok {
					return store.Seed{}
				}
				return catalogSeeder()(key, c)
			}
			s := store.New(store.Options{Seed: 1, Seeder: entitiesOnly, Now: func() time.Time { return t0 },
				Lifecycle: store.Lifecycle{Mode: store.Polls, Polls: 3}})
			a, _ := s.Mutable("k")
			ids := map[store.EntityKind]string{itemKind: store.EntityID("I1"), variantKind: store.EntityID("I1-V0"), categoryKind: store.EntityID("C0")}
			el := store.Element{ID: ids[k.Entity()]}
			switch k.Action() {
			case store.Create:
				el.ID = store.EntityID("NEW")
				el.Values = *ent(k.Entity(), "NEW")
				el.Set = k.Entity().SetOf("external_id")
				if _, ok := k.Entity().Decl().Parent(); ok {
					el.HasRelated, el.Related = true, []string{store.EntityID("I1")}
				}
			case store.Update:
				el.Values = *store.NewEntity(k.Entity(), "")
			}
			if _, err := a.Create(store.CreateRequest{Kind: k, Pointer: "/p", Elements: []store.Element{el, el}}); err != nil {
				t.Fatal(err)
			}
			states, err := JobStates(a, k)
			if err != nil {
				t.Fatal(err)
			}
			first, _ := json.Marshal(states)
			var back []JobState
			if err := json.Unmarshal(first, &back); err != nil {
				t.Fatal(err)
			}
			jobs, probs := jobsFromState(k, back, "/jobs", true)
			if len(probs) > 0 {
				t.Fatalf("the state of a pending %s job does not read back: %v\n%s", k, probs, first)
			}
			again := make([]JobState, len(jobs))
			for i, j := range jobs {
				again[i] = JobStateOf(j.job, j.work)
			}
			if second, _ := json.Marshal(again); string(second) != string(first) {
				t.Fatalf("read back as\n%s\nwritten as\n%s", second, first)
			}
		})
	}
}

// TestState_APendingDeleteWrittenByAnOlderServerReadsBack: files written
// before deletes carried no values held an empty entity with null times;
// an element that sets nothing reads back whatever its values say.
func TestState_APendingDeleteWrittenByAnOlderServerReadsBack(t *testing.T) {
	s := pendingJob()
	for i := range s.Pending.Elements {
		s.Pending.Elements[i].Set = nil
		s.Pending.Elements[i].Values = json.RawMessage(`{"id":"","external_id":"","title":null,"created":null,"updated":null}`)
	}
	if _, probs := JobsFromState(jobItemDelete, []JobState{s}, "/jobs", true); len(probs) > 0 {
		t.Fatalf("refused: %v", probs)
	}
}

// TestReplace_ProblemsComeInTheOrderOfTheCollections: the problems of a
// document come jobs first, then entities, each in the declaration's
// order of kinds, whatever the order Go iterates maps in: the same
// document always gets the same answer.
func TestReplace_ProblemsComeInTheOrderOfTheCollections(t *testing.T) {
	a, _ := store.New(store.Options{Seed: 1, Now: func() time.Time { return t0 }}).Mutable("k")
	st := AccountState{
		Jobs: map[store.JobKind][]JobState{jobItemCreate: {{ID: "x"}}, jobItemUpdate: {{ID: "y"}}, jobItemDelete: {{ID: "z"}}},
		Entities: map[store.EntityKind][]json.RawMessage{
			itemKind: {json.RawMessage(`{}`)}, variantKind: {json.RawMessage(`{}`)}, categoryKind: {json.RawMessage(`{}`)}},
	}
	var want []string
	for _, c := range []store.Collection{store.JobCollection(jobItemCreate), store.JobCollection(jobItemUpdate),
		store.JobCollection(jobItemDelete), store.EntityCollection(itemKind), store.EntityCollection(variantKind),
		store.EntityCollection(categoryKind)} {
		want = append(want, "/"+c.Name())
	}
	for range 20 {
		probs, err := Replace(a, st, ReplaceOptions{Now: t0})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range probs {
			if c := "/" + strings.Split(p.Pointer, "/")[1]; len(got) == 0 || got[len(got)-1] != c {
				got = append(got, c)
			}
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("problems at\n%s\nwant the collections in the order\n%s", strings.Join(got, " "), strings.Join(want, " "))
		}
	}
}
