package photo

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"math"

	"github.com/disintegration/imaging"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"golang.org/x/image/webp"
)

// Limits on an upload.
const (
	// MaxBytes is the largest upload accepted: a 12–48 megapixel phone
	// photo is 2–8 MB as JPEG.
	MaxBytes = 10 << 20
	// MaxPixels is the largest image accepted, by the count its header
	// claims. Decoding one costs about 1.5 bytes a pixel for a typical
	// JPEG, 4 for PNG (8 for 16-bit PNG), and a progressive JPEG needs 6–12
	// more for its coefficients: a few hundred MB at the limit. Callers
	// that take many uploads at once should bound how many they process
	// together.
	MaxPixels = 40_000_000
)

// The stored badge photo: a 3:4 portrait.
const (
	Width   = 600
	Height  = 800
	quality = 88 // of the stored JPEG: no visible artefacts at badge size; 30–130 KB in the tests
)

// Error codes of a refused upload, each a *lanyard.Error with a message a
// person can act on. The values are those of lanyard.EPhoto*, so the
// shared error writer maps them to statuses.
const (
	ETooLarge      = lanyard.EPhotoTooLarge      // over MaxBytes
	ETooManyPixels = lanyard.EPhotoTooManyPixels // over MaxPixels, by its header
	ETooSmall      = lanyard.EPhotoTooSmall      // less than minWidth×minHeight to crop from
	EUnsupported   = lanyard.EPhotoUnsupported   // not JPEG, PNG or WebP, or a feature of one we cannot read
	ECorrupt       = lanyard.EPhotoCorrupt       // empty, truncated or damaged
)

// Codes of the checks of an accepted photo.
const (
	TooDark     = "too_dark"
	TooBright   = "too_bright"
	LowContrast = "low_contrast"
	TooSmall    = "too_small"
)

// Thresholds. Luminance is Rec. 601 luma (0.299 R + 0.587 G + 0.114 B) of
// the sRGB values, 0–255, measured on the stored 600×800 crop, i.e. on
// what will be printed: "brightness" as a photo editor's histogram shows
// it. The values are judgement from how exposure is usually described
// (a well-exposed photo has its mean near the middle, 100–160), not
// measured on this event's uploads: tune them with the organizer's report
// of flagged photos. They lean towards letting a photo pass, since a
// flag is advice and the photo is stored anyway.
const (
	// Below 70 a face is mostly shadow, and print makes it darker still:
	// the under-lit photos of the on-site registration desk.
	minMean = 70
	// Above 210 the face is washed out: overexposed, flash at arm's length,
	// or mostly a white wall.
	maxMean = 210
	// The standard deviation of luma is the photo's global contrast; a
	// blank frame is near 0, and below 25 a photo looks grey and hazy
	// (fogged lens, backlight, a face against a wall of its own tone).
	minStddev = 25
	// The 3:4 crop is scaled to 600 px wide. Below 450 px (more than a
	// third upscaled) the badge looks soft: flagged. Below 150×200 there is
	// nothing left to recognise a face by: refused.
	flagWidth = 450
	minWidth  = 150
	minHeight = 200
)

// Check is one judgement of a photo; it is the domain's lanyard.PhotoCheck,
// so a Result's Checks are stored as they are. Code is one of TooDark,
// TooBright, LowContrast or TooSmall; Value is what was measured (mean
// luminance 0–255, luminance standard deviation, or the width in pixels of
// the original's part used for the badge) and Limit the threshold it failed.
type Check = lanyard.PhotoCheck

// Result is an accepted photo.
type Result struct {
	// JPEG is the photo to store: upright, cropped to 3:4 (centred across;
	// down the frame, a third of the cut from the top and two thirds from
	// the bottom, since faces sit in the upper part of portraits), resized
	// to Width×Height, quality 88, with no metadata at all: no EXIF (so no
	// GPS, camera or date), no ICC profile, no comment. Transparent parts
	// are made white.
	JPEG []byte
	// Format is that of the upload as read from its content: "jpeg",
	// "png" or "webp".
	Format string
	// Width and Height are those of the upload, upright.
	Width, Height int
	// Checks lists the problems found, and is empty when there are none:
	// there is no "ok" check. The photo is stored either way; these are
	// for telling the attendee (and the organizer's report) what to fix.
	Checks []Check
	// Flagged reports whether Checks is not empty.
	Flagged bool
}

// Process reads an upload, at most MaxBytes+1 bytes of r, and returns the
// processed photo. A refused upload returns a *lanyard.Error whose code is
// ETooLarge, ETooManyPixels, ETooSmall, EUnsupported or ECorrupt; an error
// reading r is returned wrapped as it is.
func Process(r io.Reader) (*Result, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("photo: read upload: %w", err)
	}
	return ProcessBytes(data)
}

