package badge

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// MinSecretLen is the shortest secret a Key may have, in bytes.
const MinSecretLen = 32

const (
	// tokenPrefix starts every token; the digit is the format version, so a
	// later layout can live beside this one.
	tokenPrefix = "LY1"
	// macLen is how much of the HMAC-SHA256 a token keeps. 80 bits cannot be
	// guessed by a scanner at a door, and keeps the QR code at version 3.
	macLen = 10
	// maxTokenLen bounds the work Verify does on garbage: key ID, two
	// 10-byte varints, version and MAC in base32, after the prefix.
	maxTokenLen = len(tokenPrefix) + (1+2*binary.MaxVarintLen64+2+macLen)*8/5 + 1
)

// macDomain separates badge MACs from anything else a secret might sign.
var macDomain = []byte("lanyard badge token v1\x00")

// b32 is RFC 4648 base32 without padding; its alphabet (A–Z, 2–7) is a
// subset of the QR alphanumeric set.
var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// ErrInvalid is returned by Verify for every token it refuses: malformed,
// forged, altered, or signed by a key no longer in the ring. The reasons are
// not told apart in the message, so a scanner learns nothing by probing.
var ErrInvalid = &lanyard.Error{Code: lanyard.EINVALID, Message: "This badge is not valid."}

// Key is one signing secret. ID travels in every token so that Verify knows
// which secret to check it with.
type Key struct {
	ID     uint8
	Secret []byte // at least MinSecretLen bytes
}

// Keyring holds the key that signs new badges and the older keys whose
// badges are still honoured. To rotate, move Active to Others and set a new
// Active; to revoke every badge of an old key, drop it from Others.
type Keyring struct {
	Active Key
	Others []Key
}

// Claims is what a badge token says.
type Claims struct {
	EventID    int64
	AttendeeID int64
	// Version is bumped to invalidate a lost badge: the reprinted badge
	// carries the new version and the check-in side refuses older ones.
	Version uint16
}

// Validate reports whether every key is long enough and no key ID is used
// twice. Call it when loading keys: Sign panics on a short active secret.
func (k Keyring) Validate() error {
	seen := map[uint8]bool{}
	for i, key := range append([]Key{k.Active}, k.Others...) {
		if len(key.Secret) < MinSecretLen {
			return fmt.Errorf("badge: key %d: secret is %d bytes, want at least %d", key.ID, len(key.Secret), MinSecretLen)
		}
		if seen[key.ID] {
			return fmt.Errorf("badge: key %d: ID used twice (entry %d)", key.ID, i)
		}
		seen[key.ID] = true
	}
	return nil
}

// Sign returns the token for c, signed with the active key. It panics if the
// active secret is shorter than MinSecretLen (see Validate).
func (k Keyring) Sign(c Claims) string {
	if len(k.Active.Secret) < MinSecretLen {
		panic(fmt.Sprintf("badge: active key %d has a %d-byte secret, want at least %d", k.Active.ID, len(k.Active.Secret), MinSecretLen))
	}
	buf := make([]byte, 0, 1+2*binary.MaxVarintLen64+2+sha256.Size)
	buf = append(buf, k.Active.ID)
	buf = binary.AppendUvarint(buf, uint64(c.EventID))
	buf = binary.AppendUvarint(buf, uint64(c.AttendeeID))
	buf = binary.BigEndian.AppendUint16(buf, c.Version)
	buf = append(buf, mac(k.Active.Secret, buf)...)
	return tokenPrefix + b32.EncodeToString(buf)
}

// Verify checks token and returns its claims. It returns ErrInvalid (code
// EINVALID), wrapped with the reason for logs, if the token is malformed,
// altered, forged, or signed by a key that is in neither Active nor Others.
func (k Keyring) Verify(token string) (Claims, error) {
	if len(token) > maxTokenLen {
		return Claims{}, fmt.Errorf("badge: verify: token is %d bytes long: %w", len(token), ErrInvalid)
	}
	body, ok := strings.CutPrefix(token, tokenPrefix)
	if !ok {
		return Claims{}, fmt.Errorf("badge: verify: no %s prefix: %w", tokenPrefix, ErrInvalid)
	}
	raw, err := b32.DecodeString(body)
	// base32 ignores the unused low bits of the last character, so two
	// spellings can decode alike; only the canonical one is a token.
	if err != nil || b32.EncodeToString(raw) != body {
		return Claims{}, fmt.Errorf("badge: verify: not base32: %w", ErrInvalid)
	}
	if len(raw) < 1+1+1+2+macLen {
		return Claims{}, fmt.Errorf("badge: verify: token is %d bytes, too short: %w", len(raw), ErrInvalid)
	}
	signed, sum := raw[:len(raw)-macLen], raw[len(raw)-macLen:]
	var c Claims
	p := signed[1:]
	ev, n := binary.Uvarint(p)
	if n <= 0 {
		return Claims{}, fmt.Errorf("badge: verify: bad event ID: %w", ErrInvalid)
	}
	p = p[n:]
	at, n := binary.Uvarint(p)
	if n <= 0 {
		return Claims{}, fmt.Errorf("badge: verify: bad attendee ID: %w", ErrInvalid)
	}
	p = p[n:]
	if len(p) != 2 {
		return Claims{}, fmt.Errorf("badge: verify: %d bytes where the version should be: %w", len(p), ErrInvalid)
	}
	c.EventID, c.AttendeeID, c.Version = int64(ev), int64(at), binary.BigEndian.Uint16(p)

	key, ok := k.find(signed[0])
	if !ok {
		return Claims{}, fmt.Errorf("badge: verify: unknown key %d: %w", signed[0], ErrInvalid)
	}
	if !hmac.Equal(sum, mac(key.Secret, signed)) {
		return Claims{}, fmt.Errorf("badge: verify: bad signature (key %d): %w", key.ID, ErrInvalid)
	}
	return c, nil
}

// find returns the key with the given ID, Active first. Keys with a short
// secret are never used to verify.
func (k Keyring) find(id uint8) (Key, bool) {
	if k.Active.ID == id && len(k.Active.Secret) >= MinSecretLen {
		return k.Active, true
	}
	for _, key := range k.Others {
		if key.ID == id && len(key.Secret) >= MinSecretLen {
			return key, true
		}
	}
	return Key{}, false
}

// mac returns the truncated HMAC-SHA256 of msg.
func mac(secret, msg []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write(macDomain)
	h.Write(msg)
	return h.Sum(nil)[:macLen]
}
