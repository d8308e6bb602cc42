package query_test

import (
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
)

// wantInvalidParam fails unless err is Klaviyo's 400 `invalid` about the
// query parameter param, with a non-empty detail.
func wantInvalidParam(t *testing.T, err *apierror.Error, param string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want a 400 about parameter %q", param)
	}
	if err.Status != 400 || err.Code != apierror.CodeInvalid || err.Title != apierror.TitleInvalid {
		t.Errorf("got status %d code %q title %q, want 400 %q %q",
			err.Status, err.Code, err.Title, apierror.CodeInvalid, apierror.TitleInvalid)
	}
	if err.Source == nil {
		t.Fatalf("got no source, want source.parameter %q", param)
	}
	if err.Source.Parameter != param || err.Source.Pointer != "" {
		t.Errorf("got source %+v, want only parameter %q", *err.Source, param)
	}
	if strings.TrimSpace(err.Detail) == "" {
		t.Errorf("got an empty detail")
	}
}

// wantDetailContains fails unless the error's detail contains every part.
func wantDetailContains(t *testing.T, err *apierror.Error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want one whose detail contains %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Detail, p) {
			t.Errorf("detail %q does not contain %q", err.Detail, p)
		}
	}
}
