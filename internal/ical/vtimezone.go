package ical

import (
	"fmt"
	"time"

	ics "github.com/arran4/golang-ical"
)

// vtimezone returns loc's VTIMEZONE covering the instants from first to
// last: one STANDARD or DAYLIGHT observance for the period in effect at
// first, then one for each transition up to last.
//
// The transitions come from Go's tz data through time.Time.ZoneBounds,
// which gives the exact instant a period starts and ends, so nothing about
// a zone's rules is hard-coded. Each observance is written with its own
// DTSTART and no RRULE: a feed spans days to a few years, and explicit
// onsets cannot disagree with the tz data the way a summarizing rule can.
func vtimezone(loc *time.Location, first, last time.Time) *ics.VTimezone {
	tz := ics.NewTimezone(loc.String())

	t := first.In(loc)
	name, off := t.Zone()
	dst := t.IsDST()
	start, end := t.ZoneBounds()
	// Walk back to the onset of the observance in effect at first: period
	// boundaries that change neither the offset nor DST (a renamed
	// abbreviation, say) are not transitions.
	for !start.IsZero() {
		prev := start.Add(-time.Second)
		_, poff := prev.Zone()
		if poff != off || prev.IsDST() != dst {
			break
		}
		start, _ = prev.ZoneBounds()
	}
	if start.IsZero() {
		// The offset has held since the beginning of the zone's data (UTC,
		// Etc/GMT+5): the customary onset is the Unix epoch.
		addObservance(tz, dst, name, off, off, time.Unix(0, 0).Add(-time.Duration(off)*time.Second))
	} else {
		_, from := start.Add(-time.Second).Zone()
		addObservance(tz, dst, name, from, off, start)
	}

	for !end.IsZero() && !end.After(last) {
		n := end
		nname, noff := n.Zone()
		ndst := n.IsDST()
		if noff != off || ndst != dst {
			addObservance(tz, ndst, nname, off, noff, n)
			off, dst = noff, ndst
		}
		_, end = n.ZoneBounds()
	}
	return tz
}

// addObservance appends to tz a DAYLIGHT (dst) or STANDARD sub-component
// for the offset change from → to (seconds east of UTC) at the instant
// onset. Its DTSTART is the onset's local time before the change (RFC 5545
// §3.6.5), e.g. 02:00 for the spring-forward from -0800 to -0700.
func addObservance(tz *ics.VTimezone, dst bool, name string, from, to int, onset time.Time) {
	var cb *ics.ComponentBase
	if dst {
		// The library has VTimezone.AddStandard but no AddDaylight.
		d := &ics.Daylight{}
		tz.Components = append(tz.Components, d)
		cb = &d.ComponentBase
	} else {
		cb = &tz.AddStandard().ComponentBase
	}
	wall := onset.UTC().Add(time.Duration(from) * time.Second)
	cb.SetProperty(ics.ComponentPropertyDtStart, wall.Format(localLayout))
	cb.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), utcOffset(from))
	cb.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), utcOffset(to))
	if name != "" {
		cb.SetProperty(ics.ComponentProperty(ics.PropertyTzname), clean(name))
	}
}

// utcOffset formats secs east of UTC as an RFC 5545 §3.3.14 UTC-OFFSET:
// "-0800", "+0530", or "-075258" for a local mean time.
func utcOffset(secs int) string {
	sign := byte('+')
	if secs < 0 {
		sign, secs = '-', -secs
	}
	h, m, s := secs/3600, secs/60%60, secs%60
	if s != 0 {
		return fmt.Sprintf("%c%02d%02d%02d", sign, h, m, s)
	}
	return fmt.Sprintf("%c%02d%02d", sign, h, m)
}
