package importer

import (
	"fmt"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// MoveStart moves an event to start on startDate (YYYY-MM-DD) and its
// scheduled sessions with it: each keeps its day's offset from the first day
// and its local time of day in the event's zone (so a talk at 11:00 on the
// second day is at 11:00 on the new second day, across a change to or from
// daylight saving time too). A catalog whose event has no start date yet
// (lanyard CSV) only gets the date: its sessions' times are the file's.
func MoveStart(cat *lanyard.Catalog, startDate string) error {
	to, err := time.Parse(time.DateOnly, startDate)
	if err != nil {
		return lanyard.Errorf(lanyard.EINVALID, "Start date %q is not a date (YYYY-MM-DD).", startDate)
	}
	ev := &cat.Event
	if ev.StartDate == "" {
		ev.StartDate = startDate
		return nil
	}
	from, err := time.Parse(time.DateOnly, ev.StartDate)
	if err != nil {
		return lanyard.Errorf(lanyard.EINVALID, "Event start date %q is not a date (YYYY-MM-DD).", ev.StartDate)
	}
	loc, err := ev.Location()
	if err != nil {
		return err
	}
	days := int(to.Sub(from).Hours() / 24) // both are midnight UTC: whole days
	move := func(t time.Time) time.Time {
		l := t.In(loc)
		return time.Date(l.Year(), l.Month(), l.Day()+days, l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), loc).UTC()
	}
	for i := range cat.Sessions {
		s := &cat.Sessions[i]
		if !s.Scheduled() {
			continue
		}
		start, end := move(s.Start), move(s.End)
		if !end.After(start) {
			// A session that spans a clock change ends as long after it starts.
			end = start.Add(s.End.Sub(s.Start))
		}
		s.Start, s.End = start, end
	}
	ev.StartDate = startDate
	if err := ev.Validate(); err != nil {
		return fmt.Errorf("importer: move start: %w", err)
	}
	return nil
}
