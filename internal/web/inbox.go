package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/message"
)

// Inbox is what the notifications page, the header's unread count and the
// notification choices on settings keep in the database.
type Inbox interface {
	// Notifications lists an attendee's messages in the app, newest first,
	// older than the message before (0: the newest).
	Notifications(ctx context.Context, attendeeID, before int64, limit int) ([]lanyard.Message, error)
	UnreadCount(ctx context.Context, attendeeID int64) (int, error)
	// MarkRead marks the attendee's own messages up to upTo read.
	MarkRead(ctx context.Context, attendeeID, upTo int64) (int, error)
	// AppMessagesAfter returns who got messages in the app after the
	// message after, and the last message's ID.
	AppMessagesAfter(ctx context.Context, after int64) ([]int64, int64, error)
	MessagePreferences(ctx context.Context, attendeeID int64) (map[string]lanyard.Channels, error)
	// SetMessagePreferences returns EINVALID for a mail-only or unknown kind.
	SetMessagePreferences(ctx context.Context, attendeeID int64, prefs map[string]lanyard.Channels) error
}

// inboxPageSize is how many notifications a page lists.
const inboxPageSize = 20

// unread returns the signed-in attendee's unread count for the header;
// 0 (logged) if it cannot be read, so no page fails for a badge.
func (h *Handler) unread(r *http.Request, attendeeID int64) int {
	n, err := h.Store.UnreadCount(r.Context(), attendeeID)
	if err != nil {
		h.Log.WarnContext(r.Context(), "unread count", "attendee", attendeeID, "err", err)
	}
	return n
}

// notice is one entry of the notifications page.
type notice struct {
	ID      int64
	Line    string
	Link    string
	Body    string // an announcement's words, shown in full
	At      clocks
	AtISO   string
	Unread  bool
	Unknown bool
}

type inboxData struct {
	Notices []notice
	Older   string // the next page's URL, "" on the last
}

// inboxPage lists the attendee's notifications, newest first, and marks
// the ones shown read: they are marked after they are read from the
// database, so this view still shows which were new.
func (h *Handler) inboxPage(w http.ResponseWriter, r *http.Request) {
	a := user(r)
	var before int64
	if s := r.URL.Query().Get("before"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			h.errorPageText(w, r, http.StatusBadRequest, translatorFor(pickLanguage(r)).T("inbox.bad_page"))
			return
		}
		before = n
	}
	msgs, err := h.Store.Notifications(r.Context(), a.ID, before, inboxPageSize+1)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var d inboxData
	if len(msgs) > inboxPageSize {
		msgs = msgs[:inboxPageSize]
		d.Older = "/notifications?before=" + strconv.FormatInt(msgs[len(msgs)-1].ID, 10)
	}
	if len(msgs) > 0 && slices.ContainsFunc(msgs, func(m lanyard.Message) bool { return m.ReadAt.IsZero() }) {
		if _, err := h.Store.MarkRead(r.Context(), a.ID, msgs[0].ID); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	p := h.newPage(r, "inbox.title")
	for _, m := range msgs {
		n := notice{ID: m.ID, At: p.When(m.CreatedAt), AtISO: p.IsoTime(m.CreatedAt), Unread: m.ReadAt.IsZero()}
		// Times in the venue's zone and the attendee's, as the pages write them.
		m = message.WithZones(m, message.Zones{VenueZone: p.Event.TimeZone, HomeZone: a.HomeZone})
		out, err := message.Render(m, p.lang)
		switch {
		case err != nil:
			h.Log.WarnContext(r.Context(), "render notification", "message", m.ID, "err", err)
			n.Line, n.Unknown = p.T("inbox.unreadable"), true
		case out.Line == "":
			n.Line = firstLine(m.Body) // a row from before templates
		default:
			n.Line, n.Link = out.Line, out.Link
		}
		if m.Kind == lanyard.KindAnnouncement && err == nil {
			n.Body, n.Link = announcementBody(m, p.lang), ""
		}
		d.Notices = append(d.Notices, n)
	}
	p.Data = d
	h.render(w, r, http.StatusOK, "inbox", p)
}

func firstLine(s string) string {
	for i, c := range s {
		if c == '\n' {
			return s[:i]
		}
	}
	return s
}

// announcementBody is an announcement's words in lang, else in the other.
func announcementBody(m lanyard.Message, lang string) string {
	var p message.AnnouncementParams
	if message.Decode(m.Params, &p) != nil {
		return ""
	}
	if lang == "ko" && p.BodyKo != "" || p.BodyEn == "" {
		return p.BodyKo
	}
	return p.BodyEn
}

// inboxFeed tells open pages when their attendee's unread count may have
// changed. One goroutine asks the database, once a tick, who got messages
// in the app since the last tick (one query, whatever the number of open
// pages, on any node); only the streams of those attendees then count.
type inboxFeed struct {
	store Inbox
	log   interface {
		WarnContext(ctx context.Context, msg string, args ...any)
	}

	mu     sync.Mutex
	subs   map[int64]map[chan struct{}]struct{} // by attendee
	closed bool
}

func newInboxFeed(s Inbox, log interface {
	WarnContext(ctx context.Context, msg string, args ...any)
}) *inboxFeed {
	return &inboxFeed{store: s, log: log, subs: map[int64]map[chan struct{}]struct{}{}}
}

