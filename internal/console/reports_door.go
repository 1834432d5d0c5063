package console

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// === door report: per session check-ins by kind and no-shows, and the
// offline sync's conflicts (the door app, internal/door). ===

// doorConflictsHref is the door app's conflicts page (organizers only).
const doorConflictsHref = "/door/conflicts"

type doorRow struct {
	s                         *lanyard.Session
	taken, checkedIn, walkups int
	ended                     bool
}

// doorReport lists every session that has begun and has reservations or
// admissions: reserved seats, reserved attendees checked in, walk-ups
// admitted, and, once the session is over, the no-shows (reserved but not
// admitted). Latest start first: during the event the sessions at the
// doors now lead. The figures are the engine's, read once from memory;
// without an engine on this node the table is empty (the attendance
// report above has the database's figures by type).
func (h *Handler) doorReport(rc *reportContext) (*table, []bar, error) {
	t := &table{ID: "door", Columns: []string{"session", "title", "day", "reserved", "checked_in", "walkups", "no_shows", "percent"}}
	e, ok := rc.engine.(doorCounts)
	if !ok {
		return t, nil, nil
	}
	doors, err := e.DoorCounts(rc.ctx)
	if err != nil {
		return nil, nil, err
	}
	var rows []doorRow
	for _, s := range rc.cat.Sessions() {
		d, ok := doors[s.Code]
		if !ok || !s.Scheduled() || s.Start.After(rc.now) || d.Taken+d.CheckedIn+d.Walkups == 0 {
			continue
		}
		rows = append(rows, doorRow{s: s, taken: d.Taken, checkedIn: d.CheckedIn, walkups: d.Walkups, ended: !s.End.After(rc.now)})
	}
	slices.SortFunc(rows, func(a, b doorRow) int {
		if c := b.s.Start.Compare(a.s.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.s.Code, b.s.Code)
	})
	t.Total = len(rows)
	if rc.page {
		rows = rows[:min(len(rows), demandShown)]
	}
	var bars []bar
	for _, d := range rows {
		// A session still running has no no-shows yet: its holders may come.
		noShows, percent := cell{}, cell{}
		if d.ended {
			n := max(d.taken-d.checkedIn, 0)
			noShows, percent = num(n), num(ratio(n, 0, d.taken))
			if len(bars) < 15 && d.taken > 0 {
				bars = append(bars, bar{Label: d.s.Code, Value: n, Ref: d.taken, Text: fmt.Sprintf("%d / %d", n, d.taken)})
			}
		}
		t.add(link(d.s.Code, sessionHref(d.s.Code)), txt(d.s.Title), txt(rc.cat.Day(d.s)),
			num(d.taken), num(d.checkedIn), num(d.walkups), noShows, percent)
	}
	return t, bars, nil
}

// reportNote is a line under a report's table with a link: the door's
// sync conflicts.
type reportNote struct {
	ID       string
	Count    int
	Text     string
	Href     string
	LinkText string
}

// reportNotes are the notes of some reports, by report ID.
var reportNotes = map[string]func(*Handler, *reportContext) (*reportNote, error){
	"door": (*Handler).doorNote,
}

// doorNote is the count of offline admissions the engine refused at sync,
// with a link to review them: for organizers, whose page that is.
func (h *Handler) doorNote(rc *reportContext) (*reportNote, error) {
	if u := h.Shell.User(rc.r); u == nil || !Organizers.Allows(u.Role) {
		return nil, nil
	}
	n, err := h.Store.DoorConflictCount(rc.ctx, h.event().ID)
	if err != nil {
		return nil, fmt.Errorf("console: door conflicts: %w", err)
	}
	return &reportNote{ID: "door-conflicts", Count: n, Text: h.Shell.T(rc.r, "console.reports.door_conflicts", "Count", n),
		Href: doorConflictsHref, LinkText: h.Shell.T(rc.r, "console.reports.door_conflicts_link")}, nil
}
