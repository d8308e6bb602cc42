package jsonw

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestDecode_RepeatedKeyKeepsFirstPositionLastValue: in objects small and
// large (past the members an Object finds by looking at each), a repeated
// key keeps its first position and its last value, as Python's json
// module reads it; both decoding paths agree, and a member not there is
// not found. The values are checked against encoding/json's map (which
// keeps the last value), the order against the keys' first appearances.
func TestDecode_RepeatedKeyKeepsFirstPositionLastValue(t *testing.T) {
	for _, n := range []int{1, 3, indexFrom, indexFrom + 1, 40} {
		var members, order []string
		for i := range n {
			k := fmt.Sprintf("k%d", i)
			members = append(members, fmt.Sprintf("%q:%d", k, i))
			order = append(order, k)
			if i%3 == 0 { // repeat every third key later, with a new value
				members = append(members, fmt.Sprintf("%q:%d", fmt.Sprintf("k%d", i/2), 1000+i))
			}
		}
		doc := []byte("{" + strings.Join(members, ",") + "}")
		var want map[string]json.Number
		dec := json.NewDecoder(strings.NewReader(string(doc)))
		dec.UseNumber()
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		fast, _ := decodeFast(doc)
		slow, err := decodeTokens(doc)
		if err != nil {
			t.Fatal(err)
		}
		for name, tree := range map[string]any{"scanner": fast, "tokens": slow} {
			o, ok := tree.(*Object)
			if !ok {
				t.Fatalf("%d members, %s: %T", n, name, tree)
			}
			if !slices.Equal(o.Keys, order) {
				t.Fatalf("%d members, %s: keys %v, want %v", n, name, o.Keys, order)
			}
			for k, w := range want {
				if v, ok := o.Get(k); !ok || v != w {
					t.Fatalf("%d members, %s: %s is %v (%v), want %v", n, name, k, v, ok, w)
				}
			}
			if v, ok := o.Get("absent"); ok || v != nil {
				t.Fatalf("%d members, %s: a member not there is %v", n, name, v)
			}
		}
	}
}

// TestObject_SetKeepsFirstPosition: an Object built by Set, from its zero
// value, past the members it finds by looking at each, keeps each key's
// first position and last value and encodes in that order.
func TestObject_SetKeepsFirstPosition(t *testing.T) {
	var o Object
	var want []string
	for i := range 3 * indexFrom {
		k := fmt.Sprintf("k%d", i%(2*indexFrom))
		o.Set(k, fmt.Sprint(i))
		if !slices.Contains(want, k) {
			want = append(want, k)
		}
	}
	if !slices.Equal(o.Keys, want) {
		t.Fatalf("keys %v, want %v", o.Keys, want)
	}
	for i, k := range want {
		last := i
		if i < indexFrom {
			last = i + 2*indexFrom
		}
		if v, _ := o.Get(k); v != fmt.Sprint(last) {
			t.Fatalf("%s is %v, want %d", k, v, last)
		}
	}
	if got := string(Encode(nil, &o)); !strings.HasPrefix(got, fmt.Sprintf(`{"k0":"%d","k1":"%d",`, 2*indexFrom, 2*indexFrom+1)) {
		t.Fatalf("encoded as %.80s", got)
	}
}

// TestDecode_AnObjectIsAllocatedAtItsSize: decoding an object allocates
// the object and its two slices once, at their size (no map, no slice
// grown member by member), at every level of nesting: besides the decoder
// and the values (one-byte keys take no allocation), three allocations an
// object.
func TestDecode_AnObjectIsAllocatedAtItsSize(t *testing.T) {
	for _, c := range []struct {
		doc     string
		objects int
		values  int
	}{
		{`{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8}`, 1, 8},
		{`{"a":{"b":{"c":{"d":1,"e":2,"f":3}},"g":4},"h":5}`, 4, 5},
	} {
		doc := []byte(c.doc)
		if _, ok := decodeFast(doc); !ok {
			t.Fatalf("%s: not decoded", doc)
		}
		want := float64(1 + 3*c.objects + c.values)
		if n := testing.AllocsPerRun(100, func() { decodeFast(doc) }); n > want {
			t.Fatalf("%s: %v allocations, want at most %v", doc, n, want)
		}
	}
}

// TestDecode_RepeatedKeysCostNoString: the elements of an array repeat
// their keys; a key read a moment before is used again, so decoding ten
// objects with the same two keys allocates 18 strings fewer than ten
// objects with keys of their own, and the trees are as Decode's general
// path makes them.
func TestDecode_RepeatedKeysCostNoString(t *testing.T) {
	doc := func(same bool) []byte {
		var els []string
		for i := range 10 {
			a, b := "title", "price"
			if !same {
				a, b = fmt.Sprintf("title%d", i), fmt.Sprintf("price%d", i)
			}
			els = append(els, fmt.Sprintf(`{%q:"t",%q:%d}`, a, b, i))
		}
		return []byte("[" + strings.Join(els, ",") + "]")
	}
	same, own := doc(true), doc(false)
	for _, d := range [][]byte{same, own} {
		fast, _ := decodeFast(d)
		slow, err := decodeTokens(d)
		if err != nil || !sameTree(fast, slow) {
			t.Fatalf("%s: the scanner read %s, encoding/json %s (%v)", d, Encode(nil, fast), Encode(nil, slow), err)
		}
	}
	a := testing.AllocsPerRun(50, func() { decodeFast(same) })
	b := testing.AllocsPerRun(50, func() { decodeFast(own) })
	if a > b-18 {
		t.Fatalf("ten objects with the same two keys: %v allocations; with keys of their own: %v", a, b)
	}
}
