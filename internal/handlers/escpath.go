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

// plainPathByte marks the bytes url.URL's EscapedPath leaves as they are in
// a path (letters, digits, "-_.~" and the sub-delimiters a path may hold
// unescaped, "/" among them). A subset is enough: a byte outside it sends
// the path to EscapedPath.
var plainPathByte = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "-_.~/$:,;=@&+" {
		t[c] = true
	}
	return t
}()

// escapedPath is u.EscapedPath(), without its byte-by-byte escape check
// when the path was sent plain (no RawPath) and holds only bytes that need
// no escape, as the API's paths do: that check was about 4% of a cached
// read in the handler, and the header-size check and the cache's key both
// ask for the path (TestEscapedPath_IsTheURLsOwn).
func escapedPath(u *url.URL) string {
	if u.RawPath != "" {
		return u.EscapedPath()
	}
	for i := 0; i < len(u.Path); i++ {
		if !plainPathByte[u.Path[i]] {
			return u.EscapedPath()
		}
	}
	return u.Path
}
