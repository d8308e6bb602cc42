package jsonw

// compactEnd returns the offset just past the value at b[i] (at nesting
// depth) and true when the value is written as Encode writes the value
// decodeFast makes of it: no whitespace, strings of plain ASCII without
// escapes, numbers that fit a float64, no key twice in an object (and at
// most indexFrom keys in one), no deeper than MaxDepth. Then its bytes are
// its encoding, and decoding it can wait. Otherwise it returns false:
// the value may still be valid, and is decoded the long way.
func compactEnd(b []byte, i, depth int) (int, bool) {
	if i >= len(b) || depth > MaxDepth {
		return 0, false
	}
	switch c := b[i]; {
	case c == '"':
		j := plainRun(b, i+1)
		return j + 1, j < len(b) && b[j] == '"'
	case c == '{':
		return compactObjectEnd(b, i, depth)
	case c == '[':
		return compactArrayEnd(b, i, depth)
	case c == '-' || c >= '0' && c <= '9':
		end, at := NumberEnd(b, i)
		return end, at < 0 && fits(b[i:end])
	case c == 't':
		end, at := literalEnd(b, i, "true")
		return end, at < 0
	case c == 'f':
		end, at := literalEnd(b, i, "false")
		return end, at < 0
	case c == 'n':
		end, at := literalEnd(b, i, "null")
		return end, at < 0
	}
	return 0, false
}

// compactObjectEnd is compactEnd of the object whose '{' is at b[i].
func compactObjectEnd(b []byte, i, depth int) (int, bool) {
	i++
	if i < len(b) && b[i] == '}' {
		return i + 1, true
	}
	var keys [indexFrom][]byte
	for n := 0; ; n++ {
		if n == indexFrom || i >= len(b) || b[i] != '"' {
			return 0, false
		}
		j := plainRun(b, i+1)
		if j+1 >= len(b) || b[j] != '"' || b[j+1] != ':' {
			return 0, false
		}
		keys[n] = b[i+1 : j]
		for _, k := range keys[:n] {
			if string(k) == string(keys[n]) {
				return 0, false
			}
		}
		end, ok := compactEnd(b, j+2, depth+1)
		if !ok || end >= len(b) {
			return 0, false
		}
		switch b[end] {
		case '}':
			return end + 1, true
		case ',':
			i = end + 1
		default:
			return 0, false
		}
	}
}

// compactArrayEnd is compactEnd of the array whose '[' is at b[i].
func compactArrayEnd(b []byte, i, depth int) (int, bool) {
	i++
	if i < len(b) && b[i] == ']' {
		return i + 1, true
	}
	for {
		end, ok := compactEnd(b, i, depth+1)
		if !ok || end >= len(b) {
			return 0, false
		}
		switch b[end] {
		case ']':
			return end + 1, true
		case ',':
			i = end + 1
		default:
			return 0, false
		}
	}
}
