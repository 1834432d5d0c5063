package photo

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/disintegration/imaging"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

// --- refusals -------------------------------------------------------------

func TestProcessRefusesDecompressionBombs(t *testing.T) {
	bigJPEG := func(w, h int) []byte { return setJPEGSize(t, encodeJPEG(t, portrait(160, 200, 128, 1), 80), w, h) }
	tests := []struct {
		name string
		data []byte
	}{
		{"png 50000x50000", pngWithHeader(t, 50000, 50000)},
		{"png 8000x6000, just over", pngWithHeader(t, 8000, 6000)},
		{"jpeg 65535x65535", bigJPEG(65535, 65535)},
		{"jpeg 8000x6000", bigJPEG(8000, 6000)},
		{"webp lossless 16384x16384", vp8lSolid(16384, 16384, color.NRGBA{1, 2, 3, 255})},
		{"webp extended 16384x16384", vp8xLossless(16384, 16384)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.data) > 4096 {
				t.Fatalf("bomb is %d bytes, want a tiny file", len(tt.data))
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			res, err := Process(bytes.NewReader(tt.data))
			runtime.ReadMemStats(&after)
			wantCode(t, res, err, ETooManyPixels)
			if !strings.Contains(lanyard.ErrorMessage(err), "40 megapixels") {
				t.Errorf("message %q does not name the limit", lanyard.ErrorMessage(err))
			}
			// Decoding even the smallest of these would allocate 144 MB
			// (8000×6000 at 3 bytes a pixel); refusing from the header
			// allocates next to nothing.
			if got := after.TotalAlloc - before.TotalAlloc; got > 50<<20 {
				t.Errorf("allocated %d MB refusing a bomb, want < 50 MB", got>>20)
			}
		})
	}
}

func TestProcessPixelLimitIsInclusive(t *testing.T) {
	// 8000×5000 is exactly MaxPixels: the header check lets it through to
	// the decoder, which then finds the data missing.
	res, err := Process(bytes.NewReader(pngWithHeader(t, 8000, 5000)))
	wantCode(t, res, err, ECorrupt)
}

func TestProcessRefusesCorrupt(t *testing.T) {
	good := encodeJPEG(t, portrait(600, 800, 128, 50), 90)
	goodPNG := encodePNG(t, portrait(600, 800, 128, 50))
	tests := []struct {
		name string
		data []byte
	}{
		{"jpeg cut in half", good[:len(good)/2]},
		{"jpeg cut after its header", good[:700]},
		{"jpeg cut before its header", good[:40]},
		{"jpeg without its end", good[:len(good)-2000]},
		{"jpeg magic only", []byte{0xff, 0xd8, 0xff}},
		{"png cut in half", goodPNG[:len(goodPNG)/2]},
		{"png signature only", []byte("\x89PNG\r\n\x1a\n")},
		{"png with a bad checksum", flipByte(goodPNG, 30)},
		{"webp cut", vp8lSolid(600, 800, color.NRGBA{9, 9, 9, 255})[:20]},
		{"empty", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Process(bytes.NewReader(tt.data))
			wantCode(t, res, err, ECorrupt)
		})
	}
}