func (f *inboxFeed) run(ctx context.Context, tick time.Duration) {
	t := time.NewTicker(tick)
	defer t.Stop()
	// Start from the newest message now: a page counts once when it opens,
	// so only what comes after matters.
	_, last, err := f.store.AppMessagesAfter(ctx, -1)
	if err != nil {
		last = -1 // the first tick tries again
	}
	for {
		select {
		case <-ctx.Done():
			f.mu.Lock()
			f.closed = true
			for a, chs := range f.subs {
				for ch := range chs {
					close(ch)
				}
				delete(f.subs, a)
			}
			f.mu.Unlock()
			return
		case <-t.C:
		}
		who, next, err := f.store.AppMessagesAfter(ctx, last)
		if err != nil || last < 0 {
			if ctx.Err() == nil {
				f.log.WarnContext(ctx, "inbox feed", "err", err)
			}
			continue
		}
		last = next
		f.mu.Lock()
		for _, a := range who {
			for ch := range f.subs[a] {
				select {
				case ch <- struct{}{}:
				default: // a count is already due
				}
			}
		}
		f.mu.Unlock()
	}
}

func (f *inboxFeed) subscribe(attendee int64) (chan struct{}, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil, false
	}
	ch := make(chan struct{}, 1)
	if f.subs[attendee] == nil {
		f.subs[attendee] = map[chan struct{}]struct{}{}
	}
	f.subs[attendee][ch] = struct{}{}
	return ch, true
}

func (f *inboxFeed) unsubscribe(attendee int64, ch chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.subs[attendee][ch]; ok {
		delete(f.subs[attendee], ch)
		if len(f.subs[attendee]) == 0 {
			delete(f.subs, attendee)
		}
		close(ch)
	}
}

// inboxEvents streams the signed-in attendee's unread count as
// server-sent events ("unread"): now, then on each change. The attendee
// comes from the sign-in session alone, never from the URL, so a stream
// carries no one else's count.
func (h *Handler) inboxEvents(w http.ResponseWriter, r *http.Request) {
	a := user(r)
	if a == nil {
		http.Error(w, "Sign in to see your notifications.", http.StatusUnauthorized)
		return
	}
	ch, ok := h.inbox.subscribe(a.ID)
	if !ok {
		http.Error(w, "Shutting down.", http.StatusServiceUnavailable)
		return
	}
	defer h.inbox.unsubscribe(a.ID, ch)
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	sent := -1
	send := func() error {
		n, err := h.Store.UnreadCount(r.Context(), a.ID)
		if err != nil || n == sent {
			return err
		}
		sent = n
		if _, err := fmt.Fprintf(w, "event: unread\ndata: %d\n\n", n); err != nil {
			return err
		}
		return rc.Flush()
	}
	fmt.Fprint(w, "retry: 5000\n\n")
	if send() != nil {
		return
	}
	// Now and then recount anyway: another tab may have read them.
	recount := time.NewTicker(20 * time.Second)
	defer recount.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-recount.C:
			if err := send(); err != nil {
				return
			}
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		case _, ok := <-ch:
			if !ok || send() != nil {
				return
			}
		}
	}
}

// liveInbox loads the sign-in session for the stream without scs's
// LoadAndSave, which would hold the response until the handler returns.
func (h *Handler) liveInbox(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		h.inboxEvents(w, r) // no one signed in: refused
		return
	}
	ctx, err := h.Sessions.Load(r.Context(), c.Value)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.identify(h.inboxEvents)(w, r.WithContext(ctx))
}

// notifyChoice is one kind's row on settings.
type notifyChoice struct {
	Kind, Label string
	Value       string // "both", "mail", "app"
}

func channelsValue(c lanyard.Channels) string {
	switch {
	case c.Mail && c.App:
		return "both"
	case c.Mail:
		return "mail"
	}
	return "app"
}

// notifyChoices are the attendee's notification choices for settings.
func (h *Handler) notifyChoices(r *http.Request, t *translator, attendeeID int64) ([]notifyChoice, error) {
	prefs, err := h.Store.MessagePreferences(r.Context(), attendeeID)
	if err != nil {
		return nil, err
	}
	var out []notifyChoice
	for _, k := range lanyard.ChoiceKinds() {
		c, ok := prefs[k]
		if !ok {
			continue
		}
		out = append(out, notifyChoice{Kind: k, Label: t.T("settings.notify_" + k), Value: channelsValue(c)})
	}
	return out, nil
}

// saveNotifications saves the choice of channels per kind. Nothing is
// saved unless every kind has a valid choice.
func (h *Handler) saveNotifications(w http.ResponseWriter, r *http.Request) {
	p := h.newPage(r, "settings.title")
	a := user(r)
	d, err := h.settings(r, p)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	choices := d.Notify
	prefs := map[string]lanyard.Channels{}
	var bad bool
	for i, c := range choices {
		v := r.PostFormValue("notify_" + c.Kind)
		switch v {
		case "both":
			prefs[c.Kind] = lanyard.Channels{Mail: true, App: true}
		case "mail":
			prefs[c.Kind] = lanyard.Channels{Mail: true}
		case "app":
			prefs[c.Kind] = lanyard.Channels{App: true}
		default:
			bad = true
			continue
		}
		choices[i].Value = v
	}
	if bad {
		// Nothing is saved; the form shows what was sent where it could be read.
		d.NotifyError = p.T("settings.notify_invalid")
		p.Data = d
		h.render(w, r, http.StatusUnprocessableEntity, "settings", p)
		return
	}
	if err := h.Store.SetMessagePreferences(r.Context(), a.ID, prefs); err != nil {
		h.serverError(w, r, err)
		return
	}
	h.flash(r, "ok", p.T("settings.notify_saved"))
	http.Redirect(w, r, "/settings#notifications", http.StatusSeeOther)
}
