package spectest

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// specFS holds Klaviyo's per-revision OpenAPI documents of the Catalogs API,
// and slices of the same documents for the other operations the emulator
// serves (GET /api/accounts, back-in-stock subscriptions), copied from
// klaviyo/openapi (MIT licence in each directory's LICENSE).
//
//go:embed testdata/openapi/*.json testdata/openapi/LICENSE
//go:embed testdata/openapi-accounts/*.json testdata/openapi-accounts/LICENSE
//go:embed testdata/openapi-back-in-stock/*.json testdata/openapi-back-in-stock/LICENSE

var specFS embed.FS

const specDir = "testdata/openapi"

// sliceDirs hold slices of a revision's document (where the revision has
// the operations), merged into it when it is loaded.
var sliceDirs = []string{"testdata/openapi-accounts", "testdata/openapi-back-in-stock"}

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
	if data, err = withSlices(revision, data); err != nil {
		return nil, err
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

// withSlices merges into a revision's document the paths and components of
// its slices: what a slice adds is kept, what both hold is the document's.
func withSlices(revision string, data []byte) ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("spec %s: %w", revision, err)
	}
	for _, dir := range sliceDirs {
		raw, err := specFS.ReadFile(dir + "/" + revision + ".json")
		if err != nil {
			continue // the revision does not have these operations
		}
		var slice map[string]any
		if err := json.Unmarshal(raw, &slice); err != nil {
			return nil, fmt.Errorf("spec slice %s/%s: %w", dir, revision, err)
		}
		mergeMissing(doc, slice, "paths")
		comps, _ := slice["components"].(map[string]any)
		for group := range comps {
			mergeMissing(doc["components"].(map[string]any), comps, group)
		}
	}
	return json.Marshal(doc)
}

// mergeMissing adds to dst[key] the members of src[key] it lacks.
func mergeMissing(dst, src map[string]any, key string) {
	from, _ := src[key].(map[string]any)
	to, _ := dst[key].(map[string]any)
	if to == nil {
		to = map[string]any{}
		dst[key] = to
	}
	for k, v := range from {
		if _, ok := to[k]; !ok {
			to[k] = v
		}
	}
}
