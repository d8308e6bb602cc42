// Package archtest holds the test that keeps the house's shape: every
// package sits on a layer, and imports only packages of lower layers.
// docs/architecture.md draws the same layers.
package archtest

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// module is the module path every package's import path starts with.
const module = "github.com/klaviyo-mock/mockserver/"

// layers puts every package of the module on a layer: a package may import
// only packages on lower layers (docs/architecture.md). A new package must
// be placed here.
var layers = map[string]int{
	// Foundations: no package of the module below them.
	"internal/jsonw": 0, "internal/clock": 0, "internal/splitmix": 0, "internal/secret": 0,
	"internal/schema": 0, "internal/limiter": 0, "internal/faults": 0, "internal/rcache": 0,
	"internal/spectest": 0, "internal/jsonw/jsonwtest": 0, "internal/tools/proc": 0,
	"internal/ui": 0, "internal/images": 0,
	// Klaviyo's error documents, its revisions, the request journal.
	"internal/apierror": 1, "internal/journal": 1,
	"internal/revision": 2,
	// The in-memory state.
	"internal/store": 3,
	// What the state is made from; what the API serves; an attribute
	// value's JSON.
	"internal/fixtures": 4, "internal/resource": 4, "internal/codec": 4,
	// The declared kinds that tests of several packages name.
	"internal/store/storetest": 4,
	// Reading requests, writing documents (the account document among
	// them), the shared HTTP plumbing; the configuration.
	"internal/payload": 5, "internal/query": 5, "internal/render": 5, "internal/httpx": 5, "internal/config": 5,
	"internal/accountdoc": 5,
	// The control API and the state file, then the API that mounts the
	// control API.
	"internal/admin": 6, "internal/persist": 6,
	"internal/handlers": 7,
	// Assembly, and what runs it.
	"internal/server": 8,
	"cmd/mockserver":  9, "klaviyomock": 9, "internal/tools/bench": 9, "internal/tools/soak": 9, "internal/tools/scale": 9,
	"internal/archtest": 9,
}

// TestLayers_NoPackageImportsOneAboveIt parses every non-test Go file of
// the module and fails on an import that points up (or sideways) the
// layers, and on a package the layers do not place.
func TestLayers_NoPackageImportsOneAboveIt(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	imports := moduleImports(t, root)
	if len(imports) < 10 {
		t.Fatalf("found only %d packages under %s: the walk is wrong", len(imports), root)
	}
	pkgs := make([]string, 0, len(imports))
	for p := range imports {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	for _, pkg := range pkgs {
		layer, ok := layers[pkg]
		if !ok {
			t.Errorf("%s is on no layer: place it in layers (and in docs/architecture.md)", pkg)
			continue
		}
		for _, imp := range imports[pkg] {
			if l, ok := layers[imp]; ok && l >= layer {
				t.Errorf("%s (layer %d) imports %s (layer %d): a package imports only lower layers", pkg, layer, imp, l)
			}
		}
	}
}

// testOnly are the packages that serve tests: only test files import them.
var testOnly = []string{"internal/spectest", "internal/jsonw/jsonwtest", "internal/store/storetest"}

// TestLayers_TestSupportIsImportedOnlyByTests fails on a non-test file
// that imports a package of testOnly: what tests name (kinds by their
// type, oracles, the spec) stays out of the code under test.
func TestLayers_TestSupportIsImportedOnlyByTests(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for pkg, imps := range moduleImports(t, root) {
		for _, imp := range imps {
			if slices.Contains(testOnly, imp) {
				t.Errorf("%s imports %s, which only tests may import", pkg, imp)
			}
		}
	}
}

// moduleImports maps each package directory of the module (relative to
// root) to the module packages its non-test files import.
func moduleImports(t *testing.T, root string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		rel = filepath.ToSlash(rel)
		if _, ok := out[rel]; !ok {
			out[rel] = nil
		}
		for _, is := range f.Imports {
			p, _ := strconv.Unquote(is.Path.Value)
			if dep, ok := strings.CutPrefix(p, module); ok && !slices.Contains(out[rel], dep) {
				out[rel] = append(out[rel], dep)
			}
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return out
}
