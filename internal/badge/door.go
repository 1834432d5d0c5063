package badge

import (
	"context"
	"errors"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// The door app (internal/door) tells a replaced badge from a forged one and
// signs a door's offline data with the hashes of every valid token, and the
// badge desk (internal/desk) finds the attendee of a badge since replaced
// to tell staff so, so they need the claims and the keys, not only
// Verify's attendee.

// Claims checks token's signature and returns what it says, whatever its
// version, without looking the attendee up: a forged, altered or foreign
// token is EBadgeInvalid; whether its version is current is the caller's
// question.
func (s *Service) Claims(ctx context.Context, token string) (Claims, error) {
	kr, err := s.keyring(ctx, false)
	if err != nil {
		return Claims{}, err
	}
	c, err := kr.Verify(token)
	if err != nil {
		// Perhaps signed by a key rotated in since the copy was made.
		if kr, err2 := s.keyring(ctx, true); err2 == nil {
			c, err = kr.Verify(token)
		}
	}
	if err != nil {
		var le *lanyard.Error
		if errors.As(err, &le) {
			return Claims{}, lanyard.Errorf(lanyard.EBadgeInvalid, "This is not a valid badge: it was altered, or not made here.")
		}
		return Claims{}, err
	}
	return c, nil
}

// Keys returns the keyring badges are signed and verified with.
func (s *Service) Keys(ctx context.Context) (Keyring, error) {
	return s.keyring(ctx, false)
}
