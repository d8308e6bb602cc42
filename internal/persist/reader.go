package persist

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/klaviyo-mock/mockserver/internal/jsonw"
)

// readSize is how much a docReader asks its stream for at a time, and its
// first buffer's size: an account of the default catalog (about 450 KB) is
// then read whole, most of the time, without scanning it twice.
const readSize = 4 << 20

// docReader reads a JSON document from a stream one value at a time, each
// checked by jsonw.ValueEnd, holding the value being read and what was
// read past it. A value handed out is valid until the next read.
type docReader struct {
	r    io.Reader
	buf  []byte // buf[pos:] is read and not yet taken
	pos  int
	base int64 // the stream's offset of buf[0]
	eof  bool
	err  error // the stream's error other than io.EOF
	// size is the stream's length when known (0: not known): a stream
	// shorter than readSize is read into a buffer of its size.
	size int64
}

func newDocReader(r io.Reader) *docReader { return &docReader{r: r} }

// settled reports whether the values handed out stay valid for good, and
// hold no more than the stream: it was read to its end (the buffer is then
// neither moved nor filled again) into the one buffer it mostly fills, as
// a stream of a known size under readSize is. Values of a larger stream,
// read a buffer at a time, would hold a buffer that may be much larger
// than they are.
func (d *docReader) settled() bool { return d.eof && d.base == 0 && len(d.buf) >= cap(d.buf)/2 }

// offset is the stream's offset of the next byte to take.
func (d *docReader) offset() int64 { return d.base + int64(d.pos) }

// fill reads more after buf[pos:], which it first moves to the front (into
// a buffer twice as large when that is most of it). It reports false when
// the stream has nothing more.
func (d *docReader) fill() bool {
	if d.eof || d.err != nil {
		return false
	}
	rest := len(d.buf) - d.pos
	if d.buf == nil || rest > cap(d.buf)/2 {
		size := max(readSize, 2*cap(d.buf))
		if d.buf == nil && d.size > 0 && d.size < readSize {
			size = int(d.size) + 1 // the +1 lets the first fill see the end
		}
		nb := make([]byte, rest, size)
		copy(nb, d.buf[d.pos:])
		d.buf = nb
	} else {
		d.buf = d.buf[:copy(d.buf, d.buf[d.pos:])]
	}
	d.base += int64(d.pos)
	d.pos = 0
	for len(d.buf) < cap(d.buf) {
		n, err := d.r.Read(d.buf[len(d.buf):cap(d.buf)])
		d.buf = d.buf[:len(d.buf)+n]
		if err == io.EOF {
			d.eof = true
			break
		}
		if err != nil {
			d.err = err
			break
		}
		if n == 0 {
			break
		}
	}
	return len(d.buf) > rest
}

// peek returns the next byte that is not whitespace, without taking it;
// io.ErrUnexpectedEOF when the stream ends first.
func (d *docReader) peek() (byte, error) {
	for {
		d.pos = jsonw.SkipSpace(d.buf, d.pos)
		if d.pos < len(d.buf) {
			return d.buf[d.pos], nil
		}
		if !d.fill() {
			return 0, d.endErr()
		}
	}
}

// endErr is why nothing more can be read.
func (d *docReader) endErr() error {
	if d.err != nil {
		return d.err
	}
	return io.ErrUnexpectedEOF
}

// atEOF reports whether only whitespace is left.
func (d *docReader) atEOF() (bool, error) {
	_, err := d.peek()
	if err == io.ErrUnexpectedEOF {
		return true, nil
	}
	return false, err
}

// delim takes the next byte, which must be one of want; it returns it.
func (d *docReader) delim(want string) (byte, error) {
	c, err := d.peek()
	if err != nil {
		return 0, err
	}
	for i := 0; i < len(want); i++ {
		if c == want[i] {
			d.pos++
			return c, nil
		}
	}
	return 0, fmt.Errorf("expected %s at byte offset %d, got %q", quoteEach(want), d.offset(), c)
}

func quoteEach(s string) string {
	out := ""
	for i := 0; i < len(s); i++ {
		if i > 0 {
			out += " or "
		}
		out += fmt.Sprintf("%q", s[i])
	}
	return out
}

// value takes the next value, whole and checked: its bytes. It returns io.ErrUnexpectedEOF when the stream ends inside it, or
// the syntax error at the byte offset it is at.
func (d *docReader) value() ([]byte, error) {
	if _, err := d.peek(); err != nil {
		return nil, err
	}
	for {
		end, err := jsonw.ValueEnd(d.buf, d.pos)
		// A value that ends with the buffer may go on (a number), or be
		// followed by more than whitespace: read on when there is more.
		if (err == jsonw.ErrShort || err == nil && end == len(d.buf)) && d.fill() {
			continue
		}
		switch {
		case err == jsonw.ErrShort:
			return nil, d.endErr()
		case err != nil:
			at := d.offset()
			if se, ok := err.(*json.SyntaxError); ok {
				at += se.Offset - 1 // the byte at fault
			}
			return nil, fmt.Errorf("at byte offset %d: %w", at, err)
		}
		v := d.buf[d.pos:end:end]
		d.pos = end
		return v, nil
	}
}
