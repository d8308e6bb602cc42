package httpx

import "testing"

func TestUUIDs_NextValueIsNextAsAHeaderValue(t *testing.T) {
	var a, b UUIDs
	a.Reseed(7, 1)
	b.Reseed(7, 1)
	for i := range 10_000 {
		want, got := a.Next(), b.NextValue()
		if len(got) != 1 || cap(got) != 1 || got[0] != want {
			t.Fatalf("value %d: NextValue = %q (cap %d), Next = %q", i, got, cap(got), want)
		}
	}
}

func TestUUIDs_NextValueIsOneAllocation(t *testing.T) {
	var s UUIDs
	s.Reseed(7, 1)
	if n := testing.AllocsPerRun(100, func() { _ = s.NextValue() }); n != 1 {
		t.Fatalf("%.0f allocations per value, want 1", n)
	}
}
