package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// call is one request of a row: what the load generator sends, and what
// the static server looks its answer up by (method, revision, target and
// the request's step in its iteration).
type call struct {
	Method, Rev, Target string
	Step                int
	Body                []byte
}

// raw is the call as HTTP/1.1 bytes for host, with the account key, the
// revision and the step (a header the emulator ignores).
func (c call) raw(host, account string) []byte {
	b := make([]byte, 0, 256+len(c.Body))
	b = append(b, c.Method+" "+c.Target+" HTTP/1.1\r\nHost: "+host+"\r\nrevision: "+c.Rev+
		"\r\nAuthorization: Klaviyo-API-Key "+account+"\r\nUser-Agent: bench\r\nBench-Step: "+strconv.Itoa(c.Step)+"\r\n"...)
	if c.Body != nil {
		b = append(b, "Content-Type: application/vnd.api+json\r\nContent-Length: "+strconv.Itoa(len(c.Body))+"\r\n"...)
	}
	b = append(b, "\r\n"...)
	return append(b, c.Body...)
}

// reply is an answer as the load generator reads it.
type reply struct {
	status int
	header [][2]string // as sent, in order
	body   []byte      // valid until the next read
}

// readReply reads one HTTP/1.1 answer with a Content-Length into buf
// (grown as needed; the reply's body is in it).
func readReply(br *bufio.Reader, buf []byte, headers bool) (reply, []byte, error) {
	line, err := br.ReadSlice('\n')
	if err != nil {
		return reply{}, buf, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return reply{}, buf, fmt.Errorf("answer %q", bytes.TrimSpace(line))
	}
	r := reply{}
	r.status, _ = strconv.Atoi(string(line[9:12]))
	length := -1
	for {
		line, err = br.ReadSlice('\n')
		if err != nil {
			return reply{}, buf, err
		}
		if len(line) <= 2 {
			break
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			continue
		}
		v = bytes.TrimSpace(v)
		if bytes.EqualFold(k, []byte("Content-Length")) {
			length, _ = strconv.Atoi(string(v))
		}
		if headers {
			r.header = append(r.header, [2]string{string(k), string(v)})
		}
	}
	if length < 0 {
		return reply{}, buf, errors.New("an answer without Content-Length")
	}
	if cap(buf) < length {
		buf = make([]byte, length)
	}
	r.body = buf[:length]
	_, err = io.ReadFull(br, r.body)
	return r, buf, err
}

// conn is one keep-alive connection of a client.
type conn struct {
	c   net.Conn
	br  *bufio.Reader
	buf []byte
}

func dial(host string, timeout time.Duration) (*conn, error) {
	c, err := net.DialTimeout("tcp", host, timeout)
	if err != nil {
		return nil, err
	}
	return &conn{c: c, br: bufio.NewReaderSize(c, 64<<10)}, nil
}

// do sends raw and reads the answer, within timeout (0: none).
func (c *conn) do(raw []byte, headers bool, timeout time.Duration) (reply, error) {
	if timeout > 0 {
		c.c.SetDeadline(time.Now().Add(timeout))
	}
	if _, err := c.c.Write(raw); err != nil {
		return reply{}, err
	}
	r, buf, err := readReply(c.br, c.buf, headers)
	c.buf = buf
	return r, err
}

func (c *conn) close() { c.c.Close() }
