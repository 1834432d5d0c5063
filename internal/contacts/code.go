package contacts

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// maxCode bounds what a scan may carry before it is parsed: a personal
// QR's link with its token, or a badge's token alone.
const maxCode = 512

// tokenRE is a badge token's shape: LY1 and unpadded base32 (badge.Sign).
var tokenRE = regexp.MustCompile(`^LY1[A-Z2-7]{8,120}$`)

// ParseCode returns the badge token a scanned code carries: a badge's QR
// (the token alone) or a personal QR (a link to /contacts/scan with the
// token in its code parameter). A wedge scanner's line end and spaces are
// trimmed. Anything else is EINVALID; the token's signature is checked by
// the caller (badge.Service.Verify).
func ParseCode(s string) (string, error) {
	bad := &lanyard.Error{Code: lanyard.EINVALID, Field: "code", Message: "This is not a badge or a contact QR code of this event."}
	s = strings.TrimSpace(s)
	if s == "" || len(s) > maxCode {
		return "", bad
	}
	if strings.Contains(s, "://") || strings.HasPrefix(s, "/") {
		u, err := url.Parse(s)
		if err != nil || !strings.HasSuffix(u.Path, "/contacts/scan") {
			return "", bad
		}
		s = u.Query().Get("code")
	}
	if !tokenRE.MatchString(s) {
		return "", bad
	}
	return s, nil
}

// QRLink is the link a personal QR code carries: the scan page with the
// token, so a phone's own camera app opens it too.
func QRLink(base, token string) string {
	return strings.TrimRight(base, "/") + "/contacts/scan?code=" + url.QueryEscape(token)
}
