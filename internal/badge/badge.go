package badge

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	_ "image/png" // for image.DecodeConfig
	"io"
	"strings"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Badge is what one printed badge shows.
type Badge struct {
	Name         string
	Company      string
	AttendeeType string // "Attendee", "Speaker", "Staff", "Exhibitor", "Organizer", …; picks the colour
	EventName    string
	// Photo is a JPEG (or PNG) portrait, ideally 600×800 (3:4); other shapes
	// are cropped to fill. Nil prints a grey box with the initials.
	Photo []byte
	Token string // from Keyring.Sign
}

// Page geometry, in millimetres: a 4×6 inch badge, portrait.
const (
	pageW = 101.6
	pageH = 152.4

	margin   = 6.0
	textW    = pageW - 2*margin
	bandH    = 22.0 // event name band
	photoW   = 30.0
	photoH   = 40.0 // 3:4
	photoTop = bandH + 3

	nameTop    = photoTop + photoH + 2.5 // two lines of name fit below
	nameH      = 16.0
	companyTop = nameTop + nameH
	companyH   = 7.0
	typeTop    = companyTop + companyH
	typeH      = 6.5

	// qrSymbolMM is the side of the QR symbol without its quiet zone: 40 mm
	// scans from arm's length with a phone or a door scanner.
	qrSymbolMM = 40.0
	// qrPagePixels is how many image pixels a module gets in the PDF. Some
	// viewers smooth scaled-up images; at 4 pixels a module the blur stays
	// inside the module edges.
	qrPagePixels = 4

	ptToMM = 25.4 / 72
	// capHalf is half the cap height of the fonts, in em: a baseline this
	// far below a line's centre centres capitals and CJK on it.
	capHalf = 0.36
)

// maxTextRunes caps what is laid out of one field; nothing longer fits.
const maxTextRunes = 200

// typeColors colours the event band by attendee type, so door staff tell
// types apart from across a hall. The type is printed as text too, for
// whoever cannot tell the colours apart.
var typeColors = map[string]color.RGBA{
	"attendee":  {0x1f, 0x5f, 0xad, 0xff}, // blue
	"speaker":   {0x6a, 0x1b, 0x9a, 0xff}, // purple
	"staff":     {0xc6, 0x28, 0x28, 0xff}, // red
	"exhibitor": {0x2e, 0x7d, 0x32, 0xff}, // green
	"sponsor":   {0x00, 0x69, 0x7c, 0xff}, // teal
	"organizer": {0x21, 0x21, 0x21, 0xff}, // black
	"press":     {0xb2, 0x5b, 0x00, 0xff}, // amber
	"volunteer": {0xd8, 0x43, 0x15, 0xff}, // orange
}

// otherColor is the band of any type not in typeColors.
var otherColor = color.RGBA{0x45, 0x5a, 0x64, 0xff} // blue grey

func typeColor(attendeeType string) color.RGBA {
	if c, ok := typeColors[strings.ToLower(strings.TrimSpace(attendeeType))]; ok {
		return c
	}
	return otherColor
}

// Write writes badges as one PDF, a page each. It holds the whole document
// in memory until the end; for large batches see Writer.
func Write(w io.Writer, badges []Badge) error {
	bw := NewWriter(w)
	for i, b := range badges {
		if err := bw.Add(b); err != nil {
			return fmt.Errorf("badge: write badge %d: %w", i, err)
		}
	}
	return bw.Close()
}

// Writer writes badges one at a time into one PDF, so a caller can stream
// them from the database without a slice of every badge.
//
// fpdf builds the whole document in memory until Close, so memory grows
// with the batch. Measured here (see TestMemory), with 106 KB photos:
//
//   - 65,000 badges sharing one photo: 6.3 KB of live heap a badge, 400 MB
//     before Close, 590 MB while writing the 167 MB PDF, 1.2 GB from the OS.
//   - 1,000 badges with a photo each: 134 MB before Close, 325 MB while
//     writing the 107 MB PDF, 600 MB from the OS. Each distinct photo costs
//     about three times its size by the end: its bytes, fpdf's copy as it
//     writes them, and the PDF.
//
// Identical photos are stored once. For more than a few thousand badges
// with photos use SplitWriter.
//
// A Writer is not safe for concurrent use.
type Writer struct {
	w     io.Writer
	pdf   *fpdf.Fpdf
	ts    *Typesetter
	pages int
	err   error
}

