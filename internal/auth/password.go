package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Argon2id parameters: OWASP's second recommended set (19 MiB, 2 passes,
// one lane). A hash costs ~100 ms and 19 MiB, so Hasher bounds how many run
// at once.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	saltLen      = 16
)

// Password length limits. The upper bound keeps a megabyte "password" from
// being hashed; argon2 would take it.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

// Hasher hashes and verifies passwords with argon2id, at most a few at a
// time: a login storm would otherwise take 19 MiB per request in flight.
type Hasher struct {
	slots chan struct{}
}

// NewHasher returns a Hasher running at most n hashes at once (n < 1: 1).
func NewHasher(n int) *Hasher {
	return &Hasher{slots: make(chan struct{}, max(n, 1))}
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return lanyard.Errorf(lanyard.EUNAVAILABLE, "The server is busy signing people in; try again in a moment.")
	}
}

// CheckPassword reports why a new password is too weak, or nil.
func CheckPassword(pw, email string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return lanyard.Errorf(lanyard.EINVALID, "Use at least %d characters.", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return lanyard.Errorf(lanyard.EINVALID, "Use at most %d characters.", MaxPasswordLen)
	case strings.TrimSpace(pw) == "":
		return lanyard.Errorf(lanyard.EINVALID, "A password of spaces is not a password.")
	case containsEmail(pw, email):
		return lanyard.Errorf(lanyard.EINVALID, "Don't use your email address in your password.")
	}
	if common[strings.ToLower(pw)] {
		return lanyard.Errorf(lanyard.EINVALID, "That password is one of the most common; choose another.")
	}
	return nil
}

// minEmailLocal is the shortest local part of an address ("minji" in
// minji@example.com) that a password may not contain: a shorter one ("a",
// "kim") is part of too many good passwords to say anything.
const minEmailLocal = 4

// containsEmail reports whether pw holds the email address, or its local
// part when that is at least minEmailLocal characters, ignoring case.
func containsEmail(pw, email string) bool {
	if email == "" {
		return false
	}
	pw, email = strings.ToLower(pw), strings.ToLower(email)
	local, _, _ := strings.Cut(email, "@")
	return strings.Contains(pw, email) || (utf8.RuneCountInString(local) >= minEmailLocal && strings.Contains(pw, local))
}

// common are passwords that pass the length check yet every attacker tries first.
var common = map[string]bool{
	"1234567890": true, "123456789a": true, "password12": true, "password123": true, "qwertyuiop": true,
	"1q2w3e4r5t": true, "iloveyou12": true, "0987654321": true, "1111111111": true, "aaaaaaaaaa": true,
	"passw0rd12": true, "letmein123": true, "welcome123": true, "qwerty1234": true, "abcdefghij": true,
}

// Hash returns the encoded argon2id hash of pw, in the PHC string format
// ($argon2id$v=19$m=...,t=...,p=...$salt$hash) so parameters can change later.
func (h *Hasher) Hash(ctx context.Context, pw string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer func() { <-h.slots }()
	salt := make([]byte, saltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// Verify reports whether pw matches encoded. An encoded hash that does not
// parse is an error, not a mismatch.
func (h *Hasher) Verify(ctx context.Context, pw, encoded string) (bool, error) {
	var version int
	var mem uint32
	var passes uint32
	var threads uint8
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, fmt.Errorf("auth: not an argon2id hash")
	}
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, fmt.Errorf("auth: argon2 version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &passes, &threads); err != nil {
		return false, fmt.Errorf("auth: argon2 parameters %q: %w", parts[3], err)
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("auth: argon2 salt: %w", err)
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, fmt.Errorf("auth: argon2 key: %v", err)
	}
	if mem > 256*1024 || passes > 10 || threads == 0 {
		return false, fmt.Errorf("auth: argon2 parameters out of range: %q", parts[3])
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer func() { <-h.slots }()
	got := argon2.IDKey([]byte(pw), salt, passes, mem, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// DummyHash is verified against when no account matches an email, so a
// sign-in takes as long whether or not the email is registered.
const DummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2cGexU3Kx0YzKv8sYxqGuWDKGxVnzGOFeMgTJ9ik0LQ"
