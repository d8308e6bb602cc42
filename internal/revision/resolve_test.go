package revision_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/revision"
)

// today is the server date the resolution tests run at.
var today = time.Date(2026, 11, 28, 15, 4, 5, 0, time.UTC)

func wantRevisionError(t *testing.T, err *apierror.Error, status int, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %d %s", status, code)
	}
	if err.Status != status || err.Code != code {
		t.Errorf("got %d %q (%q), want %d %q", err.Status, err.Code, err.Detail, status, code)
	}
	if err.Source == nil || err.Source.Parameter != "revision" || err.Source.Pointer != "" {
		t.Errorf("got source %+v, want parameter revision", err.Source)
	}
	if strings.TrimSpace(err.Detail) == "" {
		t.Error("empty detail")
	}
}

func resolve(t *testing.T, value string, o revision.ResolveOptions) (*revision.Profile, *apierror.Error) {
	t.Helper()
	p, err := revision.Default().Resolve(value, o)
	if err != nil && p != nil {
		t.Errorf("Resolve(%q) returned profile %s with error %v", value, p.Date, err)
	}
	return p, err
}

func TestResolve_MissingRevisionIs400(t *testing.T) {
	_, err := resolve(t, "", revision.ResolveOptions{Today: today})
	wantRevisionError(t, err, 400, apierror.CodeInvalid)
	if err.Title != apierror.TitleInvalid || err.Detail != apierror.DetailMissingRevision {
		t.Errorf("title, detail = %q, %q; want %q, %q", err.Title, err.Detail, apierror.TitleInvalid, apierror.DetailMissingRevision)
	}
}

func TestResolve_MalformedRevisionIs400(t *testing.T) {
	for _, v := range []string{
		"abc", "2024-13-45", "2024-1-5", "2024-10-15.", "2024-10-15.PRE!", "2024-10-15.PRE",
		"2024-10-15.pre-1", "2024-10-15.pre.1", "2024/10/15", "20241015", "2024-10-15T00:00:00Z",
		" 2024-10-15", "2024-10-15 ", "2024-02-30", "2023-02-29", "2024-00-15", "2024-10-00",
		"02024-10-15", "v2024-10-15", ".pre", "2024-10-1", "2024-10-15\x00", "２０２４-10-15",
	} {
		t.Run(v, func(t *testing.T) {
			_, err := resolve(t, v, revision.ResolveOptions{Today: today})
			wantRevisionError(t, err, 400, apierror.CodeInvalid)
			if err == nil {
				return
			}
			want := strconv.Quote(v) + " is not a valid revision; expected format YYYY-MM-DD[.suffix]."
			if err.Detail != want {
				t.Errorf("detail = %q, want %q", err.Detail, want)
			}
		})
	}
}

func TestResolve_FutureRevisionIs400NamingBothDates(t *testing.T) {
	for _, v := range []string{"2026-11-29", "2026-12-01", "2027-01-15", "2027-01-15.pre", "9999-12-31"} {
		t.Run(v, func(t *testing.T) {
			_, err := resolve(t, v, revision.ResolveOptions{Today: today})
			wantRevisionError(t, err, 400, apierror.CodeInvalid)
			date, _, _ := strings.Cut(v, ".")
			if err != nil && (!strings.Contains(err.Detail, date) || !strings.Contains(err.Detail, "2026-11-28") ||
				!strings.Contains(strings.ToLower(err.Detail), "future")) {
				t.Errorf("detail %q does not name %s, 2026-11-28 and 'future'", err.Detail, date)
			}
		})
	}
}

func TestResolve_TodayIsNotFuture(t *testing.T) {
	p, err := resolve(t, "2026-11-28", revision.ResolveOptions{Today: today})
	if err != nil || p.Date != "2026-07-15" {
		t.Fatalf("Resolve(today) = %v, %v; want 2026-07-15", p, err)
	}
}

func TestResolve_FutureUsesTodaysUTCDate(t *testing.T) {
	// 2026-11-28 22:00 at UTC-5 is already 2026-11-29 in UTC.
	late := time.Date(2026, 11, 28, 22, 0, 0, 0, time.FixedZone("EST", -5*3600))
	if _, err := resolve(t, "2026-11-29", revision.ResolveOptions{Today: late}); err != nil {
		t.Errorf("Resolve(2026-11-29) at %v: %v, want success", late, err)
	}
	if _, err := resolve(t, "2026-11-30", revision.ResolveOptions{Today: late}); err == nil {
		t.Errorf("Resolve(2026-11-30) at %v succeeded, want future error", late)
	}
}