// NewWriter returns a Writer that writes the PDF to w on Close.
func NewWriter(w io.Writer) *Writer {
	pdf := fpdf.NewCustom(&fpdf.InitType{
		OrientationStr: "P",
		UnitStr:        "mm",
		Size:           fpdf.SizeType{Wd: pageW, Ht: pageH},
	})
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCreator("lanyard", false)
	pdf.SetTitle("Badges", false)
	// fpdf makes a new zlib writer (about 1.5 MB of allocation) for every
	// compressed page stream at output, which made page compression half
	// the cost of a badge. A badge page's text and placements are under
	// 2 KB; the photos, QR images and fonts are compressed regardless.
	pdf.SetCompression(false)
	return &Writer{w: w, pdf: pdf, ts: NewTypesetter(pdf)}
}

// Add lays out b on a new page. Returns EINVALID, and adds no page, if b has
// no token, a token too long for a QR code, or a photo that is not a JPEG or
// PNG image; the Writer stays usable. Any other error is final: later calls
// return it too.
func (bw *Writer) Add(b Badge) error {
	if bw.err != nil {
		return bw.err
	}
	if b.Token == "" {
		return lanyard.Errorf(lanyard.EINVALID, "The badge has no code.")
	}
	// Everything that can refuse a badge is checked before the page is
	// started, because fpdf cannot take a page back.
	qr, modules, err := qrPNG(b.Token, qrPagePixels)
	if err != nil {
		return err
	}
	var ph *photo
	if b.Photo != nil {
		if ph, err = preparePhoto(b.Photo); err != nil {
			return err
		}
	}
	bw.page(b, ph, qr, modules)
	if err := bw.pdf.Error(); err != nil {
		bw.err = fmt.Errorf("badge: pdf page %d: %w", bw.pages+1, err)
		return bw.err
	}
	bw.pages++
	return nil
}

// Close finishes the PDF and writes it to the underlying writer. Returns
// EINVALID if no badge was added.
func (bw *Writer) Close() error {
	if bw.err != nil {
		return bw.err
	}
	if bw.pages == 0 {
		bw.err = lanyard.Errorf(lanyard.EINVALID, "There are no badges to print.")
		return bw.err
	}
	if err := bw.pdf.Output(bw.w); err != nil {
		bw.err = fmt.Errorf("badge: write pdf: %w", err)
		return bw.err
	}
	bw.err = errors.New("badge: writer is closed")
	return nil
}

// DefaultPerFile is the number of badges in each file of a SplitWriter
// unless told otherwise: with 100 KB photos, a 105 MB PDF and about 600 MB
// taken from the OS at its peak (see Writer).
const DefaultPerFile = 1000

// SplitWriter writes badges into a series of PDFs of at most PerFile badges
// each, so memory stays bounded however many badges there are. File i
// (from 0) is created by create(i) when it is complete, and closed after it
// is written; a file is never created for badges that were all refused.
//
// A SplitWriter is not safe for concurrent use.
type SplitWriter struct {
	create  func(part int) (io.WriteCloser, error)
	perFile int
	cur     *Writer
	files   int
	err     error
}

// NewSplitWriter returns a SplitWriter of perFile badges a file
// (DefaultPerFile if perFile ≤ 0).
func NewSplitWriter(perFile int, create func(part int) (io.WriteCloser, error)) *SplitWriter {
	if perFile <= 0 {
		perFile = DefaultPerFile
	}
	return &SplitWriter{create: create, perFile: perFile}
}

// Add lays out b, and writes out the current file once it holds PerFile
// badges. Errors are as for Writer.Add, plus those of create and of writing
// a file, which are final.
func (s *SplitWriter) Add(b Badge) error {
	if s.err != nil {
		return s.err
	}
	if s.cur == nil {
		s.cur = NewWriter(nil)
	}
	if err := s.cur.Add(b); err != nil {
		if s.cur.err != nil {
			s.err = err
		}
		return err
	}
	if s.cur.pages >= s.perFile {
		return s.flush()
	}
	return nil
}

