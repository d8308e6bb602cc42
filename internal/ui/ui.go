// Package ui is the web page for the people who work offline beside the
// emulator (/__admin/ui/): static files embedded in the binary, a small app
// that speaks only the control API, so whatever the page does a test can do
// with one request. It needs no build step and loads nothing from another
// host.
package ui

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var files embed.FS

// Handler serves the page's files under prefix (e.g. "/__admin/ui/"):
// the app at prefix itself, its scripts and styles beside it. The files
// change only with the binary: each carries an ETag from its content, so
// a browser asks again each time (no-cache) and is answered 304 when it
// has the file.
func Handler(prefix string) http.Handler {
	static, err := fs.Sub(files, "static")
	if err != nil {
		panic("ui: " + err.Error()) // the embed is code
	}
	tags := etags(static)
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
		name := strings.TrimPrefix(r.URL.Path, prefix)
		if name == "" || strings.HasSuffix(name, "/") {
			name = path.Join(name, "index.html")
		}
		if tag, ok := tags[name]; ok {
			w.Header().Set("ETag", tag)
		}
		fileServer.ServeHTTP(w, r)
	})
}

// etags returns each file's ETag, a hash of its content.
func etags(static fs.FS) map[string]string {
	tags := map[string]string{}
	err := fs.WalkDir(static, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(static, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		tags[name] = `"` + hex.EncodeToString(sum[:8]) + `"`
		return nil
	})
	if err != nil {
		panic("ui: " + err.Error()) // the embed is code
	}
	return tags
}
