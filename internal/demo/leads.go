package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

// SeedLeads gives the demo's first exhibitor account a company (the
// event's first exhibitor, made if the demo has none yet) and a few leads
// to rate, tag and export: five attendees scanned at its booth, the
// sample attendee among them so their /privacy page lists one exhibitor,
// with a qualifying question answered on some. It returns the exhibitor
// account's email ("" if the demo has no exhibitor account).
func SeedLeads(ctx context.Context, db *store.DB, ev *lanyard.Event, people []*lanyard.Attendee, sampleEmail string, now time.Time) (string, error) {
	var staff *lanyard.Attendee
	var attendees []*lanyard.Attendee
	for _, a := range people {
		switch {
		case a.Role == lanyard.RoleExhibitor && staff == nil:
			staff = a
		case a.Role == lanyard.RoleAttendee && (a.Email == sampleEmail || len(attendees) < 4) && !containsPerson(attendees, a):
			attendees = append(attendees, a)
		}
	}
	if staff == nil {
		return "", nil
	}
	x, err := db.ExhibitorOf(ctx, ev.ID, staff.ID)
	if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
		all, err := db.Exhibitors(ctx, ev.ID)
		if err != nil {
			return "", err
		}
		if len(all) > 0 {
			x = all[0]
		} else if x, err = db.PutExhibitor(ctx, ev.ID, lanyard.Exhibitor{Code: "anycompany", Name: "AnyCompany", Booth: "1204",
			Description: "Cloud tooling for teams that ship.", Categories: []string{"Developer tools"}}); err != nil {
			return "", err
		}
		if err := db.SetExhibitorStaff(ctx, x.ID, staff.ID); err != nil {
			return "", err
		}
	} else if err != nil {
		return "", err
	}
	q, err := db.LeadQuestionPut(ctx, lanyard.LeadQuestion{ExhibitorID: x.ID, Kind: lanyard.LeadQuestionSingle, Prompt: "Buying timeline",
		Choices: []string{"This quarter", "This year", "Just looking"}})
	if err != nil {
		return "", err
	}
	for i, a := range attendees {
		r, err := db.LeadScan(ctx, store.LeadScanInput{EventID: ev.ID, ExhibitorID: x.ID, AttendeeID: a.ID, Version: -1,
			Nonce: fmt.Sprintf("demo-lead-%d", a.ID), ScannedBy: staff.ID, ScannedAt: now.Add(-time.Duration(i*17) * time.Minute)})
		if err != nil {
			return "", err
		}
		if i%2 == 1 {
			continue // some leads are waiting to be rated
		}
		rating, tags := 5-i, []string{"follow up"}
		if i == 0 {
			tags = append(tags, "hot")
		}
		if err := db.LeadUpdate(ctx, ev.ID, x.ID, r.LeadID, lanyard.LeadUpdate{Rating: &rating, Tags: &tags,
			Answers: map[int64][]string{q.ID: {q.Choices[i%len(q.Choices)]}}}); err != nil {
			return "", err
		}
	}
	return staff.Email, nil
}

func containsPerson(list []*lanyard.Attendee, a *lanyard.Attendee) bool {
	for _, b := range list {
		if b.ID == a.ID {
			return true
		}
	}
	return false
}
