package schedule

import (
	"encoding/xml"
	"fmt"
	"io"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// The schedule.xml elements, in the order and with the names of the C3VOC
// XSD. Elements the XSD requires are never omitted, even when empty.
type (
	xmlSchedule struct {
		XMLName    xml.Name      `xml:"schedule"`
		Generator  xmlGenerator  `xml:"generator"`
		Version    string        `xml:"version"`
		Conference xmlConference `xml:"conference"`
		Days       []xmlDay      `xml:"day"`
	}
	xmlGenerator struct {
		Name string `xml:"name,attr"`
	}
	xmlConference struct {
		Acronym          string `xml:"acronym"`
		Title            string `xml:"title"`
		Start            string `xml:"start"`
		End              string `xml:"end"`
		Days             int    `xml:"days"`
		TimeslotDuration string `xml:"timeslot_duration"`
		BaseURL          string `xml:"base_url"`
		TimeZoneName     string `xml:"time_zone_name"`
	}
	xmlDay struct {
		Index int       `xml:"index,attr"`
		Date  string    `xml:"date,attr"`
		Start string    `xml:"start,attr"`
		End   string    `xml:"end,attr"`
		Rooms []xmlRoom `xml:"room"`
	}
	xmlRoom struct {
		Name   string     `xml:"name,attr"`
		GUID   string     `xml:"guid,attr"`
		Events []xmlEvent `xml:"event"`
	}
	xmlEvent struct {
		ID       int64    `xml:"id,attr"`
		GUID     string   `xml:"guid,attr"`
		Date     string   `xml:"date"`
		Start    string   `xml:"start"`
		Duration string   `xml:"duration"`
		Room     string   `xml:"room"`
		Slug     string   `xml:"slug"`
		URL      string   `xml:"url"`
		Title    string   `xml:"title"`
		Subtitle string   `xml:"subtitle"`
		Track    string   `xml:"track"`
		Type     string   `xml:"type"`
		Language string   `xml:"language"`
		Abstract string   `xml:"abstract"`
		Persons  []string `xml:"persons>person"`
	}
)

// WriteXML writes the scheduled sessions of c as a frab schedule.xml.
// Returns EINVALID if opt.BaseURL is not an absolute http(s) URL or the
// event's zone or dates are invalid.
func WriteXML(w io.Writer, c *lanyard.Catalog, opt Options) error {
	p, err := newPlan(c, opt)
	if err != nil {
		return fmt.Errorf("schedule: write xml: %w", err)
	}
	doc := xmlSchedule{
		Generator: xmlGenerator{Name: "lanyard"},
		Version:   p.version,
		Conference: xmlConference{
			Acronym:          p.acronym,
			Title:            p.title,
			Start:            p.start,
			End:              p.end,
			Days:             len(p.days),
			TimeslotDuration: p.timeslot,
			BaseURL:          p.baseURL + "/",
			TimeZoneName:     p.zone,
		},
	}
	for _, d := range p.days {
		xd := xmlDay{Index: d.index, Date: d.date, Start: d.start.Format(time.RFC3339), End: d.end.Format(time.RFC3339)}
		for _, r := range d.rooms {
			xr := xmlRoom{Name: r.name, GUID: r.guid}
			for _, e := range r.events {
				xr.Events = append(xr.Events, xmlEvent{
					ID:       e.id,
					GUID:     e.guid,
					Date:     e.start.Format(time.RFC3339),
					Start:    e.start.Format("15:04"),
					Duration: e.duration,
					Room:     e.room,
					Slug:     e.slug,
					URL:      e.url,
					Title:    e.title,
					Track:    e.track,
					Type:     e.typ,
					Language: "en",
					Abstract: e.abstract,
					Persons:  e.persons,
				})
			}
			xd.Rooms = append(xd.Rooms, xr)
		}
		doc.Days = append(doc.Days, xd)
	}

	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("schedule: write xml: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("schedule: write xml: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("schedule: write xml: %w", err)
	}
	return nil
}
