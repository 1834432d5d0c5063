package badge

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// qrLevel is the error correction of every badge QR code: go-qrcode's High
// is the standard's level Q, which restores up to 25% of the symbol, so a
// code partly hidden by a thumb, a crease or a lanyard clip still reads. The
// token is short enough that this costs no more than version 3 (29×29).
const qrLevel = qrcode.High

// qrPixelsPerModule is the scale of the PNG that QR returns.
const qrPixelsPerModule = 8

// QR returns token as a PNG QR code at error correction Q (go-qrcode's
// High), 8 pixels a module, with the 4-module quiet zone around it. Returns EINVALID if token
// is too long for a QR code.
func QR(token string) ([]byte, error) {
	b, _, err := qrPNG(token, qrPixelsPerModule)
	return b, err
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
// the number of modules a side, quiet zone included.
func qrPNG(token string, px int) ([]byte, int, error) {
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
