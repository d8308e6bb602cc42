package payload_test

import (
	"strings"
	"testing"

	"github.com/klaviyo-mock/mockserver/internal/apierror"
	"github.com/klaviyo-mock/mockserver/internal/payload"
	"github.com/klaviyo-mock/mockserver/internal/resource"
	"github.com/klaviyo-mock/mockserver/internal/store"
)

// plainItem is an item create element with every attribute a create may
// send, written plainly.
func plainItem(ext string) string {
	return `{"type":"catalog-item","attributes":{"external_id":"` + ext + `","title":"Title ` + ext + `",` +
		`"description":"d","url":"https://shop.example/` + ext + `","price":12.5,"integration_type":"$custom",` +
		`"catalog_type":"$default","image_full_url":"https://img.example/a.png","image_thumbnail_url":"",` +
		`"images":["https://img.example/a.png","/images/b.png"],"custom_metadata":{"a":[1,{"b":null}],"c":"x"},"published":false}}`
}

// createBodies are item create bodies at the edges of what the in-place
// read takes (inPlace: it must take it), each a list of elements and
// members after "data" in the top object.
var createBodies = []struct {
	name    string
	list    string
	rest    string
	inPlace bool
}{
	{"one, every attribute", plainItem("A"), ``, true},
	{"ten", strings.Repeat(plainItem("A")+",", 9) + plainItem("B"), ``, true},
	{"the fewest attributes", `{"type":"catalog-item","attributes":{"external_id":"A","title":"t","description":"","url":"u"}}`, ``, true},
	{"members in another order", `{"attributes":{"url":"u","description":"d","title":"t","external_id":"A"},"type":"catalog-item"}`, ``, true},
	{"spaces everywhere", " {\n\"type\" : \"catalog-item\" ,\t\"attributes\" : { \"external_id\" : \"A\" , \"title\":\"t\",\"description\":\"d\",\"url\":\"u\" , \"price\" : 1e2 } } ", ` `, true},
	{"the document's other members", plainItem("A"), `,"meta":{"a":[1,{"b":null}],"c":-1.5e3},"links":null`, true},
	{"non-ASCII text", `{"type":"catalog-item","attributes":{"external_id":"A","title":"caf` + "\xc3\xa9" + `","description":"d","url":"u"}}`, ``, true},

	{"escaped text", `{"type":"catalog-item","attributes":{"external_id":"A","title":"t\u00e9\/","description":"d","url":"u"}}`, ``, false},
	{"invalid UTF-8", `{"type":"catalog-item","attributes":{"external_id":"A","title":"` + "\xff" + `","description":"d","url":"u"}}`, ``, false},
	{"escaped key", `{"type":"catalog-item","attributes":{"external_id":"A","titl\u0065":"t","description":"d","url":"u"}}`, ``, false},
	{"a null", `{"type":"catalog-item","attributes":{"external_id":"A","title":"t","description":"d","url":"u","price":null}}`, ``, false},
	{"an attribute twice", `{"type":"catalog-item","attributes":{"external_id":"A","title":"t","description":"d","url":"u","title":"u"}}`, ``, false},
	{"type twice", `{"type":"x","type":"catalog-item","attributes":{"external_id":"A","title":"t","description":"d","url":"u"}}`, ``, false},
	{"relationships", `{"type":"catalog-item","attributes":{"external_id":"A","title":"t","description":"d","url":"u"},` +
		`"relationships":{"categories":{"data":[{"type":"catalog-category","id":"$custom:::$default:::C"}]}}}`, ``, false},
	{"data twice", plainItem("A"), `,"data":{"type":"catalog-item-bulk-create-job","attributes":{"items":[]}}`, false},
	{"a wrong constant", `{"type":"catalog-item","attributes":{"external_id":"A","title":"t","description":"d","url":"u","catalog_type":"$other"}}`, ``, false},
	{"an unknown attribute", `{"type":"catalog-item","attributes":{"external_id":"A","title":"t","description":"d","url":"u","colour":"red"}}`, ``, false},
	{"a server-set attribute", `{"type":"catalog-item","attributes":{"external_id":"A","title":"t","description":"d","url":"u","updated":"2026-01-01T00:00:00Z"}}`, ``, false},
	{"a required attribute missing", `{"type":"catalog-item","attributes":{"external_id":"A","title":"t","description":"d"}}`, ``, false},
	{"an empty external id", `{"type":"catalog-item","attributes":{"external_id":"","title":"t","description":"d","url":"u"}}`, ``, false},
	{"a number for a string", `{"type":"catalog-item","attributes":{"external_id":"A","title":5,"description":"d","url":"u"}}`, ``, false},
	{"a string for a number", `{"type":"catalog-item","attributes":{"external_id":"A","title":"t","description":"d","url":"u","price":"5"}}`, ``, false},
	{"a number past a float64", `{"type":"catalog-item","attributes":{"external_id":"A","title":"t","description":"d","url":"u","price":1e400}}`, ``, false},
	{"a number past a float64 elsewhere", plainItem("A"), `,"meta":[1e400]`, false},
	{"a list of numbers for images", `{"type":"catalog-item","attributes":{"external_id":"A","title":"t","description":"d","url":"u","images":[1]}}`, ``, false},
	{"the wrong element type", `{"type":"catalog-variant","attributes":{"external_id":"A","title":"t","description":"d","url":"u"}}`, ``, false},
	{"no type", `{"attributes":{"external_id":"A","title":"t","description":"d","url":"u"}}`, ``, false},
	{"an id", `{"type":"catalog-item","id":"$custom:::$default:::A","attributes":{"external_id":"A","title":"t","description":"d","url":"u"}}`, ``, false},
	{"not an object", `"A"`, ``, false},
	{"no elements", ``, ``, false},
	{"101 elements", strings.Repeat(plainItem("A")+",", 100) + plainItem("B"), ``, false},
	{"a trailing comma", plainItem("A") + `,`, ``, false},
	{"broken", plainItem("A")[:40], ``, false},
}

