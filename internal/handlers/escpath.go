package handlers

import "net/url"

// escapedPath returns c's request path as sent, escaped: the one observe
// took for the request, when c's request has its URL (r itself, or chi's
// copy of it).
func (c *call) escapedPath() string {
	if c.obs != nil && c.obs.r != nil && c.obs.r.URL == c.r.URL {
		return c.obs.path
	}
	return escapedPath(c.r.URL)
}

// plainPathByte marks (1) the bytes url.URL's EscapedPath leaves as they are in
// a path (letters, digits, "-_.~" and the sub-delimiters a path may hold
// unescaped, "/" among them). A subset is enough: a byte outside it sends
// the path to EscapedPath.
var plainPathByte = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = 1, 1
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = 1
	}
	for _, c := range "-_.~/$:,;=@&+" {
		t[c] = 1
	}
	return t
}()

// escapedPath is u.EscapedPath(), without its byte-by-byte escape check
// when the path was sent plain (no RawPath) and holds only bytes that need
// no escape, as the API's paths do: that check was about 4% of a cached
// read in the handler, and the header-size check and the cache's key both
// ask for the path (TestEscapedPath_IsTheURLsOwn).
func escapedPath(u *url.URL) string {
	if u.RawPath != "" || !plainPath(u.Path) {
		return u.EscapedPath()
	}
	return u.Path
}

// plainPath reports whether every byte of p is a plainPathByte: eight
// bytes a test, their marks and-ed, so a path of the API (60-80 bytes)
// costs a tenth of the branches a test per byte did.
func plainPath(p string) bool {
	i := 0
	for ; i+8 <= len(p); i += 8 {
		b := p[i : i+8]
		if plainPathByte[b[0]]&plainPathByte[b[1]]&plainPathByte[b[2]]&plainPathByte[b[3]]&
			plainPathByte[b[4]]&plainPathByte[b[5]]&plainPathByte[b[6]]&plainPathByte[b[7]] == 0 {
			return false
		}
	}
	for ; i < len(p); i++ {
		if plainPathByte[p[i]] == 0 {
			return false
		}
	}
	return true
}
