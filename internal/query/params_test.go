package query_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/query"
)

func TestParse_DecodesKeysAndValuesInOrder(t *testing.T) {
	tests := []struct {
		raw  string
		want query.Params
	}{
		{"", nil},
		{"a=1", query.Params{{"a", "1"}}},
		{"a=1&b=2", query.Params{{"a", "1"}, {"b", "2"}}},
		{"b=2&a=1", query.Params{{"b", "2"}, {"a", "1"}}},
		{"a=1&a=2", query.Params{{"a", "1"}, {"a", "2"}}},
		{"a", query.Params{{"a", ""}}},
		{"a=", query.Params{{"a", ""}}},
		{"=v", query.Params{{"", "v"}}},
		{"a=b=c", query.Params{{"a", "b=c"}}},
		{"&&a=1&&b=2&", query.Params{{"a", "1"}, {"b", "2"}}},
		{"a=1;b=2", query.Params{{"a", "1;b=2"}}},
		{"q=a+b", query.Params{{"q", "a b"}}},
		{"q=a%2Bb", query.Params{{"q", "a+b"}}},
		{"q=a%20b", query.Params{{"q", "a b"}}},
		{"k+ey=v", query.Params{{"k ey", "v"}}},
		{"page%5Bcursor%5D=bmV4dA", query.Params{{"page[cursor]", "bmV4dA"}}},
		{"page%5bcursor%5d=x", query.Params{{"page[cursor]", "x"}}},
		{"page[cursor]=x", query.Params{{"page[cursor]", "x"}}},
		{"fields[catalog-item-bulk-update-job]=status,created_at",
			query.Params{{"fields[catalog-item-bulk-update-job]", "status,created_at"}}},
		{"filter=equals(status,'queued')", query.Params{{"filter", "equals(status,'queued')"}}},
		{"filter=equals%28status%2C%27queued%27%29", query.Params{{"filter", "equals(status,'queued')"}}},
		{"filter=equals(status,%22queued%22)", query.Params{{"filter", `equals(status,"queued")`}}},
		{"a=%E2%9C%93", query.Params{{"a", "✓"}}},
		{"a=%00", query.Params{{"a", "\x00"}}},
		{"a=%25", query.Params{{"a", "%"}}},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := query.Parse(tt.raw)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.raw, err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Parse(%q) = %q, want %q", tt.raw, got, tt.want)
			}
		})
	}
}

func TestParse_RejectsMalformedEscapesNamingTheParameter(t *testing.T) {
	tests := []struct {
		raw, param string
		detail     string
	}{
		{"a=%zz", "a", `The value of query parameter "a" is not correctly percent-encoded.`},
		{"a=%", "a", `The value of query parameter "a" is not correctly percent-encoded.`},
		{"a=%4", "a", `The value of query parameter "a" is not correctly percent-encoded.`},
		{"a=100%", "a", `The value of query parameter "a" is not correctly percent-encoded.`},
		{"ok=1&page%5Bcursor%5D=%GG", "page[cursor]",
			`The value of query parameter "page[cursor]" is not correctly percent-encoded.`},
		{"filter=equals(status,%27queued%2)", "filter",
			`The value of query parameter "filter" is not correctly percent-encoded.`},
		{"%zz=1", "%zz", `Query parameter "%zz" is not correctly percent-encoded.`},
		{"page%5Bcursor%5=1", "page%5Bcursor%5", `Query parameter "page%5Bcursor%5" is not correctly percent-encoded.`},
		{"a=1&b%=2", "b%", `Query parameter "b%" is not correctly percent-encoded.`},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := query.Parse(tt.raw)
			if got != nil {
				t.Errorf("Parse(%q) returned %q with its error, want nil", tt.raw, got)
			}
			wantInvalidParam(t, err, tt.param)
			if err != nil && err.Detail != tt.detail {
				t.Errorf("detail = %q, want %q", err.Detail, tt.detail)
			}
		})
	}
}

func TestParams_GetReturnsLastOccurrence(t *testing.T) {
	ps := query.Params{{"a", "1"}, {"b", ""}, {"a", "2"}, {"c", "x"}, {"a", "3"}}
	tests := []struct {
		key    string
		want   string
		wantOK bool
	}{
		{"a", "3", true},
		{"b", "", true},
		{"c", "x", true},
		{"d", "", false},
		{"A", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := ps.Get(tt.key)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("Get(%q) = %q, %v; want %q, %v", tt.key, got, ok, tt.want, tt.wantOK)
		}
	}
	if v, ok := query.Params(nil).Get("a"); v != "" || ok {
		t.Errorf("nil Params Get = %q, %v; want \"\", false", v, ok)
	}
}

