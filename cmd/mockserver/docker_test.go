package main

import (
	"bufio"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// The files around the image this binary ships in, relative to this
// package's directory.
const (
	composeFile      = "../../docker/compose.yaml"
	composeStateFile = "../../docker/compose.state.yaml"
	dockerignoreFile = "../../.dockerignore"
	stateEnv         = "MOCKSERVER_STATE_FILE"
)

// compose is the part of a compose file these tests read.
type compose struct {
	Services map[string]composeService `yaml:"services"`
	Volumes  map[string]any            `yaml:"volumes"`
}

type composeService struct {
	Profiles []string `yaml:"profiles"`
	// Environment is a map or a list of NAME=value strings.
	Environment any   `yaml:"environment"`
	Volumes     []any `yaml:"volumes"`
}

// env returns the service's environment variable name, and whether it is set.
func (s composeService) env(name string) (string, bool) {
	switch e := s.Environment.(type) {
	case map[string]any:
		v, ok := e[name]
		if !ok || v == nil {
			return "", ok
		}
		return strings.TrimSpace(strings.Trim(yamlScalar(v), `"`)), true
	case []any:
		for _, kv := range e {
			k, v, _ := strings.Cut(yamlScalar(kv), "=")
			if k == name {
				return v, true
			}
		}
	}
	return "", false
}

func yamlScalar(v any) string {
	b, _ := yaml.Marshal(v)
	return strings.TrimSpace(string(b))
}

func readCompose(t *testing.T, name string) compose {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var c compose
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(c.Services) == 0 {
		t.Fatalf("%s declares no services", name)
	}
	return c
}

// TestCompose_StartsCleanByDefault: `docker compose up` with the compose
// file alone keeps nothing between runs, so every run of the stack (an
// integration test) starts from the seed.
func TestCompose_StartsCleanByDefault(t *testing.T) {
	c := readCompose(t, composeFile)
	if _, ok := c.Services["klaviyo"]; !ok {
		t.Fatalf("%s has no klaviyo service", composeFile)
	}
	for name, s := range c.Services {
		if len(s.Profiles) > 0 {
			continue // started only when its profile is asked for
		}
		if v, ok := s.env(stateEnv); ok {
			t.Errorf("service %s sets %s=%s by default: a second `up` would start with the first run's changes", name, stateEnv, v)
		}
		if len(s.Volumes) > 0 {
			t.Errorf("service %s mounts %v by default: state outlives `docker compose down`", name, s.Volumes)
		}
	}
	if len(c.Volumes) > 0 {
		t.Errorf("%s declares volumes %v: keep them in %s, which is opt-in", composeFile, c.Volumes, composeStateFile)
	}
}

// TestCompose_StateOverrideKeepsTheStateFileInAVolume: the opt-in file
// adds the state file, in a directory a declared named volume holds, to
// a service the base file has.
func TestCompose_StateOverrideKeepsTheStateFileInAVolume(t *testing.T) {
	base, over := readCompose(t, composeFile), readCompose(t, composeStateFile)
	s, ok := over.Services["klaviyo"]
	if !ok {
		t.Fatalf("%s does not configure the klaviyo service", composeStateFile)
	}
	for name := range over.Services {
		if _, ok := base.Services[name]; !ok {
			t.Errorf("%s configures %s, which %s does not declare", composeStateFile, name, composeFile)
		}
	}
	file, ok := s.env(stateEnv)
	if !ok || !path.IsAbs(file) {
		t.Fatalf("%s: klaviyo's %s is %q, want an absolute path", composeStateFile, stateEnv, file)
	}
	mounted := false
	for _, v := range s.Volumes {
		src, dst, _ := strings.Cut(yamlScalar(v), ":")
		dst, _, _ = strings.Cut(dst, ":")
		if dst == path.Dir(file) {
			if _, declared := over.Volumes[src]; !declared {
				t.Errorf("%s mounts %q at %s but does not declare that volume", composeStateFile, src, dst)
			}
			mounted = true
		}
	}
	if !mounted {
		t.Errorf("%s: no volume holds %s (volumes %v)", composeStateFile, path.Dir(file), s.Volumes)
	}
}

// ignorePattern is one line of a .dockerignore, as Docker reads it
// (github.com/moby/patternmatcher): a path glob relative to the context,
// where * and ? stay within one path segment and ** spans any; a leading
// ! makes it an exception.
type ignorePattern struct {
	re        *regexp.Regexp
	exception bool
}

func readDockerignore(t *testing.T) []ignorePattern {
	t.Helper()
	f, err := os.Open(dockerignoreFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []ignorePattern
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := ignorePattern{}
		if strings.HasPrefix(line, "!") {
			p.exception, line = true, strings.TrimSpace(line[1:])
		}
		if strings.ContainsAny(line, `[\`) {
			t.Fatalf(".dockerignore pattern %q: this test reads no character classes or escapes", line)
		}
		p.re = globRegexp(strings.TrimPrefix(path.Clean(line), "/"))
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// globRegexp translates a .dockerignore glob into an anchored expression.
func globRegexp(glob string) *regexp.Regexp {
	var b strings.Builder
	b.WriteByte('^')
	for i := 0; i < len(glob); i++ {
		switch {
		case strings.HasPrefix(glob[i:], "**/"):
			b.WriteString("(.*/)?")
			i += 2
		case strings.HasPrefix(glob[i:], "**"):
			b.WriteString(".*")
			i++
		case glob[i] == '*':
			b.WriteString("[^/]*")
		case glob[i] == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(glob[i : i+1]))
		}
	}
	b.WriteByte('$')
	return regexp.MustCompile(b.String())
}

// ignored reports whether Docker leaves file out of the build context:
// the last pattern matching it or one of its parent directories decides.
func ignored(patterns []ignorePattern, file string) bool {
	out := false
	parts := strings.Split(file, "/")
	for _, p := range patterns {
		for i := len(parts); i >= 1; i-- {
			if p.re.MatchString(strings.Join(parts[:i], "/")) {
				out = !p.exception
				break
			}
		}
	}
	return out
}

// TestDockerignore_SendsOnlyWhatTheBuildReads: every file the image's build
// reads (go.mod, go.sum, scripts/build and the Go files of ./cmd/mockserver
// and the module's packages it imports) is in the build context, and
// nothing big that it does not read is: the repository, the Node SDK
// example's node_modules, binaries, the specs tests validate against.
func TestDockerignore_SendsOnlyWhatTheBuildReads(t *testing.T) {
	patterns := readDockerignore(t)
	need := []string{"go.mod", "go.sum", "scripts/build"}
	out, err := exec.Command("go", "list", "-deps", "-f",
		`{{if not .Standard}}{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{range .EmbedFiles}}{{$d}}/{{.}}{{"\n"}}{{end}}{{end}}`,
		".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range strings.Fields(string(out)) {
		if rel, err := filepath.Rel(root, f); err == nil && !strings.HasPrefix(rel, "..") {
			need = append(need, filepath.ToSlash(rel))
		}
	}
	if len(need) < 20 {
		t.Fatalf("found only %d files the build reads: the listing is wrong", len(need))
	}
	for _, f := range need {
		if ignored(patterns, f) {
			t.Errorf(".dockerignore leaves out %s, which the build reads", f)
		}
	}
	for _, f := range []string{
		".git/HEAD", "examples/node-sdk/node_modules/klaviyo-api/package.json", "examples/node-sdk/package.json",
		"mockserver", "docs/deployment.md", "README.md", "internal/spectest/testdata/openapi/2026-07-15.json",
		"internal/server/server_test.go", "klaviyomock/klaviyomock.go", "docker/compose.yaml",
	} {
		if !ignored(patterns, f) {
			t.Errorf(".dockerignore sends %s into every build, which does not read it", f)
		}
	}
}

func TestIgnored_FollowsDockersRules(t *testing.T) {
	p := []ignorePattern{{re: globRegexp("*")}, {re: globRegexp("internal"), exception: true},
		{re: globRegexp("**/testdata")}, {re: globRegexp("**/*_test.go")}}
	for file, want := range map[string]bool{
		"go.mod": true, "internal/a/b.go": false, "internal/a/testdata/x.json": true,
		"internal/a/b_test.go": true, "docs/x.md": true,
	} {
		if got := ignored(p, file); got != want {
			t.Errorf("ignored(%s) = %v, want %v", file, got, want)
		}
	}
}