// createBody is a create document of job name at date holding list, with
// rest after its data.
func createBody(name, date, list, rest string) string {
	b := jobBodyWithList(name, date, list)
	return b[:len(b)-1] + rest + "}"
}

// ParseCreate answers every body as the tree of the decoded document does:
// the same request, or the same errors in the same order; and it reads the
// plain bodies in place, at every revision.
func TestParseCreate_InPlaceAnswersAsTheTree(t *testing.T) {
	for _, date := range revisions() {
		p := jobProfile(t, itemCreateJobs, date)
		for _, c := range createBodies {
			answersAsTheTree(t, p, date+" "+c.name, []byte(createBody(itemCreateJobs, date, c.list, c.rest)), c.inPlace)
		}
	}
}

// The other kinds' creates: a category's (its items in relationships go
// through the tree), a variant's (it names its parent: the tree).
func TestParseCreate_InPlaceAnswersAsTheTreeForEveryKind(t *testing.T) {
	cases := []struct {
		job, list string
		inPlace   bool
	}{
		{categoryCreateJobs, `{"type":"catalog-category","attributes":{"external_id":"C","name":"n","integration_type":"$custom"}}`, true},
		{categoryCreateJobs, `{"type":"catalog-category","attributes":{"external_id":"C","name":"n"},` +
			`"relationships":{"items":{"data":[{"type":"catalog-item","id":"$custom:::$default:::A"}]}}}`, false},
		{variantCreateJobs, `{"type":"catalog-variant","attributes":{"external_id":"V","title":"t","description":"d","sku":"s",` +
			`"inventory_quantity":1,"price":1,"url":"u"},"relationships":{"item":{"data":{"type":"catalog-item","id":"$custom:::$default:::A"}}}}`, false},
		{itemUpdateJobs, item("A", `"title":"t"`), false},
		{itemDeleteJobs, `{"type":"catalog-item","id":"$custom:::$default:::A"}`, false},
	}
	for _, date := range revisions() {
		for _, c := range cases {
			p := jobProfile(t, c.job, date)
			answersAsTheTree(t, p, date+" "+c.job, []byte(jobBodyWithList(c.job, date, c.list)), c.inPlace)
		}
	}
}

// answersAsTheTree checks that ParseCreate answers body as the decoded
// document's tree does, and that it reads body in place exactly when
// inPlace says.
func answersAsTheTree(t *testing.T, p *resource.Profile, name string, body []byte, inPlace bool) {
	t.Helper()
	if in, treeErrs := createAgrees(t, p, name, body); in != inPlace {
		t.Errorf("%s: read in place %v, want %v (the tree: %s)", name, in, inPlace, describe(treeErrs))
	}
}

