package lanyard

import (
	"sync"
	"time"
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
