package registration

import (
	"crypto/rand"
	"encoding/base64"
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
// lanyard.KindInvitation, whose template parameters (message.AccountParams)
// are rendered in the attendee's language at delivery.
func Inviter(baseURL, eventName string, ttl time.Duration, now func() time.Time) store.Inviter {
	baseURL = strings.TrimRight(baseURL, "/")
	return func(a *lanyard.Attendee) (store.Link, error) {
		token, hash := NewLinkToken()
		link := baseURL + "/invite/" + token
		expires := now().Add(ttl)
		msg := lanyard.Message{Kind: lanyard.KindInvitation, Recipient: a.Email, Template: lanyard.KindInvitation,
			Params: map[string]string{"name": a.Name, "event": eventName, "link": link, "expires": expires.UTC().Format(time.RFC3339)}}
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
