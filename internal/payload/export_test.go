package payload

// The parsers through the decoded tree, which the faster paths must agree
// with on every body (the oracle of identifiers_test.go).
var (
	ParseIdentifiersTree = parseIdentifiersTree
	ParseEntityTree      = parseEntityTree
)
