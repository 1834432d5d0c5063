package console

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/message"
	"github.com/lanyardhq/lanyard/internal/store"
)

// AnnouncementStore is what announcements read and write.
type AnnouncementStore interface {
	CountSegment(ctx context.Context, eventID int64, seg lanyard.Segment) (int, error)
	AttendeeTypes(ctx context.Context, eventID int64) ([]string, error)
	AddAnnouncement(ctx context.Context, a lanyard.Announcement, audit lanyard.AuditEntry) (int64, error)
	SendAnnouncement(ctx context.Context, id int64, now time.Time, day func(eventID int64, at time.Time) (time.Time, time.Time)) (int, bool, error)
	DueAnnouncements(ctx context.Context, now time.Time) ([]int64, error)
	Announcements(ctx context.Context, eventID int64, limit int) ([]lanyard.Announcement, error)
}

var _ AnnouncementStore = (*store.DB)(nil)

const (
	maxSubject = 200
	maxBody    = 5000
	// announcementsShown is how many past announcements the page lists.
	announcementsShown = 50
)

// announceFields are the form's fields.
var announceFields = []string{"segment", "session", "type", "role", "venue", "subject_en", "body_en", "subject_ko", "body_ko", "when", "send_at", "key"}

type announceData struct {
	Form  *form
	Key   string
	Types []string
	Roles []lanyard.Role
	// Venues are the catalog's venues, code and name.
	Venues  []lanyard.Venue
	Segment []string
	// Preview, when the organizer asked for one: the mail as each
	// language renders it, and the number of recipients now.
	Preview    []previewLang
	Recipients int
	Previewed  bool
	Past       []lanyard.Announcement
}

type previewLang struct {
	Lang string
	message.Rendered
}

func (h *Handler) announcementsPage(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	f.Values["segment"], f.Values["when"] = lanyard.SegmentAll, "now"
	h.renderAnnounce(w, r, http.StatusOK, f, nil)
}

func (h *Handler) renderAnnounce(w http.ResponseWriter, r *http.Request, status int, f *form, preview func(*announceData)) {
	ctx := r.Context()
	d := &announceData{Form: f, Key: f.V("key"), Segment: lanyard.SegmentKinds, Venues: h.Catalog.Load().Venues,
		Roles: []lanyard.Role{lanyard.RoleAttendee, lanyard.RoleStaff, lanyard.RoleExhibitor, lanyard.RoleOrganizer}}
	if d.Key == "" {
		d.Key = newKey()
	}
	var err error
	if d.Types, err = h.Store.AttendeeTypes(ctx, h.event().ID); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if d.Past, err = h.Store.Announcements(ctx, h.event().ID, announcementsShown); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if preview != nil {
		preview(d)
	}
	if status != http.StatusOK {
		w.Header().Set("X-Lanyard-Code", lanyard.EINVALID)
	}
	h.render(w, r, status, "announcements", "console.announcements.title", d)
}

// readAnnouncement checks the form: a segment and its value, both
// languages' subject and body, and the time (now, or a future instant in
// the venue's zone). Problems go beside their fields.
func (h *Handler) readAnnouncement(r *http.Request, f *form) (lanyard.Announcement, lanyard.Segment) {
	for _, k := range announceFields {
		f.Values[k] = strings.TrimSpace(r.PostFormValue(k))
	}
	cat := h.Catalog.Load()
	a := lanyard.Announcement{EventID: h.event().ID, Segment: f.V("segment"), CreatedBy: h.actor(r), Key: f.V("key"),
		SubjectEn: f.V("subject_en"), BodyEn: f.V("body_en"), SubjectKo: f.V("subject_ko"), BodyKo: f.V("body_ko")}
	switch a.Segment {
	case lanyard.SegmentAll:
	case lanyard.SegmentReserved, lanyard.SegmentWaitlisted:
		a.SegmentValue = strings.ToUpper(f.V("session"))
		if a.SegmentValue == "" {
			f.Errors["session"] = h.Shell.T(r, "console.setup.session_required")
		} else if _, err := cat.Session(a.SegmentValue); err != nil {
			f.Errors["session"] = h.Shell.T(r, "console.setup.unknown_session", "Code", a.SegmentValue)
		}
	case lanyard.SegmentType:
		if a.SegmentValue = f.V("type"); a.SegmentValue == "" {
			f.Errors["type"] = h.Shell.T(r, "console.announcements.type_required")
		}
	case lanyard.SegmentRole:
		if a.SegmentValue = f.V("role"); !lanyard.Role(a.SegmentValue).Valid() {
			f.Errors["role"] = h.Shell.T(r, "console.announcements.role_required")
		}
	case lanyard.SegmentVenue:
		a.SegmentValue = f.V("venue")
		if cat.VenueName(a.SegmentValue) == a.SegmentValue || a.SegmentValue == "" {
			f.Errors["venue"] = h.Shell.T(r, "console.announcements.venue_required")
		}
	default:
		f.Errors["segment"] = h.Shell.T(r, "console.announcements.segment_required")
	}
	for _, k := range []string{"subject_en", "subject_ko"} {
		if n := utf8.RuneCountInString(f.V(k)); n == 0 {
			f.Errors[k] = h.Shell.T(r, "console.announcements.subject_required")
		} else if n > maxSubject {
			f.Errors[k] = h.Shell.T(r, "console.announcements.too_long", "Max", maxSubject)
		}
	}
	for _, k := range []string{"body_en", "body_ko"} {
		if n := utf8.RuneCountInString(f.V(k)); n == 0 {
			f.Errors[k] = h.Shell.T(r, "console.announcements.body_required")
		} else if n > maxBody {
			f.Errors[k] = h.Shell.T(r, "console.announcements.too_long", "Max", maxBody)
		}
	}
	now := h.now().UTC()
	a.SendAt = now
	if f.V("when") == "later" {
		if at := h.localTime(r, f, "send_at"); !at.IsZero() {
			if !at.After(now) {
				f.Errors["send_at"] = h.Shell.T(r, "console.announcements.future")
			}
			a.SendAt = at
		}
	} else {
		f.Values["when"] = "now"
	}
	seg := lanyard.Segment{Kind: a.Segment, Value: a.SegmentValue}
	if seg.Kind == lanyard.SegmentVenue {
		seg.From, seg.To = h.dayBounds(a.SendAt)
	}
	return a, seg
}

