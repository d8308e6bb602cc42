package klaviyomock_test

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/schema"
	"github.com/klaviyo-mock/mockserver/klaviyomock"
)

// TestNewRequest_SendsTheNewestRevisionAndTheDefaultKey: a request made by
// NewRequest is served at the newest revision for the account of Key(),
// with no header set by hand.
func TestNewRequest_SendsTheNewestRevisionAndTheDefaultKey(t *testing.T) {
	m := klaviyomock.RunT(t)
	req, err := m.NewRequest("GET", "/api/catalog-items?page[size]=1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := req.Header.Get("Authorization"); got != "Klaviyo-API-Key "+m.Key() || m.Key() != klaviyomock.DefaultKey {
		t.Fatalf("Authorization %q, key %q", got, m.Key())
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("status %d", res.StatusCode)
	}
	got := m.Requests()
	if len(got) != 1 || got[0].Revision != m.Revision() || got[0].Revision != "2026-07-15" ||
		got[0].Account != klaviyomock.Fingerprint(klaviyomock.DefaultKey) {
		t.Fatalf("journal %+v, want revision %s for %s", got, m.Revision(), klaviyomock.Fingerprint(klaviyomock.DefaultKey))
	}
}

// TestDo_SendsABodyAsJSONAPI: Do sends a body with the JSON:API content
// type, so a create is accepted as it is.
func TestDo_SendsABodyAsJSONAPI(t *testing.T) {
	m := klaviyomock.RunT(t)
	res, err := m.Do("POST", "/api/catalog-categories", `{"data":{"type":"catalog-category","attributes":{"external_id":"TOPS","name":"Tops"}}}`)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 201 {
		t.Fatalf("create: %d %s", res.StatusCode, b)
	}
}

// TestCompleteJobs_CompletesTheAccountsRunningJobsNow: a job that would
// run for the default 5 s is complete after CompleteJobs, the clock
// untouched, and its effect is in the catalog.
func TestCompleteJobs_CompletesTheAccountsRunningJobsNow(t *testing.T) {
	m := klaviyomock.RunT(t)
	m.Freeze()
	res, err := m.Do("POST", "/api/catalog-category-bulk-create-jobs", `{"data":{"type":"catalog-category-bulk-create-job",`+
		`"attributes":{"categories":{"data":[{"type":"catalog-category","attributes":{"external_id":"NEW","name":"New"}}]}}}}`)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 202 {
		t.Fatalf("create job: %d", res.StatusCode)
	}
	n, err := m.CompleteJobs(m.Key())
	if err != nil || n != 1 {
		t.Fatalf("CompleteJobs: %d, %v; want 1", n, err)
	}
	jobs := m.JobsOf(m.Key(), klaviyomock.CategoryCreateJobs)
	if last := jobs[len(jobs)-1]; last.Status != "complete" {
		t.Fatalf("the job is %s", last.Status)
	}
	if !slices.ContainsFunc(m.Categories(m.Key()), func(c klaviyomock.Category) bool { return c.ExternalID == "NEW" }) {
		t.Fatal("the completed job's category is not in the catalog")
	}
	if n, _ := m.CompleteJobs(m.Key()); n != 0 {
		t.Fatalf("a second CompleteJobs completed %d", n)
	}
}

// TestThrottleNext_ReturnsTheRuleItAdded, as AddFault does: DeleteFault
// lifts it early.
func TestThrottleNext_ReturnsTheRuleItAdded(t *testing.T) {
	m := klaviyomock.RunT(t)
	rule, err := m.ThrottleNext(m.Key(), 2)
	if err != nil || rule.ID == "" || rule.Status != 429 || rule.Count != 2 {
		t.Fatalf("ThrottleNext: %+v, %v", rule, err)
	}
	if !m.DeleteFault(rule.ID) {
		t.Fatal("the rule returned is not the one added")
	}
	if _, err := m.ThrottleNext(m.Key(), -1); err == nil {
		t.Fatal("a negative count was accepted")
	}
}

