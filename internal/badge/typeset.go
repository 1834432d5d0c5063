package badge

import (
	"strings"
	"unicode"

	"github.com/go-pdf/fpdf"
)

// Typesetter sets text in an fpdf document in the badge's fonts, each
// run of characters in the face that has them (Latin, Hangul, then all of
// CJK): a name in any script prints as it does on its badge. Other
// printed pages (a dinner's table cards) use it.
type Typesetter struct {
	pdf   *fpdf.Fpdf
	fonts map[*face]bool
}

// NewTypesetter returns a Typesetter for pdf.
func NewTypesetter(pdf *fpdf.Fpdf) *Typesetter {
	return &Typesetter{pdf: pdf, fonts: map[*face]bool{}}
}

// Line sets s on one line at size pt on baseline y, in the width w from
// x, centred or from the left: cut short with "…" if it does not fit.
// Characters no font has are dropped rather than printed as boxes.
func (t *Typesetter) Line(s string, size, x, y, w float64, center bool) {
	rs := t.fit(strings.Join(strings.Fields(s), " "), size, w)
	if len(rs) == 0 {
		return
	}
	if center {
		x += (w - t.unitWidth(rs)*size) / 2
	}
	for _, r := range rs {
		t.font(r.face, size)
		t.pdf.Text(x, y, r.text)
		x += t.pdf.GetStringWidth(r.text)
	}
}

// fit returns the runs of s, cut short with "…" if they are wider than w
// at size pt.
func (t *Typesetter) fit(s string, size, w float64) []run {
	rs := runs(s)
	if len(rs) == 0 || t.unitWidth(rs)*size <= w {
		return rs
	}
	cut := []rune(s)
	for len(cut) > 0 {
		cut = cut[:len(cut)-1]
		rs = runs(strings.TrimRightFunc(string(cut), unicode.IsSpace) + "…")
		if t.unitWidth(rs)*size <= w {
			break
		}
	}
	return rs
}

// Baseline is the baseline that centres a line of size pt on the middle
// of a box from top of height h (in millimetres).
func Baseline(top, h, size float64) float64 { return top + h/2 + capHalf*size*ptToMM }

// unitWidth is the width of rs in millimetres at 1 pt.
func (t *Typesetter) unitWidth(rs []run) float64 {
	w := 0.0
	for _, r := range rs {
		t.font(r.face, 1)
		w += t.pdf.GetStringWidth(r.text)
	}
	return w
}

// font selects f at size pt, adding it to the document on first use so a
// document carries (subsets of) only the fonts it shows.
func (t *Typesetter) font(f *face, size float64) {
	if !t.fonts[f] {
		t.pdf.AddUTF8FontFromBytes(f.family, "", f.data)
		t.fonts[f] = true
	}
	t.pdf.SetFont(f.family, "", size)
}
