package jsonw

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// scanSeeds are texts at the edges of JSON's grammar, where a hand-written
// scanner and encoding/json could part.
var scanSeeds = []string{
	``, ` `, `0`, `-0`, `01`, `-`, `1.`, `1.5`, `1e`, `1e+`, `1E-7`, `.5`, `+1`, `1.5e308`, `1e309`, `-1e400`,
	`"`, `""`, `"a`, `"\"`, `"\\"`, `"\u00e9"`, `"\u00g9"`, `"\x"`, "\"\x01\"", "\"\x7f\"", "\"\xff\"", `"\ud800"`,
	"\"caf\xc3\xa9\"", `"\/"`, `true`, `tru`, `truex`, `nul`, `null `, `false`,
	`{}`, `{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{"a":1 "b":2}`, `{"a":1}x`, `{"a":1} {}`, `{1:2}`, `{"a":1,"a":2}`,
	`[]`, `[`, `[1,]`, `[,1]`, `[1 2]`, `[[[]]]`, `[{"a":[1,{"b":null}]}]`, ` [ 1 , 2 ] `, "[\t\n\r1]",
	`{"a":{"b":{"c":[true,false,null,"x",-1.5e3]}}}`, `{"a":1,"b":2,"a":3}`, ` {"\u0061":1,"a":2} `,
	`{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"ka":10,"kb":11,"kc":12,"kd":13,"ke":14,"kf":15,"kg":16,"k3":17,"kh":18,"kg":19}`, `]`, `}`, `,`, `:`, `"a":1`,
	strings.Repeat("[", 513) + strings.Repeat("]", 513), strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
}

// FuzzValueEnd: the scanner accepts exactly the texts encoding/json
// accepts, says a text cut short is short (else what is wrong, in
// encoding/json's words), and Skip finds the end it found.
func FuzzValueEnd(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		end, err := ValueEnd(b, 0)
		whole := err == nil && SkipSpace(b, end) == len(b)
		if valid := json.Valid(b); whole != valid {
			t.Fatalf("%q: ValueEnd says whole %v (end %d, %v), json.Valid %v", b, whole, end, err, valid)
		}
		var raw json.RawMessage
		jerr := json.Unmarshal(b, &raw)
		var se *json.SyntaxError
		errors.As(jerr, &se)
		switch {
		case errors.Is(err, ErrShort):
			if se == nil || se.Offset != int64(len(b)) {
				t.Fatalf("%q: ValueEnd says it is cut short, encoding/json %v", b, jerr)
			}
		case err != nil:
			if jerr == nil || err.Error() != jerr.Error() {
				t.Fatalf("%q: ValueEnd says %v, encoding/json %v", b, err, jerr)
			}
		case whole:
			if got := Skip(b, SkipSpace(b, 0)); got != end {
				t.Fatalf("%q: Skip ends at %d, ValueEnd at %d", b, got, end)
			}
			checkRaw(t, b)
		}
		RawMembers(b) // any text: no panic, no endless loop
		Elements(b, nil)
	})
}

// checkRaw: RawMembers and Elements split a valid text as encoding/json
// reads it (a repeated key keeps its first position and its last value).
func checkRaw(t *testing.T, b []byte) {
	t.Helper()
	tree, err := decodeTokens(b)
	if err != nil {
		return // deeper than Decode reads, or a number that does not fit
	}
	members, isObj := RawMembers(b)
	if obj, ok := tree.(*Object); ok != isObj {
		t.Fatalf("%q: RawMembers says %v, Decode made %T", b, isObj, tree)
	} else if ok {
		if len(members) != len(obj.Keys) {
			t.Fatalf("%q: %d raw members, Decode %d", b, len(members), len(obj.Keys))
		}
		for i, m := range members {
			v, err := decodeTokens(m.Value)
			if m.Key != obj.Keys[i] || err != nil || !sameTree(v, valueOf(obj, m.Key)) {
				t.Fatalf("%q: raw member %d is %q %q, Decode's %q", b, i, m.Key, m.Value, obj.Keys[i])
			}
		}
	}
	elems, isArr := Elements(b, nil)
	if arr, ok := tree.([]any); ok != isArr {
		t.Fatalf("%q: Elements says %v, Decode made %T", b, isArr, tree)
	} else if ok {
		if len(elems) != len(arr) {
			t.Fatalf("%q: %d elements, Decode %d", b, len(elems), len(arr))
		}
		for i, e := range elems {
			if v, err := decodeTokens(e); err != nil || !sameTree(v, arr[i]) {
				t.Fatalf("%q: element %d is %q", b, i, e)
			}
		}
	}
}

