package importer

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// reinvent2025Record is one session of the re:Invent 2025 catalog, taken
// before the schedule was published. Fields the importer does not use
// (length, sessionID, the other attributes) are left out.
type reinvent2025Record struct {
	Code       string `json:"code"`
	Title      string `json:"title"`
	Abstract   string `json:"abstract"`
	Type       string `json:"type"`
	Attributes struct {
		Type   []string `json:"type"`
		Level  []string `json:"level"`
		Topics []string `json:"topics"`
	} `json:"attributes"`
	Speakers []reinvent2025Speaker `json:"speakers"`
}

// reinvent2025Speaker has the speaker's name, title and company twice: as
// given for the session and as the speaker's global profile. The session's
// spelling wins; the profile fills what it leaves empty.
type reinvent2025Speaker struct {
	FullName       string `json:"fullName"`
	GlobalFullName string `json:"globalFullName"`
	JobTitle       string `json:"jobTitle"`
	GlobalJobTitle string `json:"globalJobtitle"`
	CompanyName    string `json:"companyName"`
	GlobalCompany  string `json:"globalCompany"`
}

// readReinvent2025 reads the re:Invent 2025 catalog. It has no venues, times
// or repeats, so every session imports unscheduled.
func readReinvent2025(data []byte, opt Options, rep *Report) (*lanyard.Catalog, error) {
	elems, err := jsonObjects(FormatReinvent2025, data)
	if err != nil {
		return nil, err
	}
	zone := cmp.Or(opt.TimeZone, reinventZone)
	if _, err := time.LoadLocation(zone); err != nil {
		return nil, reject(FormatReinvent2025, "options", "time_zone", "unknown time zone %q", zone)
	}
	rep.Records = len(elems)
	cat := &lanyard.Catalog{
		// The catalog has no dates; re:Invent 2025 ran Monday to Friday,
		// December 1–5, 2025, in Las Vegas.
		Event: lanyard.Event{Slug: "reinvent-2025", Name: "AWS re:Invent 2025", TimeZone: zone, StartDate: "2025-12-01", Days: 5},
	}
	first := map[string]int{}
	for i, e := range elems {
		var r reinvent2025Record
		err := json.Unmarshal(e, &r)
		code := oneLine(r.Code)
		name := recordName("", i+1, code)
		if err == nil {
			code = safeCode(rep, name, "code", code)
		}
		if err != nil {
			rep.skip(name, jsonErrField(err), "cannot read the record: %s", jsonErrReason(err))
			continue
		}
		if !admit(rep, name, "code", code, cleanTitle(r.Title), first) {
			continue
		}
		var d Report
		s := lanyard.Session{
			Code:       code,
			Title:      cleanTitle(r.Title),
			Abstract:   strings.TrimSpace(normalizeSpaces(r.Abstract)),
			Type:       reinvent2025Type(&r, name, &d),
			Level:      sessionLevel(firstNonEmpty(r.Attributes.Level), name, &d),
			Topics:     cleanList(r.Attributes.Topics),
			Speakers:   reinvent2025Speakers(r.Speakers, name, &d),
			Reservable: true,
		}
		if p := cleanFields(&d, name, s.TextFields()); p != nil {
			rep.skip(name, p.Field, "%s", p.Reason)
			continue
		}
		if err := s.Validate(); err != nil {
			rep.skip(name, "", "%s", lanyard.ErrorMessage(err))
			continue
		}
		rep.Problems = append(rep.Problems, d.Problems...)
		first[code] = i + 1
		cat.Sessions = append(cat.Sessions, s)
	}
	return cat, nil
}

// reinvent2025Type maps the type, falling back to attributes.type.
func reinvent2025Type(r *reinvent2025Record, name string, d *Report) lanyard.SessionType {
	return sessionType(oneLine(cmp.Or(r.Type, firstNonEmpty(r.Attributes.Type))), name, d)
}

func reinvent2025Speakers(in []reinvent2025Speaker, name string, d *Report) []lanyard.Speaker {
	var out []lanyard.Speaker
	for i, sp := range in {
		s := lanyard.Speaker{
			Name:     oneLine(cmp.Or(strings.TrimSpace(sp.FullName), sp.GlobalFullName)),
			JobTitle: oneLine(cmp.Or(strings.TrimSpace(sp.JobTitle), sp.GlobalJobTitle)),
			Company:  oneLine(cmp.Or(strings.TrimSpace(sp.CompanyName), sp.GlobalCompany)),
		}
		if s.Name == "" {
			d.doubt(name, fmt.Sprintf("speakers[%d]", i), "speaker has no name; left out")
			continue
		}
		out = append(out, s)
	}
	return out
}

// firstNonEmpty returns the first non-blank string of a list attribute.
func firstNonEmpty(list []string) string {
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// cleanList trims the strings of a list and drops blank and repeated ones.
func cleanList(list []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range list {
		if s = oneLine(s); s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
