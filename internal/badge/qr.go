package badge

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"sync"

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
// High), 8 pixels a module, with the 4-module quiet zone around it. Returns
// EINVALID if token is too long for a QR code.
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

// qrPNG encodes token at px pixels a module as a black and white greyscale
// PNG, and returns the number of modules a side, quiet zone included.
//
// It does not use go-qrcode's PNG: that writes a palette, which fpdf
// compresses once more at output, and makes a new best-compression deflater
// (over a megabyte of allocation) for each code. A shared encoder pool and
// BestSpeed cost a tenth of that; the image is a few hundred bytes either way.
func qrPNG(token string, px int) ([]byte, int, error) {
	q, err := qrcode.New(token, qrLevel)
	if err != nil {
		return nil, 0, fmt.Errorf("badge: qr: %w", lanyard.Errorf(lanyard.EINVALID, "The badge code is too long for a QR code."))
	}
	bits := q.Bitmap() // with the quiet zone
	n := len(bits)
	img := image.NewGray(image.Rect(0, 0, n*px, n*px))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y, row := range bits {
		for x, dark := range row {
			if !dark {
				continue
			}
			for dy := range px {
				off := img.PixOffset(x*px, y*px+dy)
				clear(img.Pix[off : off+px])
			}
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &pngPool}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, 0, fmt.Errorf("badge: qr png: %w", err)
	}
	return buf.Bytes(), n, nil
}

// pngPool lets PNG encoders reuse their deflate state.
var pngPool pool

type pool struct{ p sync.Pool }

func (p *pool) Get() *png.EncoderBuffer {
	b, _ := p.p.Get().(*png.EncoderBuffer)
	return b
}

func (p *pool) Put(b *png.EncoderBuffer) { p.p.Put(b) }
