package badge

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// qrLevel is the error correction of every badge QR code. High restores up
// to 30% of the symbol, so a code half-hidden by a thumb, a crease or a
// lanyard clip still reads; the token is short enough that this costs no
// more than version 3.
const qrLevel = qrcode.High

// qrPixelsPerModule is the scale of the PNG that QR returns.
const qrPixelsPerModule = 8

// QR returns token as a PNG QR code at error correction High, 8 pixels a
// module, with the 4-module quiet zone around it. Returns EINVALID if token
// is too long for a QR code.
func QR(token string) ([]byte, error) {
	return qrPNG(token, qrPixelsPerModule)
}

// QRVersion returns the QR version (1–40) that QR and the badge PDF use for
// token, or 0 if token does not fit in any.
func QRVersion(token string) int {
	q, err := qrcode.New(token, qrLevel)
	if err != nil {
		return 0
	}
	return q.VersionNumber
}

// qrPNG encodes token at px pixels a module, as a 1-bit PNG. It also returns
// the number of modules a side including the quiet zone.
func qrPNG(token string, px int) ([]byte, error) {
	b, _, err := qrPNGModules(token, px)
	return b, err
}

func qrPNGModules(token string, px int) ([]byte, int, error) {
	q, err := qrcode.New(token, qrLevel)
	if err != nil {
		return nil, 0, fmt.Errorf("badge: qr: %w", lanyard.Errorf(lanyard.EINVALID, "The badge code is too long for a QR code."))
	}
	b, err := q.PNG(-px)
	if err != nil {
		return nil, 0, fmt.Errorf("badge: qr png: %w", err)
	}
	return b, 17 + 4*q.VersionNumber + 2*4, nil
}
