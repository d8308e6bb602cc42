// Package splitmix holds the small counter-based randomness the emulator
// draws deterministic values from (seeded jobs, request and error ids):
// splitmix64's finaliser and a UUID4 made of two of its words.
package splitmix

import (
	"encoding/binary"
	"encoding/hex"
)

// Golden is splitmix64's increment: a stream's n-th word is Mix(seed +
// n*Golden).
const Golden = 0x9e3779b97f4a7c15

// Mix is splitmix64's finaliser: a bijection of x whose outputs look
// independent for consecutive inputs.
func Mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// UUID4 returns the version-4 UUID whose random bits are hi and lo.
func UUID4(hi, lo uint64) string {
	var b [36]byte
	PutUUID4(&b, hi, lo)
	return string(b[:])
}

// PutUUID4 writes UUID4(hi, lo) into dst, for a caller that keeps the text
// in memory of its own.
func PutUUID4(dst *[36]byte, hi, lo uint64) {
	var u [16]byte
	binary.BigEndian.PutUint64(u[:8], hi)
	binary.BigEndian.PutUint64(u[8:], lo)
	u[6] = u[6]&0x0f | 0x40 // version 4
	u[8] = u[8]&0x3f | 0x80 // RFC 4122 variant
	// 8-4-4-4-12 hexadecimal digits.
	hex.Encode(dst[0:8], u[0:4])
	dst[8] = '-'
	hex.Encode(dst[9:13], u[4:6])
	dst[13] = '-'
	hex.Encode(dst[14:18], u[6:8])
	dst[18] = '-'
	hex.Encode(dst[19:23], u[8:10])
	dst[23] = '-'
	hex.Encode(dst[24:], u[10:])
}
