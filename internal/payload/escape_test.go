package payload

import "testing"

func TestEscape_FollowsRFC6901(t *testing.T) {
	for in, want := range map[string]string{"title": "title", "a/b": "a~1b", "a~b": "a~0b", "~/": "~0~1", "": ""} {
		if got := escape(in); got != want {
			t.Errorf("escape(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEscape_AMemberNameWithNothingToEscapeCostsNoAllocation: every
// attribute of every element of a bulk job gets its pointer, so building a
// replacer per call cost a bulk-create request of 10 items about a third of
// its time.
func TestEscape_AMemberNameWithNothingToEscapeCostsNoAllocation(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { _ = escape("image_thumbnail_url") }); n != 0 {
		t.Errorf("escape allocates %v times per call", n)
	}
}