func TestResolve_NoValidRevisionIs404(t *testing.T) {
	for _, v := range []string{
		"2024-10-15.pre", "2026-07-15.pre", "2024-02-15.pre", "2026-11-28.pre", "2024-10-15.beta1",
		"2022-10-16", "2000-01-01", "0001-01-01", "2022-10-16.pre",
	} {
		t.Run(v, func(t *testing.T) {
			_, err := resolve(t, v, revision.ResolveOptions{Today: today})
			wantRevisionError(t, err, 404, apierror.CodeNotFound)
			if err != nil && err.Detail != "No valid revisions found for method, please check our documentation" {
				t.Errorf("detail = %q", err.Detail)
			}
		})
	}
}

func TestResolve_PicksNewestRevisionOnOrBeforeDate(t *testing.T) {
	tests := []struct{ value, want string }{
		{"2024-11-01", "2024-10-15"},
		{"2026-10-15", "2026-07-15"},
		{"2022-12-31", "2022-10-17"},
		{"2023-02-21", "2023-01-24"},
		{"2024-10-14", "2024-07-15"},
		{"2026-04-14", "2026-01-15"},
		{"2026-11-28", "2026-07-15"},
		{"2024-02-29", "2024-02-15"},
	}
	for _, tt := range tests {
		p, err := resolve(t, tt.value, revision.ResolveOptions{Today: today})
		if err != nil {
			t.Errorf("Resolve(%s) error: %v", tt.value, err)
			continue
		}
		if p.Date != tt.want {
			t.Errorf("Resolve(%s) = %s, want %s", tt.value, p.Date, tt.want)
		}
	}
}

func TestResolve_ExactRevisionsResolveToThemselves(t *testing.T) {
	for _, d := range revisions {
		p, err := resolve(t, d, revision.ResolveOptions{Today: today})
		if err != nil || p.Date != d {
			t.Errorf("Resolve(%s) = %v, %v; want itself", d, p, err)
		}
		// Without retirement the opt-out header changes nothing.
		p, err = resolve(t, d, revision.ResolveOptions{Today: today, OptOut: "1"})
		if err != nil || p.Date != d {
			t.Errorf("Resolve(%s, opt-out, no retirement) = %v, %v; want itself", d, p, err)
		}
	}
}

// oldestLive computes, from the revision list, the oldest revision whose
// retirement (release + 2 years) is after now.
func oldestLive(t *testing.T, now time.Time) string {
	t.Helper()
	for _, d := range revisions {
		rd, err := time.Parse(time.DateOnly, d)
		if err != nil {
			t.Fatal(err)
		}
		if rd.AddDate(2, 0, 0).After(now) {
			return d
		}
	}
	t.Fatal("every revision retired")
	return ""
}

func TestResolve_RetiredRevisionsFallForward(t *testing.T) {
	live := oldestLive(t, today)
	if live != "2025-01-15" {
		t.Fatalf("oldest live revision at %v = %s; the test's expectations assume 2025-01-15", today, live)
	}
	o := revision.ResolveOptions{Today: today, Retire: true}
	tests := []struct{ value, want string }{
		{"2022-10-17", live},
		{"2023-01-01", live},
		{"2024-07-15", live},
		{"2024-10-15", live}, // retired 2026-10-15
		{"2024-12-01", live}, // resolves to the retired 2024-10-15
		{"2025-01-15", "2025-01-15"},
		{"2025-03-01", "2025-01-15"},
		{"2026-07-15", "2026-07-15"},
	}
	for _, tt := range tests {
		p, err := resolve(t, tt.value, o)
		if err != nil {
			t.Errorf("Resolve(%s) error: %v", tt.value, err)
			continue
		}
		if p.Date != tt.want {
			t.Errorf("Resolve(%s) with retirement = %s, want %s", tt.value, p.Date, tt.want)
		}
	}
}

func TestResolve_RetirementStartsOnTheSecondAnniversary(t *testing.T) {
	o := revision.ResolveOptions{Retire: true}
	o.Today = time.Date(2026, 10, 14, 23, 59, 59, 0, time.UTC)
	if p, err := resolve(t, "2024-10-15", o); err != nil || p.Date != "2024-10-15" {
		t.Errorf("day before retirement: %v, %v; want 2024-10-15", p, err)
	}
	o.Today = time.Date(2026, 10, 15, 0, 0, 0, 0, time.UTC)
	if p, err := resolve(t, "2024-10-15", o); err != nil || p.Date != "2025-01-15" {
		t.Errorf("retirement day: %v, %v; want 2025-01-15", p, err)
	}
}

