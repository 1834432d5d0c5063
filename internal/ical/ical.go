package ical

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
)

// Event is one calendar entry.
type Event struct {
	UID         string // stable across feed refreshes, e.g. "<session code>@<event slug>.lanyard"
	Summary     string
	Description string
	Location    string
	URL         string
	Start, End  time.Time
	Status      string // "CONFIRMED" or "TENTATIVE" (waitlisted); "" omits STATUS
}

// Calendar is a feed.
type Calendar struct {
	Name    string         // X-WR-CALNAME (and RFC 7986 NAME)
	Zone    *time.Location // the venue's zone; times are written with TZID=Zone.String()
	Refresh time.Duration  // REFRESH-INTERVAL / X-PUBLISHED-TTL hint for subscriptions; 0 omits
	Stamp   time.Time      // DTSTAMP of every event; zero means time.Now()
	Events  []Event
}

// prodID identifies the writer of the feed (RFC 5545 §3.7.3).
const prodID = "-//Lanyard//Agenda//EN"

const (
	localLayout = "20060102T150405"  // DATE-TIME form 2, local time with a TZID
	utcLayout   = "20060102T150405Z" // DATE-TIME form 2, UTC
)

// Write writes c to w as an iCalendar stream with CRLF line endings and
// lines folded at 75 octets.
//
// DTSTART and DTEND carry TZID=c.Zone.String() and c.Zone's VTIMEZONE is
// included. The one exception is an instant in the repeated hour after a
// clock goes back: RFC 5545 reads such a local time as its first
// occurrence, so the second occurrence can only be written in UTC.
func Write(w io.Writer, c Calendar) error {
	cal, err := build(c)
	if err != nil {
		return err
	}
	// Serialize into a buffer: the library ignores errors from writing
	// BEGIN/END:VCALENDAR, and a half-written feed must not look complete.
	// WithNewLineWindows is needed because the library's default line
	// ending on Unix is a bare LF, which RFC 5545 does not allow.
	var buf bytes.Buffer
	if err := cal.SerializeTo(&buf, ics.WithNewLineWindows, ics.WithLineLength(75)); err != nil {
		return fmt.Errorf("ical: serialize: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("ical: write: %w", err)
	}
	return nil
}

// build turns c into the library's calendar, validating it on the way.
func build(c Calendar) (*ics.Calendar, error) {
	if c.Zone == nil {
		return nil, errors.New("ical: calendar has no zone")
	}
	zone := c.Zone.String()
	if zone == "" || zone == "Local" || zone != strings.TrimSpace(zone) {
		// "Local" is the server's zone, not a place a client can look up.
		return nil, fmt.Errorf("ical: zone %q is not an IANA zone name", zone)
	}
	if c.Refresh < 0 {
		return nil, fmt.Errorf("ical: negative refresh interval %v", c.Refresh)
	}
	stamp := c.Stamp
	if stamp.IsZero() {
		stamp = time.Now()
	}
	stamp = stamp.UTC().Truncate(time.Second)

	cal := ics.NewCalendar()
	cal.SetProductId(prodID)
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	if c.Name != "" {
		cal.SetName(clean(c.Name)) // NAME and X-WR-CALNAME
	}
	if c.Refresh > 0 {
		d := duration(c.Refresh)
		// Not cal.SetRefreshInterval: its property name has ";VALUE=DURATION"
		// baked into the token, which does not survive a parse.
		cal.CalendarProperties = append(cal.CalendarProperties,
			ics.CalendarProperty{BaseProperty: ics.BaseProperty{
				IANAToken:      "REFRESH-INTERVAL",
				ICalParameters: map[string][]string{string(ics.ParameterValue): {string(ics.ValueDataTypeDuration)}},
				Value:          d,
			}},
			ics.CalendarProperty{BaseProperty: ics.BaseProperty{
				IANAToken: string(ics.PropertyXPublishedTTL),
				Value:     d,
			}},
		)
	}
	if len(c.Events) == 0 {
		return cal, nil
	}

	first, last := c.Events[0].Start, c.Events[0].End
	seen := make(map[string]bool, len(c.Events))
	for i, e := range c.Events {
		if e.UID == "" {
			return nil, fmt.Errorf("ical: event %d has no UID", i)
		}
		if seen[e.UID] {
			return nil, fmt.Errorf("ical: duplicate UID %q", e.UID)
		}
		seen[e.UID] = true
		if e.Start.IsZero() {
			return nil, fmt.Errorf("ical: event %q has no start", e.UID)
		}
		if e.End.Before(e.Start) {
			return nil, fmt.Errorf("ical: event %q ends before it starts", e.UID)
		}
		if e.Start.Before(first) {
			first = e.Start
		}
		if e.End.After(last) {
			last = e.End
		}
	}
	// VTIMEZONE before the events that refer to it: RFC 5545 does not
	// require the order, but some clients read the stream in one pass.
	cal.AddVTimezone(vtimezone(c.Zone, first, last))

	for _, e := range c.Events {
		ev, err := event(e, c.Zone, stamp)
		if err != nil {
			return nil, err
		}
		cal.AddVEvent(ev)
	}
	return cal, nil
}

// event converts e to a VEVENT.
func event(e Event, loc *time.Location, stamp time.Time) (*ics.VEvent, error) {
	ev := ics.NewEvent(clean(e.UID))
	ev.SetDtStampTime(stamp)
	// Not ev.SetStartAt/SetEndAt: they always write UTC with a trailing Z,
	// which with a TZID parameter is invalid (RFC 5545 §3.2.19).
	setTime(&ev.ComponentBase, ics.ComponentPropertyDtStart, e.Start, loc)
	setTime(&ev.ComponentBase, ics.ComponentPropertyDtEnd, e.End, loc)
	if e.Summary != "" {
		ev.SetSummary(clean(e.Summary))
	}
	if e.Description != "" {
		ev.SetDescription(clean(e.Description))
	}
	if e.Location != "" {
		ev.SetLocation(clean(e.Location))
	}
	if e.URL != "" {
		u, err := url.Parse(e.URL)
		if err != nil || !u.IsAbs() {
			return nil, fmt.Errorf("ical: event %q: URL %q is not absolute", e.UID, e.URL)
		}
		// URI values are not escaped, so write the parsed form, in which
		// spaces and control characters are percent-encoded.
		ev.SetURL(u.String())
	}
	switch s := ics.ObjectStatus(e.Status); s {
	case "":
	case ics.ObjectStatusConfirmed, ics.ObjectStatusTentative, ics.ObjectStatusCancelled:
		ev.SetStatus(s)
	default:
		return nil, fmt.Errorf("ical: event %q: unknown status %q", e.UID, e.Status)
	}
	return ev, nil
}

// setTime sets the DATE-TIME property p to t as a local time in loc with a
// TZID, or in UTC when that local time would be read as another instant.
// iCalendar times have whole seconds; anything finer is dropped.
func setTime(cb *ics.ComponentBase, p ics.ComponentProperty, t time.Time, loc *time.Location) {
	t = t.Truncate(time.Second)
	if !firstOccurrence(t, loc) {
		cb.SetProperty(p, t.UTC().Format(utcLayout))
		return
	}
	cb.SetProperty(p, t.In(loc).Format(localLayout), ics.WithTZID(loc.String()))
}

// firstOccurrence reports whether t is the earliest instant showing its
// wall-clock time in loc. RFC 5545 §3.3.5 reads a local time that occurs
// twice as the first occurrence, so only such instants survive being
// written as a local time.
func firstOccurrence(t time.Time, loc *time.Location) bool {
	lt := t.In(loc)
	_, off := lt.Zone()
	wall := lt.Unix() + int64(off)
	// An earlier instant u with the same wall clock lies in an earlier zone
	// period whose offset is larger by t-u. Offsets span less than 26 hours,
	// so only periods ending within the last two days can hold one.
	start, _ := lt.ZoneBounds()
	for !start.IsZero() && lt.Sub(start) < 48*time.Hour {
		prev := start.Add(-time.Second)
		_, poff := prev.Zone()
		pstart, _ := prev.ZoneBounds()
		u := wall - int64(poff)
		if u < start.Unix() && (pstart.IsZero() || u >= pstart.Unix()) {
			return false
		}
		start = pstart
	}
	return true
}

// duration formats d, rounded up to a whole second, as an RFC 5545 §3.3.6
// dur-value such as "PT1H", "P1D" or "P1DT2H0M30S".
func duration(d time.Duration) string {
	secs := int64((d + time.Second - 1) / time.Second)
	days, secs := secs/86400, secs%86400
	h, m, s := secs/3600, secs/60%60, secs%60
	var b strings.Builder
	b.WriteByte('P')
	if days > 0 {
		b.WriteString(strconv.FormatInt(days, 10) + "D")
	}
	if secs == 0 {
		if days == 0 {
			return "PT0S"
		}
		return b.String()
	}
	// The grammar allows dropping trailing units only: "PT1H0M30S", not "PT1H30S".
	b.WriteByte('T')
	if h > 0 {
		b.WriteString(strconv.FormatInt(h, 10) + "H")
	}
	if h > 0 && (m > 0 || s > 0) || h == 0 && m > 0 {
		b.WriteString(strconv.FormatInt(m, 10) + "M")
	}
	if s > 0 {
		b.WriteString(strconv.FormatInt(s, 10) + "S")
	}
	return b.String()
}

// clean makes s safe for a TEXT value. The library escapes backslashes,
// semicolons, commas and LF, but passes a CR or another control character
// straight through into the content line, where it breaks the stream.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, s)
}