// TestPath_OneNameMatchesAPrefixInFaultsAndTheJournal: Filter.Path and
// FaultMatch.Path are both prefixes of the URL path; the older
// Filter.PathPrefix still works.
func TestPath_OneNameMatchesAPrefixInFaultsAndTheJournal(t *testing.T) {
	m := klaviyomock.RunT(t)
	if _, err := m.AddFault(klaviyomock.Fault{Match: klaviyomock.FaultMatch{Path: "/api/catalog-cat"}, Status: 503}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/api/catalog-categories", "/api/catalog-items"} {
		res, err := m.Do("GET", p, "")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	byPath := m.RequestsMatching(klaviyomock.Filter{Path: "/api/catalog-cat"})
	byOld := m.RequestsMatching(klaviyomock.Filter{PathPrefix: "/api/catalog-cat"})
	if len(byPath) != 1 || byPath[0].Status != 503 || len(byOld) != 1 {
		t.Fatalf("by Path %+v, by PathPrefix %+v", byPath, byOld)
	}
}

// TestControl_PathPrefixIsAcceptedWherePathIs: the control API takes the
// Go package's older name too, as the journal's ?path_prefix= and a fault
// rule's match.path_prefix.
func TestControl_PathPrefixIsAcceptedWherePathIs(t *testing.T) {
	m := klaviyomock.RunT(t)
	r := call(t, "POST", adminURL(m, "/faults"), `{"match":{"path_prefix":"/api/catalog-cat"},"status":503}`)
	mustStatus(t, r, 201)
	if !strings.Contains(string(r.body), `"path":"/api/catalog-cat"`) {
		t.Fatalf("the rule: %s", r.body)
	}
	mustStatus(t, call(t, "POST", adminURL(m, "/faults"), `{"match":{"path":"/a","path_prefix":"/b"},"status":503}`), 400)
	res, _ := m.Do("GET", "/api/catalog-categories", "")
	res.Body.Close()
	res, _ = m.Do("GET", "/api/catalog-items", "")
	res.Body.Close()
	list := call(t, "GET", adminURL(m, "/requests?path_prefix=/api/catalog-cat"), nil).json(t)["requests"].([]any)
	if len(list) != 1 {
		t.Fatalf("?path_prefix= selected %d entries", len(list))
	}
}

// TestJobKinds_AreTheNineDeclaredKinds: every job kind is reachable by
// name, in the declaration's order.
func TestJobKinds_AreTheNineDeclaredKinds(t *testing.T) {
	var want []klaviyomock.JobKind
	for _, k := range schema.Default().Jobs() {
		want = append(want, klaviyomock.JobKind(k.Name()+"-jobs"))
	}
	if got := klaviyomock.JobKinds(); !slices.Equal(got, want) {
		t.Fatalf("JobKinds %v, want %v", got, want)
	}
	m := klaviyomock.RunT(t, "--jobs=2")
	for _, k := range klaviyomock.JobKinds() {
		if got := m.JobsOf(m.Key(), k); len(got) != 2 {
			t.Errorf("JobsOf(%s): %d jobs", k, len(got))
		}
	}
}

// TestRun_BadOptionsNameTheOptionAndTheExpectedForm.
func TestRun_BadOptionsNameTheOptionAndTheExpectedForm(t *testing.T) {
	for arg, want := range map[string]string{
		"--job-duration=2": `--job-duration: "2" is not a duration; use a Go duration such as 2s or 500ms`,
		"--jobs=x":         `--jobs: "x" is not a whole number; use one such as 250`,
		"--items=-1":       `--items: must be between 0 and 1000000, got -1`,
		"--bogus":          `--bogus: no such flag`,
	} {
		_, err := klaviyomock.Run(arg)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Run(%q): %v, want %q", arg, err, want)
		}
		if errors.Unwrap(err) == nil {
			t.Errorf("Run(%q): the error wraps nothing", arg)
		}
	}
}
