package rcache

import "unsafe"

// GetBytes is c.Get(string(key)) without making the string unless the
// value is in the older generation: a key built per request in a buffer
// of the caller's costs no allocation to look up, found or missed (a list
// read after every change misses every time). The key's bytes are only
// read during the call.
func GetBytes[V any](c *Cache[string, V], key []byte) (V, bool) {
	if c.limit <= 0 {
		var zero V
		return zero, false
	}
	k := unsafe.String(unsafe.SliceData(key), len(key)) // looked up, never kept
	s := c.shard(k)
	v, ok, old := s.lookup(k)
	if old {
		s.promote(c, string(key)) // moved under a key of its own
	}
	c.count(ok)
	return v, ok
}
