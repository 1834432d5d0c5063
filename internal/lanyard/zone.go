package lanyard

import (
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
)

// zones caches loaded time zones: time.LoadLocation reads the zone file on
// every call, and validating 65,000 attendees' home zones would read it
// 65,000 times.
var zones sync.Map // name → *time.Location

// LoadZone returns the IANA time zone with the given name.
// Returns EINVALID for an unknown name.
func LoadZone(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" {
		// "" and "Local" load as UTC and the machine's zone: neither names a place.
		return nil, Errorf(EINVALID, "Unknown time zone %q; use an IANA name such as America/Los_Angeles.", name)
	}
	zones.Store(name, loc)
	return loc, nil
}

// ResolveZone returns the IANA name of the time zone a person means: an IANA
// name in any case ("asia/seoul"), a city ("Seoul", "new york", "서울"), a
// common abbreviation ("KST", "PDT") or a whole-hour offset ("UTC+9").
// Returns EINVALID when nothing fits.
//
// Abbreviations are ambiguous; each is read as the zone most attendees of an
// event like this one mean (see zoneAbbreviations): CST is US Central, not
// China; IST is India, not Ireland or Israel; PST is US Pacific, not the
// Philippines. Typing the city or the IANA name always wins over a guess.
func ResolveZone(name string) (string, error) {
	in := strings.TrimSpace(name)
	key := strings.ToLower(strings.Join(strings.Fields(in), " "))
	if key == "" || len(in) > 64 {
		return "", Errorf(EINVALID, "Unknown time zone %q; type a city such as Seoul, a zone such as Asia/Seoul or an abbreviation such as KST.", name)
	}
	if z, ok := zoneAbbreviations[strings.ToUpper(key)]; ok {
		return z, nil
	}
	if z, ok := zoneCities[key]; ok {
		return z, nil
	}
	if z, ok := offsetZone(key); ok {
		return z, nil
	}
	// An IANA name as typed, then in its usual capitals ("asia/seoul",
	// "america/new_york"), then a city as the last part of one.
	cands := []string{in, ianaCase(key)}
	if !strings.Contains(key, "/") {
		city := ianaCase(strings.ReplaceAll(key, " ", "_"))
		for _, area := range []string{"America/Argentina", "America", "Europe", "Asia", "Africa", "Australia", "Pacific", "Atlantic", "Indian"} {
			cands = append(cands, area+"/"+city)
		}
	}
	for _, c := range cands {
		if c == "" || c == "Local" || strings.ContainsAny(c, `.\`) {
			continue // "." and "\" would let a name climb out of the zone directory
		}
		if loc, err := LoadZone(c); err == nil {
			return loc.String(), nil
		}
	}
	return "", Errorf(EINVALID, "Unknown time zone %q; type a city such as Seoul, a zone such as Asia/Seoul or an abbreviation such as KST.", name)
}

// ianaCase capitalizes each word of a lowercased zone name as IANA writes
// most of them: "america/new_york" → "America/New_York".
func ianaCase(s string) string {
	b := []rune(s)
	up := true
	for i, r := range b {
		if up {
			b[i] = unicode.ToUpper(r)
		}
		up = r == '/' || r == '_' || r == '-'
	}
	out := string(b)
	if len(out) <= 4 && !strings.Contains(out, "/") {
		out = strings.ToUpper(out) // "utc", "gmt"
	}
	return out
}

// offsetZone reads "UTC+9", "GMT-5", "+09:00" as the fixed Etc zone (whose
// names count the other way: UTC+9 is Etc/GMT-9).
func offsetZone(key string) (string, bool) {
	s := strings.TrimPrefix(strings.TrimPrefix(key, "utc"), "gmt")
	if s == "" || (s[0] != '+' && s[0] != '-') {
		return "", false
	}
	sign, s := s[0], strings.TrimSuffix(strings.TrimSuffix(s[1:], ":00"), "00")
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 14 || (len(s) == 4) {
		return "", false
	}
	if n == 0 {
		return "UTC", true
	}
	if sign == '+' {
		return "Etc/GMT-" + strconv.Itoa(n), true
	}
	return "Etc/GMT+" + strconv.Itoa(n), true
}

// zoneAbbreviations reads common abbreviations, summer and winter forms
// alike, as the zone that observes them; ambiguous ones are decided for the
// larger group of travellers (see ResolveZone).
var zoneAbbreviations = map[string]string{
	"UTC": "UTC", "GMT": "UTC", "Z": "UTC", "UT": "UTC",
	"KST": "Asia/Seoul", "JST": "Asia/Tokyo", "CST": "America/Chicago", "CDT": "America/Chicago", "CT": "America/Chicago",
	"PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "PT": "America/Los_Angeles",
	"MST": "America/Denver", "MDT": "America/Denver", "MT": "America/Denver",
	"EST": "America/New_York", "EDT": "America/New_York", "ET": "America/New_York",
	"AKST": "America/Anchorage", "AKDT": "America/Anchorage", "HST": "Pacific/Honolulu",
	"AST": "America/Halifax", "ADT": "America/Halifax", "NST": "America/St_Johns", "NDT": "America/St_Johns",
	"BRT": "America/Sao_Paulo", "ART": "America/Argentina/Buenos_Aires",
	"BST": "Europe/London", "IST": "Asia/Kolkata", "WET": "Europe/Lisbon", "WEST": "Europe/Lisbon",
	"CET": "Europe/Berlin", "CEST": "Europe/Berlin", "EET": "Europe/Athens", "EEST": "Europe/Athens",
	"MSK": "Europe/Moscow", "GST": "Asia/Dubai", "PKT": "Asia/Karachi", "ICT": "Asia/Bangkok", "WIB": "Asia/Jakarta",
	"SGT": "Asia/Singapore", "HKT": "Asia/Hong_Kong", "PHT": "Asia/Manila",
	"AWST": "Australia/Perth", "ACST": "Australia/Adelaide", "ACDT": "Australia/Adelaide",
	"AEST": "Australia/Sydney", "AEDT": "Australia/Sydney", "NZST": "Pacific/Auckland", "NZDT": "Pacific/Auckland",
	"SAST": "Africa/Johannesburg", "WAT": "Africa/Lagos", "CAT": "Africa/Maputo", "EAT": "Africa/Nairobi",
}

// zoneCities are places people name that are not the city of an IANA zone
// (IANA names one city per zone), and city names in Korean. Other cities
// are found as the last part of a zone name.
var zoneCities = map[string]string{
	"las vegas": "America/Los_Angeles", "san francisco": "America/Los_Angeles", "seattle": "America/Los_Angeles",
	"san diego": "America/Los_Angeles", "portland": "America/Los_Angeles", "vancouver": "America/Vancouver",
	"washington": "America/New_York", "boston": "America/New_York", "atlanta": "America/New_York", "miami": "America/New_York",
	"dallas": "America/Chicago", "austin": "America/Chicago", "houston": "America/Chicago",
	"seoul": "Asia/Seoul", "busan": "Asia/Seoul", "incheon": "Asia/Seoul", "osaka": "Asia/Tokyo",
	"beijing": "Asia/Shanghai", "shenzhen": "Asia/Shanghai", "hong kong": "Asia/Hong_Kong",
	"mumbai": "Asia/Kolkata", "delhi": "Asia/Kolkata", "new delhi": "Asia/Kolkata", "bangalore": "Asia/Kolkata", "bengaluru": "Asia/Kolkata",
	"hanoi": "Asia/Bangkok", "munich": "Europe/Berlin", "frankfurt": "Europe/Berlin", "zurich": "Europe/Zurich",
	"melbourne": "Australia/Melbourne", "wellington": "Pacific/Auckland",
	"서울": "Asia/Seoul", "부산": "Asia/Seoul", "인천": "Asia/Seoul", "대전": "Asia/Seoul", "대구": "Asia/Seoul", "광주": "Asia/Seoul",
	"제주": "Asia/Seoul", "한국": "Asia/Seoul", "도쿄": "Asia/Tokyo", "오사카": "Asia/Tokyo", "베이징": "Asia/Shanghai",
	"상하이": "Asia/Shanghai", "싱가포르": "Asia/Singapore", "시드니": "Australia/Sydney", "런던": "Europe/London",
	"파리": "Europe/Paris", "베를린": "Europe/Berlin", "뉴욕": "America/New_York", "시애틀": "America/Los_Angeles",
	"샌프란시스코": "America/Los_Angeles", "라스베이거스": "America/Los_Angeles", "로스앤젤레스": "America/Los_Angeles",
}
