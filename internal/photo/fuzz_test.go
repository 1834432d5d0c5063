package photo

import (
	"bytes"
	"errors"
	"image/color"
	"image/gif"
	"os"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// FuzzProcess feeds Process damaged and hostile uploads. It must never
// panic; what it accepts must be stored as a 600×800 JPEG with no metadata,
// and what it refuses must be refused with one of its codes, never as an
// internal error (reading from memory cannot fail).
func FuzzProcess(f *testing.F) {
	small := portrait(150, 200, 128, 50)
	jpg := encodeJPEG(f, small, 75)
	f.Add(jpg)
	f.Add(insertSegments(jpg, segment(0xe1, exifTIFF(6, rationals(37, 1, 33, 1, 59123, 1000), rationals(126, 1, 58, 1, 41456, 1000)))))
	f.Add(insertSegments(jpg, segment(0xe1, littleEndianOrientation(8))))
	f.Add(jpg[:len(jpg)/2])
	f.Add(encodePNG(f, small))
	f.Add(encodePNG(f, halves(200, 150, color.NRGBA{255, 0, 0, 128}, color.NRGBA{0, 0, 255, 0})))
	f.Add(vp8lSolid(150, 200, color.NRGBA{200, 120, 80, 255}))
	f.Add(vp8xLossless(150, 200))
	f.Add(pngWithHeader(f, 50000, 50000))
	f.Add(setJPEGSize(f, jpg, 65535, 65535))
	if rose, err := os.ReadFile("testdata/yellow_rose.lossy-with-alpha.webp"); err == nil {
		f.Add(rose)
	}
	var g bytes.Buffer
	if err := gif.Encode(&g, small, nil); err != nil {
		f.Fatal(err)
	}
	f.Add(g.Bytes())
	f.Add([]byte("Hello, this is my photo.\n"))
	f.Add([]byte{})

	codes := map[string]bool{ETooLarge: true, ETooManyPixels: true, ETooSmall: true, EUnsupported: true, ECorrupt: true}
	checks := map[string]bool{TooDark: true, TooBright: true, LowContrast: true, TooSmall: true}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Process(bytes.NewReader(data))
		if err != nil {
			var le *lanyard.Error
			if !errors.As(err, &le) || !codes[le.Code] || le.Message == "" {
				t.Fatalf("refused with %v, want a *lanyard.Error with a photo code", err)
			}
			if res != nil {
				t.Fatalf("refused but returned a result")
			}
			return
		}
		wantStored(t, res.JPEG)
		if res.Flagged != (len(res.Checks) > 0) {
			t.Fatalf("Flagged = %v with checks %+v", res.Flagged, res.Checks)
		}
		for _, c := range res.Checks {
			if !checks[c.Code] || c.Message == "" {
				t.Fatalf("check %+v", c)
			}
		}
		if res.Width*res.Height > MaxPixels || res.Width < minWidth || res.Height < minHeight {
			t.Fatalf("accepted a %d×%d photo", res.Width, res.Height)
		}
	})
}
