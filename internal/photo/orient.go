package photo

import (
	"encoding/binary"
	"image"

	"github.com/disintegration/imaging"
)

// jpegOrientation returns the EXIF Orientation (1–8) of a JPEG, or 1 when
// it has none or it cannot be read. Phones store a photo as the sensor saw
// it and record in this tag how to turn it upright; browsers obey the tag
// when showing the photo, so the attendee saw it upright and so must the
// badge. Only the tag in an APP1 "Exif" segment before the image data is
// read, as browsers do. (PNG's eXIf and WebP's EXIF chunks are ignored:
// browsers disagree about them, and phones do not write them.)
func jpegOrientation(b []byte) int {
	if len(b) < 2 || b[0] != 0xff || b[1] != 0xd8 {
		return 1
	}
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xff {
			return 1
		}
		m := b[i+1]
		switch {
		case m == 0xff: // fill byte
			i++
			continue
		case m == 0xda || m == 0xd9: // start of scan, end of image
			return 1
		case m == 0x01 || m >= 0xd0 && m <= 0xd7: // markers without a length
			i += 2
			continue
		}
		n := int(b[i+2])<<8 | int(b[i+3])
		if n < 2 || i+2+n > len(b) {
			return 1
		}
		if seg := b[i+4 : i+2+n]; m == 0xe1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		i += 2 + n
	}
	return 1
}

// tiffOrientation returns the Orientation tag (0x0112) of the first IFD of
// a TIFF structure, or 1.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 1
	}
	off := uint64(bo.Uint32(t[4:]))
	if off < 8 || off+2 > uint64(len(t)) {
		return 1
	}
	n := int(bo.Uint16(t[off:]))
	for k, p := 0, int(off)+2; k < n && p+12 <= len(t); k, p = k+1, p+12 {
		if bo.Uint16(t[p:]) != 0x0112 {
			continue
		}
		const short = 3
		if bo.Uint16(t[p+2:]) != short || bo.Uint32(t[p+4:]) != 1 {
			return 1
		}
		if v := int(bo.Uint16(t[p+8:])); v >= 1 && v <= 8 {
			return v
		}
		return 1
	}
	return 1
}

// sourceRect maps r, a rectangle of the upright image, to the stored
// sw×sh image of EXIF orientation o.
func sourceRect(o int, r image.Rectangle, sw, sh int) image.Rectangle {
	x0, x1, y0, y1 := r.Min.X, r.Max.X, r.Min.Y, r.Max.Y
	switch o {
	case 2: // mirrored: upright(x, y) = stored(sw-1-x, y)
		x0, x1 = sw-x1, sw-x0
	case 3: // upside down: stored(sw-1-x, sh-1-y)
		x0, x1, y0, y1 = sw-x1, sw-x0, sh-y1, sh-y0
	case 4: // mirrored upside down: stored(x, sh-1-y)
		y0, y1 = sh-y1, sh-y0
	case 5: // transposed: stored(y, x)
		x0, x1, y0, y1 = y0, y1, x0, x1
	case 6: // needs a quarter turn clockwise: stored(y, sh-1-x)
		x0, x1, y0, y1 = y0, y1, sh-x1, sh-x0
	case 7: // transversed: stored(sw-1-y, sh-1-x)
		x0, x1, y0, y1 = sw-y1, sw-y0, sh-x1, sh-x0
	case 8: // needs a quarter turn anticlockwise: stored(sw-1-y, x)
		x0, x1, y0, y1 = sw-y1, sw-y0, x0, x1
	}
	return image.Rect(x0, y0, x1, y1)
}

// orient turns m, stored with EXIF orientation o, upright. (imaging's
// Rotate90 and Rotate270 turn anticlockwise.)
func orient(m *image.NRGBA, o int) *image.NRGBA {
	switch o {
	case 2:
		return imaging.FlipH(m)
	case 3:
		return imaging.Rotate180(m)
	case 4:
		return imaging.FlipV(m)
	case 5:
		return imaging.Transpose(m)
	case 6:
		return imaging.Rotate270(m)
	case 7:
		return imaging.Transverse(m)
	case 8:
		return imaging.Rotate90(m)
	}
	return m
}
