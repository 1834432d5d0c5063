// Package webhook delivers lanyard's events to the endpoints organizers
// register, signed by the Standard Webhooks convention: the dispatcher over
// the webhook_deliveries table (lease claims, backoff, the delivery log),
// the signature, and an HTTP client that refuses private addresses. See
// docs/ARCHITECTURE.md "Webhooks".
package webhook

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// secretPrefix marks a Standard Webhooks secret: the key follows in base64.
const secretPrefix = "whsec_"

// NewSecret returns a new signing secret: 32 random bytes as "whsec_" and
// base64, the form receivers' libraries take.
func NewSecret() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return secretPrefix + base64.StdEncoding.EncodeToString(b)
}

// Enqueuer queues one delivery to an endpoint (store.DB.EnqueueWebhook).
type Enqueuer interface {
	EnqueueWebhook(ctx context.Context, endpointID int64, typ, msgID string, data any) (int64, error)
}

// SendTest queues endpoint e a test event ("webhook.test"), whatever it
// subscribed to, with a message ID of its own; it returns the delivery's ID.
// The console's button and the API's route both send it.
func SendTest(ctx context.Context, q Enqueuer, e lanyard.WebhookEndpoint) (int64, error) {
	b := make([]byte, 8)
	rand.Read(b)
	return q.EnqueueWebhook(ctx, e.ID, lanyard.EventTest, "msg_test_"+hex.EncodeToString(b),
		map[string]any{"event_id": e.EventID, "endpoint_id": e.ID})
}

// Sign returns the webhook-signature header of a message: "v1," and the
// base64 HMAC-SHA256, keyed by the secret's bytes, of "id.timestamp.body"
// (timestamp in Unix seconds).
func Sign(secret, msgID string, ts time.Time, body []byte) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, secretPrefix))
	if err != nil || len(key) == 0 {
		return "", fmt.Errorf("webhook: sign: the secret is not whsec_ and base64")
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(msgID))
	mac.Write([]byte{'.'})
	mac.Write([]byte(strconv.FormatInt(ts.Unix(), 10)))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}
