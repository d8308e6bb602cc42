package images

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestHandler_DrawsThePictureTheURLNames: a picture's path and label are
// all it is made from; it is an SVG of the path's colour with the label,
// cacheable for good; anything else under the prefix is a 404.
func TestHandler_DrawsThePictureTheURLNames(t *testing.T) {
	h := Handler()
	get := func(target string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
		return w
	}
	p := Path("4e79a7", "gka-00001", "", "Compact <Television> & more")
	w := get(p)
	body := w.Body.String()
	if w.Code != 200 || w.Header().Get("Content-Type") != "image/svg+xml" || !strings.Contains(body, `fill="#4e79a7"`) ||
		!strings.Contains(body, "Compact &lt;Television&gt; &amp; more") {
		t.Fatalf("%s: %d %s %s", p, w.Code, w.Header().Get("Content-Type"), body)
	}
	if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("Cache-Control %q", cc)
	}
	if again := get(p); again.Body.String() != body {
		t.Error("the same URL drew another picture")
	}
	if thumb := get(Path("4e79a7", "gka-00001", "thumb", "")); !strings.Contains(thumb.Body.String(), `width="200"`) {
		t.Errorf("a thumbnail is not smaller: %s", thumb.Body.String())
	}
	for _, bad := range []string{Prefix + "zzzzzz/x.svg", Prefix + "4e79a7/x.png", Prefix + "4e79a7/.svg", Prefix + "4e79a7"} {
		if w := get(bad); w.Code != 404 {
			t.Errorf("%s: %d, want 404", bad, w.Code)
		}
	}
}
