// Package auth identifies who is calling: API bearer tokens now, web
// sign-in later, both resolving to the same attendee identities.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// TokenPrefix starts every API token, so a leaked one is easy to recognise
// (and to scan for in repositories).
const TokenPrefix = "lyd_"

// NewToken returns a new random API token and the hash to store for it.
func NewToken() (token string, hash []byte) {
	b := make([]byte, 32)
	rand.Read(b) // never returns an error (crypto/rand, Go 1.24+)
	token = TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken returns the stored form of a token. A plain SHA-256 is enough:
// tokens carry 256 random bits, so unlike passwords they cannot be guessed
// from a leaked hash, and a fast hash keeps every API request cheap.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// BearerToken extracts the token from an Authorization header value, or ""
// if the header is not a bearer token.
func BearerToken(header string) string {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}
