package shuttle

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// csvHeader is the columns of a timetable in CSV: one row per route and
// day. stops lists the venues in order, separated by ";", each after the
// first with the minutes of the ride to it: "venetian; wynn 8; encore 4".
var csvHeader = []string{"route", "every_minutes", "stops", "date", "first", "last"}

// ParseCSV reads a timetable in CSV (see csvHeader; a header row is
// required). Rows of one route name give its days; its frequency and stops
// must then be the same on each. Returns EINVALID naming the row at fault;
// the routes are not validated (Validate).
func ParseCSV(r io.Reader) ([]lanyard.ShuttleRoute, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	cr.FieldsPerRecord = len(csvHeader)
	bad := func(row int, format string, args ...any) error {
		return lanyard.Errorf(lanyard.EINVALID, "Row %d: %s", row, fmt.Sprintf(format, args...))
	}
	head, err := cr.Read()
	if err != nil {
		return nil, lanyard.Errorf(lanyard.EINVALID, "The timetable has no header row (%s).", strings.Join(csvHeader, ","))
	}
	for i, h := range head {
		if strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) != csvHeader[i] {
			return nil, lanyard.Errorf(lanyard.EINVALID, "The header must be %s.", strings.Join(csvHeader, ","))
		}
	}
	var out []lanyard.ShuttleRoute
	byName := map[string]int{}
	sig := map[string]string{}
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, bad(row, "not CSV with %d columns", len(csvHeader))
		}
		name := strings.TrimSpace(rec[0])
		every, err := strconv.Atoi(strings.TrimSpace(rec[1]))
		if err != nil {
			return nil, bad(row, "every_minutes %q is not a number", rec[1])
		}
		var stops []lanyard.ShuttleStop
		for _, part := range strings.Split(rec[2], ";") {
			f := strings.Fields(part)
			if len(f) == 0 {
				continue
			}
			s := lanyard.ShuttleStop{Venue: f[0]}
			if len(f) > 1 {
				if s.RideMinutes, err = strconv.Atoi(f[1]); err != nil {
					return nil, bad(row, "the ride to %s, %q, is not a number of minutes", f[0], f[1])
				}
			}
			stops = append(stops, s)
		}
		day := lanyard.ShuttleDay{Date: strings.TrimSpace(rec[3]), First: strings.TrimSpace(rec[4]), Last: strings.TrimSpace(rec[5])}
		key := rec[1] + "|" + fmt.Sprint(stops)
		if i, ok := byName[name]; ok {
			if sig[name] != key {
				return nil, bad(row, "route %q has other stops or frequency than on its first row", name)
			}
			out[i].Days = append(out[i].Days, day)
			continue
		}
		byName[name], sig[name] = len(out), key
		out = append(out, lanyard.ShuttleRoute{Name: name, Every: every, Stops: stops, Days: []lanyard.ShuttleDay{day}})
	}
	return out, nil
}
