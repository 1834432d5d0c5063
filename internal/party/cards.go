package party

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/go-pdf/fpdf"

	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// cardsPDF prints a seated dinner's table cards (host only): one A5 card
// per table, folded in two, with the table's number large on the front
// half and its guests on the back half.
func (h *Handler) cardsPDF(w http.ResponseWriter, r *http.Request) {
	p, ok := h.party(w, r)
	if !ok {
		return
	}
	if !h.hosts(r, p) {
		h.refuse(w, r, http.StatusForbidden, lanyard.EFORBIDDEN, "party.forbidden")
		return
	}
	guests, err := h.Store.PartyGuests(r.Context(), p.ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	tables := tablesOf(guests)
	if len(tables) == 0 {
		h.fail(w, r, &lanyard.Error{Code: lanyard.ECONFLICT, Message: "Seat the dinner before printing its table cards."})
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`inline; filename="%s-tables.pdf"`, p.Code))
	if err := WriteCards(w, p, tables); err != nil {
		h.log().Warn("party: table cards", "party", p.Code, "err", err)
	}
}

// WriteCards writes the table cards of p's seated tables as a PDF.
func WriteCards(w io.Writer, p lanyard.Party, tables []tableView) error {
	pdf := fpdf.New("L", "mm", "A5", "")
	pdf.SetMargins(12, 10, 12)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCreator("lanyard", false)
	pdf.SetTitle(p.Title+" — table cards", true)
	// The badge's fonts: a guest's name prints as on their badge, in any
	// script (Hangul, kana, Chinese).
	ts := badge.NewTypesetter(pdf)
	const pageW, half, margin = 210.0, 74.0, 12.0
	for _, t := range tables {
		pdf.AddPage()
		// Front (upper half, printed upside down so it reads when folded).
		pdf.TransformBegin()
		pdf.TransformRotate(180, pageW/2, half/2)
		ts.Line(fmt.Sprintf("%d", t.No), 54, 0, badge.Baseline(12, 30, 54), pageW, true)
		ts.Line(p.Title, 14, margin, badge.Baseline(46, 8, 14), pageW-2*margin, true)
		pdf.TransformEnd()
		pdf.SetDrawColor(180, 180, 180)
		pdf.Line(0, half, pageW, half)
		// Back: the table's guests.
		y := half + 6
		ts.Line(fmt.Sprintf("Table %d · %s", t.No, p.Title), 13, margin, badge.Baseline(y, 7, 13), pageW-2*margin, false)
		y += 7
		for _, g := range t.Guests {
			line := g.Name
			if g.Company != "" {
				line += " — " + g.Company
			}
			if g.Dietary != "" {
				line += " (" + strings.TrimSpace(g.Dietary) + ")"
			}
			ts.Line(line, 10, margin, badge.Baseline(y, 5.6, 10), pageW-2*margin, false)
			y += 5.6
		}
	}
	return pdf.Output(w)
}
