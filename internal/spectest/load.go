package spectest

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// specFS holds Klaviyo's per-revision OpenAPI documents of the Catalogs API
// (copied from klaviyo/openapi, MIT licence in testdata/openapi/LICENSE).
//
//go:embed testdata/openapi/*.json testdata/openapi/LICENSE
var specFS embed.FS

const specDir = "testdata/openapi"

// Revisions returns, sorted ascending, every revision date that has an
// embedded spec file.
func Revisions() []string {
	entries, err := fs.ReadDir(specFS, specDir)
	if err != nil {
		panic(fmt.Sprintf("spectest: embedded specs unreadable: %v", err))
	}
	var revs []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".json"); ok {
			revs = append(revs, name)
		}
	}
	sort.Strings(revs)
	return revs
}

// loadRaw parses the embedded spec of revision without any tolerance.
func loadRaw(revision string) (*openapi3.T, error) {
	data, err := specFS.ReadFile(specDir + "/" + revision + ".json")
	if err != nil {
		return nil, fmt.Errorf("no embedded spec for revision %q (have %s)",
			revision, strings.Join(Revisions(), ", "))
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, fmt.Errorf("loading spec %s: %w", revision, err)
	}
	return doc, nil
}

// docEntry is one cached, patched document; once guards its loading.
type docEntry struct {
	once sync.Once
	doc  *openapi3.T
	err  error
}

// docCache is the package's only mutable state: patched documents keyed by
// revision and sparse fieldsets. Each key owns a private copy of the spec, so
// the fieldset patch of one call never leaks into another.
var docCache = struct {
	sync.Mutex
	m map[string]*docEntry
}{m: map[string]*docEntry{}}

// loadDoc returns the spec of revision with the Tolerances applied for the
// given fieldsets (nil = no fields[...] parameter sent).
func loadDoc(revision string, fields, includedFields []string) (*openapi3.T, error) {
	key := revision + "|" + fieldsKey(fields) + "|" + fieldsKey(includedFields)
	docCache.Lock()
	e := docCache.m[key]
	if e == nil {
		e = &docEntry{}
		docCache.m[key] = e
	}
	docCache.Unlock()
	e.once.Do(func() {
		e.doc, e.err = loadRaw(revision)
		if e.err == nil {
			applyTolerances(e.doc, revision, fields, includedFields)
		}
	})
	return e.doc, e.err
}

// fieldsKey encodes a fieldset so that nil ("not sent") and empty differ.
func fieldsKey(fields []string) string {
	if fields == nil {
		return "-"
	}
	s := slices.Clone(fields)
	sort.Strings(s)
	return "+" + strings.Join(s, ",")
}

// findOperation matches method and a request path against the spec's path
// templates, ignoring a trailing slash on either side and any query string.
func findOperation(doc *openapi3.T, method, path string) (string, *openapi3.Operation, error) {
	path, _, _ = strings.Cut(path, "?")
	want := splitPath(path)
	templates := doc.Paths.Keys()
	sort.Strings(templates)
	for _, tmpl := range templates {
		if !matchTemplate(splitPath(tmpl), want) {
			continue
		}
		op := doc.Paths.Value(tmpl).GetOperation(strings.ToUpper(method))
		if op == nil {
			return "", nil, fmt.Errorf("spec path %s has no %s operation", tmpl, method)
		}
		return tmpl, op, nil
	}
	return "", nil, fmt.Errorf("path %s matches none of the spec's paths (%s)",
		path, strings.Join(templates, ", "))
}

func splitPath(p string) []string {
	return strings.Split(strings.TrimSuffix(p, "/"), "/")
}

func matchTemplate(tmpl, got []string) bool {
	if len(tmpl) != len(got) {
		return false
	}
	for i, seg := range tmpl {
		isParam := strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}")
		if isParam && got[i] == "" || !isParam && seg != got[i] {
			return false
		}
	}
	return true
}

// rawCache holds the unpatched documents, one per revision.
var rawCache = struct {
	sync.Mutex
	m map[string]*docEntry
}{m: map[string]*docEntry{}}

// rawDoc returns the unpatched spec of revision, loaded once.
func rawDoc(revision string) (*openapi3.T, error) {
	rawCache.Lock()
	e := rawCache.m[revision]
	if e == nil {
		e = &docEntry{}
		rawCache.m[revision] = e
	}
	rawCache.Unlock()
	e.once.Do(func() { e.doc, e.err = loadRaw(revision) })
	return e.doc, e.err
}
