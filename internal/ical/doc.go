// Package ical writes an attendee's agenda as an iCalendar (RFC 5545) feed
// that calendar apps can subscribe to.
//
// Every time is written as a local time with an explicit TZID naming an
// IANA zone, and the feed carries a VTIMEZONE for that zone derived from
// Go's tz data over the span the events cover. Feeds that rely on zone
// abbreviations or on the client's own zone table have shown attendees
// wrong times; a self-contained VTIMEZONE does not depend on either.
package ical