// ProcessBytes is Process for an upload already read into memory (a
// caller that reads it before waiting for a processing slot), without
// copying it again.
func ProcessBytes(data []byte) (*Result, error) {
	if len(data) > MaxBytes {
		return nil, lanyard.Errorf(ETooLarge, "The photo is larger than 10 MB. Please send a smaller file: a phone photo is usually 2–5 MB.")
	}
	return process(data)
}

// codec reads one format.
type codec struct {
	name   string
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

var (
	jpegCodec = codec{"jpeg", jpeg.DecodeConfig, jpeg.Decode}
	pngCodec  = codec{"png", png.DecodeConfig, png.Decode}
	webpCodec = codec{"webp", webp.DecodeConfig, webp.Decode}
)

func process(data []byte) (*Result, error) {
	c, err := sniff(data)
	if err != nil {
		return nil, err
	}
	cfg, err := c.config(bytes.NewReader(data))
	if err != nil {
		return nil, decodeError(c, err)
	}
	sw, sh := cfg.Width, cfg.Height
	if sw <= 0 || sh <= 0 {
		return nil, lanyard.Errorf(ECorrupt, "The photo cannot be read: its header is damaged. Please upload it again.")
	}
	if px := int64(sw) * int64(sh); px > MaxPixels {
		return nil, lanyard.Errorf(ETooManyPixels, "The photo is %d×%d pixels (%.0f megapixels); the limit is 40 megapixels. Please resize it, or send the photo as your phone saved it.",
			sw, sh, float64(px)/1e6)
	}

	o := 1
	if c.name == "jpeg" {
		o = jpegOrientation(data)
	}
	w, h := sw, sh // upright
	if o >= 5 {
		w, h = sh, sw
	}
	crop := cropRect(w, h)
	if crop.Dx() < minWidth || crop.Dy() < minHeight {
		return nil, lanyard.Errorf(ETooSmall, "The photo is only %d×%d pixels. A badge needs at least %d×%d, and looks best from %d×%d up: please send a larger photo.",
			w, h, minWidth, minHeight, Width, Height)
	}

	img, err := c.decode(bytes.NewReader(data))
	if err != nil {
		return nil, decodeError(c, err)
	}
	if b := img.Bounds(); b != image.Rect(0, 0, sw, sh) {
		return nil, lanyard.Errorf(ECorrupt, "The photo cannot be read: its size does not match its header. Please upload it again.")
	}

	// Crop and scale in the stored orientation, then turn only the small
	// result upright: turning the whole photo first would copy every pixel
	// of it once more.
	tw, th := Width, Height
	if o >= 5 {
		tw, th = Height, Width
	}
	small := orient(imaging.Resize(subImage(img, sourceRect(o, crop, sw, sh)), tw, th, imaging.CatmullRom), o)
	out, mean, stddev := flatten(small)

	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, out, &jpeg.Options{Quality: quality}); err != nil {
		return nil, fmt.Errorf("photo: encode: %w", err)
	}
	res := &Result{JPEG: buf.Bytes(), Format: c.name, Width: w, Height: h}
	res.Checks = judge(mean, stddev, crop)
	res.Flagged = len(res.Checks) > 0
	return res, nil
}

// sniff returns the codec of data by its magic bytes, or an EUnsupported
// error naming what data looks like.
func sniff(data []byte) (codec, error) {
	has := func(off int, s string) bool {
		return len(data) >= off+len(s) && string(data[off:off+len(s)]) == s
	}
	switch {
	case len(data) == 0:
		return codec{}, lanyard.Errorf(ECorrupt, "The file is empty. Please choose a photo and upload it again.")
	case has(0, "\xff\xd8\xff"):
		return jpegCodec, nil
	case has(0, "\x89PNG\r\n\x1a\n"):
		return pngCodec, nil
	case has(0, "RIFF") && has(8, "WEBP"):
		// Animated WebP (VP8X with the animation flag) is not something
		// x/image/webp reads; say so rather than call it damaged.
		if has(12, "VP8X") && len(data) > 20 && data[20]&0x02 != 0 {
			return codec{}, lanyard.Errorf(EUnsupported, "Animated WebP images cannot be used as a badge photo. Please upload a still JPEG, PNG or WebP photo.")
		}
		return webpCodec, nil
	}
	kind := ""
	switch {
	case has(0, "GIF87a"), has(0, "GIF89a"):
		kind = "a GIF image"
	case has(4, "ftypheic"), has(4, "ftypheix"), has(4, "ftyphevc"), has(4, "ftypmif1"), has(4, "ftypmsf1"):
		kind = "a HEIC image (the iPhone's own format)"
	case has(4, "ftypavif"):
		kind = "an AVIF image"
	case has(0, "II*\x00"), has(0, "MM\x00*"):
		kind = "a TIFF or camera RAW image"
	case has(0, "%PDF-"):
		kind = "a PDF document"
	}
	if kind != "" {
		return codec{}, lanyard.Errorf(EUnsupported, "This file is %s. Please upload a JPEG, PNG or WebP photo.", kind)
	}
	return codec{}, lanyard.Errorf(EUnsupported, "This file is not a JPEG, PNG or WebP photo. Please upload one of those.")
}

