package accountdoc

import (
	"fmt"
	"slices"
	"strings"

	"github.com/klaviyo-mock/mockserver/internal/store"
)

// JobsFromState validates and converts supplied jobs of a kind (base is
// the JSON pointer of the array). allowPending admits in-progress created
// jobs (the state file); jobs a test supplies are history.
func JobsFromState(kind store.JobKind, states []JobState, base string, allowPending bool) ([]*store.Job, []Problem) {
	sj, probs := jobsFromState(kind, states, base, allowPending)
	jobs := make([]*store.Job, len(sj))
	for i, s := range sj {
		jobs[i] = s.job
		if s.work != nil {
			jobs[i] = s.job.WithWork(s.work)
		}
	}
	return jobs, probs
}

// supplied is a supplied job converted, and its remaining work (nil for
// history).
type supplied struct {
	job  *store.Job
	work *store.Work
}

// jobsFromState is JobsFromState with each job's work beside it.
func jobsFromState(kind store.JobKind, states []JobState, base string, allowPending bool) ([]supplied, []Problem) {
	var probs []Problem
	jobs := make([]supplied, 0, len(states))
	seen := make(map[string]bool, len(states))
	for i := range states {
		j, w, jp := jobFromState(kind, &states[i], seen, allowPending)
		for _, p := range jp {
			probs = append(probs, Problem{fmt.Sprintf("%s/%d%s", base, i, p.Pointer), p.Detail})
		}
		if len(jp) == 0 {
			jobs = append(jobs, supplied{j, w})
		}
	}
	slices.SortFunc(jobs, func(a, b supplied) int { return strings.Compare(a.job.ID, b.job.ID) })
	return jobs, probs
}

// jobFromState validates and converts one supplied job, with its remaining
// work (seen holds the ids of those before it), or returns its problems at
// pointers relative to it.
func jobFromState(kind store.JobKind, s *JobState, seen map[string]bool, allowPending bool) (*store.Job, *store.Work, []Problem) {
	var probs []Problem
	fail := func(member, format string, args ...any) {
		probs = append(probs, Problem{member, fmt.Sprintf(format, args...)})
	}
	st, ok := store.ParseStatus(s.Status)
	if !ok {
		fail("/status", "'%s' is not a valid status; use queued, processing, complete or cancelled.", s.Status)
	}
	if !store.ValidJobID(s.ID) {
		fail("/id", "'%s' is not a valid job id: use a 26-character ULID such as 01GSQPBF74KQ5YTDEPP41T1BZH.", s.ID)
	} else if seen[s.ID] {
		fail("/id", "Job id %s appears twice.", s.ID)
	}
	seen[s.ID] = true
	ids, other := s.ids(kind)
	if other != "" {
		fail("/"+other, "A %s job lists its ids under '%s'.", kind, kind.Entity().Plural())
	}
	if ok && other == "" {
		for _, v := range store.CheckJob(jobValues(s, st, ids)) {
			fail(jobMember(kind, v), "%s", v.Detail)
		}
	}
	if s.Pending != nil && !allowPending {
		fail("/pending", "Jobs set through the control API are history and cannot be pending; create jobs with POST to watch them progress.")
	}
	if len(probs) > 0 {
		return nil, nil, probs
	}
	j := &store.Job{
		ID: s.ID, Kind: kind, Status: st, CreatedAt: s.CreatedAt.UTC(), CompletedAt: derefTime(s.CompletedAt),
		ExpiresAt: derefTime(s.ExpiresAt), Total: s.TotalCount, Completed: s.CompletedCount,
		Failed: s.FailedCount, Errors: make([]store.JobError, len(s.Errors)), IDs: slices.Clone(ids),
	}
	for i, e := range s.Errors {
		j.Errors[i] = store.JobError(e)
	}
	if s.Pending == nil {
		return j, nil, nil
	}
	w, pp := pendingWork(kind, s, ids)
	if len(pp) > 0 {
		return nil, nil, pp
	}
	return j, w, nil
}

// jobValues are the values of a supplied job the store's rules check.
func jobValues(s *JobState, st store.Status, ids []string) *store.JobValues {
	return &store.JobValues{
		Status: st, CreatedAt: s.CreatedAt, CompletedAt: s.CompletedAt, ExpiresAt: s.ExpiresAt,
		Total: s.TotalCount, Completed: s.CompletedCount, Failed: s.FailedCount, Errors: len(s.Errors),
		IDs: ids, Pending: s.Pending != nil,
	}
}

// jobMembers are the members of a job document that hold each value the
// store's rules are about.
var jobMembers = map[store.JobField]string{
	store.FieldStatus:      "/status",
	store.FieldCreatedAt:   "/created_at",
	store.FieldCompletedAt: "/completed_at",
	store.FieldExpiresAt:   "/expires_at",
	store.FieldTotal:       "/total_count",
	store.FieldCompleted:   "/completed_count",
	store.FieldErrors:      "/errors",
	store.FieldPending:     "/pending",
}

// jobMember is the pointer, relative to a job of kind, of the value a
// violation is about: the ids go under the plural of the job's entity.
func jobMember(kind store.JobKind, v store.Violation) string {
	if v.Field != store.FieldIDs {
		return jobMembers[v.Field]
	}
	key := "/" + kind.Entity().Plural()
	if v.Index >= 0 {
		return fmt.Sprintf("%s/%d", key, v.Index)
	}
	return key
}
