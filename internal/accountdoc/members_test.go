package accountdoc

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
)

// memberSamples are objects as an account document may write its members:
// as a server writes them, and in the forms a hand may write them.
var memberSamples = []string{
	`{"account":"k","items":[],"jobs":[]}`, `{}`, ` { } `, `null`, `[]`, `"x"`, `{"a":1,"a":2}`, `{"a":1,"b":2,"a":{"c":3}}`,
	`{"it\u0065ms":[],"items":null}`, `{"a\"b":1}`, `{ "a" : [ 1 , 2 ] , "b" : { } }`, `{"é":1}`,
	"{" + strings.Repeat(`"a":1,`, 40) + `"b":2}`, membersOf(33), membersOf(32), membersOf(31),
}

// membersOf is an object of n members, each named once.
func membersOf(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"m%d":%d`, i, i)
	}
	return b.String() + "}"
}

// TestDocMembers_ReadsWhatRawMembersReads: an account document's members,
// read in place when their names are written plainly, are those
// jsonw.RawMembers reads.
func TestDocMembers_ReadsWhatRawMembersReads(t *testing.T) {
	for _, doc := range memberSamples {
		checkMembersAgree(t, doc)
	}
}

// FuzzDocMembers_ReadsWhatRawMembersReads is
// TestDocMembers_ReadsWhatRawMembersReads on any text that jsonw.ValueEnd
// takes as one value.
func FuzzDocMembers_ReadsWhatRawMembersReads(f *testing.F) {
	for _, doc := range memberSamples {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		if end, err := jsonw.ValueEnd([]byte(doc), 0); err != nil || jsonw.SkipSpace([]byte(doc), end) != len(doc) {
			return
		}
		checkMembersAgree(t, doc)
	})
}

func checkMembersAgree(t *testing.T, doc string) {
	t.Helper()
	got, ok := docMembers([]byte(doc), nil)
	want, wok := jsonw.RawMembers([]byte(doc))
	if ok != wok || len(got) != len(want) {
		t.Fatalf("%s: %d members (%v), RawMembers %d (%v)", doc, len(got), ok, len(want), wok)
	}
	for i := range want {
		if string(got[i].name) != want[i].Key || !bytes.Equal(got[i].value, want[i].Value) {
			t.Fatalf("%s: member %d is %s: %s, RawMembers %s: %s", doc, i, got[i].name, got[i].value, want[i].Key, want[i].Value)
		}
	}
}

// compactAccount is an account as a server saves it after a request
// changed one item (scripts/bench's state file row): its changed item,
// its own record, every job collection empty, its seeded histories and
// catalog kept.
func compactAccount(t testing.TB) []byte {
	t.Helper()
	raw, err := os.ReadFile("testdata/compact-account.json")
	if err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSpace(raw)
}

// A state file's compact account (about twenty members, twelve of them
// kept seeded collections) is read for each account a start restores.
// Reading it made a string of every member's name, an index of the
// members (past sixteen), and a map of each kept member's collections
// before the map by kind: 135 allocations. What it must make: the
// account's key and public key, each kept collection's first id (twelve),
// the two entity lists, the three maps and the few slices they are read
// into.
func TestUnmarshalJSON_ACompactAccountMakesWhatItKeeps(t *testing.T) {
	raw := compactAccount(t)
	n := testing.AllocsPerRun(50, func() {
		var st AccountState
		if err := st.UnmarshalJSON(raw); err != nil {
			t.Fatal(err)
		}
	})
	if n > 40 {
		t.Fatalf("reading a compact account allocates %.0f times, want at most 40", n)
	}
}