// FuzzDecode_ScannerAgreesWithTokens: where the byte scanner decodes a document, encoding/json's
// tokens decode the same tree; where it does not, they refuse it.
func FuzzDecode_ScannerAgreesWithTokens(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fast, ok := decodeFast(b)
		slow, err := decodeTokens(b)
		if !ok {
			if err == nil {
				t.Fatalf("%q: the scanner left a document encoding/json reads (%s)", b, Encode(nil, slow))
			}
			return
		}
		if err != nil {
			t.Fatalf("%q: the scanner read a document encoding/json refuses: %v", b, err)
		}
		if !sameTree(fast, slow) {
			t.Fatalf("%q: the scanner read %s, encoding/json %s", b, Encode(nil, fast), Encode(nil, slow))
		}
		checkMembers(t, b, slow)
	})
}

// checkMembers: Members reads the members of the object Decode made
// of b, in its order, or refuses b when it is not an object.
func checkMembers(t *testing.T, b []byte, tree any) {
	t.Helper()
	var m Members
	m.Decode([]byte(`{"k3":"kept from before","k5":[1]}`))
	// Not written as Encode writes (spaces), so the decoder reads them
	// rather than taking them whole: it keeps recent keys, and gives up with
	// members pending inside nested objects.
	m.Decode([]byte(`{"k6": {"a": {"b": "c"}, "d": [{"a": 1}]}}`))
	m.Decode([]byte(`{"k6": {"a": 1, "q": {"r": [1, {"s": 2`))
	members, ok := m.Decode(b)
	obj, isObj := tree.(*Object)
	if ok != isObj {
		t.Fatalf("%q: Members says %v, Decode made %T", b, ok, tree)
	}
	if !ok {
		return
	}
	if len(members) != len(obj.Keys) {
		t.Fatalf("%q: %d members, Decode %d", b, len(members), len(obj.Keys))
	}
	for i, m := range members {
		if m.Key != obj.Keys[i] || !sameTree(m.Value(), valueOf(obj, m.Key)) {
			t.Fatalf("%q: member %d is %q, Decode's %q", b, i, m.Key, obj.Keys[i])
		}
	}
}

// valueOf is the value of o's member k.
func valueOf(o *Object, k string) any {
	v, _ := o.Get(k)
	return v
}

// sameTree compares two decoded trees, types, member order and all.
func sameTree(a, b any) bool {
	switch x := a.(type) {
	case *Object:
		y, ok := b.(*Object)
		if !ok || len(x.Keys) != len(y.Keys) || len(x.vals) != len(y.vals) {
			return false
		}
		for i, k := range x.Keys {
			if y.Keys[i] != k || !sameTree(x.vals[i], y.vals[i]) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) || (x == nil) != (y == nil) {
			return false
		}
		for i := range x {
			if !sameTree(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return a == b
}

func TestDecode_ScannerAndTokensAgreeOnLargeDocuments(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`{"items":[`)
	for i := 0; i < 1000; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"id":"x","price":12.5,"images":["a","b"],"meta":{"k":[1,2,{"z":null}]},"ok":true,"s":"caf\u00e9 \"q\""}`)
	}
	b.WriteString(`]}`)
	fast, ok := decodeFast(b.Bytes())
	slow, err := decodeTokens(b.Bytes())
	if !ok || err != nil || !sameTree(fast, slow) {
		t.Fatalf("ok %v, err %v, same %v", ok, err, sameTree(fast, slow))
	}
}
