package badge

import (
	"context"
	"errors"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Inspect returns the claims of a genuine badge token whatever its
// version: the badge desk finds the attendee of a badge since replaced,
// to tell staff so, where Verify refuses it. A malformed, forged or
// altered token is EBadgeInvalid.
func (s *Service) Inspect(ctx context.Context, token string) (Claims, error) {
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