// decodeError turns a decoder's error into a refusal: a feature the decoder
// does not implement is unsupported, anything else is a damaged file.
func decodeError(c codec, err error) error {
	var ju jpeg.UnsupportedError
	var pu png.UnsupportedError
	if errors.As(err, &ju) || errors.As(err, &pu) {
		return lanyard.Errorf(EUnsupported, "This %s is saved in a way we cannot read. Please save it again as an ordinary JPEG or PNG and upload that.", formatName(c))
	}
	return lanyard.Errorf(ECorrupt, "The photo cannot be read: the %s file is damaged or incomplete. Please upload it again.", formatName(c))
}

func formatName(c codec) string {
	switch c.name {
	case "jpeg":
		return "JPEG"
	case "png":
		return "PNG"
	}
	return "WebP"
}

// cropRect returns the largest 3:4 rectangle of a w×h upright image,
// centred across, and placed down the frame with a third of the cut above
// it and two thirds below, where a portrait has its face.
func cropRect(w, h int) image.Rectangle {
	cw, ch := w, w*4/3
	if w*4 > h*3 { // wider than 3:4
		cw, ch = h*3/4, h
	}
	x, y := (w-cw)/2, (h-ch)/3
	return image.Rect(x, y, x+cw, y+ch)
}

// subImage returns the part r of img, without copying pixels where img
// allows it.
func subImage(img image.Image, r image.Rectangle) image.Image {
	if s, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return s.SubImage(r)
	}
	return imaging.Crop(img, r)
}

// flatten puts m on white (a transparent background prints as white, not
// the black a JPEG encoder would make of it) and returns it with the mean
// and standard deviation of its luma.
func flatten(m *image.NRGBA) (out *image.RGBA, mean, stddev float64) {
	b := m.Bounds()
	out = image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	var sum, sum2 float64
	for y := 0; y < b.Dy(); y++ {
		src := m.Pix[y*m.Stride : y*m.Stride+4*b.Dx()]
		dst := out.Pix[y*out.Stride : y*out.Stride+4*b.Dx()]
		for i := 0; i < len(src); i += 4 {
			a := uint32(src[i+3])
			for k := 0; k < 3; k++ {
				dst[i+k] = uint8((uint32(src[i+k])*a + 255*(255-a) + 127) / 255)
			}
			dst[i+3] = 255
			l := 0.299*float64(dst[i]) + 0.587*float64(dst[i+1]) + 0.114*float64(dst[i+2])
			sum += l
			sum2 += l * l
		}
	}
	n := float64(b.Dx() * b.Dy())
	mean = sum / n
	stddev = math.Sqrt(max(0, sum2/n-mean*mean))
	return out, mean, stddev
}

// judge returns the problems of a photo with the given luma statistics and
// crop of its original.
func judge(mean, stddev float64, crop image.Rectangle) []Check {
	var cs []Check
	if w := crop.Dx(); w < flagWidth {
		cs = append(cs, Check{Code: TooSmall, Value: float64(w), Limit: flagWidth,
			Message: fmt.Sprintf("Your photo is small: the part used for the badge is %d×%d pixels, and at least %d×%d is needed for a sharp print. Upload the original photo rather than a thumbnail or a screenshot.",
				w, crop.Dy(), flagWidth, flagWidth*4/3)})
	}
	// Values are kept exact; messages show them rounded away from the limit,
	// so that a mean of 69.7 never reads "70, below 70".
	lit := true
	switch {
	case mean < minMean:
		lit = false
		cs = append(cs, Check{Code: TooDark, Value: mean, Limit: minMean,
			Message: fmt.Sprintf("Your photo is too dark (mean brightness %.0f of 255; aim for 90–200). Retake it facing a window or a lamp, with the light in front of you rather than behind.", math.Floor(mean))})
	case mean > maxMean:
		lit = false
		cs = append(cs, Check{Code: TooBright, Value: mean, Limit: maxMean,
			Message: fmt.Sprintf("Your photo is too bright (mean brightness %.0f of 255; aim for 90–200). Retake it out of direct sunlight and without flash, in front of a background that is not white.", math.Ceil(mean))})
	}
	// A photo too dark or too bright is nearly always flat as well, and the
	// fix is the same (better light), so contrast is judged only when the
	// brightness is fine: one problem, one thing to do.
	if lit && stddev < minStddev {
		cs = append(cs, Check{Code: LowContrast, Value: stddev, Limit: minStddev,
			Message: fmt.Sprintf("Your photo looks flat or washed out (contrast %.0f; at least %d is needed). Retake it in clear light with a clean lens, in front of a background that differs from your face and hair.", math.Floor(stddev), minStddev)})
	}
	return cs
}
