package demo

import (
	"fmt"
	"strings"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// ContactPlan is one contact the demo attendee made: whom (an index into
// the attendees given), at which session, who scanned whom, the demo
// attendee's follow-up, and what the other chose to share.
type ContactPlan struct {
	Other    int
	Session  int  // an index into the sessions given
	TheyScan bool // the other scanned the demo attendee (two-way gave the card back)
	Notes    string
	Tags     []string
	Stage    string
	FollowUp bool // follow up the day after the event
	Sharing  lanyard.Sharing
}

// Contacts plans the demo attendee's contacts: six people met at sessions
// of the first day, at every stage of a recruiter's follow-up. others are
// the attendees to choose from (the demo attendee not among them);
// sessions, the first day's. Fewer people or sessions give fewer contacts.
func Contacts(others []*lanyard.Attendee, sessions int) []ContactPlan {
	notes := []struct {
		notes, tags, stage string
		followUp, theyScan bool
		fields             []string
	}{
		{"Runs the platform team; hiring two Go engineers in Seoul.", "hiring,go", lanyard.StageInTalks, true, false, []string{lanyard.FieldCompany, lanyard.FieldTitle, lanyard.FieldEmail, lanyard.FieldLinkedIn}},
		{"Asked about our serverless migration. Send the talk's slides.", "serverless", lanyard.StageFollowedUp, false, true, []string{lanyard.FieldCompany, lanyard.FieldTitle, lanyard.FieldEmail}},
		{"Met at the Korean speakers' meetup; user group organizer.", "community,korean", lanyard.StageMet, true, false, []string{lanyard.FieldCompany, lanyard.FieldTitle, lanyard.FieldPhone}},
		{"Applied to the SRE opening after the keynote.", "hiring,sre", lanyard.StageApplied, false, false, []string{lanyard.FieldCompany, lanyard.FieldTitle, lanyard.FieldEmail}},
		{"", "", lanyard.StageMet, false, true, []string{lanyard.FieldCompany, lanyard.FieldTitle}},
		{"Wants a demo of the data pipeline in January.", "sales", lanyard.StageMet, true, false, nil},
	}
	var out []ContactPlan
	for i, n := range notes {
		if i >= len(others) || sessions == 0 {
			break
		}
		o := others[i]
		sh := lanyard.Sharing{AttendeeID: o.ID, Fields: n.fields, Exchange: lanyard.ExchangeTwoWay}
		if strings.Contains(strings.Join(n.fields, ","), lanyard.FieldPhone) {
			sh.Phone = fmt.Sprintf("+82 10-5550-%04d", 1000+i)
		}
		if strings.Contains(strings.Join(n.fields, ","), lanyard.FieldLinkedIn) {
			sh.LinkedIn = fmt.Sprintf("https://www.linkedin.com/in/demo-%d", o.ID)
		}
		out = append(out, ContactPlan{Other: i, Session: (i * 5) % sessions, TheyScan: n.theyScan, Notes: n.notes,
			Tags: lanyard.SplitTags(n.tags), Stage: n.stage, FollowUp: n.followUp, Sharing: sh})
	}
	return out
}