func TestProcessRefusesUnsupported(t *testing.T) {
	small := portrait(600, 800, 128, 50)
	var gifBuf, bmpBuf, tiffBuf bytes.Buffer
	if err := gif.Encode(&gifBuf, small, nil); err != nil {
		t.Fatal(err)
	}
	if err := bmp.Encode(&bmpBuf, small); err != nil {
		t.Fatal(err)
	}
	if err := tiff.Encode(&tiffBuf, small, nil); err != nil {
		t.Fatal(err)
	}
	animated := vp8xLossless(600, 800)
	animated[20] |= 0x02 // the VP8X animation flag
	tests := []struct {
		name string
		data []byte
		want string // in the message
	}{
		{"gif", gifBuf.Bytes(), "GIF"},
		{"bmp", bmpBuf.Bytes(), "not a JPEG, PNG or WebP"},
		{"tiff", tiffBuf.Bytes(), "TIFF"},
		{"heic", append([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), make([]byte, 64)...), "HEIC"},
		{"pdf", []byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"), "PDF"},
		{"text", []byte("Hello, this is my photo.\n"), "not a JPEG, PNG or WebP"},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="600" height="800"/>`), "not a JPEG, PNG or WebP"},
		{"animated webp", animated, "Animated"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Process(bytes.NewReader(tt.data))
			wantCode(t, res, err, EUnsupported)
			if msg := lanyard.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("message %q, want it to contain %q", msg, tt.want)
			}
		})
	}
}

func TestProcessRefusesTooLargeWithoutReadingIt(t *testing.T) {
	// An endless upload: a JPEG's first bytes, then zeros for ever.
	r := &countingReader{r: io.MultiReader(bytes.NewReader([]byte{0xff, 0xd8, 0xff, 0xe0}), zeros{})}
	res, err := Process(r)
	wantCode(t, res, err, ETooLarge)
	if r.n > MaxBytes+1 {
		t.Errorf("read %d bytes, want at most MaxBytes+1 = %d", r.n, MaxBytes+1)
	}

	// 11 MB of real file.
	big := padJPEG(t, encodeJPEG(t, portrait(600, 800, 128, 50), 90), 11<<20)
	res, err = Process(bytes.NewReader(big))
	wantCode(t, res, err, ETooLarge)
}

func TestProcessSizeLimitBoundary(t *testing.T) {
	// Bytes after a JPEG's end-of-image marker are ignored by decoders, so
	// a file of exactly MaxBytes is a valid photo and one byte more is not.
	jpg := encodeJPEG(t, portrait(600, 800, 128, 50), 90)
	if _, err := Process(bytes.NewReader(padJPEG(t, jpg, MaxBytes))); err != nil {
		t.Fatalf("exactly MaxBytes: %v", err)
	}
	res, err := Process(bytes.NewReader(padJPEG(t, jpg, MaxBytes+1)))
	wantCode(t, res, err, ETooLarge)
	// The same boundary for an upload already in memory.
	if _, err := ProcessBytes(padJPEG(t, jpg, MaxBytes)); err != nil {
		t.Fatalf("ProcessBytes, exactly MaxBytes: %v", err)
	}
	res, err = ProcessBytes(padJPEG(t, jpg, MaxBytes+1))
	wantCode(t, res, err, ETooLarge)
}

func TestProcessRefusesTooSmall(t *testing.T) {
	for _, size := range []image.Point{{100, 100}, {149, 400}, {1000, 199}, {16, 16}, {1, 1}} {
		res, err := Process(bytes.NewReader(encodePNG(t, portrait(size.X, size.Y, 128, 50))))
		wantCode(t, res, err, ETooSmall)
	}
	// The smallest accepted: 150×200 after cropping to 3:4.
	for _, size := range []image.Point{{150, 200}, {1000, 200}, {150, 1000}} {
		res := mustProcess(t, encodePNG(t, portrait(size.X, size.Y, 128, 50)))
		if c := findCheck(res, TooSmall); c == nil || c.Value != 150 {
			t.Errorf("%v: checks %+v, want too_small with value 150", size, res.Checks)
		}
	}
}

func TestProcessConcurrently(t *testing.T) {
	jpg := insertSegments(encodeJPEG(t, portrait(900, 1200, 128, 50), 90), segment(0xe1, exifTIFF(6, nil, nil)))
	want := mustProcess(t, jpg).JPEG
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			res, err := Process(bytes.NewReader(jpg))
			if err == nil && !bytes.Equal(res.JPEG, want) {
				err = errors.New("output differs between runs")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestProcessReadError(t *testing.T) {
	boom := errors.New("connection reset")
	_, err := Process(io.MultiReader(bytes.NewReader([]byte{0xff, 0xd8}), errReader{boom}))
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want it to wrap %v", err, boom)
	}
	if got, want := lanyard.ErrorCode(err), lanyard.EINTERNAL; got != want {
		t.Errorf("code %q, want %q", got, want)
	}
}

// --- formats, orientation, metadata ----------------------------------------

func TestProcessDecidesFormatByContent(t *testing.T) {
	// An attendee's "photo.jpg" that is really a PNG: Process is given no
	// name at all, and the content decides.
	photoJPG := encodePNG(t, portrait(600, 800, 128, 50))
	res := mustProcess(t, photoJPG)
	if got, want := res.Format, "png"; got != want {
		t.Errorf("Format = %q, want %q", got, want)
	}
	wantStored(t, res.JPEG)

	res = mustProcess(t, encodeJPEG(t, portrait(600, 800, 128, 50), 90))
	if got, want := res.Format, "jpeg"; got != want {
		t.Errorf("Format = %q, want %q", got, want)
	}
}

func TestProcessWebP(t *testing.T) {
	t.Run("lossless, hand-built", func(t *testing.T) {
		res := mustProcess(t, vp8lSolid(600, 800, color.NRGBA{200, 120, 80, 255}))
		if res.Format != "webp" || res.Width != 600 || res.Height != 800 {
			t.Errorf("got %s %d×%d, want webp 600×800", res.Format, res.Width, res.Height)
		}
		if findCheck(res, LowContrast) == nil {
			t.Errorf("a one-colour photo: checks %+v, want low_contrast", res.Checks)
		}
		m := wantStored(t, res.JPEG)
		wantColor(t, m, 300, 400, color.RGBA{200, 120, 80, 255})
	})
	t.Run("lossy with alpha, from a real encoder", func(t *testing.T) {
		data, err := os.ReadFile("testdata/yellow_rose.lossy-with-alpha.webp")
		if err != nil {
			t.Fatal(err)
		}
		res := mustProcess(t, data)
		if res.Format != "webp" || res.Width != 400 || res.Height != 301 {
			t.Errorf("got %s %d×%d, want webp 400×301", res.Format, res.Width, res.Height)
		}
		if c := findCheck(res, TooSmall); c == nil || c.Value != 225 {
			t.Errorf("checks %+v, want too_small of the 225×301 crop", res.Checks)
		}
		wantStored(t, res.JPEG)
	})
}

func TestProcessMakesTransparencyWhite(t *testing.T) {
	// A cut-out portrait: opaque dark figure on a transparent background.
	m := image.NewNRGBA(image.Rect(0, 0, 600, 800))
	for y := 200; y < 800; y++ {
		for x := 150; x < 450; x++ {
			m.SetNRGBA(x, y, color.NRGBA{40, 30, 30, 255})
		}
	}
	res := mustProcess(t, encodePNG(t, m))
	out := wantStored(t, res.JPEG)
	wantColor(t, out, 20, 20, color.RGBA{255, 255, 255, 255})
	wantColor(t, out, 300, 600, color.RGBA{40, 30, 30, 255})
}

func TestProcessStripsMetadata(t *testing.T) {
	lat := rationals(37, 1, 33, 1, 59123, 1000)
	lon := rationals(126, 1, 58, 1, 41456, 1000)
	jpg := encodeJPEG(t, portrait(600, 800, 128, 50), 90)
	jpg = insertSegments(jpg,
		segment(0xe1, exifTIFF(1, lat, lon)),
		segment(0xe2, append([]byte("ICC_PROFILE\x00\x01\x01"), []byte("lanyard-test-icc-profile")...)),
		segment(0xfe, []byte("shot at home, 12 Example Street")),
	)
	// The input really carries it all.
	for _, s := range [][]byte{[]byte("Exif"), lat, lon, []byte("ICC_PROFILE"), []byte("Example Street")} {
		if !bytes.Contains(jpg, s) {
			t.Fatalf("test input lacks %q", s)
		}
	}

	res := mustProcess(t, jpg)
	wantStored(t, res.JPEG)
	for _, s := range [][]byte{[]byte("Exif"), []byte("MM\x00*"), lat, lon, []byte("ICC_PROFILE"), []byte("lanyard-test-icc"), []byte("Example Street")} {
		if bytes.Contains(res.JPEG, s) {
			t.Errorf("output contains %q", s)
		}
	}
}

func TestProcessOrientation6(t *testing.T) {
	// A phone held upright stores the photo sideways, 400×300, and tags it
	// Orientation=6: "turn a quarter clockwise to view". Turned clockwise,
	// the stored left half (red) comes out on top, the right (blue) below.
	stored := halves(400, 300, color.NRGBA{220, 0, 0, 255}, color.NRGBA{0, 0, 220, 255})
	jpg := insertSegments(encodeJPEG(t, stored, 95), segment(0xe1, exifTIFF(6, nil, nil)))

	res := mustProcess(t, jpg)
	if res.Width != 300 || res.Height != 400 {
		t.Errorf("upright size %d×%d, want 300×400", res.Width, res.Height)
	}
	m := wantStored(t, res.JPEG)
	wantColor(t, m, 300, 100, color.RGBA{220, 0, 0, 255})
	wantColor(t, m, 300, 700, color.RGBA{0, 0, 220, 255})

	// Orientation 8 turns the other way: red at the bottom.
	jpg = insertSegments(encodeJPEG(t, stored, 95), segment(0xe1, exifTIFF(8, nil, nil)))
	m = wantStored(t, mustProcess(t, jpg).JPEG)
	wantColor(t, m, 300, 100, color.RGBA{0, 0, 220, 255})
	wantColor(t, m, 300, 700, color.RGBA{220, 0, 0, 255})
}

func TestProcessAllOrientations(t *testing.T) {
	// A 600×300 grid of distinct colours, stored with each orientation, must
	// come out as imaging's own EXIF-aware decoder turns it upright and then
	// crops it: this checks the crop that Process maps back to the stored
	// image before turning it.
	grid := image.NewNRGBA(image.Rect(0, 0, 600, 300))
	for y := 0; y < 300; y++ {
		for x := 0; x < 600; x++ {
			c, r := x/100, y/100
			grid.SetNRGBA(x, y, color.NRGBA{uint8(c * 50), uint8(r * 120), uint8(255 - c*40), 255})
		}
	}
	plain := encodeJPEG(t, grid, 95)
	for o := 1; o <= 8; o++ {
		jpg := insertSegments(plain, segment(0xe1, exifTIFF(o, nil, nil)))
		want, err := imaging.Decode(bytes.NewReader(jpg), imaging.AutoOrientation(true))
		if err != nil {
			t.Fatal(err)
		}
		res := mustProcess(t, jpg)
		b := want.Bounds()
		if res.Width != b.Dx() || res.Height != b.Dy() {
			t.Errorf("orientation %d: size %d×%d, want %d×%d", o, res.Width, res.Height, b.Dx(), b.Dy())
			continue
		}
		got := wantStored(t, res.JPEG)
		crop := cropRect(b.Dx(), b.Dy())
		checked := 0
		for y := 10; y < Height; y += 40 {
			for x := 10; x < Width; x += 40 {
				// The same point in the upright original.
				p := image.Pt(crop.Min.X+(2*x+1)*crop.Dx()/(2*Width), crop.Min.Y+(2*y+1)*crop.Dy()/(2*Height))
				if !uniformAround(want, p, 8) {
					continue // near a cell's edge, where resizing blends colours
				}
				checked++
				if !near(got.At(x, y), want.At(p.X, p.Y), 30) {
					t.Fatalf("orientation %d: output (%d,%d) is %v, want %v as at (%d,%d) of the upright photo",
						o, x, y, got.At(x, y), want.At(p.X, p.Y), p.X, p.Y)
				}
			}
		}
		if checked < 100 {
			t.Fatalf("orientation %d: only %d points checked", o, checked)
		}
	}
}

func TestJPEGOrientation(t *testing.T) {
	plain := encodeJPEG(t, portrait(160, 200, 128, 50), 80)
	le := littleEndianOrientation(6)
	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"none", plain, 1},
		{"big-endian 6", insertSegments(plain, segment(0xe1, exifTIFF(6, nil, nil))), 6},
		{"little-endian 6", insertSegments(plain, segment(0xe1, le)), 6},
		{"after an APP0", insertSegments(plain, segment(0xe0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")), segment(0xe1, exifTIFF(3, nil, nil))), 3},
		{"XMP, not Exif", insertSegments(plain, segment(0xe1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>"))), 1},
		{"out of range", insertSegments(plain, segment(0xe1, exifTIFF(9, nil, nil))), 1},
		{"with GPS", insertSegments(plain, segment(0xe1, exifTIFF(5, rationals(1, 1, 2, 1, 3, 1), rationals(4, 1, 5, 1, 6, 1)))), 5},
		{"IFD offset past the end", insertSegments(plain, segment(0xe1, []byte("Exif\x00\x00MM\x00*\x7f\xff\xff\xff"))), 1},
		{"truncated segment", []byte{0xff, 0xd8, 0xff, 0xe1, 0x40, 0x00, 'E', 'x'}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := jpegOrientation(tt.data); got != tt.want {
				t.Errorf("jpegOrientation = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestCropRect(t *testing.T) {
	tests := []struct {
		w, h int
		want image.Rectangle
	}{
		{600, 800, image.Rect(0, 0, 600, 800)},       // already 3:4
		{1200, 800, image.Rect(300, 0, 900, 800)},    // landscape: centred across
		{1080, 1920, image.Rect(0, 160, 1080, 1600)}, // phone portrait: 160 cut above, 320 below
		{1000, 1000, image.Rect(125, 0, 875, 1000)},
		{4000, 3000, image.Rect(875, 0, 3125, 3000)},
	}
	for _, tt := range tests {
		if got := cropRect(tt.w, tt.h); got != tt.want {
			t.Errorf("cropRect(%d, %d) = %v, want %v", tt.w, tt.h, got, tt.want)
		}
	}
}

func TestProcessCropsTowardTheTop(t *testing.T) {
	// 300×800, in bands: red above y=120, green to 520, blue below. The 3:4
	// crop is 300×400 from y=133 (a third of the 400 cut): all green but
	// its bottom 13 rows. A centred crop (from y=200) would be blue from
	// output row 640.
	m := image.NewNRGBA(image.Rect(0, 0, 300, 800))
	for y := 0; y < 800; y++ {
		c := color.NRGBA{0, 200, 0, 255}
		if y < 120 {
			c = color.NRGBA{200, 0, 0, 255}
		} else if y >= 520 {
			c = color.NRGBA{0, 0, 200, 255}
		}
		for x := 0; x < 300; x++ {
			m.SetNRGBA(x, y, c)
		}
	}
	out := wantStored(t, mustProcess(t, encodePNG(t, m)).JPEG)
	wantColor(t, out, 300, 4, color.RGBA{0, 200, 0, 255})
	wantColor(t, out, 300, 700, color.RGBA{0, 200, 0, 255})
	wantColor(t, out, 300, 797, color.RGBA{0, 0, 200, 255})
}

// --- checks ---------------------------------------------------------------

func TestProcessChecks(t *testing.T) {
	tests := []struct {
		name  string
		img   image.Image
		codes []string
	}{
		{"good portrait", portrait(600, 800, 128, 55), nil},
		{"good portrait on a white wall", portrait(600, 800, 175, 45), nil},
		{"dark, as taken at the registration desk", portrait(600, 800, 40, 20), []string{TooDark}},
		{"bright, overexposed", portrait(600, 800, 232, 20), []string{TooBright}},
		{"flat grey", portrait(600, 800, 128, 0), []string{LowContrast}},
		{"hazy", portrait(600, 800, 140, 12), []string{LowContrast}},
		{"black: dark, and flat only because dark", portrait(600, 800, 0, 0), []string{TooDark}},
		{"small and flat", portrait(300, 400, 128, 5), []string{TooSmall, LowContrast}},
		{"small webcam frame", portrait(640, 480, 128, 55), []string{TooSmall}},
		{"small and dark", portrait(300, 400, 45, 30), []string{TooSmall, TooDark}},
		{"just large enough", portrait(450, 600, 128, 55), nil},
		{"one pixel too narrow", portrait(449, 600, 128, 55), []string{TooSmall}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := mustProcess(t, encodeJPEG(t, tt.img, 90))
			var got []string
			for _, c := range res.Checks {
				got = append(got, c.Code)
				if c.Message == "" {
					t.Errorf("%s has no message", c.Code)
				}
				switch c.Code {
				case TooDark, TooSmall, LowContrast:
					if c.Value >= c.Limit {
						t.Errorf("%s: value %v not below limit %v", c.Code, c.Value, c.Limit)
					}
				case TooBright:
					if c.Value <= c.Limit {
						t.Errorf("%s: value %v not above limit %v", c.Code, c.Value, c.Limit)
					}
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.codes, ",") {
				t.Errorf("checks %v, want %v (%+v)", got, tt.codes, res.Checks)
			}
			if res.Flagged != (len(tt.codes) > 0) {
				t.Errorf("Flagged = %v, want %v", res.Flagged, len(tt.codes) > 0)
			}
			wantStored(t, res.JPEG)
		})
	}
}

func TestCheckMessages(t *testing.T) {
	res := mustProcess(t, encodeJPEG(t, portrait(600, 800, 38, 20), 90))
	c := findCheck(res, TooDark)
	if c == nil {
		t.Fatalf("checks %+v, want too_dark", res.Checks)
	}
	if c.Limit != 70 || c.Value < 30 || c.Value > 46 {
		t.Errorf("value %v limit %v, want about 38 and 70", c.Value, c.Limit)
	}
	for _, s := range []string{"too dark", "of 255", "aim for 90–200", "window"} {
		if !strings.Contains(c.Message, s) {
			t.Errorf("message %q lacks %q", c.Message, s)
		}
	}
	// A value just under the limit never reads as the limit itself.
	got := judge(69.7, 40, image.Rect(0, 0, 600, 800))
	if len(got) != 1 || !strings.Contains(got[0].Message, "brightness 69 of") {
		t.Errorf("judge(69.7) = %+v, want a message saying 69", got)
	}
}

// --- helpers --------------------------------------------------------------

func mustProcess(tb testing.TB, data []byte) *Result {
	tb.Helper()
	res, err := Process(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("Process: %v", err)
	}
	if res.Flagged != (len(res.Checks) > 0) {
		tb.Fatalf("Flagged = %v with %d checks", res.Flagged, len(res.Checks))
	}
	return res
}

func wantCode(tb testing.TB, res *Result, err error, code string) {
	tb.Helper()
	if res != nil {
		tb.Errorf("result %v, want none", res)
	}
	var le *lanyard.Error
	if !errors.As(err, &le) {
		tb.Fatalf("err = %v, want a *lanyard.Error %s", err, code)
	}
	if le.Code != code {
		tb.Fatalf("code %q (%s), want %q", le.Code, le.Message, code)
	}
	for _, internal := range []string{"jpeg:", "png:", "webp:", "EOF", "invalid format"} {
		if le.Message == "" || strings.Contains(le.Message, internal) {
			tb.Errorf("message %q is not for a person", le.Message)
		}
	}
}

// wantStored checks that data is what Process stores, a baseline 600×800
// JPEG with no metadata segment at all, and returns it decoded.
func wantStored(tb testing.TB, data []byte) image.Image {
	tb.Helper()
	if len(data) < 4 || data[0] != 0xff || data[1] != 0xd8 {
		tb.Fatalf("output does not start with a JPEG SOI")
	}
	for i := 2; ; {
		if i+4 > len(data) || data[i] != 0xff {
			tb.Fatalf("bad marker at %d", i)
		}
		m := data[i+1]
		switch m {
		case 0xdb, 0xc0, 0xc4: // DQT, SOF0, DHT
		case 0xda: // SOS: the header is over
			i = len(data)
		default:
			tb.Fatalf("output has marker %#x (APPn, COM or other metadata): want only DQT, SOF0, DHT, SOS", m)
		}
		if i == len(data) {
			break
		}
		i += 2 + int(binary.BigEndian.Uint16(data[i+2:]))
	}
	m, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("output does not decode: %v", err)
	}
	if b := m.Bounds(); b.Dx() != Width || b.Dy() != Height {
		tb.Fatalf("output is %d×%d, want %d×%d", b.Dx(), b.Dy(), Width, Height)
	}
	return m
}

func findCheck(res *Result, code string) *Check {
	for i := range res.Checks {
		if res.Checks[i].Code == code {
			return &res.Checks[i]
		}
	}
	return nil
}

func wantColor(tb testing.TB, m image.Image, x, y int, want color.Color) {
	tb.Helper()
	if !near(m.At(x, y), want, 24) {
		tb.Errorf("pixel (%d,%d) = %v, want about %v", x, y, m.At(x, y), want)
	}
}

func near(a, b color.Color, tol int) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	d := func(p, q uint32) bool { return abs(int(p>>8)-int(q>>8)) <= tol }
	return d(ar, br) && d(ag, bg) && d(ab, bb)
}

func uniformAround(m image.Image, p image.Point, r int) bool {
	c := m.At(p.X, p.Y)
	for _, d := range []image.Point{{-r, -r}, {r, -r}, {-r, r}, {r, r}, {0, r}, {r, 0}, {0, -r}, {-r, 0}} {
		q := p.Add(d)
		if !q.In(m.Bounds()) || !near(m.At(q.X, q.Y), c, 12) {
			return false
		}
	}
	return true
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// portrait returns a w×h synthetic portrait: a light background gradient,
// a darker head and shoulders, and sensor noise, scaled so its luma has
// roughly the given mean and spread (spread 0 is a flat grey).
func portrait(w, h int, mean, spread float64) *image.NRGBA {
	return noisyPortrait(w, h, mean, spread, 0.25)
}

// noisyPortrait is portrait with noise of the given strength (0.25 is a
// dim room's grain, 0.05 a phone in daylight).
func noisyPortrait(w, h int, mean, spread, noise float64) *image.NRGBA {
	rng := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	cx, cy := float64(w)/2, float64(h)*0.4
	rx, ry := float64(w)*0.22, float64(h)*0.2
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x), float64(y)
			v := 0.6 - 0.4*fy/float64(h) // background, lighter at the top
			if dx, dy := (fx-cx)/rx, (fy-cy)/ry; dx*dx+dy*dy < 1 {
				v = -0.2 + 0.3*dx // face, lit from one side
			} else if fy > float64(h)*0.65 && abs(x-w/2) < int(float64(w)*0.38) {
				v = -0.9 // dark clothes
			}
			v += noise * rng.NormFloat64()
			l := clamp(mean + spread*1.7*v)
			m.SetNRGBA(x, y, color.NRGBA{clamp(float64(l) * 1.08), l, clamp(float64(l) * 0.9), 255})
		}
	}
	return m
}

func clamp(v float64) uint8 {
	return uint8(max(0, min(255, v+0.5)))
}

func halves(w, h int, left, right color.NRGBA) *image.NRGBA {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := left
			if x >= w/2 {
				c = right
			}
			m.SetNRGBA(x, y, c)
		}
	}
	return m
}

func encodeJPEG(tb testing.TB, m image.Image, q int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func encodePNG(tb testing.TB, m image.Image) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// padJPEG appends zeros after a JPEG's end-of-image marker up to n bytes.
func padJPEG(tb testing.TB, jpg []byte, n int) []byte {
	tb.Helper()
	if len(jpg) > n {
		tb.Fatalf("JPEG is already %d bytes", len(jpg))
	}
	out := make([]byte, n)
	copy(out, jpg)
	return out
}

// setJPEGSize rewrites the size in a baseline JPEG's SOF0 header.
func setJPEGSize(tb testing.TB, jpg []byte, w, h int) []byte {
	tb.Helper()
	i := bytes.Index(jpg, []byte{0xff, 0xc0})
	if i < 0 {
		tb.Fatal("no SOF0")
	}
	out := bytes.Clone(jpg)
	binary.BigEndian.PutUint16(out[i+5:], uint16(h))
	binary.BigEndian.PutUint16(out[i+7:], uint16(w))
	return out
}

func flipByte(b []byte, i int) []byte {
	out := bytes.Clone(b)
	out[i] ^= 0xff
	return out
}

// segment returns a JPEG marker segment.
func segment(marker byte, payload []byte) []byte {
	s := []byte{0xff, marker, 0, 0}
	binary.BigEndian.PutUint16(s[2:], uint16(len(payload)+2))
	return append(s, payload...)
}

// insertSegments puts segments right after a JPEG's SOI, where cameras
// write them.
func insertSegments(jpg []byte, segs ...[]byte) []byte {
	out := append([]byte{}, jpg[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

// exifTIFF returns an APP1 Exif payload, big-endian as many cameras write
// it: IFD0 with Orientation and, when lat and lon are given (three
// RATIONALs each), a GPS IFD with them, north and east.
func exifTIFF(orientation int, lat, lon []byte) []byte {
	be := binary.BigEndian
	t := []byte("MM\x00*\x00\x00\x00\x08")
	entry := func(tag, typ uint16, count uint32, value []byte) {
		e := make([]byte, 12)
		be.PutUint16(e, tag)
		be.PutUint16(e[2:], typ)
		be.PutUint32(e[4:], count)
		copy(e[8:], value)
		t = append(t, e...)
	}
	u16 := func(v uint16) []byte { return be.AppendUint16(nil, v) }
	u32 := func(v uint32) []byte { return be.AppendUint32(nil, v) }
	const short, long, ascii, rational = 3, 4, 2, 5
	if lat == nil {
		t = append(t, u16(1)...)
		entry(0x0112, short, 1, u16(uint16(orientation)))
		t = append(t, u32(0)...)
		return append([]byte("Exif\x00\x00"), t...)
	}
	const gpsIFD = 8 + 2 + 2*12 + 4 // after IFD0
	const gpsData = gpsIFD + 2 + 4*12 + 4
	t = append(t, u16(2)...)
	entry(0x0112, short, 1, u16(uint16(orientation)))
	entry(0x8825, long, 1, u32(gpsIFD))
	t = append(t, u32(0)...)
	t = append(t, u16(4)...)
	entry(0x0001, ascii, 2, []byte("N\x00"))
	entry(0x0002, rational, 3, u32(gpsData))
	entry(0x0003, ascii, 2, []byte("E\x00"))
	entry(0x0004, rational, 3, u32(gpsData+24))
	t = append(t, u32(0)...)
	t = append(t, lat...)
	t = append(t, lon...)
	return append([]byte("Exif\x00\x00"), t...)
}

// littleEndianOrientation returns an APP1 Exif payload as Intel-order
// writers (most phones) lay it out.
func littleEndianOrientation(o int) []byte {
	t := []byte("Exif\x00\x00II*\x00\x08\x00\x00\x00")
	t = binary.LittleEndian.AppendUint16(t, 1)
	t = binary.LittleEndian.AppendUint16(t, 0x0112)
	t = binary.LittleEndian.AppendUint16(t, 3)
	t = binary.LittleEndian.AppendUint32(t, 1)
	t = binary.LittleEndian.AppendUint16(t, uint16(o))
	t = append(t, 0, 0, 0, 0, 0, 0)
	return t
}

func rationals(v ...uint32) []byte {
	var b []byte
	for _, x := range v {
		b = binary.BigEndian.AppendUint32(b, x)
	}
	return b
}

// pngWithHeader returns a PNG whose header claims w×h RGB pixels and whose
// data is a few bytes: a decompression bomb's shape.
func pngWithHeader(tb testing.TB, w, h int) []byte {
	tb.Helper()
	chunk := func(out []byte, typ string, data []byte) []byte {
		out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
		td := append([]byte(typ), data...)
		out = append(out, td...)
		return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(td))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // 8-bit RGB, deflate, no filter, no interlace
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	if _, err := zw.Write(make([]byte, 64)); err != nil {
		tb.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	out := []byte("\x89PNG\r\n\x1a\n")
	out = chunk(out, "IHDR", ihdr)
	out = chunk(out, "IDAT", z.Bytes())
	return chunk(out, "IEND", nil)
}

// vp8lSolid returns a lossless WebP of one colour, written bit by bit: the
// VP8L header, no transforms, no colour cache, and five prefix codes of a
// single symbol each (green, red, blue, alpha, distance), so that every
// pixel takes zero bits. A few bytes for any size up to 16384×16384.
func vp8lSolid(w, h int, c color.NRGBA) []byte {
	return riff(vp8lChunk(w, h, c))
}

func vp8lChunk(w, h int, c color.NRGBA) []byte {
	var bw bitWriter
	bw.write(0x2f, 8) // VP8L signature
	bw.write(uint64(w-1), 14)
	bw.write(uint64(h-1), 14)
	if c.A != 255 {
		bw.write(1, 1) // alpha is used
	} else {
		bw.write(0, 1)
	}
	bw.write(0, 3) // version
	bw.write(0, 1) // no transform
	bw.write(0, 1) // no colour cache
	bw.write(0, 1) // no meta prefix codes
	for _, sym := range []uint8{c.G, c.R, c.B, c.A, 0} {
		bw.write(1, 1) // simple code
		bw.write(0, 1) // of one symbol
		bw.write(1, 1) // written in 8 bits
		bw.write(uint64(sym), 8)
	}
	return chunk("VP8L", bw.flush())
}

// vp8xLossless returns an extended-format WebP (VP8X canvas header, then
// a VP8L image) of w×h.
func vp8xLossless(w, h int) []byte {
	x := make([]byte, 10)
	x[4], x[5], x[6] = byte(w-1), byte((w-1)>>8), byte((w-1)>>16)
	x[7], x[8], x[9] = byte(h-1), byte((h-1)>>8), byte((h-1)>>16)
	return riff(append(chunk("VP8X", x), vp8lChunk(w, h, color.NRGBA{10, 20, 30, 255})...))
}

func chunk(fourcc string, data []byte) []byte {
	out := append([]byte(fourcc), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	out = append(out, data...)
	if len(data)%2 == 1 {
		out = append(out, 0)
	}
	return out
}

func riff(chunks []byte) []byte {
	out := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(4+len(chunks)))...)
	return append(append(out, "WEBP"...), chunks...)
}

type bitWriter struct {
	buf []byte
	acc uint64
	n   uint
}

// write appends the low n bits of v, least significant first, as VP8L
// reads them.
func (w *bitWriter) write(v uint64, n uint) {
	w.acc |= v << w.n
	w.n += n
	for w.n >= 8 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc >>= 8
		w.n -= 8
	}
}

func (w *bitWriter) flush() []byte {
	if w.n > 0 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc, w.n = 0, 0
	}
	return w.buf
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// BenchmarkProcess processes a typical phone upload: 12 megapixels
// (4000×3000) of JPEG, as stored and as stored sideways with an EXIF
// orientation.
func BenchmarkProcess(b *testing.B) {
	// Daylight noise at quality 90 makes a 4 MB file, as a phone's would be.
	stored := encodeJPEG(b, noisyPortrait(4000, 3000, 128, 55, 0.05), 90)
	b.Logf("upload: %.1f MB", float64(len(stored))/(1<<20))
	for _, bb := range []struct {
		name string
		data []byte
	}{
		{"jpeg-12MP", stored},
		{"jpeg-12MP-orientation6", insertSegments(stored, segment(0xe1, littleEndianOrientation(6)))},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.SetBytes(int64(len(bb.data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Process(bytes.NewReader(bb.data)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/upload")
		})
	}
}
