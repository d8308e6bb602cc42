// Package ui is the web page for the people who work offline beside the
// emulator (/__admin/ui/): static files embedded in the binary, a small app
// that speaks only the control API, so whatever the page does a test can do
// with one request. It needs no build step and loads nothing from another
// host.
package ui

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed static
var files embed.FS

// Handler serves the page's files under prefix (e.g. "/__admin/ui/"):
// the app at prefix itself, its scripts and styles beside it. The files
// change only with the binary, so they may be cached briefly.
func Handler(prefix string) http.Handler {
	static, err := fs.Sub(files, "static")
	if err != nil {
		panic("ui: " + err.Error()) // the embed is code
	}
	fileServer := http.StripPrefix(prefix, http.FileServerFS(static))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		// The page loads nothing from another host and runs no inline code.
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: http: https:; "+
			"style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'")
		if strings.HasSuffix(r.URL.Path, "/index.html") {
			http.Redirect(w, r, prefix, http.StatusMovedPermanently)
			return
		}
		fileServer.ServeHTTP(w, r)
	})
}
