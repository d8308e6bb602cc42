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
	s.mu.RLock()
	v, ok := s.cur[k]
	old := false
	if !ok {
		_, old = s.prev[k]
	}
	s.mu.RUnlock()
	switch {
	case ok:
		c.hits.Add(1)
		return v, true
	case old:
		// Get moves it to the current generation, under a key it keeps.
		return c.Get(string(key))
	}
	c.misses.Add(1)
	return v, false
}
