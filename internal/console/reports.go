package console

import (
	"context"
	"encoding/csv"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
)

// ReportStore is what the reports read from the database: aggregated
// reads (seat counts come from the engine's memory, not from here).
type ReportStore interface {
	Attendance(ctx context.Context, eventID int64, now time.Time) ([]store.TypeAttendance, error)
	MailReport(ctx context.Context, eventID int64, limit int) ([]store.MailCount, []store.MailFailure, error)
	// DoorConflictCount counts the offline door admissions refused at sync
	// (reports_door.go).
	DoorConflictCount(ctx context.Context, eventID int64) (int, error)
}

var _ ReportStore = (*store.DB)(nil)

// doorCounts is the engine's read of every session's door figures
// (*reserve.Engine); without it the no-shows are counted in the database.
type doorCounts interface {
	DoorCounts(ctx context.Context) (map[string]reserve.DoorCount, error)
}

// waitlistBusy is the engine's read of waitlisted attendees' held times
// (*reserve.Engine); without it the reports suggest no repeats.
type waitlistBusy interface {
	WaitlistBusy(ctx context.Context, codes []string, limit int) (map[string][][]reserve.Span, error)
}

const (
	// hotRatio: a session whose demand (reserved + waitlisted) is at least
	// this many times its seats gets a repeat suggested.
	hotRatio = 2
	// maxHot and waitSample bound the repeat search: the most wanted
	// sessions, and the first attendees of each waitlist whose agendas are
	// read (one engine read for all).
	maxHot     = 10
	waitSample = 60
	// demandShown is how many sessions the page lists; the CSV has all.
	demandShown = 25
	// failuresShown bounds the mail failures listed.
	failuresShown = 100
)

// cell is one value of a report table; Href links it.
type cell struct {
	Text string
	Href string
	Num  bool
	// Raw, when set, is the CSV's value: a code where the page shows words.
	Raw string
}

// table is one report table: its CSV file name is ID + ".csv", its
// column headers the keys "console.reports.col.<column>".
type table struct {
	ID      string
	Columns []string
	Rows    [][]cell
	// Total is the number of rows when a page shows only the first.
	Total int
}

func (t *table) add(cells ...cell) { t.Rows = append(t.Rows, cells) }

func txt(s string) cell        { return cell{Text: s} }
func num(n int) cell           { return cell{Text: strconv.Itoa(n), Num: true} }
func link(s, href string) cell { return cell{Text: s, Href: href} }

// report is one section of the reports page: a chart and the table it
// draws, with who may see it.
type report struct {
	ID     string
	Access Access
	// build fills the table (all rows, for the CSV) and the chart's bars.
	build func(h *Handler, rc *reportContext) (*table, []bar, error)
}

// reportContext is what a page view reads once and every report uses.
type reportContext struct {
	ctx    context.Context
	r      *http.Request
	cat    *catalog.Catalog
	seats  map[string]lanyard.SeatCount
	now    time.Time
	engine reserve.Ledger // nil when this node has none
	// page is set for the page, which shows the first demandShown sessions
	// of demand (the CSV has them all).
	page bool

	// The sessions by demand, sorted once for the two reports that use it.
	byDemand []demandRow

	// The mail report, read once for the two tables that show it.
	mailRead  bool
	mailCount []store.MailCount
	mailFails []store.MailFailure
}

func (h *Handler) mail(rc *reportContext) ([]store.MailCount, []store.MailFailure, error) {
	if !rc.mailRead {
		var err error
		if rc.mailCount, rc.mailFails, err = h.Store.MailReport(rc.ctx, h.event().ID, failuresShown); err != nil {
			return nil, nil, err
		}
		rc.mailRead = true
	}
	return rc.mailCount, rc.mailFails, nil
}

