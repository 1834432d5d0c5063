package lanyard

import (
	"fmt"
	"time"
)

// Event is one conference: its name, where its clock runs and which days it spans.
type Event struct {
	ID int64 `json:"id"`
	// Slug names the event in URLs and on the command line ("reinvent-2019").
	Slug string `json:"slug"`
	Name string `json:"name"`
	// TimeZone is the IANA zone of the venues ("America/Los_Angeles"). Every
	// time shown to a person is shown in it.
	TimeZone string `json:"time_zone"`
	// StartDate is the first day, as a civil date in TimeZone ("2019-12-02").
	StartDate string `json:"start_date"`
	// Days is how many days the event spans.
	Days int `json:"days"`
}

// Location loads the event's time zone.
func (e *Event) Location() (*time.Location, error) {
	return LoadZone(e.TimeZone)
}

// DayDates returns the civil dates of the event's days, first to last.
func (e *Event) DayDates() ([]string, error) {
	d, err := time.Parse(time.DateOnly, e.StartDate)
	if err != nil {
		return nil, Errorf(EINVALID, "Event start date %q is not a date (YYYY-MM-DD).", e.StartDate)
	}
	out := make([]string, e.Days)
	for i := range out {
		out[i] = d.AddDate(0, 0, i).Format(time.DateOnly)
	}
	return out, nil
}

// Validate reports the first problem with the event's fields.
func (e *Event) Validate() error {
	switch {
	case e.Slug == "":
		return Errorf(EINVALID, "Event slug is required.")
	case e.Name == "":
		return Errorf(EINVALID, "Event name is required.")
	case e.Days < 1 || e.Days > 60:
		return Errorf(EINVALID, "Event days must be between 1 and 60, not %d.", e.Days)
	}
	if err := CheckText("name", e.Name, RuleTitle); err != nil {
		return err
	}
	if _, err := e.Location(); err != nil {
		return err
	}
	if _, err := e.DayDates(); err != nil {
		return err
	}
	return nil
}

// String returns the event's slug and name, for logs.
func (e *Event) String() string { return fmt.Sprintf("%s (%s)", e.Slug, e.Name) }