func TestResolve_OptOutMakesRetiredRevisionsGone(t *testing.T) {
	o := revision.ResolveOptions{Today: today, Retire: true, OptOut: "1"}
	_, err := resolve(t, "2022-10-17", o)
	wantRevisionError(t, err, 410, apierror.CodeGone)
	if err != nil {
		want := "Revision 2022-10-17 was retired on 2024-10-17 and X-Klaviyo-Revision-Fall-Forward-Opt-Out is set; use revision 2025-01-15 or later."
		if err.Detail != want || err.Title != apierror.TitleGone {
			t.Errorf("title, detail = %q, %q; want %q, %q", err.Title, err.Detail, apierror.TitleGone, want)
		}
	}
	_, err = resolve(t, "2024-11-01", o)
	wantRevisionError(t, err, 410, apierror.CodeGone)

	// A live revision is served as usual.
	if p, err := resolve(t, "2025-01-15", o); err != nil || p.Date != "2025-01-15" {
		t.Errorf("Resolve(2025-01-15) with opt-out = %v, %v; want 2025-01-15", p, err)
	}
	// Only "1" opts out.
	for _, v := range []string{"", "0", "true", " 1"} {
		o.OptOut = v
		if p, err := resolve(t, "2022-10-17", o); err != nil || p.Date != "2025-01-15" {
			t.Errorf("opt-out %q: %v, %v; want fall-forward to 2025-01-15", v, p, err)
		}
	}
}

func TestResolve_EverythingRetiredFallsForwardToNewest(t *testing.T) {
	o := revision.ResolveOptions{Today: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), Retire: true}
	if p, err := resolve(t, "2024-10-15", o); err != nil || p.Date != "2026-07-15" {
		t.Errorf("Resolve = %v, %v; want 2026-07-15", p, err)
	}
}

func FuzzResolve(f *testing.F) {
	for _, s := range []string{
		"", "2024-10-15", "2024-11-01", "2022-10-17", "2022-10-16", "2026-07-15.pre", "2027-01-01",
		"abc", "2024-13-45", "2024-1-5", "2024-10-15.", "2024-10-15.PRE!", "9999-99-99", "2024-10-15.pre.pre",
	} {
		f.Add(s, false, "")
		f.Add(s, true, "1")
	}
	tab := revision.Default()
	f.Fuzz(func(t *testing.T, value string, retire bool, optOut string) {
		o := revision.ResolveOptions{Today: today, Retire: retire, OptOut: optOut}
		p, err := tab.Resolve(value, o)
		if err != nil {
			if p != nil {
				t.Errorf("Resolve(%q) = %s with error", value, p.Date)
			}
			switch {
			case err.Status == 400 && err.Code == apierror.CodeInvalid:
			case err.Status == 404 && err.Code == apierror.CodeNotFound && err.Detail == apierror.DetailNoValidRevision:
			case err.Status == 410 && err.Code == apierror.CodeGone && retire && optOut == "1":
			default:
				t.Errorf("Resolve(%q, %+v) error %d %q %q", value, o, err.Status, err.Code, err.Detail)
			}
			if strings.TrimSpace(err.Detail) == "" || err.Source == nil || err.Source.Parameter != "revision" {
				t.Errorf("Resolve(%q) error %+v lacks detail or source", value, err)
			}
			return
		}
		if p == nil {
			t.Fatalf("Resolve(%q) = nil, nil", value)
		}
		if len(value) != 10 {
			t.Errorf("Resolve(%q) accepted a value that is not YYYY-MM-DD", value)
		}
		if value > "2026-11-28" {
			t.Errorf("Resolve(%q) accepted a future date", value)
		}
		if got, ok := tab.Exact(p.Date); !ok || got != p {
			t.Errorf("Resolve(%q) = a profile not in the table", value)
		}
		if !retire {
			want, ok := tab.AtOrBefore(value)
			if !ok || want != p {
				t.Errorf("Resolve(%q) = %s, AtOrBefore gives %v", value, p.Date, want)
			}
		} else if !today.Before(p.Retires()) {
			t.Errorf("Resolve(%q) with retirement served retired %s", value, p.Date)
		}
	})
}
