package splitmix

import (
	"encoding/binary"
	"testing"

	"github.com/google/uuid"
)

func TestMix_KnownValuesAndUUID4(t *testing.T) {
	// splitmix64 seeded with 0: its first outputs, as published with the
	// reference implementation.
	want := []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f}
	for i, w := range want {
		if got := Mix(uint64(i+1) * Golden); got != w {
			t.Errorf("output %d = %#x, want %#x", i, got, w)
		}
	}
	u, err := uuid.Parse(UUID4(^uint64(0), 0))
	if err != nil || u.Version() != 4 || u.Variant() != uuid.RFC4122 {
		t.Fatalf("UUID4 = %v (%v): version %d, variant %v", u, err, u.Version(), u.Variant())
	}
}

// UUID4 writes what google/uuid writes for the same sixteen bytes,
// version and variant set.
func TestUUID4_IsUUIDsText(t *testing.T) {
	x := uint64(7)
	for range 10000 {
		hi, lo := Mix(x), Mix(x+1)
		x += 2
		var u uuid.UUID
		binary.BigEndian.PutUint64(u[:8], hi)
		binary.BigEndian.PutUint64(u[8:], lo)
		u[6] = u[6]&0x0f | 0x40
		u[8] = u[8]&0x3f | 0x80
		if got := UUID4(hi, lo); got != u.String() {
			t.Fatalf("UUID4(%#x, %#x) = %s, uuid %s", hi, lo, got, u)
		}
	}
}
