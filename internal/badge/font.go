package badge

import (
	_ "embed"
	"encoding/binary"
	"fmt"
	"sync"
	"unicode"
)

// The fonts, their licences beside them in fonts/. One bold weight each:
// every line on a badge is read from a distance.
var (
	//go:embed fonts/DejaVuSans-Bold.ttf
	dejaVuSansBold []byte
	//go:embed fonts/NanumSquareB.ttf
	nanumSquareBold []byte
	//go:embed fonts/DroidSansFallback.ttf
	droidSansFallback []byte
)

// face is one embedded TrueType font and the characters it has glyphs for.
type face struct {
	family string // the fpdf family name
	data   []byte
	cover  func() *coverage
}

func newFace(family string, data []byte) *face {
	return &face{family: family, data: data, cover: sync.OnceValue(func() *coverage {
		c, err := cmapCoverage(data)
		if err != nil {
			// The fonts are embedded and tested; this is a build mistake.
			panic(fmt.Sprintf("badge: font %s: %v", family, err))
		}
		return c
	})}
}

func (f *face) has(r rune) bool { return f.cover().has(r) }

var (
	// latin covers Latin (with accents), Greek and Cyrillic names.
	latin = newFace("dejavu", dejaVuSansBold)
	// hangul covers Korean, plus the KS X 1001 set of kana and Hanja.
	hangul = newFace("nanum", nanumSquareBold)
	// han covers all of CJK Unified Ideographs (simplified Chinese and
	// Japanese shinjitai that KS X 1001 lacks), kana and Hangul.
	han = newFace("droid", droidSansFallback)
)

// run is a piece of text set in one face.
type run struct {
	face *face
	text string
}

// runs splits s into pieces each set in the first face that has all its
// characters: Latin script in DejaVu, the rest in NanumSquare, or in Droid
// Sans Fallback when NanumSquare lacks any CJK character of s (so that one
// Chinese or Japanese name is not set in two styles). Characters no face has,
// and control and format characters, are dropped rather than printed as empty boxes.
func runs(s string) []run {
	cjk := hangul
	for _, r := range s {
		if !latin.has(r) && !hangul.has(r) && han.has(r) {
			cjk = han
			break
		}
	}
	order := [...]*face{latin, cjk, hangul, han}
	var out []run
	for _, r := range s {
		if unicode.In(r, unicode.Cc, unicode.Cf) {
			continue
		}
		var f *face
		for _, c := range order {
			if c.has(r) {
				f = c
				break
			}
		}
		if f == nil {
			continue
		}
		// A space between two CJK characters stays in their face.
		if r == ' ' && len(out) > 0 && out[len(out)-1].face.has(' ') {
			f = out[len(out)-1].face
		}
		if len(out) > 0 && out[len(out)-1].face == f {
			out[len(out)-1].text += string(r)
			continue
		}
		out = append(out, run{face: f, text: string(r)})
	}
	return out
}

// coverage is a bit set over the Basic Multilingual Plane: fpdf indexes
// glyph widths by rune up to U+FFFF only, so nothing beyond is used.
type coverage [0x10000 / 64]uint64

func (c *coverage) has(r rune) bool {
	return r >= 0 && r < 0x10000 && c[r/64]&(1<<(r%64)) != 0
}

func (c *coverage) add(lo, hi uint32) {
	for r := lo; r <= hi && r < 0x10000; r++ {
		c[r/64] |= 1 << (r % 64)
	}
}

// cmapCoverage reads the Unicode cmap of a TrueType font: format 12 from
// the (3,10) subtable if there is one, else format 4 from (3,1) or (0,*).
func cmapCoverage(font []byte) (*coverage, error) {
	be := binary.BigEndian
	if len(font) < 12 {
		return nil, fmt.Errorf("short font")
	}
	var cmap []byte
	n := int(be.Uint16(font[4:]))
	for i := range n {
		rec := 12 + 16*i
		if rec+16 > len(font) {
			return nil, fmt.Errorf("short table directory")
		}
		if string(font[rec:rec+4]) == "cmap" {
			off, ln := int(be.Uint32(font[rec+8:])), int(be.Uint32(font[rec+12:]))
			if off+ln > len(font) {
				return nil, fmt.Errorf("cmap out of range")
			}
			cmap = font[off : off+ln]
		}
	}
	if len(cmap) < 4 {
		return nil, fmt.Errorf("no cmap")
	}
	var fmt4, fmt12 []byte
	for i := range int(be.Uint16(cmap[2:])) {
		rec := 4 + 8*i
		if rec+8 > len(cmap) {
			return nil, fmt.Errorf("short cmap")
		}
		platform, encoding, off := be.Uint16(cmap[rec:]), be.Uint16(cmap[rec+2:]), int(be.Uint32(cmap[rec+4:]))
		if off+4 > len(cmap) {
			return nil, fmt.Errorf("cmap subtable out of range")
		}
		sub := cmap[off:]
		switch format := be.Uint16(sub); {
		case format == 12 && (platform == 3 && encoding == 10 || platform == 0):
			fmt12 = sub
		case format == 4 && (platform == 3 && encoding == 1 || platform == 0):
			fmt4 = sub
		}
	}
	c := new(coverage)
	switch {
	case fmt12 != nil:
		if len(fmt12) < 16 {
			return nil, fmt.Errorf("short format 12 cmap")
		}
		groups := int(be.Uint32(fmt12[12:]))
		if 16+12*groups > len(fmt12) {
			return nil, fmt.Errorf("short format 12 cmap")
		}
		for g := range groups {
			p := fmt12[16+12*g:]
			lo, hi, glyph := be.Uint32(p), be.Uint32(p[4:]), be.Uint32(p[8:])
			if glyph == 0 {
				lo++ // the first character maps to .notdef
			}
			c.add(lo, hi)
		}
	case fmt4 != nil:
		if len(fmt4) < 14 {
			return nil, fmt.Errorf("short format 4 cmap")
		}
		segs := int(be.Uint16(fmt4[6:])) / 2
		ends, starts := 14, 16+2*segs
		deltas, ranges := starts+2*segs, starts+4*segs
		if ranges+2*segs > len(fmt4) {
			return nil, fmt.Errorf("short format 4 cmap")
		}
		u16 := func(at int) uint16 { return be.Uint16(fmt4[at:]) }
		for s := range segs {
			lo, hi := uint32(u16(starts+2*s)), uint32(u16(ends+2*s))
			delta, rangeOff := u16(deltas+2*s), int(u16(ranges+2*s))
			for r := lo; r <= hi && r != 0xFFFF; r++ {
				glyph := uint16(r) + delta
				if rangeOff != 0 {
					at := ranges + 2*s + rangeOff + 2*int(r-lo)
					if at+2 > len(fmt4) {
						break
					}
					if glyph = u16(at); glyph != 0 {
						glyph += delta
					}
				}
				if glyph != 0 {
					c.add(r, r)
				}
			}
		}
	default:
		return nil, fmt.Errorf("no Unicode cmap subtable")
	}
	return c, nil
}
