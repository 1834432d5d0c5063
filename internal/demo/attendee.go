package demo

import (
	"math/rand/v2"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// How many of each role beside the attendees; door staff and exhibitors
// need only a few accounts each to try the scanning screens.
const (
	numStaff      = 12
	numExhibitors = 8
)

// peopleGen generates the people registered for the event.
type peopleGen struct {
	r     *rand.Rand
	start time.Time // the event's first day
	text  arena
}

// people returns n attendees, then the organizer, staff and exhibitors.
func (g *peopleGen) people(n int) []lanyard.Attendee {
	total := n + 1 + numStaff + numExhibitors
	out := make([]lanyard.Attendee, 0, total)
	g.text.grow(total * 48) // a name and an email take about 45 bytes
	// All certification lists share one backing array; about 30% of people
	// hold 1.7 on average, so n/2 entries rarely grow it.
	certs := make([]string, 0, n/2)

	for i := 1; i <= n; i++ {
		l := choose(g.r, locales, func(l locale) int { return l.weight })
		a := lanyard.Attendee{
			Name:     l.name(g.r, &g.text),
			Email:    g.email("attendee", i, 5),
			Company:  one(g.r, companies),
			JobTitle: one(g.r, jobTitles),
			HomeZone: choose(g.r, l.zones, func(z zone) int { return z.weight }).name,
			Role:     lanyard.RoleAttendee,
			// Registration opens about six months ahead.
			CreatedAt: g.start.Add(-time.Duration(1+g.r.IntN(180*24*60)) * time.Minute),
		}
		if len(l.companies) > 0 && g.r.IntN(2) == 0 {
			a.Company = one(g.r, l.companies)
		}
		if len(l.jobTitles) > 0 && g.r.IntN(2) == 0 {
			a.JobTitle = one(g.r, l.jobTitles)
		}
		first := len(certs)
		if g.r.IntN(100) < 30 {
			certs = g.certifications(certs)
		}
		// The full slice expression caps each list, so that appending to
		// one attendee's list can never overwrite the next one's.
		a.Certifications = certs[first:len(certs):len(certs)]
		out = append(out, a)
	}

	out = append(out, lanyard.Attendee{
		Name:           "Demo Organizer",
		Email:          "organizer" + domain,
		Company:        aws,
		JobTitle:       "Event Operations Lead",
		HomeZone:       timeZone,
		Certifications: []string{},
		Role:           lanyard.RoleOrganizer,
		CreatedAt:      g.start.AddDate(-1, 0, 0),
	})
	for i := 1; i <= numStaff; i++ {
		out = append(out, g.worker(lanyard.RoleStaff, "staff", i, aws, "Event Staff"))
	}
	for i := 1; i <= numExhibitors; i++ {
		out = append(out, g.worker(lanyard.RoleExhibitor, "exhibitor", i, sponsors[(i-1)%len(sponsors)], "Solutions Engineer"))
	}
	return out
}

// worker makes a member of staff or an exhibitor ("staff01@demo.lanyard.dev").
func (g *peopleGen) worker(role lanyard.Role, prefix string, i int, company, title string) lanyard.Attendee {
	l := &locales[0]
	return lanyard.Attendee{
		Name:           l.name(g.r, &g.text),
		Email:          g.email(prefix, i, 2),
		Company:        company,
		JobTitle:       title,
		HomeZone:       timeZone,
		Certifications: []string{},
		Role:           role,
		CreatedAt:      g.start.AddDate(0, -1, 0),
	}
}

// email returns prefix, i zero-padded to width, and the demo domain.
func (g *peopleGen) email(prefix string, i, width int) string {
	g.text.write(prefix)
	g.text.writeInt(i, width)
	g.text.write(domain)
	return g.text.done()
}

// certifications appends one to four distinct certifications to certs, in
// the order of the certifications list.
func (g *peopleGen) certifications(certs []string) []string {
	var held uint
	for n := 1 + pick(g.r, certCounts); n > 0; {
		if i := g.r.IntN(len(certifications)); held&(1<<i) == 0 {
			held |= 1 << i
			n--
		}
	}
	for i, c := range certifications {
		if held&(1<<i) != 0 {
			certs = append(certs, c)
		}
	}
	return certs
}

// certCounts weighs holding 1, 2, 3 or 4 certifications.
var certCounts = []int{50, 30, 15, 5}
