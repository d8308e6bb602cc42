package ui_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/ui"
)

const prefix = "/__admin/ui/"

func get(t *testing.T, h http.Handler, path string) (int, string, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, rec.Header().Get("Content-Type"), string(b)
}

var (
	htmlRef  = regexp.MustCompile(`(?:src|href)="([^"]*)"`)
	jsImport = regexp.MustCompile(`(?m)^import [^;]*? from "([^"]+)";`)
)

// files walks the page from index.html: every file it names, every module
// those import; each must be served, with its type.
func files(t *testing.T, h http.Handler) map[string]string {
	t.Helper()
	code, _, index := get(t, h, prefix)
	if code != http.StatusOK {
		t.Fatalf("the page: %d", code)
	}
	seen := map[string]string{}
	queue := []string{}
	for _, m := range htmlRef.FindAllStringSubmatch(index, -1) {
		if !strings.HasPrefix(m[1], "data:") && !strings.HasPrefix(m[1], "#") {
			queue = append(queue, m[1])
		}
	}
	for len(queue) > 0 {
		name := strings.TrimPrefix(queue[0], "./")
		queue = queue[1:]
		if _, ok := seen[name]; ok {
			continue
		}
		code, ct, body := get(t, h, prefix+name)
		want := map[bool]string{true: "javascript", false: "css"}[strings.HasSuffix(name, ".js")]
		if code != http.StatusOK || !strings.Contains(ct, want) {
			t.Fatalf("%s: %d %q", name, code, ct)
		}
		seen[name] = body
		for _, m := range jsImport.FindAllStringSubmatch(body, -1) {
			queue = append(queue, m[1])
		}
	}
	return seen
}

// TestPage_EveryFileItLoadsIsServed: the page has no build step, so a
// file index.html names or a module imports that is not embedded would
// only show in a browser.
func TestPage_EveryFileItLoadsIsServed(t *testing.T) {
	seen := files(t, ui.Handler(prefix))
	for _, name := range []string{"app.js", "catalog.js", "jobs.js", "journal.js", "app.css"} {
		if _, ok := seen[name]; !ok {
			t.Fatalf("the walk did not reach %s: %d files", name, len(seen))
		}
	}
}

// TestPage_LoadsNothingFromAnotherHostAndRunsNoInlineCode: the page works
// offline and under its Content-Security-Policy ('self' only): no file
// names another host, and index.html has no inline script or style.
func TestPage_LoadsNothingFromAnotherHostAndRunsNoInlineCode(t *testing.T) {
	h := ui.Handler(prefix)
	_, _, index := get(t, h, prefix)
	if regexp.MustCompile(`<script(?:\s[^>]*)?>\s*[^<\s]`).MatchString(index) || strings.Contains(index, "style=") ||
		strings.Contains(index, "<style") {
		t.Fatalf("index.html has inline code or style")
	}
	for _, m := range htmlRef.FindAllStringSubmatch(index, -1) {
		if strings.Contains(m[1], "//") {
			t.Fatalf("index.html loads %s", m[1])
		}
	}
	for name, body := range files(t, h) {
		if regexp.MustCompile(`https?://`).MatchString(body) {
			t.Fatalf("%s names another host", name)
		}
	}
}