// attendance counts no-shows and walk-ups by type: from the engine's
// memory where this node has the engine, else from the database.
func (h *Handler) attendance(rc *reportContext) ([]store.TypeAttendance, error) {
	e, ok := rc.engine.(doorCounts)
	if !ok {
		return h.Store.Attendance(rc.ctx, h.event().ID, rc.now)
	}
	doors, err := e.DoorCounts(rc.ctx)
	if err != nil {
		return nil, err
	}
	by := map[lanyard.SessionType]*store.TypeAttendance{}
	for _, s := range rc.cat.Sessions() {
		d, ok := doors[s.Code]
		if !ok {
			continue
		}
		a := by[s.Type]
		if a == nil {
			a = &store.TypeAttendance{Type: s.Type}
			by[s.Type] = a
		}
		if s.Scheduled() && !s.End.After(rc.now) {
			a.Reserved += d.Taken
			a.CheckedIn += d.CheckedIn
		}
		a.Walkups += d.Walkups
	}
	var out []store.TypeAttendance
	for _, t := range lanyard.SessionTypes {
		if a := by[t]; a != nil && (a.Reserved > 0 || a.Walkups > 0) {
			out = append(out, *a)
		}
	}
	return out, nil
}

// reports are the reports page's sections, in order. Fill, no-shows and
// walk-ups are the staff's too (they run the doors); demand, repeats and
// mail are the organizer's.
var reports = []report{
	{"demand", Organizers, (*Handler).demandReport},
	{"repeats", Organizers, (*Handler).repeatReport},
	{"fill-type", Staff, fillReport(func(c *catalog.Catalog, s *lanyard.Session) string { return string(s.Type) })},
	{"fill-day", Staff, fillReport(func(c *catalog.Catalog, s *lanyard.Session) string { return c.Day(s) })},
	{"fill-venue", Staff, fillReport(func(c *catalog.Catalog, s *lanyard.Session) string { return c.VenueName(s.Venue) })},
	{"attendance", Staff, (*Handler).attendanceReport},
	// The door, per session, and its sync conflicts (reports_door.go).
	{"door", Staff, (*Handler).doorReport},
	{"mail", Organizers, (*Handler).mailReport},
	{"mail-failures", Organizers, (*Handler).failureReport},
	// pocket: the attendees' ratings and the speakers' links (ratings.go).
	{"ratings", Organizers, (*Handler).ratingsReport},
}

type reportView struct {
	ID, Title, Desc string
	Chart           template.HTML
	Table           *table
	More            int // rows left to the CSV
	Note            *reportNote
}

func (h *Handler) newReportContext(r *http.Request) *reportContext {
	rc := &reportContext{ctx: r.Context(), r: r, cat: h.Catalog.Load(), now: h.now(), seats: map[string]lanyard.SeatCount{}}
	if e := reserve.FromContext(r.Context()); e != nil {
		rc.engine = e
	} else if h.Engine != nil {
		rc.engine = h.Engine
	}
	// Every session's live counts, read once from memory: 3,000 map reads.
	if counts := h.counts(); counts != nil {
		for _, s := range rc.cat.Sessions() {
			if !s.Reservable {
				continue
			}
			if n, err := counts.Seats(s.Code); err == nil {
				rc.seats[s.Code] = n
			}
		}
	}
	return rc
}

func (h *Handler) reportsPage(w http.ResponseWriter, r *http.Request) {
	rc := h.newReportContext(r)
	rc.page = true
	role := h.Shell.User(r).Role
	var views []reportView
	for _, rp := range reports {
		if !rp.Access.Allows(role) {
			continue
		}
		t, bars, err := rp.build(h, rc)
		if err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
		v := reportView{ID: rp.ID, Title: h.Shell.T(r, "console.reports."+rp.ID), Desc: h.Shell.T(r, "console.reports."+rp.ID+"_desc"), Table: t}
		if len(bars) > 0 {
			v.Chart = barChart("chart-"+rp.ID, v.Title, v.Desc, bars)
		}
		if t.Total > len(t.Rows) {
			v.More = t.Total - len(t.Rows)
		}
		if note := reportNotes[rp.ID]; note != nil {
			if v.Note, err = note(h, rc); err != nil {
				h.Shell.ServerError(w, r, err)
				return
			}
		}
		views = append(views, v)
	}
	h.render(w, r, http.StatusOK, "reports", "console.reports.title", views)
}