// Close writes out the last file. Returns EINVALID if no badge was added
// at all.
func (s *SplitWriter) Close() error {
	if s.err != nil {
		return s.err
	}
	if s.cur != nil && s.cur.pages > 0 {
		if err := s.flush(); err != nil {
			return err
		}
	}
	if s.files == 0 {
		s.err = lanyard.Errorf(lanyard.EINVALID, "There are no badges to print.")
		return s.err
	}
	s.err = errors.New("badge: split writer is closed")
	return nil
}

// Files returns how many files have been written.
func (s *SplitWriter) Files() int { return s.files }

func (s *SplitWriter) flush() error {
	out, err := s.create(s.files)
	if err != nil {
		s.err = fmt.Errorf("badge: create file %d: %w", s.files, err)
		return s.err
	}
	s.cur.w = out
	err = s.cur.Close()
	if cerr := out.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("badge: close file %d: %w", s.files, cerr)
	}
	s.cur = nil
	if err != nil {
		s.err = err
		return err
	}
	s.files++
	return nil
}

// page draws one badge; errors are left in bw.pdf.
func (bw *Writer) page(b Badge, ph *photo, qr []byte, modules int) {
	pdf := bw.pdf
	pdf.AddPage()
	band := typeColor(b.AttendeeType)

	// Event band.
	pdf.SetFillColor(int(band.R), int(band.G), int(band.B))
	pdf.Rect(0, 0, pageW, bandH, "F")
	pdf.SetTextColor(255, 255, 255)
	bw.block(b.EventName, 16, 12, 10, bandH/2)

	// Photo, or initials on grey.
	x := (pageW - photoW) / 2
	if ph != nil {
		bw.photo(ph, x, photoTop)
	} else {
		pdf.SetFillColor(0xe0, 0xe0, 0xe0)
		pdf.Rect(x, photoTop, photoW, photoH, "F")
		pdf.SetTextColor(0x75, 0x75, 0x75)
		bw.line(initials(b.Name), 40, 12, photoW-4, photoTop+photoH/2+capHalf*40*ptToMM)
	}

	// Name, company, type.
	pdf.SetTextColor(0x10, 0x10, 0x10)
	bw.block(b.Name, 28, 20, 14, nameTop+nameH/2)
	pdf.SetTextColor(0x42, 0x42, 0x42)
	bw.line(b.Company, 14, 10, textW, companyTop+companyH/2+capHalf*14*ptToMM)
	pdf.SetTextColor(int(band.R), int(band.G), int(band.B))
	bw.line(strings.ToUpper(b.AttendeeType), 12, 9, textW, typeTop+typeH/2+capHalf*12*ptToMM)

	// QR code at the bottom; its white quiet zone may run to the page edge.
	side := qrSymbolMM / float64(modules-8) * float64(modules)
	name := "qr-" + b.Token
	pdf.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(qr))
	pdf.ImageOptions(name, (pageW-side)/2, pageH-side, side, side, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
}

// block sets s centred on centerY as large as fits: one line shrinking from
// maxPt to minPt, else two lines of at most twoPt split at a space, else one
// line at minPt cut short with "…".
func (bw *Writer) block(s string, maxPt, twoPt, minPt, centerY float64) {
	s = clean(s)
	rs := runs(s)
	if len(rs) == 0 {
		return
	}
	if uw := bw.unitWidth(rs); uw*minPt <= textW {
		size := min(maxPt, textW/uw)
		bw.draw(rs, size, centerY+capHalf*size*ptToMM)
		return
	}
	if a, b, ok := bw.split(s); ok {
		ra, rb := runs(a), runs(b)
		size := min(twoPt, textW/max(bw.unitWidth(ra), bw.unitWidth(rb)))
		if size >= minPt {
			lead := 1.15 * size * ptToMM
			base := centerY - lead/2 + capHalf*size*ptToMM
			bw.draw(ra, size, base)
			bw.draw(rb, size, base+lead)
			return
		}
	}
	bw.line(s, minPt, minPt, textW, centerY+capHalf*minPt*ptToMM)
}

// split cuts s at the space that best balances the two lines.
func (bw *Writer) split(s string) (string, string, bool) {
	best, bestW := -1, 0.0
	for i, r := range s {
		if r != ' ' {
			continue
		}
		w := max(bw.unitWidth(runs(s[:i])), bw.unitWidth(runs(s[i+1:])))
		if best < 0 || w < bestW {
			best, bestW = i, w
		}
	}
	if best < 0 {
		return "", "", false
	}
	return strings.TrimSpace(s[:best]), strings.TrimSpace(s[best+1:]), true
}

