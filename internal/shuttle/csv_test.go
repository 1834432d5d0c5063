package shuttle_test

import (
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/shuttle"
)

func TestParseCSV(t *testing.T) {
	good := "route,every_minutes,stops,date,first,last\n" +
		"North,10,venetian; wynn 8; encore 4; venetian 10,2026-11-30,07:00,21:00\n" +
		"North,10,venetian; wynn 8; encore 4; venetian 10,2026-12-01,07:00,21:00\n" +
		"\"re:Play, party\",10,venetian;mgm 20,2026-12-03,18:30,00:30\n"
	rs, err := shuttle.ParseCSV(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || rs[0].Name != "North" || len(rs[0].Days) != 2 || len(rs[0].Stops) != 4 || rs[0].Stops[2].RideMinutes != 4 ||
		rs[1].Name != "re:Play, party" || rs[1].Days[0].Last != "00:30" {
		t.Fatalf("parsed %+v", rs)
	}
	for _, r := range rs {
		if err := shuttle.Validate(r); err != nil {
			t.Errorf("%s: %v", r.Name, err)
		}
	}
	tests := map[string]string{
		"no header":         "North,10,venetian;wynn 8,2026-11-30,07:00,21:00\n",
		"columns":           "route,every_minutes,stops,date,first,last\nNorth,10\n",
		"every":             "route,every_minutes,stops,date,first,last\nNorth,often,venetian;wynn 8,2026-11-30,07:00,21:00\n",
		"ride":              "route,every_minutes,stops,date,first,last\nNorth,10,venetian;wynn eight,2026-11-30,07:00,21:00\n",
		"changed its stops": "route,every_minutes,stops,date,first,last\nN,10,venetian;wynn 8,2026-11-30,07:00,21:00\nN,10,venetian;mgm 20,2026-12-01,07:00,21:00\n",
	}
	for name, in := range tests {
		if _, err := shuttle.ParseCSV(strings.NewReader(in)); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
}
