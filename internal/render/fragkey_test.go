package render

import "testing"

// TestFragKey_NeverSharedByTwoObjectsOrShapes: a fragment's key packs the
// object's stamp and the shape's id into one word; two different pairs
// must never make the same key (a shared key would serve one object's
// bytes for another), and a stamp too large to pack is not cached.
func TestFragKey_NeverSharedByTwoObjectsOrShapes(t *testing.T) {
	limit := uint64(1) << (64 - shapeBits)
	seen := map[fragKey][2]uint64{}
	for _, stamp := range []uint64{1, 2, 3, 1 << 20, 1<<32 + 1, limit / 2, limit - 2, limit - 1} {
		for _, shape := range []uint32{1, 2, 3, 255, 256, maxShapes - 1, maxShapes} {
			k, ok := makeFragKey(stamp, shape)
			if !ok {
				t.Fatalf("stamp %d, shape %d: not cached", stamp, shape)
			}
			if prev, dup := seen[k]; dup {
				t.Fatalf("stamp %d, shape %d and stamp %d, shape %d share key %#x", stamp, shape, prev[0], prev[1], k)
			}
			seen[k] = [2]uint64{stamp, uint64(shape)}
		}
	}
	for _, c := range []struct {
		stamp uint64
		shape uint32
	}{{limit, 1}, {1<<64 - 1, 1}, {0, 1}, {1, 0}} {
		if k, ok := makeFragKey(c.stamp, c.shape); ok {
			t.Fatalf("stamp %d, shape %d was given key %#x; it cannot be packed or is not cacheable", c.stamp, c.shape, k)
		}
	}
}
