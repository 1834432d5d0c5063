package expo

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

// inputError is a refused field: a machine-readable code and the message
// id (expo locales) that says why.
type inputError struct {
	Code, Field, MsgID string
}

func (e *inputError) Error() string { return e.Code }

func bad(code, field, msg string) *inputError {
	return &inputError{Code: code, Field: field, MsgID: msg}
}

var codeRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// reserved codes are paths under /expo that are not booths.
var reserved = []string{"route", "events", "static", "map.img"}

// oneLine reports whether s has no line breaks or control characters.
func oneLine(s string) bool {
	return !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}

// Details are the fields of an exhibitor its staff may edit (the
// organizer also sets code, name and booth number).
type Details struct {
	Description string
	Website     string
	Categories  []string
	Hours       string
}

// ParseDetails checks an exhibitor's details as a form gives them:
// categories comma-separated (at most 8, each at most 40 characters),
// a website http(s) only, hours one line of at most 200 characters, a
// description of at most 2,000.
func ParseDetails(description, website, categories, hours string) (Details, *inputError) {
	d := Details{Description: strings.TrimSpace(description), Website: strings.TrimSpace(website), Hours: strings.TrimSpace(hours)}
	if utf8.RuneCountInString(d.Description) > 2000 || !utf8.ValidString(d.Description) {
		return d, bad("invalid_description", "description", "expo.input.description")
	}
	if d.Website != "" {
		u, err := url.Parse(d.Website)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(d.Website) > 200 || !oneLine(d.Website) {
			return d, bad("invalid_website", "website", "expo.input.website")
		}
	}
	if utf8.RuneCountInString(d.Hours) > 200 || !oneLine(d.Hours) || !utf8.ValidString(d.Hours) {
		return d, bad("invalid_hours", "hours", "expo.input.hours")
	}
	for _, c := range strings.Split(categories, ",") {
		c = strings.TrimSpace(c)
		if c == "" || slices.Contains(d.Categories, c) {
			continue
		}
		if utf8.RuneCountInString(c) > 40 || !oneLine(c) || !utf8.ValidString(c) {
			return d, bad("invalid_categories", "categories", "expo.input.categories")
		}
		d.Categories = append(d.Categories, c)
	}
	if len(d.Categories) > 8 {
		return d, bad("invalid_categories", "categories", "expo.input.categories")
	}
	return d, nil
}

// ParseExhibitor checks what an organizer gives for a new or changed
// exhibitor: a code of lowercase letters, digits and dashes (not one of
// the directory's own paths), a name, a booth number.
func ParseExhibitor(code, name, booth string) (lanyard.Exhibitor, *inputError) {
	x := lanyard.Exhibitor{Code: strings.TrimSpace(code), Name: strings.TrimSpace(name), Booth: strings.TrimSpace(booth)}
	if !codeRE.MatchString(x.Code) || slices.Contains(reserved, x.Code) {
		return x, bad("invalid_code", "code", "expo.input.code")
	}
	if x.Name == "" || utf8.RuneCountInString(x.Name) > 120 || !oneLine(x.Name) || !utf8.ValidString(x.Name) {
		return x, bad("invalid_name", "name", "expo.input.name")
	}
	if utf8.RuneCountInString(x.Booth) > 20 || !oneLine(x.Booth) || !utf8.ValidString(x.Booth) {
		return x, bad("invalid_booth", "booth", "expo.input.booth")
	}
	return x, nil
}

// ParseEvent checks a booth event as a form gives it: a kind, a title,
// start and end as datetime-local in the venue's zone, the end after the
// start, the start within the event's days, at most 12 hours long.
func ParseEvent(ev *lanyard.Event, loc *time.Location, kind, title, description, starts, ends string) (store.ExpoEvent, *inputError) {
	e := store.ExpoEvent{Kind: kind, Title: strings.TrimSpace(title), Description: strings.TrimSpace(description)}
	if kind != store.ExpoTalk && kind != store.ExpoGiveaway && kind != store.ExpoDemo {
		return e, bad("invalid_kind", "kind", "expo.input.kind")
	}
	if e.Title == "" || utf8.RuneCountInString(e.Title) > 120 || !oneLine(e.Title) || !utf8.ValidString(e.Title) {
		return e, bad("invalid_title", "title", "expo.input.title")
	}
	if utf8.RuneCountInString(e.Description) > 1000 || !utf8.ValidString(e.Description) {
		return e, bad("invalid_description", "description", "expo.input.description")
	}
	var err1, err2 error
	e.Starts, err1 = time.ParseInLocation("2006-01-02T15:04", starts, loc)
	e.Ends, err2 = time.ParseInLocation("2006-01-02T15:04", ends, loc)
	if err1 != nil || err2 != nil {
		return e, bad("invalid_time", "starts", "expo.input.time")
	}
	if !e.Ends.After(e.Starts) || e.Ends.Sub(e.Starts) > 12*time.Hour {
		return e, bad("invalid_span", "ends", "expo.input.span")
	}
	first, err := time.ParseInLocation(time.DateOnly, ev.StartDate, loc)
	if err == nil {
		last := first.AddDate(0, 0, max(ev.Days, 1))
		if e.Starts.Before(first) || !e.Starts.Before(last) {
			return e, bad("outside_event", "starts", "expo.input.outside")
		}
	}
	e.Starts, e.Ends = e.Starts.UTC(), e.Ends.UTC()
	return e, nil
}
