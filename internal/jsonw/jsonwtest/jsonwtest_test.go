package jsonwtest

import (
	"slices"
	"testing"
)

func TestNumbers_ListsEveryNumberWithItsPointerAndPlace(t *testing.T) {
	doc := []byte(`{"a":[1, {"b~/":-2.5e3}],"a":1e999, "c" : {"d":[[0]]}, "s":"9"}`)
	nums, ok := Numbers(doc)
	if !ok {
		t.Fatal("not JSON")
	}
	var got []string
	for _, n := range nums {
		if string(doc[n.Start:n.End]) != n.Text {
			t.Errorf("%s: bytes %d..%d are %q", n.Text, n.Start, n.End, doc[n.Start:n.End])
		}
		got = append(got, n.Pointer+"="+n.Text)
	}
	if want := []string{"/a/0=1", "/a/1/b~0~1=-2.5e3", "/a=1e999", "/c/d/0/0=0"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if m, ok := FirstMisfit(doc); !ok || m.Pointer != "/a" || m.Fits {
		t.Fatalf("first misfit %+v %v", m, ok)
	}
	if _, ok := Numbers([]byte(`{"a":1`)); ok {
		t.Fatal("a truncated document is JSON")
	}
}
