package demo

import (
	"strconv"
	"strings"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// ExpoExhibitor is one of the demo's exhibitors, with its booth's hours
// and its booth events.
type ExpoExhibitor struct {
	lanyard.Exhibitor
	Hours  string
	Events []ExpoEvent
}

// ExpoEvent is a booth event of the demo: on day Day (0 is Monday, the
// expo's first, whose giveaways are first-day-only) at Hour:Minute venue
// time, for Minutes.
type ExpoEvent struct {
	Kind, Title, Description string
	Day, Hour, Minute        int
	Minutes                  int
}

// expoHours are the expo's hours, as the demo's Expo Hall place keeps them
// (Monday 4 PM to Thursday 6 PM).
const expoHours = "Mon 4–7 PM · Tue–Wed 10 AM–6 PM · Thu 10 AM–6 PM"

// expoMore are exhibitors besides the sponsors whose staff have accounts.
var expoMore = []string{
	"Nimbus Networks", "Quarry Data", "Helix AI", "Tessellate", "Brightpath Analytics", "Keystone Identity",
	"Ferrous Compute", "Orbital Edge", "Sprocket CI", "Ledgerline", "Mosaic Search", "Tundra Backup",
	"Cobalt Streams", "Paperplane Mail", "Granite Storage", "Juniper Serverless",
}

var expoCategories = []string{"AI & ML", "Analytics", "Databases", "DevOps", "Networking", "Observability", "Security", "Serverless", "Storage"}

// Expo returns the demo's exhibitors: the sponsors first (the demo's
// exhibitor accounts work for them), then others, 24 in all, each with
// booth number, categories, description, hours, and a few booth events —
// Monday's giveaways are first-day-only. The same every time.
func Expo() []ExpoExhibitor {
	names := append(append([]string(nil), sponsors...), expoMore...)
	out := make([]ExpoExhibitor, 0, len(names))
	for i, name := range names {
		code := strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
				return r
			case r >= 'A' && r <= 'Z':
				return r + 'a' - 'A'
			case r == ' ' || r == '.' || r == '-':
				return '-'
			}
			return -1
		}, name)
		code = strings.Trim(strings.ReplaceAll(code, "--", "-"), "-")
		cats := []string{expoCategories[i%len(expoCategories)], expoCategories[(i*4+3)%len(expoCategories)]}
		if cats[0] == cats[1] {
			cats = cats[:1]
		}
		x := ExpoExhibitor{
			Exhibitor: lanyard.Exhibitor{
				Code: code, Name: name, Booth: strconv.Itoa(1101 + (i/6)*100 + i%6),
				Categories:  cats,
				Description: name + " shows what it builds for " + strings.Join(cats, " and ") + " teams: live demos at the booth all week.",
				Website:     "https://" + code + ".example",
			},
			Hours: expoHours,
		}
		switch i % 4 {
		case 0:
			x.Events = append(x.Events, ExpoEvent{Kind: "giveaway", Title: "Opening-night T-shirts", Description: "First day only, while they last.", Day: 0, Hour: 16, Minute: 30, Minutes: 60})
		case 1:
			x.Events = append(x.Events, ExpoEvent{Kind: "talk", Title: "Lightning talk: " + cats[0] + " in production", Day: 1, Hour: 11 + i%5, Minutes: 20})
		case 2:
			x.Events = append(x.Events, ExpoEvent{Kind: "demo", Title: "Hands-on demo", Description: "Bring a laptop.", Day: 2, Hour: 13 + i%4, Minute: 30, Minutes: 45})
		}
		if i < len(sponsors) {
			x.Events = append(x.Events, ExpoEvent{Kind: "talk", Title: name + " roadmap in 15 minutes", Day: 1 + i%3, Hour: 15, Minutes: 15})
		}
		out = append(out, x)
	}
	return out
}
