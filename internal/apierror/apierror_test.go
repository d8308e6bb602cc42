package apierror_test

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
)

const errID = "6f0b8f0e-2c1a-4a8e-9a37-3b2f1d7c9e10"

// decode parses an error document and returns its error objects, failing
// unless it is exactly {"errors":[...]}.
func decode(t *testing.T, doc []byte) []map[string]any {
	t.Helper()
	if !json.Valid(doc) {
		t.Fatalf("not valid JSON: %s", doc)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(doc, &top); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	if keys := slices.Sorted(maps.Keys(top)); !slices.Equal(keys, []string{"errors"}) {
		t.Fatalf("top-level members = %q, want [errors]", keys)
	}
	var errs []map[string]any
	if err := json.Unmarshal(top["errors"], &errs); err != nil {
		t.Fatalf("errors is not an array of objects: %v", err)
	}
	return errs
}

func members(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

func TestAppend_CompactDocument(t *testing.T) {
	e := apierror.Invalid("filter", `bad "x"`)
	got := string(apierror.Append(nil, errID, apierror.Style{}, e))
	want := `{"errors":[{"id":"` + errID + `","status":400,"code":"invalid","title":"Invalid input.",` +
		`"detail":"bad \"x\"","source":{"parameter":"filter"}}]}`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	objs := decode(t, []byte(got))
	if len(objs) != 1 {
		t.Fatalf("%d errors, want 1", len(objs))
	}
	if m := members(objs[0]); !slices.Equal(m, []string{"code", "detail", "id", "source", "status", "title"}) {
		t.Errorf("members = %q", m)
	}
	if objs[0]["status"] != float64(400) {
		t.Errorf("status = %#v, want the number 400", objs[0]["status"])
	}
}

func TestAppend_SpacedDocument(t *testing.T) {
	e := apierror.PathNotFound("/api/catalogs/")
	got := string(apierror.Append(nil, errID, apierror.Style{Spaced: true}, e))
	want := `{"errors": [{"id": "` + errID + `", "status": 404, "code": "not_found", "title": "Not found", ` +
		`"detail": "The path /api/catalogs/ could not be found"}]}`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	decode(t, []byte(got))

	two := string(apierror.Append(nil, errID, apierror.Style{Spaced: true, Modern: true},
		apierror.InvalidPointer("/data", "a"), apierror.InvalidPointer("/data", "b")))
	if strings.Contains(strings.ReplaceAll(strings.ReplaceAll(two, ", ", ""), ": ", ""), ",") {
		t.Errorf("spaced document has a comma without a space: %s", two)
	}
	if !strings.Contains(two, `}, {"id": `) || !strings.Contains(two, `"links": {}, "meta": {}`) {
		t.Errorf("spaced separators missing between errors or members: %s", two)
	}
	decode(t, []byte(two))
}

func TestAppend_ModernAddsEmptyLinksAndMeta(t *testing.T) {
	e := apierror.InvalidPointer("/data/attributes/items", "too many")
	got := string(apierror.Append(nil, errID, apierror.Style{Modern: true}, e))
	want := `{"errors":[{"id":"` + errID + `","status":400,"code":"invalid","title":"Invalid input.",` +
		`"detail":"too many","source":{"pointer":"/data/attributes/items"},"links":{},"meta":{}}]}`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	obj := decode(t, []byte(got))[0]
	if m := members(obj); !slices.Equal(m, []string{"code", "detail", "id", "links", "meta", "source", "status", "title"}) {
		t.Errorf("members = %q", m)
	}
	if l, ok := obj["links"].(map[string]any); !ok || len(l) != 0 {
		t.Errorf("links = %#v, want {}", obj["links"])
	}
	if m, ok := obj["meta"].(map[string]any); !ok || len(m) != 0 {
		t.Errorf("meta = %#v, want {}", obj["meta"])
	}
}

func TestAppend_ThrottledCarriesLinksType(t *testing.T) {
	tests := []struct {
		name   string
		err    *apierror.Error
		style  apierror.Style
		want   string
		fields []string
	}{
		{"legacy", apierror.Throttled(1, false), apierror.Style{},
			`{"errors":[{"id":"` + errID + `","status":429,"code":"throttled","title":"Request was throttled.",` +
				`"detail":"Request was throttled. Expected available in 1 second.","source":{"pointer":"/data/"}}]}`,
			[]string{"code", "detail", "id", "source", "status", "title"}},
		{"modern", apierror.Throttled(3, true), apierror.Style{Modern: true},
			`{"errors":[{"id":"` + errID + `","status":429,"code":"throttled","title":"Request was throttled.",` +
				`"detail":"Request was throttled. Expected available in 3 seconds.","source":{"pointer":"/data"},` +
				`"links":{"type":"https://developers.klaviyo.com/en/docs/rate_limits_and_error_handling#rate-limits"},"meta":{}}]}`,
			[]string{"code", "detail", "id", "links", "meta", "source", "status", "title"}},
		{"modern error in legacy style", apierror.Throttled(0, true), apierror.Style{},
			`{"errors":[{"id":"` + errID + `","status":429,"code":"throttled","title":"Request was throttled.",` +
				`"detail":"Request was throttled. Expected available in 0 seconds.","source":{"pointer":"/data"},` +
				`"links":{"type":"https://developers.klaviyo.com/en/docs/rate_limits_and_error_handling#rate-limits"}}]}`,
			[]string{"code", "detail", "id", "links", "source", "status", "title"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(apierror.Append(nil, errID, tt.style, tt.err))
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			obj := decode(t, []byte(got))[0]
			if m := members(obj); !slices.Equal(m, tt.fields) {
				t.Errorf("members = %q, want %q", m, tt.fields)
			}
		})
	}
}

func TestAppend_AllErrorsShareOneID(t *testing.T) {
	errs := []*apierror.Error{
		apierror.Invalid("filter", "a"),
		apierror.UnknownField("fields[catalog-item-bulk-update-job]", "nope", "catalog-item-bulk-update-job"),
		apierror.InvalidCursor(),
	}
	for _, style := range []apierror.Style{{}, {Modern: true}, {Spaced: true}, {Modern: true, Spaced: true}} {
		objs := decode(t, apierror.Append(nil, errID, style, errs...))
		if len(objs) != len(errs) {
			t.Fatalf("%+v: %d errors, want %d", style, len(objs), len(errs))
		}
		for i, o := range objs {
			if o["id"] != errID {
				t.Errorf("%+v: error %d id = %v, want %s", style, i, o["id"], errID)
			}
			if o["detail"] != errs[i].Detail {
				t.Errorf("%+v: error %d detail = %v, want %q (order kept)", style, i, o["detail"], errs[i].Detail)
			}
		}
	}
}

func TestAppend_SourceMembers(t *testing.T) {
	tests := []struct {
		name string
		src  *apierror.Source
		want string // the source member, "" for none
	}{
		{"none", nil, ""},
		{"pointer", &apierror.Source{Pointer: "/data"}, `"source":{"pointer":"/data"}`},
		{"parameter", &apierror.Source{Parameter: "page[cursor]"}, `"source":{"parameter":"page[cursor]"}`},
		{"pointer wins", &apierror.Source{Pointer: "/data/", Parameter: "x"}, `"source":{"pointer":"/data/"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &apierror.Error{Status: 400, Code: "invalid", Title: "Invalid input.", Detail: "d", Source: tt.src}
			got := string(apierror.Append(nil, errID, apierror.Style{}, e))
			decode(t, []byte(got))
			if tt.want == "" {
				if strings.Contains(got, "source") {
					t.Errorf("got a source member: %s", got)
				}
				return
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("%s does not contain %s", got, tt.want)
			}
		})
	}
}

func TestAppend_EscapesStringsAndAppendsToBuffer(t *testing.T) {
	e := apierror.Invalid("fields[x]", "'a\nb' \u2028 \\ \"q\" \x01")
	b := apierror.Append([]byte("prefix:"), `id"1`, apierror.Style{}, e)
	if !strings.HasPrefix(string(b), "prefix:{") {
		t.Fatalf("Append did not append to the buffer: %s", b)
	}
	obj := decode(t, b[len("prefix:"):])[0]
	if obj["detail"] != e.Detail || obj["id"] != `id"1` {
		t.Errorf("round trip detail %q id %q", obj["detail"], obj["id"])
	}
}

func TestAppend_NoErrors(t *testing.T) {
	if got := string(apierror.Append(nil, errID, apierror.Style{})); got != `{"errors":[]}` {
		t.Errorf("got %s", got)
	}
}

func TestConstructors(t *testing.T) {
	tests := []struct {
		name                string
		err                 *apierror.Error
		status              int
		code, title, detail string
		pointer, param, hdr string
		noSource            bool
	}{
		{"Invalid", apierror.Invalid("filter", "d"), 400, "invalid", "Invalid input.", "d", "", "filter", "", false},
		{"Invalidf", apierror.Invalidf("include", apierror.DetailInvalidInclude, "x"), 400, "invalid", "Invalid input.",
			"'x' is not an allowed include parameter for this resource.", "", "include", "", false},
		{"InvalidPointer", apierror.InvalidPointer("/data/attributes", "d"), 400, "invalid", "Invalid input.", "d", "/data/attributes", "", "", false},
		{"InvalidHeader", apierror.InvalidHeader("revision", "d"), 400, "invalid", "Invalid input.", "d", "", "revision", "", false},
		{"InvalidCursor", apierror.InvalidCursor(), 400, "invalid", "Invalid input.", "Invalid cursor provided.", "/data/", "", "", false},
		{"UnknownField", apierror.UnknownField("fields[catalog-item-bulk-update-job]", "job_id", "catalog-item-bulk-update-job"),
			400, "invalid", "Invalid input.", "'job_id' is not a valid field for the resource 'catalog-item-bulk-update-job'.",
			"", "fields[catalog-item-bulk-update-job]", "", false},
		{"NotAuthenticated", apierror.NotAuthenticated(), 401, "not_authenticated", "Authentication credentials were not provided.",
			"Missing or invalid authorization scheme. Please use Klaviyo-API-Key.", "/data/", "", "", false},
		{"AuthenticationFailed", apierror.AuthenticationFailed(), 401, "authentication_failed", "Incorrect authentication credentials.",
			"Incorrect authentication credentials.", "/data/", "", "", false},
		{"PermissionDenied", apierror.PermissionDenied("d"), 403, "permission_denied", "You do not have permission to perform this action.",
			"d", "/data/", "", "", false},
		{"NotFound", apierror.NotFound("d"), 404, "not_found", "Not found.", "d", "/data/", "", "", false},
		{"ResourceNotFound", apierror.ResourceNotFound("catalog-item-bulk-update-job", "01GSQPBF74KQ5YTDEPP41T1BZH"), 404, "not_found", "Not found.",
			"A catalog-item-bulk-update-job with id 01GSQPBF74KQ5YTDEPP41T1BZH does not exist.", "/data/", "", "", false},
		{"PathNotFound", apierror.PathNotFound("/api/catalogs/"), 404, "not_found", "Not found",
			"The path /api/catalogs/ could not be found", "", "", "", true},
		{"NoValidRevision", apierror.NoValidRevision(), 404, "not_found", "Not found.",
			"No valid revisions found for method, please check our documentation", "", "revision", "", false},
		{"MethodNotAllowed", apierror.MethodNotAllowed("PATCH", []string{"GET", "POST", "HEAD", "OPTIONS"}), 405,
			"method_not_allowed", `Method "PATCH" not allowed.`,
			`Method "PATCH" not allowed. Allowed methods: GET, POST, HEAD, OPTIONS.`, "", "", "", true},
		{"Gone", apierror.Gone("d"), 410, "gone", "Gone.", "d", "", "revision", "", false},
		{"TooLarge", apierror.TooLarge("d"), 413, "request_too_large", "Request entity too large.", "d", "/data", "", "", false},
		{"RequestTimeout", apierror.RequestTimeout("d"), 408, "request_timeout", "Request timeout.", "d", "/data", "", "", false},
		{"HeaderTooLarge", apierror.HeaderTooLarge("d"), 431, "request_header_too_large", "Request header fields too large.", "d", "", "", "", true},
		{"UnsupportedMediaType", apierror.UnsupportedMediaType("text/plain"), 415, "unsupported_media_type",
			`Unsupported media type "text/plain" in request.`,
			`Unsupported media type "text/plain" in request. Send application/vnd.api+json or application/json.`, "", "Content-Type", "", false},
		{"Throttled 0", apierror.Throttled(0, false), 429, "throttled", "Request was throttled.",
			"Request was throttled. Expected available in 0 seconds.", "/data/", "", "", false},
		{"Throttled 1", apierror.Throttled(1, false), 429, "throttled", "Request was throttled.",
			"Request was throttled. Expected available in 1 second.", "/data/", "", "", false},
		{"Throttled 2", apierror.Throttled(2, false), 429, "throttled", "Request was throttled.",
			"Request was throttled. Expected available in 2 seconds.", "/data/", "", "", false},
		{"Throttled 59 modern", apierror.Throttled(59, true), 429, "throttled", "Request was throttled.",
			"Request was throttled. Expected available in 59 seconds.", "/data", "", "", false},
		{"Server 500", apierror.Server(500), 500, "error", "A server error occurred.", "A server error occurred. (HTTP 500)", "", "", "", true},
		{"Server 502", apierror.Server(502), 502, "error", "A server error occurred.", "A server error occurred. (HTTP 502)", "", "", "", true},
		{"Server 503", apierror.Server(503), 503, "service_unavailable", "Service temporarily unavailable, try again later.",
			"Service temporarily unavailable, try again later.", "", "", "", true},
		{"Server 504", apierror.Server(504), 504, "error", "A server error occurred.", "A server error occurred. (HTTP 504)", "", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.err
			if e.Status != tt.status || e.Code != tt.code || e.Title != tt.title || e.Detail != tt.detail {
				t.Errorf("got %d %q %q %q\nwant %d %q %q %q", e.Status, e.Code, e.Title, e.Detail,
					tt.status, tt.code, tt.title, tt.detail)
			}
			if tt.noSource {
				if e.Source != nil {
					t.Errorf("source = %+v, want none", *e.Source)
				}
				return
			}
			want := apierror.Source{Pointer: tt.pointer, Parameter: tt.param}
			if e.Source == nil || *e.Source != want {
				t.Errorf("source = %+v, want %+v", e.Source, want)
			}
		})
	}
}

func TestThrottled_RetryAfterAndLinkType(t *testing.T) {
	legacy := apierror.Throttled(7, false)
	if legacy.RetryAfter != 7 || legacy.LinkType != "" {
		t.Errorf("legacy: RetryAfter %d LinkType %q; want 7 and none", legacy.RetryAfter, legacy.LinkType)
	}
	modern := apierror.Throttled(1, true)
	if modern.RetryAfter != 1 || modern.LinkType != apierror.ThrottledLinkType {
		t.Errorf("modern: RetryAfter %d LinkType %q; want 1 and %q", modern.RetryAfter, modern.LinkType, apierror.ThrottledLinkType)
	}
}

func TestMethodNotAllowed_SetsAllow(t *testing.T) {
	e := apierror.MethodNotAllowed("DELETE", []string{"GET", "HEAD"})
	if e.Allow != "GET, HEAD" {
		t.Errorf("Allow = %q, want %q", e.Allow, "GET, HEAD")
	}
}

func TestError_ErrorString(t *testing.T) {
	if got, want := apierror.InvalidCursor().Error(), "400 invalid: Invalid cursor provided."; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
