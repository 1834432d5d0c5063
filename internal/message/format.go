package message

import (
	"fmt"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// The words of times follow the web app's (internal/web's translator):
// "Wed, Dec 2, 2:30 PM PST" and "12월 2일 (수) 오후 2:30 PST". Written
// again here, small, so mail rendering does not import the web package.

var koWeekdays = [...]string{"일", "월", "화", "수", "목", "금", "토"}

func day(lang string, t time.Time) string {
	if lang == "ko" {
		return fmt.Sprintf("%d월 %d일 (%s)", t.Month(), t.Day(), koWeekdays[t.Weekday()])
	}
	return t.Format("Mon, Jan 2,")
}

func clock(lang string, t time.Time) string {
	if lang == "ko" {
		half := "오전"
		if t.Hour() >= 12 {
			half = "오후"
		}
		h := t.Hour() % 12
		if h == 0 {
			h = 12
		}
		return fmt.Sprintf("%s %d:%02d", half, h, t.Minute())
	}
	return t.Format("3:04 PM")
}

func zoneAbbr(t time.Time) string {
	name, _ := t.Zone()
	if name == "" || strings.HasPrefix(name, "+") || strings.HasPrefix(name, "-") {
		return "UTC" + t.Format("-07:00")
	}
	return name
}

// one writes start, and end when after it, in loc.
func one(lang string, start, end time.Time, loc *time.Location) string {
	a := start.In(loc)
	s := day(lang, a) + " " + clock(lang, a)
	if b := end.In(loc); b.After(a) {
		switch {
		case b.YearDay() != a.YearDay() || b.Year() != a.Year():
			s += " – " + day(lang, b) + " " + clock(lang, b)
		case (a.Hour() < 12) != (b.Hour() < 12):
			s += "–" + clock(lang, b)
		case lang == "ko":
			// One half of the day, written once: before the range in Korean,
			// after it in English, as the web app writes it.
			s += "–" + b.Format("3:04")
		default:
			s = day(lang, a) + " " + a.Format("3:04") + "–" + clock(lang, b)
		}
	}
	return s + " " + zoneAbbr(a)
}

// when writes an instant or a range in the venue's zone and, when its
// offset differs, in the home zone in parentheses. Unknown zones fall
// back to UTC; a zero start is "".
func when(lang string, start, end time.Time, z Zones) string {
	if start.IsZero() {
		return ""
	}
	venue, err := lanyard.LoadZone(z.VenueZone)
	if err != nil {
		venue = time.UTC
	}
	s := one(lang, start, end, venue)
	if home, err := lanyard.LoadZone(z.HomeZone); err == nil {
		_, vo := start.In(venue).Zone()
		_, ho := start.In(home).Zone()
		if vo != ho {
			s += " (" + one(lang, start, end, home) + ")"
		}
	}
	return s
}