// dayBounds is the civil day of at in the venue's zone.
func (h *Handler) dayBounds(at time.Time) (time.Time, time.Time) {
	loc := h.Catalog.Load().Loc
	l := at.In(loc)
	from := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	return from.UTC(), from.AddDate(0, 0, 1).UTC()
}

// announce previews an announcement (action=preview) or records it and,
// when it is for now, sends it at once; a scheduled one waits for the
// scheduler (RunAnnouncements).
func (h *Handler) announce(w http.ResponseWriter, r *http.Request) {
	f := newForm()
	a, seg := h.readAnnouncement(r, f)
	if !f.ok() {
		h.renderAnnounce(w, r, http.StatusUnprocessableEntity, f, nil)
		return
	}
	n, err := h.Store.CountSegment(r.Context(), h.event().ID, seg)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if r.PostFormValue("action") == "preview" {
		h.renderAnnounce(w, r, http.StatusOK, f, func(d *announceData) {
			d.Previewed, d.Recipients = true, n
			params, _ := message.Encode(message.AnnouncementParams{SubjectEn: a.SubjectEn, BodyEn: a.BodyEn, SubjectKo: a.SubjectKo, BodyKo: a.BodyKo})
			m := lanyard.Message{Kind: lanyard.KindAnnouncement, Template: lanyard.KindAnnouncement, Params: params, Mail: true, App: true}
			for _, lang := range []string{"en", "ko"} {
				out, err := message.Render(m, lang)
				if err != nil {
					f.Error = err.Error()
					continue
				}
				d.Preview = append(d.Preview, previewLang{lang, out})
			}
		})
		return
	}
	if n == 0 && f.V("when") == "now" {
		f.Errors["segment"] = h.Shell.T(r, "console.announcements.nobody")
		h.renderAnnounce(w, r, http.StatusUnprocessableEntity, f, nil)
		return
	}
	id, err := h.Store.AddAnnouncement(r.Context(), a, lanyard.AuditEntry{ActorID: h.actor(r), Action: "announcement", Key: a.Key})
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	msgID := "console.announcements.scheduled"
	if f.V("when") == "now" {
		sent, _, err := h.Store.SendAnnouncement(r.Context(), id, h.now(), h.dayOf)
		if err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
		n, msgID = sent, "console.announcements.sent"
	}
	h.Shell.Flash(r, "ok", h.Shell.T(r, msgID, "Count", n))
	http.Redirect(w, r, "/console/announcements#announcement-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (h *Handler) dayOf(_ int64, at time.Time) (time.Time, time.Time) { return h.dayBounds(at) }

// RunAnnouncements sends scheduled announcements when due, every tick,
// until ctx ends. Every node may run it: the store's claim makes each
// announcement go out once, and a restart picks up what is due.
func (h *Handler) RunAnnouncements(ctx context.Context, tick time.Duration) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		if err := h.SendDue(ctx); err != nil && ctx.Err() == nil {
			h.Log.WarnContext(ctx, "scheduled announcements", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SendDue sends the announcements due now; it returns the first error
// and leaves the rest for the next tick.
func (h *Handler) SendDue(ctx context.Context) error {
	now := h.now()
	due, err := h.Store.DueAnnouncements(ctx, now)
	if err != nil {
		return err
	}
	for _, id := range due {
		n, sent, err := h.Store.SendAnnouncement(ctx, id, now, h.dayOf)
		if err != nil {
			return err
		}
		if sent {
			h.Log.InfoContext(ctx, "announcement sent", "announcement", id, "recipients", n)
		}
	}
	return nil
}
