package spectest

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// CheckRequest validates a request body against the requestBody schema of
// the operation method path has at revision (its one declared media type),
// with no tolerance: nil when the spec accepts it, else an error listing
// every violation. Tests use it to tell a body the spec refuses from one
// only the emulator's own rules refuse.
func CheckRequest(revision, method, path string, body []byte) error {
	doc, err := rawDoc(revision)
	if err != nil {
		return err
	}
	tmpl, op, err := findOperation(doc, method, path)
	if err != nil {
		return err
	}
	if op.RequestBody == nil || op.RequestBody.Value == nil || len(op.RequestBody.Value.Content) == 0 {
		return fmt.Errorf("spec path %s %s takes no request body", method, tmpl)
	}
	var schema *openapi3.Schema
	for _, m := range op.RequestBody.Value.Content {
		schema = m.Schema.Value
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("request body is not JSON: %v", err)
	}
	verr := schema.VisitJSON(v, openapi3.MultiErrors(), openapi3.VisitAsRequest())
	if verr == nil {
		return nil
	}
	var lines []string
	flatten(verr, &lines)
	return fmt.Errorf("revision %s %s %s: the spec refuses the body: %s", revision, method, tmpl, strings.Join(lines, "; "))
}
