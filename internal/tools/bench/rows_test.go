package main

import (
	"bufio"
	"strings"
	"testing"
)

func TestReadReply_ReadsStatusHeadersAndBodyOfEachAnswer(t *testing.T) {
	raw := "HTTP/1.1 201 Created\r\nContent-Type: a/b\r\nContent-Length: 5\r\n\r\nhello" +
		"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
	br := bufio.NewReader(strings.NewReader(raw))
	r, buf, err := readReply(br, nil, true)
	if err != nil || r.status != 201 || string(r.body) != "hello" || len(r.header) != 2 || r.header[0] != [2]string{"Content-Type", "a/b"} {
		t.Fatalf("first answer: %+v %v", r, err)
	}
	r, _, err = readReply(br, buf, false)
	if err != nil || r.status != 200 || string(r.body) != "ok" || r.header != nil {
		t.Fatalf("second answer: %+v %v", r, err)
	}
}

func TestReadReply_RefusesAnAnswerWithoutContentLength(t *testing.T) {
	br := bufio.NewReader(strings.NewReader("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
	if _, _, err := readReply(br, nil, false); err == nil {
		t.Fatal("a chunked answer was read as if it had a length")
	}
}

func TestCreating_PollsTheCreatedJobUntilComplete(t *testing.T) {
	f := &creating{}
	if c := f.first(3, 7); c.Method != "POST" || !strings.Contains(string(c.Body), "BENCH-1-3-7-9") {
		t.Fatalf("first call: %s %s %s", c.Method, c.Target, c.Body)
	}
	next, ok := f.then(0, []byte(`{"data":{"type":"catalog-item-bulk-create-job","id":"job/1","attributes":{"status":"processing"}}}`))
	if !ok || next.Method != "GET" || next.Target != "/api/catalog-item-bulk-create-jobs/job%2F1?include=items" || next.Step != 1 {
		t.Fatalf("after the POST: %+v %v", next, ok)
	}
	if _, ok := f.then(1, []byte(`{"data":{"id":"job/1","attributes":{"status":"complete"}}}`)); ok {
		t.Fatal("polled on after the job completed")
	}
}

func TestChanging_EachIterationPatchesANewTitleThenLists(t *testing.T) {
	f := &changing{item: "i1"}
	a, b := f.first(0, 0), f.first(0, 1)
	if a.Method != "PATCH" || string(a.Body) == string(b.Body) {
		t.Fatalf("two iterations sent %s and %s", a.Body, b.Body)
	}
	if next, ok := f.then(0, nil); !ok || next.Method != "GET" || next.Step != 1 {
		t.Fatalf("after the PATCH: %+v %v", next, ok)
	}
	if _, ok := f.then(1, nil); ok {
		t.Fatal("the iteration goes on after the list")
	}
}
