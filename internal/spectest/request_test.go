package spectest

import (
	"strings"
	"testing"
)

// TestCheckRequest_TheSpecsRequestSchemaOfTheRevision: a body the spec of
// a revision accepts passes; one outside an enum of that revision, or
// without a member it requires, does not; an operation without a body is
// an error.
func TestCheckRequest_TheSpecsRequestSchemaOfTheRevision(t *testing.T) {
	body := func(channel string) []byte {
		return []byte(`{"data":{"type":"back-in-stock-subscription","attributes":{"channels":["` + channel + `"]},` +
			`"relationships":{"variant":{"data":{"type":"catalog-variant","id":"$custom:::$default:::V"}}}}}`)
	}
	if err := CheckRequest("2025-01-15", "POST", "/api/back-in-stock-subscriptions", body("EMAIL")); err != nil {
		t.Fatalf("a valid body: %v", err)
	}
	if err := CheckRequest("2025-01-15", "POST", "/api/back-in-stock-subscriptions", body("WHATSAPP")); err == nil ||
		!strings.Contains(err.Error(), "/data/attributes/channels/0") {
		t.Fatalf("WHATSAPP before 2026-01-15: %v", err)
	}
	if err := CheckRequest("2026-01-15", "POST", "/api/back-in-stock-subscriptions", body("WHATSAPP")); err != nil {
		t.Fatalf("WHATSAPP from 2026-01-15: %v", err)
	}
	if err := CheckRequest("2025-01-15", "POST", "/client/back-in-stock-subscriptions", body("EMAIL")); err == nil {
		t.Fatal("/client without its required profile passed")
	}
	if err := CheckRequest("2025-01-15", "GET", "/api/catalog-items", nil); err == nil {
		t.Fatal("a GET has no request body to check")
	}
}
