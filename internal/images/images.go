// Package images serves the placeholder pictures of the seeded catalog, so a
// storefront rendering the emulator's products offline shows an image for
// each: an SVG drawn from the product's name on a colour from the seed. It
// reads nothing but the request's path and query, so every picture is the
// same wherever and whenever it is asked for, and may be cached for good.
package images

import (
	"fmt"
	"html"
	"net/http"
	"strings"
)

// Prefix starts the path of every placeholder picture.
const Prefix = "/images/catalog/"

// Path returns the path of the picture of a product: its colour (six hex
// digits), its name (in the file name, as a slug), the variant of the
// picture ("", "thumb", "alt") and its label.
func Path(colour, slug, variant, label string) string {
	name := slug
	if variant != "" {
		name += "-" + variant
	}
	q := ""
	if label != "" {
		q = "?label=" + escape(label)
	}
	return Prefix + colour + "/" + name + ".svg" + q
}

// escape percent-encodes what a query value cannot hold as it is.
func escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// Handler serves Prefix<colour>/<name>.svg?label=…: a square SVG of that
// colour with the label (or the name) written on it. A thumbnail
// ("-thumb") is drawn smaller.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		rest := strings.TrimPrefix(r.URL.Path, Prefix)
		colour, file, ok := strings.Cut(rest, "/")
		name, isSVG := strings.CutSuffix(file, ".svg")
		if !ok || !isSVG || !hexColour(colour) || name == "" || strings.Contains(name, "/") {
			http.NotFound(w, r)
			return
		}
		label := r.URL.Query().Get("label")
		if label == "" {
			label = name
		}
		size := 600
		if strings.HasSuffix(name, "-thumb") {
			size = 200
		}
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if r.Method == http.MethodHead {
			return
		}
		fmt.Fprint(w, draw(colour, label, size))
	})
}

// draw returns the SVG: the colour, a lighter band, and the label.
func draw(colour, label string, size int) string {
	if len(label) > 40 {
		label = label[:40] + "…"
	}
	font := size / 14
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="%[1]d" height="%[1]d" viewBox="0 0 %[1]d %[1]d">`+
		`<rect width="%[1]d" height="%[1]d" fill="#%[2]s"/>`+
		`<rect y="%[3]d" width="%[1]d" height="%[4]d" fill="#ffffff" fill-opacity="0.85"/>`+
		`<text x="50%%" y="%[5]d" font-family="sans-serif" font-size="%[6]d" text-anchor="middle" fill="#222222">%[7]s</text>`+
		`</svg>`, size, colour, size*2/5, size/5, size/2+font/3, font, html.EscapeString(label))
}

// hexColour reports whether s is six hexadecimal digits.
func hexColour(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
