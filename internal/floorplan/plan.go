package floorplan

import (
	"bytes"
	"image"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/webp"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Limits on an upload.
const (
	// MaxBytes is the largest plan accepted: an architect's SVG export of
	// a hotel floor or a 6000×4000 PNG stays well under it.
	MaxBytes = 8 << 20
	// MaxPixels is the largest image accepted, by the size its header
	// claims: a phone shows a plan of that size only by zooming anyway.
	MaxPixels = 40_000_000
)

// Plan is an accepted upload, ready to store: an SVG sanitized, an image
// as it came (its type fixed by content, and served only as that type).
type Plan struct {
	Format string // lanyard.PlanSVG, …
	Data   []byte
	Box    Box
}

// Read decides what data is by its content and accepts it as a plan.
//
// Returns a *lanyard.Error: EPlanTooLarge over MaxBytes or MaxPixels,
// EPlanUnsupported if it is neither an SVG nor a PNG, JPEG or WebP image,
// EPlanInvalid for a broken SVG or image.
func Read(data []byte) (*Plan, error) {
	if len(data) > MaxBytes {
		return nil, lanyard.Errorf(lanyard.EPlanTooLarge, "The plan is larger than %d MB.", MaxBytes>>20)
	}
	var decode func([]byte) (image.Config, error)
	format := ""
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		format, decode = lanyard.PlanPNG, func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) }
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		format, decode = lanyard.PlanJPEG, func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) }
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		format, decode = lanyard.PlanWebP, func(b []byte) (image.Config, error) { return webp.DecodeConfig(bytes.NewReader(b)) }
	}
	if format == "" {
		svg, box, err := Sanitize(data)
		if err != nil {
			return nil, err
		}
		return &Plan{Format: lanyard.PlanSVG, Data: svg, Box: box}, nil
	}
	cfg, err := decode(data)
	if err != nil {
		return nil, lanyard.Errorf(lanyard.EPlanInvalid, "The image is damaged or truncated.")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, lanyard.Errorf(lanyard.EPlanInvalid, "The image has no pixels.")
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, lanyard.Errorf(lanyard.EPlanTooLarge, "The image has more than %d megapixels.", MaxPixels/1_000_000)
	}
	return &Plan{Format: format, Data: data, Box: Box{0, 0, float64(cfg.Width), float64(cfg.Height)}}, nil
}

// ServeHeaders are the headers every plan is served with. The policy
// forbids script, plugins, forms and loading anything even if a plan were
// opened on its own (not as an <img>, where browsers never run an SVG's
// script); sandbox gives it an opaque origin besides; nosniff keeps the
// browser to the declared type.
var ServeHeaders = map[string]string{
	"Content-Security-Policy":      "default-src 'none'; style-src 'unsafe-inline'; sandbox",
	"X-Content-Type-Options":       "nosniff",
	"Cross-Origin-Resource-Policy": "same-origin",
}
