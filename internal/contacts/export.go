package contacts

import (
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/emersion/go-vcard"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// VCard returns c as a vCard 4.0: the card's shared fields only, and the
// owner's notes, tags, and where and when they met.
func VCard(ev *lanyard.Event, c lanyard.Contact, metWhen string) vcard.Card {
	card := vcard.Card{}
	card.SetValue(vcard.FieldFormattedName, c.Card.Name)
	card.SetName(&vcard.Name{GivenName: c.Card.Name})
	card.SetValue(vcard.FieldUID, fmt.Sprintf("urn:lanyard:%s:attendee:%d", ev.Slug, c.Card.AttendeeID))
	if c.Card.Company != "" {
		card.SetValue(vcard.FieldOrganization, c.Card.Company)
	}
	if c.Card.Title != "" {
		card.SetValue(vcard.FieldTitle, c.Card.Title)
	}
	if c.Card.Email != "" {
		card.SetValue(vcard.FieldEmail, c.Card.Email)
	}
	if c.Card.Phone != "" {
		card.SetValue(vcard.FieldTelephone, c.Card.Phone)
	}
	if c.Card.LinkedIn != "" {
		card.Add(vcard.FieldURL, &vcard.Field{Value: c.Card.LinkedIn, Params: vcard.Params{vcard.ParamType: {"linkedin"}}})
	}
	if len(c.Tags) > 0 {
		card.SetCategories(c.Tags)
	}
	note := "Met at " + ev.Name
	if c.Where.Label != "" {
		note += ", " + c.Where.Label
	}
	note += ", " + metWhen + "."
	if c.Notes != "" {
		note += "\n" + c.Notes
	}
	card.SetValue(vcard.FieldNote, note)
	card.SetRevision(c.UpdatedAt)
	vcard.ToV4(card)
	return card
}

// writeVCards writes cs as one vCard 4.0 file.
func (h *Handler) writeVCards(w io.Writer, cs []lanyard.Contact) error {
	enc := vcard.NewEncoder(w)
	for _, c := range cs {
		if err := enc.Encode(VCard(h.event(), c, c.MetAt.In(h.zone()).Format("Mon 2 Jan 15:04 MST"))); err != nil {
			return fmt.Errorf("contacts: vcard %d: %w", c.ID, err)
		}
	}
	return nil
}

func attachment(w http.ResponseWriter, contentType, name string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
}

// exportVCard is GET /contacts/export.vcf: every contact, one file.
func (h *Handler) exportVCard(w http.ResponseWriter, r *http.Request) {
	cs, err := h.Store.Contacts(r.Context(), h.Shell.User(r).ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	attachment(w, "text/vcard; charset=utf-8", "contacts.vcf")
	if err := h.writeVCards(w, cs); err != nil {
		h.log().Error("contacts export", "err", err)
	}
}

// contactVCard is GET /contacts/vcf/{id}: one contact.
func (h *Handler) contactVCard(w http.ResponseWriter, r *http.Request) {
	c, ok := h.contact(w, r)
	if !ok {
		return
	}
	attachment(w, "text/vcard; charset=utf-8", "contact-"+strconv.FormatInt(c.ID, 10)+".vcf")
	if err := h.writeVCards(w, []lanyard.Contact{c}); err != nil {
		h.log().Error("contact vcard", "err", err)
	}
}

// csvHeader is the CSV export's first row.
var csvHeader = []string{"name", "company", "title", "email", "phone", "linkedin", "met_at", "where", "stage", "follow_up", "tags", "notes"}

// cell keeps a spreadsheet from reading a value as a formula: one that
// starts with = + - @ or a tab or carriage return gets a leading '.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// exportCSV is GET /contacts/export.csv.
func (h *Handler) exportCSV(w http.ResponseWriter, r *http.Request) {
	cs, err := h.Store.Contacts(r.Context(), h.Shell.User(r).ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	attachment(w, "text/csv; charset=utf-8", "contacts.csv")
	cw := csv.NewWriter(w)
	cw.Write(csvHeader)
	for _, c := range cs {
		row := []string{c.Card.Name, c.Card.Company, c.Card.Title, c.Card.Email, c.Card.Phone, c.Card.LinkedIn,
			c.MetAt.UTC().Format("2006-01-02T15:04:05Z"), c.Where.Label, c.Stage, c.FollowUp, strings.Join(c.Tags, ";"), c.Notes}
		for i := range row {
			row[i] = cell(row[i])
		}
		cw.Write(row)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		h.log().Error("contacts csv", "err", err)
	}
}
