package store

import (
	"strings"
	"testing"
	"time"
)

// completeJob is a complete job of two elements, one failed.
func completeJob() *JobValues {
	done := t0.Add(time.Minute)
	expires := done.Add(30 * 24 * time.Hour)
	return &JobValues{Status: Complete, CreatedAt: t0, CompletedAt: &done, ExpiresAt: &expires,
		Total: 2, Completed: 1, Failed: 1, Errors: 1, IDs: []string{EntityID("A"), EntityID("B")}}
}

// TestCheckJob_ViolationsNameTheValueTheyAreAbout: each rule a supplied job
// breaks is reported at the value it is about (an id by its position), so
// a document can point at its member; a time given as the zero instant is
// out of range, not absent.
func TestCheckJob_ViolationsNameTheValueTheyAreAbout(t *testing.T) {
	if v := CheckJob(completeJob()); len(v) != 0 {
		t.Fatalf("a valid job broke rules: %v", v)
	}
	var zero time.Time
	for name, tc := range map[string]struct {
		change func(*JobValues)
		want   Violation
	}{
		"no completed_at":   {func(v *JobValues) { v.CompletedAt = nil }, Violation{FieldCompletedAt, -1, "A complete job needs completed_at."}},
		"zero completed_at": {func(v *JobValues) { v.CompletedAt = &zero }, Violation{FieldCompletedAt, -1, "completed_at must be between 1970-01-01 and 9999-12-31."}},
		"second id":         {func(v *JobValues) { v.IDs[1] = "x" }, Violation{FieldIDs, 1, "'x' is not a catalog id ('$custom:::$default:::<external_id>')."}},
		"ids short":         {func(v *JobValues) { v.IDs = v.IDs[:1] }, Violation{FieldIDs, -1, "A job has one id per operation: 1 ids for total_count 2."}},
		"errors":            {func(v *JobValues) { v.Errors = 0 }, Violation{FieldErrors, -1, "A job has one error per failed operation: 0 errors for failed_count 1."}},
		"pending":           {func(v *JobValues) { v.Pending = true }, Violation{FieldPending, -1, "Only a queued or processing job can be pending."}},
		"queued":            {func(v *JobValues) { v.Status = Queued }, Violation{FieldStatus, -1, "A queued job has no progress, completed_at or expires_at."}},
	} {
		v := completeJob()
		tc.change(v)
		got := CheckJob(v)
		found := false
		for _, g := range got {
			if g == tc.want {
				found = true
			}
			if name == "zero completed_at" && strings.Contains(g.Detail, "needs completed_at") {
				t.Errorf("%s: a zero completed_at was taken for none: %v", name, got)
			}
		}
		if !found {
			t.Errorf("%s: violations %v, want %v among them", name, got, tc.want)
		}
	}
}
