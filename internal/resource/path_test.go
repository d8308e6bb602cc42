package resource_test

import (
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/resource"
)

// TestResource_PathIsKeptAtRegistration: every resource's collection path
// is its prefix and name, and asking for it (every list's hint, every
// write's) allocates nothing: the registry joins it once.
func TestResource_PathIsKeptAtRegistration(t *testing.T) {
	for _, r := range resource.Default().All() {
		want := "/api/" + r.Name
		if r.Client {
			want = "/client/" + r.Name
		}
		if got := r.Path(); got != want {
			t.Errorf("%s: Path() = %q, want %q", r.Name, got, want)
		}
		if n := testing.AllocsPerRun(100, func() { _ = r.Path() }); n != 0 {
			t.Errorf("%s: Path() allocates %v times, want 0", r.Path(), n)
		}
	}
}

// TestResource_PathOfAnUnregisteredResourceIsJoined: a resource no
// registry has seen still answers its path.
func TestResource_PathOfAnUnregisteredResourceIsJoined(t *testing.T) {
	r := &resource.Resource{Name: "things", Client: true}
	if got := r.Path(); got != "/client/things" {
		t.Fatalf("Path() = %q, want /client/things", got)
	}
}