// createAgrees checks that ParseCreate answers body as the decoded
// document's tree does, and reports whether it read body in place, and
// the tree's errors.
func createAgrees(t *testing.T, p *resource.Profile, name string, body []byte) (bool, []*apierror.Error) {
	t.Helper()
	want, wantErrs := payload.ParseCreateTree(p, body)
	got, errs := payload.ParseCreate(p, body)
	sameAnswer(t, name, got, errs, want, wantErrs)
	return payload.ReadsCreateInPlace(p, body), wantErrs
}

func FuzzParseCreate_InPlaceAgreesWithTheTree(f *testing.F) {
	dates := revisions()
	for _, c := range createBodies {
		f.Add(uint8(len(dates)-1), []byte(createBody(itemCreateJobs, revNewest, c.list, c.rest)))
		f.Add(uint8(0), []byte(createBody(itemCreateJobs, dates[0], c.list, c.rest)))
	}
	profiles := make([]*resource.Profile, len(dates))
	for i, d := range dates {
		profiles[i] = jobProfile(f, itemCreateJobs, d)
	}
	f.Fuzz(func(t *testing.T, sel uint8, body []byte) {
		p := profiles[int(sel)%len(profiles)]
		want, wantErrs := payload.ParseCreateTree(p, body)
		got, errs := payload.ParseCreate(p, body)
		sameAnswer(t, p.Date, got, errs, want, wantErrs)
	})
}

// A job of ten items as scripts/bench's creating row sends it: its values
// decoded once, into the entities. Through the tree it allocated 26 times
// an element (an object and two slices per object, each string copied,
// boxed, then copied for the entity); read in place, each value once, 12
// an element (each string copied and its pointer made, the price's text,
// its box and its pointer, the id). Now an element's texts and its id are
// one string, its string values' pointers one array, its numbers another.
func TestParseCreate_ATenItemJobAllocatesAboutItsValues(t *testing.T) {
	p := jobProfile(t, itemCreateJobs, revNewest)
	body := []byte(createBody(itemCreateJobs, revNewest, benchItemList(), ""))
	n := testing.AllocsPerRun(20, func() {
		if _, errs := payload.ParseCreate(p, body); len(errs) > 0 {
			t.Fatal(describe(errs))
		}
	})
	// Per element: its text, its strings' pointers, its numbers; and the
	// elements, the slots an element is read into and those the elements
	// keep, the notes of an element's values, the elements' pointer (two
	// strings) and the validator.
	if n > 10*3+7 {
		t.Fatalf("parsing a ten-item job allocates %.0f times, want at most %d", n, 10*3+7)
	}
}

// An element holds a value slot for each attribute up to the last it
// sends, not one for every attribute of its kind (an item: 12): a slot
// past the end reads as null (store.Entity.Value), and the tree's elements
// end at the same place, so both answers stay equal.
func TestParseCreate_AnElementHoldsSlotsUpToItsLastValue(t *testing.T) {
	p := jobProfile(t, itemCreateJobs, revNewest)
	list := `{"type":"catalog-item","attributes":{"external_id":"A","title":"t","description":"d","url":"u","price":1}},` +
		`{"type":"catalog-item","attributes":{"external_id":"B","title":"t","description":"d","url":"u","published":false}}`
	body := []byte(createBody(itemCreateJobs, revNewest, list, ""))
	published := attrIndex(itemKind, "published")
	for name, parse := range map[string]func(*resource.Profile, []byte) (store.CreateRequest, []*apierror.Error){
		"in place": payload.ParseCreate, "the tree": payload.ParseCreateTree,
	} {
		req, errs := parse(p, body)
		if len(errs) > 0 || len(req.Elements) != 2 {
			t.Fatalf("%s: %s", name, describe(errs))
		}
		for i, want := range []int{5, published + 1} { // url is the fifth attribute
			if vals := req.Elements[i].Values.Vals; len(vals) != want || cap(vals) != want {
				t.Errorf("%s: element %d holds %d slots (room for %d), want %d", name, i, len(vals), cap(vals), want)
			}
		}
	}
}
