package demo

import (
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Meetups are the demo's attendee-made meetups (issue 14), on the event's
// days in its zone: a Korean speakers' evening, user groups, a run. Each
// names a day (0 is the first), a local start, minutes, a cap and how many
// demo attendees RSVP (past the cap they wait). OrganizerID and EventID
// are left for the caller.
func Meetups(startDate string, loc *time.Location) []MeetupSeed {
	first, err := time.ParseInLocation(time.DateOnly, startDate, loc)
	if err != nil {
		return nil
	}
	at := func(day, hour, minute int) time.Time {
		return time.Date(first.Year(), first.Month(), first.Day()+day, hour, minute, 0, 0, loc).UTC()
	}
	seed := func(m lanyard.Meetup, minutes, rsvps int, sample bool) MeetupSeed {
		m.End = m.Start.Add(time.Duration(minutes) * time.Minute)
		return MeetupSeed{Meetup: m, RSVPs: rsvps, Sample: sample}
	}
	return []MeetupSeed{
		seed(lanyard.Meetup{Title: "한국어 사용자 번개 · Korean speakers meetup", Language: "ko", Topic: "AWS Korea User Group",
			Description: "AWSKRUG와 한국에서 온 분들 모두 환영합니다. 세션 후기를 나누고 저녁 먹으러 가요.",
			PlaceKind:   lanyard.MeetupBar, Venue: "venetian", Place: "Rosina cocktail lounge", Start: at(1, 19, 30), Cap: 20}, 120, 14, false),
		seed(lanyard.Meetup{Title: "Serverless builders at the bar", Language: "en", Topic: "Serverless",
			Description: "Bring your war stories about cold starts and step functions.",
			PlaceKind:   lanyard.MeetupBar, Venue: "wynn", Place: "Parasol Up bar", Start: at(1, 18, 0), Cap: 12}, 90, 8, true),
		seed(lanyard.Meetup{Title: "Kubernetes community hallway track", Language: "en", Topic: "Containers",
			PlaceKind: lanyard.MeetupRoom, Venue: "venetian", Place: "Level 2, Expo Hall, Community Lounge", Start: at(2, 12, 30), Cap: 30}, 60, 9, false),
		seed(lanyard.Meetup{Title: "日本語で話そう · Japanese speakers lunch", Language: "ja", Topic: "JAWS-UG",
			PlaceKind: lanyard.MeetupBar, Venue: "venetian", Place: "Food court, Grand Canal Shoppes", Start: at(2, 12, 0), Cap: 15}, 60, 6, false),
		seed(lanyard.Meetup{Title: "Morning run on the Strip", Language: "en", Topic: "Running",
			PlaceKind: lanyard.MeetupPin, Place: "Bellagio fountains, south end", Lat: 36.1126, Lng: -115.1767, Start: at(3, 6, 30), Cap: 25}, 45, 4, false),
		seed(lanyard.Meetup{Title: "Women in data engineering", Language: "en", Topic: "Analytics",
			PlaceKind: lanyard.MeetupRoom, Venue: "wynn", Place: "Convention Promenade, Lafite 1", Start: at(3, 17, 30), Cap: 8}, 60, 10, false),
		seed(lanyard.Meetup{Title: "Encuentro en español · Spanish speakers", Language: "es", Topic: "AWS User Group Madrid",
			PlaceKind: lanyard.MeetupBar, Venue: "venetian", Place: "Bouchon bar", Start: at(2, 19, 0), Cap: 16}, 90, 5, false),
	}
}

// MeetupSeed is one demo meetup and how many RSVP to it; Sample: the
// sample attendee goes (so their agenda shows a meetup with its trip).
type MeetupSeed struct {
	Meetup lanyard.Meetup
	RSVPs  int
	Sample bool
}