// reportCSV streams one report's whole table as CSV.
func (h *Handler) reportCSV(rp report) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		t, _, err := rp.build(h, h.newReportContext(r))
		if err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.csv"`, h.event().Slug, rp.ID))
		cw := csv.NewWriter(w)
		cw.Write(t.Columns)
		rec := make([]string, len(t.Columns))
		for i, row := range t.Rows {
			for j, c := range row {
				rec[j] = c.Text
				if c.Raw != "" {
					rec[j] = c.Raw
				}
				if t.Columns[j] == "add_repeat" {
					rec[j] = c.Href // the link itself, not its words
				}
			}
			cw.Write(rec)
			if i%500 == 499 {
				cw.Flush() // stream: the first rows leave before the last are written
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			h.Log.WarnContext(r.Context(), "report csv", "report", rp.ID, "err", err)
		}
	}
}

func sessionHref(code string) string { return "/console/sessions/" + url.PathEscape(code) }

func ratio(taken, waiting, seats int) int {
	if seats <= 0 {
		return 0
	}
	return (taken + waiting) * 100 / seats
}

// demandRows is every reservable session with its counts, most wanted
// (demand against seats) first.
type demandRow struct {
	s *lanyard.Session
	n lanyard.SeatCount
	r int
}

func (rc *reportContext) demand() []demandRow {
	if rc.byDemand != nil {
		return rc.byDemand
	}
	out := make([]demandRow, 0, len(rc.seats))
	for _, s := range rc.cat.Sessions() {
		n, ok := rc.seats[s.Code]
		if !ok {
			continue
		}
		out = append(out, demandRow{s, n, ratio(n.Taken, n.WaitlistLength, n.Reservable)})
	}
	slices.SortFunc(out, func(a, b demandRow) int {
		if a.r != b.r {
			return b.r - a.r
		}
		if d := (b.n.Taken + b.n.WaitlistLength) - (a.n.Taken + a.n.WaitlistLength); d != 0 {
			return d
		}
		if a.s.Code < b.s.Code {
			return -1
		}
		return 1
	})
	rc.byDemand = out
	return out
}

func (h *Handler) demandReport(rc *reportContext) (*table, []bar, error) {
	t := &table{ID: "demand", Columns: []string{"session", "title", "type", "day", "venue", "reserved", "waitlisted", "seats", "percent"}}
	var bars []bar
	rows := rc.demand()
	t.Total = len(rows)
	if rc.page {
		rows = rows[:min(len(rows), demandShown)]
	}
	for i, d := range rows {
		typ := cell{Text: h.Shell.T(rc.r, "console.type."+string(d.s.Type)), Raw: string(d.s.Type)}
		t.add(link(d.s.Code, sessionHref(d.s.Code)), txt(d.s.Title), typ, txt(rc.cat.Day(d.s)), txt(rc.cat.VenueName(d.s.Venue)),
			num(d.n.Taken), num(d.n.WaitlistLength), num(d.n.Reservable), num(d.r))
		if i < 15 && d.n.Taken+d.n.WaitlistLength > 0 {
			bars = append(bars, bar{Label: d.s.Code, Value: d.n.Taken + d.n.WaitlistLength, Ref: d.n.Reservable,
				Text: fmt.Sprintf("%d / %d", d.n.Taken+d.n.WaitlistLength, d.n.Reservable)})
		}
	}
	return t, bars, nil
}

