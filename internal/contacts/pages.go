package contacts

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/web"
)

func newNonce() string {
	b := make([]byte, 16)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// contactView is a contact as pages show it.
type contactView struct {
	lanyard.Contact
	Met       string // when, in the venue's zone
	StageID   string // the stage's message id
	TagString string
}

func (h *Handler) view(r *http.Request, c lanyard.Contact) contactView {
	met := c.MetAt.In(h.zone())
	zone, _ := met.Zone()
	return contactView{Contact: c, Met: h.Shell.DateTime(r, met) + " " + zone, StageID: "contacts.stage." + c.Stage, TagString: strings.Join(c.Tags, ", ")}
}

// listData is My contacts'.
type listData struct {
	Contacts      []contactView
	All           int
	Tags          []string
	Stages        []string
	Tag, Stage, Q string
}

// listPage is GET /contacts: the signed-in person's contacts, filtered by
// tag, stage or a word of the card or notes.
func (h *Handler) listPage(w http.ResponseWriter, r *http.Request) {
	all, err := h.Store.Contacts(r.Context(), h.Shell.User(r).ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	q := r.URL.Query()
	d := listData{All: len(all), Stages: lanyard.ContactStages, Tag: q.Get("tag"), Stage: q.Get("stage"), Q: strings.TrimSpace(q.Get("q"))}
	word := strings.ToLower(d.Q)
	for _, c := range all {
		for _, t := range c.Tags {
			if !slices.Contains(d.Tags, t) {
				d.Tags = append(d.Tags, t)
			}
		}
		if d.Tag != "" && !slices.Contains(c.Tags, d.Tag) || d.Stage != "" && c.Stage != d.Stage {
			continue
		}
		if word != "" && !strings.Contains(strings.ToLower(strings.Join([]string{c.Card.Name, c.Card.Company, c.Card.Title, c.Notes, c.Where.Label}, " ")), word) {
			continue
		}
		d.Contacts = append(d.Contacts, h.view(r, c))
	}
	slices.Sort(d.Tags)
	h.render(w, r, http.StatusOK, "list", "contacts.list.title", d)
}

// contactData is one contact's page.
type contactData struct {
	C      contactView
	Card   lanyard.Card // C's, for the card partial
	Stages []string
	Error  string
	Field  string
}

// contactPage is GET /contacts/{id}.
func (h *Handler) contactPage(w http.ResponseWriter, r *http.Request) {
	c, ok := h.contact(w, r)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, "contact", "contacts.contact.title", contactData{C: h.view(r, c), Card: c.Card, Stages: lanyard.ContactStages})
}

// update is POST /contacts/{id}: notes, tags, follow-up date, stage. A
// follow-up date schedules a reminder mail on it (or the morning after
// the event, if it falls before the end), written with the change.
func (h *Handler) update(w http.ResponseWriter, r *http.Request) {
	c, ok := h.contact(w, r)
	if !ok {
		return
	}
	u := lanyard.ContactUpdate{Notes: r.PostFormValue("notes"), Tags: lanyard.SplitTags(r.PostFormValue("tags")), FollowUp: r.PostFormValue("follow_up"), Stage: r.PostFormValue("stage")}
	if err := u.Validate(); err != nil {
		w.Header().Set(codeHeader, lanyard.EINVALID)
		c.Notes, c.Tags, c.FollowUp, c.Stage = r.PostFormValue("notes"), lanyard.SplitTags(r.PostFormValue("tags")), r.PostFormValue("follow_up"), r.PostFormValue("stage")
		h.render(w, r, http.StatusBadRequest, "contact", "contacts.contact.title", contactData{C: h.view(r, c), Card: c.Card, Stages: lanyard.ContactStages,
			Error: lanyard.ErrorMessage(err), Field: lanyard.ErrorField(err)})
		return
	}
	if err := Save(r.Context(), h.Store, h.event(), c, u, h.Shell.Lang(r), h.Shell.SiteURL(r)); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "contacts.contact.saved"))
	http.Redirect(w, r, contactPath(c.ID), http.StatusSeeOther)
}

// ReminderDue is when the follow-up reminder for date goes: 09:00 on
// that date in the venue's zone, but never before the morning after the
// event's last day.
func ReminderDue(ev *lanyard.Event, date string) time.Time {
	loc, err := ev.Location()
	if err != nil {
		loc = time.UTC
	}
	d, _ := time.ParseInLocation(time.DateOnly, date, loc)
	due := d.Add(9 * time.Hour)
	if start, err := time.ParseInLocation(time.DateOnly, ev.StartDate, loc); err == nil {
		after := start.AddDate(0, 0, max(ev.Days, 1)).Add(9 * time.Hour)
		if due.Before(after) {
			due = after
		}
	}
	return due.UTC()
}

// Reminder writes the follow-up mail for date in lang: the card as it
// is, where they met, and the link to the contact on site. The pages and
// the API (PATCH /api/v1/me/contacts/{id}) both write it through Save.
func Reminder(ev *lanyard.Event, c lanyard.Contact, date, lang, site string) *lanyard.Message {
	loc, err := ev.Location()
	if err != nil {
		loc = time.UTC
	}
	link := strings.TrimRight(site, "/") + contactPath(c.ID)
	where := c.Where.Label
	if where == "" {
		where = ev.Name
	}
	who := c.Card.Name
	if c.Card.Company != "" {
		who += " (" + c.Card.Company + ")"
	}
	return &lanyard.Message{
		Language:      lang,
		Subject:       web.Translate(lang, "contacts.reminder.subject", "Name", c.Card.Name),
		Body:          web.Translate(lang, "contacts.reminder.body", "Who", who, "Where", where, "When", c.MetAt.In(loc).Format("2 Jan 15:04"), "Link", link),
		NextAttemptAt: ReminderDue(ev, date),
	}
}

// Updater is what Save needs of the store.
type Updater interface {
	ContactUpdate(ctx context.Context, ownerID, id int64, u lanyard.ContactUpdate, reminder *lanyard.Message) error
}

// Save validates u and writes it to the owner's contact c, with the
// reminder for a follow-up date in lang, in one transaction. Returns
// EINVALID with the field, changing nothing, for a bad update; ENOTFOUND
// for another's contact.
func Save(ctx context.Context, st Updater, ev *lanyard.Event, c lanyard.Contact, u lanyard.ContactUpdate, lang, site string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	var reminder *lanyard.Message
	if u.FollowUp != "" {
		reminder = Reminder(ev, c, u.FollowUp, lang, site)
	}
	return st.ContactUpdate(ctx, c.OwnerID, c.ID, u, reminder)
}

// remove is POST /contacts/{id}/delete: the contact and its pending
// reminder go; the other's record of the owner stays (it is theirs).
func (h *Handler) remove(w http.ResponseWriter, r *http.Request) {
	c, ok := h.contact(w, r)
	if !ok {
		return
	}
	if err := h.Store.ContactDelete(r.Context(), c.OwnerID, c.ID); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, "contacts.contact.deleted", "Name", c.Card.Name))
	http.Redirect(w, r, "/contacts", http.StatusSeeOther)
}
