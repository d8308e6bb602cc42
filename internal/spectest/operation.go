package spectest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Operation is what the spec of one revision declares for one operation:
// its operationId, its x-klaviyo-ratelimit and the enums of its query
// parameters (fields[...], include), read from the unpatched document.
type Operation struct {
	ID            string
	Burst, Steady int
	// Enums are the allowed values of each query parameter that has an
	// enum, by parameter name.
	Enums map[string][]string
	// Query lists every query parameter the operation declares.
	Query []string
	// Path is the spec's path template that matched, e.g.
	// "/api/catalog-items/{item_id}/variants/".
	Path string
	// Filters are the filter fields the filter parameter's description
	// allows, with their operators ("ids": "any").
	Filters map[string][]string
}

// allowedFilter matches one "`field`: `op`, `op`" entry of a filter
// parameter's description.
var allowedFilter = regexp.MustCompile("`([^`]+)`: ((?:`[^`]+`(?:, )?)+)")

// Lookup returns what the spec of revision declares for method on path (a
// request path, with or without the trailing slash).
func Lookup(revision, method, path string) (Operation, error) {
	doc, err := rawDoc(revision)
	if err != nil {
		return Operation{}, err
	}
	tmpl, op, err := findOperation(doc, method, path)
	if err != nil {
		return Operation{}, err
	}
	out := Operation{ID: op.OperationID, Enums: map[string][]string{}, Path: tmpl, Filters: map[string][]string{}}
	if rl, ok := op.Extensions["x-klaviyo-ratelimit"].(map[string]any); ok {
		out.Burst = rate(rl["burst"])
		out.Steady = rate(rl["steady"])
	}
	for _, ref := range op.Parameters {
		p := ref.Value
		if p == nil || p.In != openapi3.ParameterInQuery {
			continue
		}
		out.Query = append(out.Query, p.Name)
		if p.Name == "filter" {
			_, allowed, _ := strings.Cut(p.Description, "Allowed field(s)/operator(s):")
			for _, m := range allowedFilter.FindAllStringSubmatch(allowed, -1) {
				for _, o := range strings.Split(m[2], ", ") {
					out.Filters[m[1]] = append(out.Filters[m[1]], strings.Trim(o, "`"))
				}
			}
		}
		if p.Schema == nil || p.Schema.Value == nil {
			continue
		}
		s := p.Schema.Value
		if s.Items != nil && s.Items.Value != nil {
			s = s.Items.Value
		}
		for _, v := range s.Enum {
			out.Enums[p.Name] = append(out.Enums[p.Name], fmt.Sprint(v))
		}
	}
	return out, nil
}

// rate reads "350/s" or "3500/m".
func rate(v any) int {
	s, _ := v.(string)
	n, _ := strconv.Atoi(strings.SplitN(s, "/", 2)[0])
	return n
}

// Endpoints lists every operation of revision's spec as method and path
// template ("GET", "/api/catalog-items/{id}/").
func Endpoints(revision string) ([][2]string, error) {
	doc, err := rawDoc(revision)
	if err != nil {
		return nil, err
	}
	var out [][2]string
	for _, tmpl := range doc.Paths.Keys() {
		for method := range doc.Paths.Value(tmpl).Operations() {
			out = append(out, [2]string{method, tmpl})
		}
	}
	return out, nil
}