func TestParams_EncodePercentEncodesAndSkipsKey(t *testing.T) {
	tests := []struct {
		name string
		ps   query.Params
		skip string
		want string
	}{
		{"empty", nil, "", ""},
		{"brackets", query.Params{{"fields[catalog-item-bulk-update-job]", "status,created_at"}}, "",
			"fields%5Bcatalog-item-bulk-update-job%5D=status%2Ccreated_at"},
		{"filter punctuation", query.Params{{"filter", `equals(status,'queued')`}}, "",
			"filter=equals%28status%2C%27queued%27%29"},
		{"double quotes", query.Params{{"filter", `equals(status,"queued")`}}, "",
			"filter=equals%28status%2C%22queued%22%29"},
		{"space and plus", query.Params{{"q", "a b+c"}}, "", "q=a+b%2Bc"},
		{"percent and ampersand", query.Params{{"q", "50%&x=y"}}, "", "q=50%25%26x%3Dy"},
		{"unreserved kept", query.Params{{"q", "aZ09-_.~"}}, "", "q=aZ09-_.~"},
		{"non-ASCII", query.Params{{"q", "✓"}}, "", "q=%E2%9C%93"},
		{"empty value", query.Params{{"a", ""}}, "", "a="},
		{"skips cursor, keeps order",
			query.Params{{"filter", "x"}, {"page[cursor]", "old"}, {"include", "items"}, {"page[cursor]", "older"}},
			query.ParamCursor, "filter=x&include=items"},
		{"skips first", query.Params{{"page[cursor]", "old"}, {"a", "1"}}, "page[cursor]", "a=1"},
		{"skips everything", query.Params{{"page[cursor]", "old"}}, "page[cursor]", ""},
		{"keeps repeats", query.Params{{"a", "1"}, {"a", "2"}}, "b", "a=1&a=2"},
		{"page size kept", query.Params{{"page[size]", "1"}, {"page[cursor]", "c"}}, query.ParamCursor,
			"page%5Bsize%5D=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(tt.ps.Encode(nil, tt.skip)); got != tt.want {
				t.Errorf("Encode = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParams_EncodeAppendsToBuffer(t *testing.T) {
	b := []byte("https://a.klaviyo.com/api/catalog-item-bulk-update-jobs?")
	got := string(query.Params{{"a", "1"}, {"b", "2"}}.Encode(b, ""))
	want := "https://a.klaviyo.com/api/catalog-item-bulk-update-jobs?a=1&b=2"
	if got != want {
		t.Errorf("Encode = %q, want %q", got, want)
	}
}

func TestParams_EncodeThenParseRoundTrips(t *testing.T) {
	ps := query.Params{
		{"filter", `equals(status,'que\'ued')`},
		{"fields[catalog-item-bulk-update-job]", "status,id"},
		{"weird key&=", "va lue+%"},
		{"", "empty key"},
		{"ü", "\xff"},
	}
	got, err := query.Parse(string(ps.Encode(nil, "page[cursor]")))
	if err != nil {
		t.Fatalf("Parse error: %v", err)
	}
	if !slices.Equal(got, ps) {
		t.Errorf("round trip = %q, want %q", got, ps)
	}
}

func TestBracketed(t *testing.T) {
	tests := []struct {
		key            string
		family, member string
		ok             bool
	}{
		{"fields[catalog-item-bulk-update-job]", "fields", "catalog-item-bulk-update-job", true},
		{"fields[catalog-item]", "fields", "catalog-item", true},
		{"page[cursor]", "page", "cursor", true},
		{"page[size]", "page", "size", true},
		{"fields[]", "fields", "", true},
		{"a[b][c]", "a", "b][c", true},
		{"fields", "", "", false},
		{"fields[", "", "", false},
		{"fields]", "", "", false},
		{"[cursor]", "", "", false},
		{"fields[x]y", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		family, member, ok := query.Bracketed(tt.key)
		if family != tt.family || member != tt.member || ok != tt.ok {
			t.Errorf("Bracketed(%q) = %q, %q, %v; want %q, %q, %v",
				tt.key, family, member, ok, tt.family, tt.member, tt.ok)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"",
		"a=1&b=2",
		"page%5Bcursor%5D=bmV4dDo6aWQ6Ok43dW1iVw&filter=equals(status,%27queued%27)",
		"fields[catalog-item-bulk-update-job]=status,created_at&include=items",
		"q=a+b%2Bc",
		"a=%zz",
		"%zz=1",
		"=%",
		"&&&",
		"a=%E2%9C%93&a=%FF",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		ps, err := query.Parse(raw)
		if err != nil {
			if ps != nil {
				t.Errorf("Parse(%q) returned %q with an error", raw, ps)
			}
			if err.Status != 400 || err.Code != "invalid" || err.Source == nil || strings.TrimSpace(err.Detail) == "" {
				t.Errorf("Parse(%q) error %+v is not a Klaviyo 400 with a detail", raw, err)
			}
			if !strings.Contains(err.Detail, "percent-encoded") {
				t.Errorf("Parse(%q) detail %q does not say what is wrong", raw, err.Detail)
			}
			return
		}
		for _, p := range ps {
			if strings.Contains(p.Key, "=") && !strings.Contains(raw, "%3D") && !strings.Contains(raw, "%3d") {
				t.Errorf("Parse(%q) key %q contains '=' that was not escaped", raw, p.Key)
			}
		}
		// Encode skips the key it is given; skip the cursor, as links do.
		var kept query.Params
		for _, p := range ps {
			if p.Key != query.ParamCursor {
				kept = append(kept, p)
			}
		}
		enc := string(ps.Encode(nil, query.ParamCursor))
		again, err := query.Parse(enc)
		if err != nil {
			t.Fatalf("Parse(Encode(Parse(%q)) = %q) error: %v", raw, enc, err)
		}
		if !slices.Equal(again, kept) {
			t.Errorf("round trip of %q via %q = %q, want %q", raw, enc, again, kept)
		}
		if strings.ContainsAny(enc, "[]()'\", ") {
			t.Errorf("Encode = %q leaves characters unescaped", enc)
		}
		for _, p := range ps {
			v, ok := ps.Get(p.Key)
			if !ok {
				t.Errorf("Get(%q) not found", p.Key)
			}
			last := ""
			for _, q := range ps {
				if q.Key == p.Key {
					last = q.Value
				}
			}
			if v != last {
				t.Errorf("Get(%q) = %q, want last %q", p.Key, v, last)
			}
		}
	})
}
