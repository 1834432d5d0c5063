package registration

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/auth"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

// InvitationTTL is how long an invitation's set-password link works:
// invitations go out weeks before the event.
const InvitationTTL = 30 * 24 * time.Hour

// Inviter returns the store.Inviter of an import that invites the
// attendees it creates: a single-use set-password link,
// baseURL/invite/{token}, valid for ttl, in a message of kind
// lanyard.KindInvitation. The message carries its template parameters
// (name, event, link, expires) for rendering in the attendee's language at
// delivery, and a subject and body in English and Korean for delivery that
// renders nothing.
func Inviter(baseURL, eventName string, ttl time.Duration, now func() time.Time) store.Inviter {
	baseURL = strings.TrimRight(baseURL, "/")
	return func(a *lanyard.Attendee) (store.Link, error) {
		token, hash := NewLinkToken()
		link := baseURL + "/invite/" + token
		expires := now().Add(ttl)
		day := expires.UTC().Format(time.DateOnly)
		msg := lanyard.Message{Kind: lanyard.KindInvitation, Recipient: a.Email, Template: lanyard.KindInvitation,
			Params:  map[string]string{"name": a.Name, "event": eventName, "link": link, "expires": day},
			Subject: fmt.Sprintf("%s: set your password / 비밀번호를 설정하세요", eventName),
			Body: fmt.Sprintf("Hello %s,\n\nYou are registered for %s. Set your password to sign in, reserve seats and get your badge:\n\n%s\n\nThe link works once, until %s.\n\n"+
				"---\n\n%s님, 안녕하세요.\n\n%s에 등록되어 있습니다. 아래 링크에서 비밀번호를 설정하면 로그인하여 좌석을 예약하고 배지를 받을 수 있습니다.\n\n%s\n\n이 링크는 %s까지 한 번만 쓸 수 있습니다.\n",
				a.Name, eventName, link, day, a.Name, eventName, link, day)}
		return store.Link{TokenHash: hash, Expires: expires, Message: msg}, nil
	}
}

// NewLinkToken returns the random token of a mailed link and the hash the
// store keeps (the link's token is in the mail and nowhere else).
func NewLinkToken() (token string, hash []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, auth.HashToken(token)
}