func fillReport(key func(*catalog.Catalog, *lanyard.Session) string) func(*Handler, *reportContext) (*table, []bar, error) {
	return func(h *Handler, rc *reportContext) (*table, []bar, error) {
		type agg struct{ sessions, taken, seats int }
		by := map[string]*agg{}
		var keys []string
		for _, s := range rc.cat.Sessions() {
			n, ok := rc.seats[s.Code]
			if !ok {
				continue
			}
			k := key(rc.cat, s)
			if by[k] == nil {
				by[k] = &agg{}
				keys = append(keys, k)
			}
			a := by[k]
			a.sessions++
			a.taken += n.Taken
			a.seats += n.Reservable
		}
		slices.Sort(keys)
		t := &table{Columns: []string{"group", "sessions", "reserved", "seats", "percent"}}
		var bars []bar
		for _, k := range keys {
			a := by[k]
			label := k
			if _, isType := lanyard.ParseSessionType(k); isType {
				label = h.Shell.T(rc.r, "console.type."+k)
			}
			t.add(txt(label), num(a.sessions), num(a.taken), num(a.seats), num(ratio(a.taken, 0, a.seats)))
			bars = append(bars, bar{Label: label, Value: a.taken, Ref: a.seats, Text: fmt.Sprintf("%d%%", ratio(a.taken, 0, a.seats))})
		}
		return t, bars, nil
	}
}

func (h *Handler) attendanceReport(rc *reportContext) (*table, []bar, error) {
	rows, err := h.attendance(rc)
	if err != nil {
		return nil, nil, err
	}
	t := &table{Columns: []string{"type", "reserved", "checked_in", "no_shows", "percent", "walkups"}}
	var bars []bar
	for _, a := range rows {
		label := h.Shell.T(rc.r, "console.type."+string(a.Type))
		t.add(txt(label), num(a.Reserved), num(a.CheckedIn), num(a.NoShows()), num(ratio(a.NoShows(), 0, a.Reserved)), num(a.Walkups))
		bars = append(bars, bar{Label: label, Value: a.NoShows(), Ref: a.Reserved, Text: fmt.Sprintf("%d / %d", a.NoShows(), a.Reserved)})
	}
	return t, bars, nil
}

func (h *Handler) mailReport(rc *reportContext) (*table, []bar, error) {
	counts, _, err := h.mail(rc)
	if err != nil {
		return nil, nil, err
	}
	t := &table{Columns: []string{"kind", "pending", "sent", "failed"}}
	type row struct{ pending, sent, failed int }
	by := map[string]*row{}
	var kinds []string
	for _, c := range counts {
		if by[c.Kind] == nil {
			by[c.Kind] = &row{}
			kinds = append(kinds, c.Kind)
		}
		switch c.State {
		case lanyard.MessagePending:
			by[c.Kind].pending += c.N
		case lanyard.MessageSent:
			by[c.Kind].sent += c.N
		case lanyard.MessageFailed:
			by[c.Kind].failed += c.N
		}
	}
	var bars []bar
	for _, k := range kinds {
		x := by[k]
		t.add(txt(k), num(x.pending), num(x.sent), num(x.failed))
		all := x.pending + x.sent + x.failed
		bars = append(bars, bar{Label: k, Value: x.sent, Ref: all, Text: fmt.Sprintf("%d / %d (%d ✕)", x.sent, all, x.failed)})
	}
	return t, bars, nil
}

func (h *Handler) failureReport(rc *reportContext) (*table, []bar, error) {
	_, fails, err := h.mail(rc)
	if err != nil {
		return nil, nil, err
	}
	t := &table{Columns: []string{"message", "kind", "attendee", "recipient", "attempts", "last_error", "at"}}
	for _, f := range fails {
		who := txt("")
		if f.AttendeeID != 0 {
			who = link(strconv.FormatInt(f.AttendeeID, 10), "/console/attendees/"+strconv.FormatInt(f.AttendeeID, 10))
		}
		t.add(num(int(f.ID)), txt(f.Kind), who, txt(f.Recipient), num(f.Attempts), txt(f.LastError), txt(f.At.Format(time.RFC3339)))
	}
	return t, nil, nil
}
