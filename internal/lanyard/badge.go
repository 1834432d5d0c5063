package lanyard

import (
	"strings"
	"time"
	"unicode"
)

// Photo and badge error codes: each answers with its own HTTP status (see
// internal/respond) so a client can tell what to fix.
const (
	EPhotoTooLarge      = "photo_too_large"       // over 10 MB: 413
	EPhotoTooManyPixels = "photo_too_many_pixels" // over 40 megapixels, by its header: 422
	EPhotoUnsupported   = "photo_unsupported"     // not JPEG, PNG or WebP: 415
	EPhotoCorrupt       = "photo_corrupt"         // truncated or damaged: 422
	EPhotoTooSmall      = "photo_too_small"       // too few pixels for a badge: 422
	EBadgeInvalid       = "badge_invalid"         // a token that is malformed, forged or altered: 400
)

// PhotoCheck is one judgement of a badge photo: what was measured, against
// what limit, and what to do about it.
type PhotoCheck struct {
	Code    string  `json:"code"` // too_dark, too_bright, low_contrast, too_small
	Value   float64 `json:"value"`
	Limit   float64 `json:"limit"`
	Message string  `json:"message"`
}

// Photo is an attendee's badge photo as stored: processed (oriented,
// cropped, resized) and stripped of every metadata field.
type Photo struct {
	AttendeeID int64        `json:"-"`
	JPEG       []byte       `json:"-"`
	Format     string       `json:"format"` // of the upload: jpeg, png, webp
	Width      int          `json:"width"`  // of the upload, upright
	Height     int          `json:"height"`
	Checks     []PhotoCheck `json:"checks"`
	Flagged    bool         `json:"flagged"`
	UpdatedAt  time.Time    `json:"updated_at"`
}

// BadgeKey is an HMAC key that signs badge tokens; its ID travels in each
// token so keys can rotate without voiding printed badges.
type BadgeKey struct {
	ID        uint8
	Secret    []byte
	CreatedAt time.Time
}

// BadgeState is what the registration desk knows of an attendee's badge.
type BadgeState struct {
	// Version is in the badge's token; bumping it voids a lost badge.
	Version    int        `json:"version"`
	PickedUpAt *time.Time `json:"picked_up_at,omitempty"`
}

// FamilyName returns the part of a name badges are sorted by: the first
// word of a name written in Hangul, Han or Kana (family name first, as in
// 김민지 or 田中 陽菜), else the last word.
func FamilyName(name string) string {
	words := strings.Fields(name)
	if len(words) == 0 {
		return ""
	}
	for _, r := range name {
		if unicode.In(r, unicode.Hangul, unicode.Han, unicode.Hiragana, unicode.Katakana) {
			if len(words) == 1 {
				// No space: one syllable of family name is the common case.
				return string([]rune(words[0])[:1])
			}
			return words[0]
		}
	}
	return words[len(words)-1]
}
