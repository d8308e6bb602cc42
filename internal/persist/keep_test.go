package persist

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/accountdoc"
)

// TestSplitting_SmallAccountsAreReadWholeWithinTheBudget: the checking
// pass reads an account whole (its entity documents set aside) while it
// is small and the budget lasts; the others are only checked.
func TestSplitting_SmallAccountsAreReadWholeWithinTheBudget(t *testing.T) {
	var got []split
	p := &splitting{window: 2, keep: 100, check: func(s split) error { got = append(got, s); return s.err }}
	defer p.stop()
	for i := range 4 {
		raw := []byte(fmt.Sprintf(`{"account":"k%d","items":[{"external_id":"A"}]}`, i)) // 43 bytes
		if err := p.add(extent{index: i}, raw, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.then(nil); err != nil {
		t.Fatal(err)
	}
	for i, s := range got {
		if want := i < 2; s.whole != want || len(s.a.Entities[itemKind]) != map[bool]int{true: 1}[want] {
			t.Errorf("account %d: whole %v with %d items, want whole %v", i, s.whole, len(s.a.Entities[itemKind]), want)
		}
	}
}

// TestAccounts_AnAccountReadWholeIsHandedOutAsOneReadAgainIs: a small
// account, read whole by Load, and a large one, read again, are handed to
// restore with their collections; a second call of Accounts reads both
// from the file and hands out the same.
func TestAccounts_AnAccountReadWholeIsHandedOutAsOneReadAgainIs(t *testing.T) {
	var items []string
	for i := range keepAccount / 20 {
		items = append(items, fmt.Sprintf(`{"external_id":"I%05d"}`, i))
	}
	doc := `{"version":5,"seed":7,"clock":{"frozen":false},"accounts":[` +
		`{"account":"pk_small","items":[{"external_id":"A"}],"item-bulk-update-jobs":[]},` +
		`{"account":"pk_large","items":[` + strings.Join(items, ",") + `]}]}`
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	l, ok, err := Load(path)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if len(l.kept) != 2 || l.kept[0] == nil || l.kept[1] != nil {
		t.Fatalf("kept %v, want the small account only", l.kept)
	}
	for round := range 2 {
		var got []string
		if err := l.Accounts(func(a accountdoc.AccountState) error {
			got = append(got, fmt.Sprintf("%s %d %v", a.Account, len(a.Entities[itemKind]), a.Has(collItems)))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("[pk_small 1 true pk_large %d true]", len(items)); fmt.Sprint(got) != want {
			t.Fatalf("round %d: %v, want %s", round, got, want)
		}
	}
}

// TestSplitting_ASettledAccountIsTakenWhereItIs: an account that stays
// valid for good (the file was read to its end, and its buffer is never
// moved) is read whole or checked where it is: nothing is copied, and an
// account read whole refers to those bytes.
func TestSplitting_ASettledAccountIsTakenWhereItIs(t *testing.T) {
	var got []split
	p := &splitting{window: 2, keep: 100, check: func(s split) error { got = append(got, s); return s.err }}
	defer p.stop()
	var raws [][]byte
	for i := range 4 {
		raw := []byte(fmt.Sprintf(`{"account":"k%d","items":[{"external_id":"A"}]}`, i)) // 43 bytes
		raws = append(raws, raw)
		if err := p.add(extent{index: i}, raw, true); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.then(nil); err != nil {
		t.Fatal(err)
	}
	if p.copied != 0 || p.made != 0 || len(got) != 4 {
		t.Fatalf("%d bytes copied into %d buffers; %d accounts checked", p.copied, p.made, len(got))
	}
	for i, s := range got[:2] {
		doc := s.a.Entities[itemKind][0]
		if !s.whole || &doc[0] != &raws[i][len(`{"account":"k0","items":[`)] {
			t.Errorf("account %d (whole %v) does not refer to its bytes", i, s.whole)
		}
	}
}
