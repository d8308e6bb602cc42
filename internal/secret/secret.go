// Package secret says how the emulator checks and shows the credentials
// that select an account: a Klaviyo private key ("pk_…"), or "bearer:" and
// an OAuth token. Wherever a key is shown (the request journal, log lines,
// control API answers, error details) its Fingerprint is shown instead;
// only the state file, which must restore the accounts, keeps whole keys.
// Control routes take the whole key; the journal's filter takes either.
package secret

import "strings"

// Key prefixes, and what stands for the hidden part of a fingerprint.
const (
	// PrivatePrefix starts every Klaviyo private key.
	PrivatePrefix = "pk_"
	// BearerPrefix starts the account key of an OAuth token.
	BearerPrefix = "bearer:"
	// CompanyPrefix starts the account key of a public key no other account
	// answers to (/client?company_id=…); public keys are not secret.
	CompanyPrefix = "company:"
	// Ellipsis replaces the hidden characters of a fingerprint.
	Ellipsis = "…"
)

// Hint says what a credential looks like, for a client whose credential
// was refused.
const Hint = "A Klaviyo private key is pk_ followed by 34 lowercase hexadecimal characters " +
	"(Authorization: Klaviyo-API-Key pk_…); keys and OAuth tokens (Authorization: Bearer …) are printable ASCII, " +
	"bytes 0x21 to 0x7E, with no spaces."

// shown is the most characters a fingerprint shows of a key's secret part.
const shown = 4

// Fingerprint returns a short form of key that tells keys apart without
// revealing them: the key's kind ("pk_" or "bearer:", none for other
// keys), an ellipsis, and the last four characters of the rest, or fewer
// so that at most half of it shows ("pk_…ef01", "bearer:…wxyz"). A byte
// outside printable ASCII shows as '?'. The empty key's is "". The key of
// an account reached only by a public key ("company:RU8Lmz") is shown
// whole: public keys are meant to be shared.
func Fingerprint(key string) string {
	if key == "" {
		return ""
	}
	if strings.HasPrefix(key, CompanyPrefix) && BadByte(key) < 0 {
		return key // a public key is safe to show
	}
	prefix := ""
	switch {
	case strings.HasPrefix(key, PrivatePrefix):
		prefix = PrivatePrefix
	case strings.HasPrefix(key, BearerPrefix):
		prefix = BearerPrefix
	}
	rest := key[len(prefix):]
	tail := rest[len(rest)-min(shown, len(rest)/2):]
	b := make([]byte, 0, len(prefix)+len(Ellipsis)+len(tail))
	b = append(b, prefix...)
	b = append(b, Ellipsis...)
	for i := 0; i < len(tail); i++ {
		c := tail[i]
		if !printable(c) {
			c = '?'
		}
		b = append(b, c)
	}
	return string(b)
}

// BadByte returns the index of the first byte of key outside printable
// ASCII (0x21 to 0x7E), 0 for the empty key, and -1 when there is none:
// Klaviyo's keys and OAuth tokens are printable ASCII, and an account key
// must survive the state file's JSON unchanged.
func BadByte(key string) int {
	if key == "" {
		return 0
	}
	for i := 0; i < len(key); i++ {
		if !printable(key[i]) {
			return i
		}
	}
	return -1
}

func printable(c byte) bool { return c >= 0x21 && c <= 0x7e }
