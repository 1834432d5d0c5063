package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/respond"
)

// sessionJSON is a session as the API shows it: the domain fields plus its
// times in the venue's zone, so clients need no zone database of their own.
type sessionJSON struct {
	*lanyard.Session
	Day        string `json:"day,omitempty"`
	StartLocal string `json:"start_local,omitempty"`
	EndLocal   string `json:"end_local,omitempty"`
	// Live seat counts, as of the engine's last commit.
	SeatsLeft      int `json:"seats_left"`
	WaitlistLength int `json:"waitlist_length"`
}

func (h *Handler) toJSON(c *catalog.Catalog, s *lanyard.Session) sessionJSON {
	out := sessionJSON{Session: s}
	if c := h.counts(); c != nil {
		if n, err := c.Seats(s.Code); err == nil {
			out.SeatsLeft, out.WaitlistLength = n.SeatsLeft, n.WaitlistLength
		}
	}
	if s.Scheduled() {
		out.Day = c.Day(s)
		out.StartLocal = s.Start.In(c.Loc).Format(time.RFC3339)
		out.EndLocal = s.End.In(c.Loc).Format(time.RFC3339)
	}
	return out
}

type sessionList struct {
	Total    int           `json:"total"`
	Offset   int           `json:"offset"`
	Limit    int           `json:"limit"`
	Sessions []sessionJSON `json:"sessions"`
}

func (h *Handler) listSessions(w http.ResponseWriter, r *http.Request) {
	f, err := parseFilter(r.URL.Query())
	if err != nil {
		h.error(w, r, err)
		return
	}
	c := h.Catalog.Load()
	page, total, err := c.Search(f)
	if err != nil {
		h.error(w, r, err)
		return
	}
	if f.Limit == 0 {
		f.Limit = catalog.DefaultLimit
	}
	out := sessionList{Total: total, Offset: f.Offset, Limit: f.Limit, Sessions: make([]sessionJSON, len(page))}
	for i, s := range page {
		out.Sessions[i] = h.toJSON(c, s)
	}
	respond.JSON(w, http.StatusOK, out)
}

// parseFilter reads a search from query parameters. Unknown parameters are
// refused so that a typo ("levle=300") does not silently match everything.
// A facet may be repeated (venue=mgm&venue=wynn): any of its values matches.
func parseFilter(q url.Values) (lanyard.SessionFilter, error) {
	var f lanyard.SessionFilter
	for k := range q {
		switch k {
		case "q", "day", "venue", "type", "level", "topic", "sort", "offset", "limit":
		default:
			return f, lanyard.Errorf(lanyard.EINVALID, "Unknown parameter %q; use q, day, venue, type, level, topic, sort, offset or limit.", k)
		}
	}
	f.Query, f.Sort = q.Get("q"), q.Get("sort")
	f.Days, f.Venues, f.Topics = nonEmpty(q["day"]), nonEmpty(q["venue"]), nonEmpty(q["topic"])
	for _, t := range nonEmpty(q["type"]) {
		f.Types = append(f.Types, lanyard.SessionType(t))
	}
	for _, v := range nonEmpty(q["level"]) {
		n, err := strconv.Atoi(v)
		if err != nil {
			return f, lanyard.Errorf(lanyard.EINVALID, "level must be a whole number, not %q.", v)
		}
		f.Levels = append(f.Levels, n)
	}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"offset", &f.Offset}, {"limit", &f.Limit}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return f, &lanyard.Error{Code: lanyard.EINVALID, Field: p.name, Message: fmt.Sprintf("%s must be a whole number, not %q.", p.name, v)}
		}
		*p.dst = n
	}
	// As the OpenAPI document says; 0 would otherwise mean the default.
	switch {
	case q.Has("limit") && (f.Limit < 1 || f.Limit > catalog.MaxLimit):
		return f, &lanyard.Error{Code: lanyard.EINVALID, Field: "limit", Message: fmt.Sprintf("limit must be between 1 and %d, not %d.", catalog.MaxLimit, f.Limit)}
	case f.Offset < 0:
		return f, &lanyard.Error{Code: lanyard.EINVALID, Field: "offset", Message: fmt.Sprintf("offset must not be negative, not %d.", f.Offset)}
	}
	return f, nil
}

// nonEmpty drops empty values: "?venue=" is no choice, as before.
func nonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (h *Handler) getSession(w http.ResponseWriter, r *http.Request) {
	c := h.Catalog.Load()
	s, err := c.Session(r.PathValue("code"))
	if err != nil {
		h.error(w, r, err)
		return
	}
	respond.JSON(w, http.StatusOK, h.toJSON(c, s))
}

func (h *Handler) listVenues(w http.ResponseWriter, r *http.Request) {
	c := h.Catalog.Load()
	respond.JSON(w, http.StatusOK, struct {
		Venues      []lanyard.Venue      `json:"venues"`
		TravelTimes []lanyard.TravelTime `json:"travel_times"`
	}{c.Venues, c.Travel})
}

func (h *Handler) getEvent(w http.ResponseWriter, r *http.Request) {
	c := h.Catalog.Load()
	days, _ := c.Event.DayDates() // validated when the event was stored
	respond.JSON(w, http.StatusOK, struct {
		*lanyard.Event
		DayDates []string `json:"day_dates"`
		Sessions int      `json:"sessions"`
	}{c.Event, days, c.Len()})
}
