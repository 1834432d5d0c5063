package meetup_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/meetup"
	"github.com/lanyardhq/lanyard/internal/store"
)

func profile(id int64, name, company, lang string, sessions, lines []int64, meetups map[int64]string, meetupLangs ...string) store.PeopleProfile {
	return store.PeopleProfile{Attendee: lanyard.Attendee{ID: id, Name: name, Company: company, JobTitle: "Engineer"},
		Sharing: lanyard.DefaultSharing(id), Language: lang, Sessions: sessions, Lines: lines, Meetups: meetups, MeetupLanguages: meetupLangs}
}

// Suggest ranks by what two people share, says why, and leaves out
// those with nothing in common; English alone is no reason.
func TestSuggest(t *testing.T) {
	start := time.Date(2026, 12, 1, 17, 0, 0, 0, time.UTC)
	ev := &lanyard.Event{Slug: "s", Name: "S", TimeZone: "UTC", StartDate: "2026-12-01", Days: 1}
	sess := func(id int64, code string, topics ...string) *lanyard.Session {
		return &lanyard.Session{ID: id, Code: code, Title: "Talk " + code, Topics: topics, Start: start, End: start.Add(time.Hour), Reservable: true, Capacity: 10}
	}
	c, err := catalog.New(ev, nil, nil, []*lanyard.Session{sess(1, "A", "Serverless"), sess(2, "B", "Containers"), sess(3, "C", "serverless", "AI"), sess(4, "D", "Data")})
	if err != nil {
		t.Fatal(err)
	}
	p := store.MeetupPeople{
		Me: profile(1, "Me", "Acme", "ko", []int64{1, 2}, []int64{4}, map[int64]string{7: "Korean speakers"}, "ko"),
		Others: []store.PeopleProfile{
			profile(2, "Session twin", "Beta", "en", []int64{1, 2}, nil, nil),
			profile(3, "Topic fan", "Gamma", "en", []int64{3}, nil, nil),
			profile(4, "Line mate", "Delta", "en", nil, []int64{4}, nil),
			profile(5, "Korean speaker", "Eps", "ko", nil, nil, map[int64]string{7: "Korean speakers"}, "ko"),
			profile(6, "Nothing shared", "Zeta", "en", []int64{4}, nil, nil),
		},
	}
	got := meetup.Suggest(c, p, func(id string, args ...any) string {
		var b strings.Builder
		b.WriteString(id)
		for i := 1; i < len(args); i += 2 {
			b.WriteString(" ")
			if s, ok := args[i].(string); ok {
				b.WriteString(s)
			}
		}
		return b.String()
	})
	var names []string
	for _, s := range got {
		names = append(names, s.Card.Name)
	}
	if want := "Session twin,Korean speaker,Line mate,Topic fan"; strings.Join(names, ",") != want {
		t.Fatalf("order %v, want %s", names, want)
	}
	reasons := func(i int) string { return strings.Join(got[i].Reasons, " | ") }
	for i, want := range []string{"Talk A, Talk B", "reason_meetups Korean speakers", "reason_line Talk D", "reason_topics serverless"} {
		if !strings.Contains(reasons(i), want) {
			t.Errorf("%s: reasons %q, want %q", names[i], reasons(i), want)
		}
	}
	if !strings.Contains(reasons(1), "reason_language meetup.lang.ko") {
		t.Errorf("Korean speaker: %q", reasons(1))
	}
	if got[0].Card.Company != "Beta" || got[0].Card.Title != "Engineer" || got[0].Card.Email != "" {
		t.Errorf("card %+v: only what the person shares", got[0].Card)
	}
}
