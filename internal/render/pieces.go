package render

import "io"

// Pieces is a document rendered partly in place: its buffer, and kept
// bytes (a page memo's runs of unchanged objects, never modified) that
// belong at offsets in it. A writer sends the kept bytes from where they
// are kept, so a page read after a change is not copied into its answer
// (net/http hands a piece larger than its buffer to the connection
// whole). The zero value is an empty document.
type Pieces struct {
	// Buf is the document's buffer, less the spliced pieces.
	Buf []byte
	n   int
	at  [maxSplices]int
	b   [maxSplices][]byte
}

// maxSplices is how many pieces a document splices in; past it, kept
// bytes are copied into the buffer (pageMemo.stale decides when a page
// with many changed objects is kept anew).
const maxSplices = 4

// minSplice is the shortest run of kept bytes spliced in rather than
// copied: net/http copies a shorter write into its 4 KiB connection
// buffer anyway.
const minSplice = 4096

// splice records that p belongs at offset at of the buffer, and reports
// false (nothing recorded) when the document has no room for another piece
// or p is too short to be worth one: the caller then copies p in.
func (d *Pieces) splice(at int, p []byte) bool {
	if d == nil || d.n == maxSplices || len(p) < minSplice {
		return false
	}
	d.at[d.n], d.b[d.n] = at, p
	d.n++
	return true
}

// extend replaces the last piece by p, a longer run of the same kept
// bytes, when that piece is at offset at (the buffer's end once the caller
// truncates it there), and reports whether it did.
func (d *Pieces) extend(at int, p []byte) bool {
	if d == nil || d.n == 0 || d.at[d.n-1] != at {
		return false
	}
	d.b[d.n-1] = p
	return true
}

// Spliced reports whether any kept bytes were spliced in.
func (d *Pieces) Spliced() bool { return d.n > 0 }

// Len returns the document's length.
func (d *Pieces) Len() int {
	n := len(d.Buf)
	for _, p := range d.b[:d.n] {
		n += len(p)
	}
	return n
}

// WriteTo writes the document to w in order: the buffer's runs between
// the spliced pieces, and the pieces, each one Write.
func (d *Pieces) WriteTo(w io.Writer) (int64, error) {
	var total int64
	from := 0
	for i := range d.n {
		for _, p := range [2][]byte{d.Buf[from:d.at[i]], d.b[i]} {
			if len(p) == 0 {
				continue
			}
			n, err := w.Write(p)
			total += int64(n)
			if err != nil {
				return total, err
			}
		}
		from = d.at[i]
	}
	if from < len(d.Buf) {
		n, err := w.Write(d.Buf[from:])
		total += int64(n)
		return total, err
	}
	return total, nil
}