// line sets s centred on one line at baseline y, at maxPt or smaller down
// to minPt, and cut short with "…" if it does not fit even then.
func (bw *Writer) line(s string, maxPt, minPt, width, y float64) {
	s = clean(s)
	rs := runs(s)
	if len(rs) == 0 {
		return
	}
	uw := bw.unitWidth(rs)
	if uw*minPt <= width {
		bw.draw(rs, min(maxPt, width/uw), y)
		return
	}
	bw.draw(bw.ts.fit(s, minPt, width), minPt, y)
}

// unitWidth is the width of rs in millimetres at 1 pt.
func (bw *Writer) unitWidth(rs []run) float64 { return bw.ts.unitWidth(rs) }

// draw sets rs at size pt, centred on the page, on baseline y.
func (bw *Writer) draw(rs []run, size, y float64) {
	x := (pageW - bw.unitWidth(rs)*size) / 2
	for _, r := range rs {
		bw.ts.font(r.face, size)
		bw.pdf.Text(x, y, r.text)
		x += bw.pdf.GetStringWidth(r.text)
	}
}

// photo places ph in the photo box, cropped to fill it.
func (bw *Writer) photo(ph *photo, x, y float64) {
	pdf := bw.pdf
	pdf.RegisterImageOptionsReader(ph.name, fpdf.ImageOptions{ImageType: ph.kind}, bytes.NewReader(ph.data))
	scale := max(photoW/float64(ph.w), photoH/float64(ph.h))
	w, h := float64(ph.w)*scale, float64(ph.h)*scale
	pdf.ClipRect(x, y, photoW, photoH, false)
	pdf.ImageOptions(ph.name, x+(photoW-w)/2, y+(photoH-h)/2, w, h, false, fpdf.ImageOptions{ImageType: ph.kind}, 0, "")
	pdf.ClipEnd()
}

// photo is a portrait ready for fpdf.
type photo struct {
	name string // by content, so one photo on many badges is stored once
	kind string // "JPG" or "PNG"
	data []byte
	w, h int
}

// preparePhoto checks that b is an image fpdf embeds as it is (a JPEG in
// grey, YCbCr or CMYK; an 8-bit non-interlaced PNG) and re-encodes any other
// JPEG or PNG as a JPEG. Returns EINVALID for anything else.
func preparePhoto(b []byte) (*photo, error) {
	bad := lanyard.Errorf(lanyard.EINVALID, "The badge photo is not a JPEG or PNG image.")
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, bad
	}
	kind := ""
	switch format {
	case "jpeg":
		switch cfg.ColorModel {
		case color.GrayModel, color.YCbCrModel, color.CMYKModel:
			kind = "JPG"
		}
	case "png":
		// IHDR: bit depth at 24, interlace method at 28.
		if len(b) > 28 && b[24] <= 8 && b[28] == 0 {
			kind = "PNG"
		}
	default:
		return nil, bad
	}
	if kind == "" {
		img, _, err := image.Decode(bytes.NewReader(b))
		if err != nil {
			return nil, bad
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
			return nil, fmt.Errorf("badge: re-encode photo: %w", err)
		}
		b, kind = buf.Bytes(), "JPG"
	}
	sum := sha256.Sum256(b)
	return &photo{name: "photo-" + hex.EncodeToString(sum[:16]), kind: kind, data: b, w: cfg.Width, h: cfg.Height}, nil
}

// clean trims s, turns runs of white space into one space, and cuts it to
// maxTextRunes.
func clean(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > maxTextRunes {
		s = string([]rune(s)[:maxTextRunes])
	}
	return s
}

// initials returns what the photo placeholder shows: the first letters of
// the first and last words of a Latin name ("Ada King" → "AK"), or the first
// character of a name written without spaces, such as most Korean, Chinese
// and Japanese names ("홍길동" → "홍").
func initials(name string) string {
	words := strings.Fields(name)
	if len(words) == 0 {
		return ""
	}
	first, _ := utf8.DecodeRuneInString(words[0])
	if len(words) == 1 || !latin.has(first) {
		return strings.ToUpper(string(first))
	}
	last, _ := utf8.DecodeRuneInString(words[len(words)-1])
	return strings.ToUpper(string(first) + string(last))
}
