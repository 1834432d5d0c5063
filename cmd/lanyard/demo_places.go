package main

import (
	"context"
	"fmt"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
)

// demoInviteList is the demo partner lounge's invite list.
const demoInviteList = "anycompany"

// openPlaces gives the demo event its places with a door (issue 13): the
// certification lounge, a partner lounge with an invite list, the expo
// entrance (opening Monday at 4 pm, as re:Invent's does) and the closing
// party; and certifies the demo attendees whose profile lists a
// certification — two in three verified, the rest waiting in the
// organizers' queue — and the sample attendee, so the lounge is theirs to
// try. The sample attendee is also on the partner lounge's list.
func openPlaces(ctx context.Context, db *store.DB, ev *lanyard.Event, people []*lanyard.Attendee, sampleEmail string, now time.Time) error {
	cat, err := catalog.Load(ctx, db, ev)
	if err != nil {
		return err
	}
	e, err := reserve.Open(ctx, db, cat, reserve.Options{Tick: -1})
	if err != nil {
		return err
	}
	defer e.Close()
	days, _ := ev.DayDates()
	day := func(i, h, m int) time.Time {
		d, _ := time.ParseInLocation(time.DateOnly, days[min(i, len(days)-1)], cat.Loc)
		return d.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute).UTC()
	}
	places := []lanyard.Place{
		{Code: "cert-lounge", Name: "Certification Lounge", Kind: lanyard.PlaceLounge, Venue: "venetian", Room: "Level 2, Expo Hall, Community Lounge",
			Capacity: 120, Entitlement: lanyard.EntitlementCertified, Opens: day(0, 8, 0), Closes: day(4, 17, 0)},
		{Code: "partner-lounge", Name: "AnyCompany Partner Lounge", Kind: lanyard.PlaceLounge, Venue: "venetian", Room: "Level 2, Expo Hall, Developer Lounge",
			Capacity: 60, Entitlement: lanyard.InviteKey(demoInviteList), Opens: day(0, 8, 0), Closes: day(4, 17, 0)},
		{Code: "expo", Name: "Expo Hall", Kind: lanyard.PlaceExpo, Venue: "venetian", Capacity: 8000, Opens: day(0, 16, 0), Closes: day(3, 18, 0)},
		{Code: "replay", Name: "re:Play Party", Kind: lanyard.PlaceParty, Capacity: 15000, Opens: day(3, 19, 0), Closes: day(3, 23, 59)},
	}
	for _, p := range places {
		if _, err := e.PutPlace(ctx, 0, "", p); err != nil {
			return fmt.Errorf("demo place %s: %w", p.Code, err)
		}
	}
	var verified []lanyard.CertDecision
	var invites []lanyard.Invite
	n := 0
	for _, a := range people {
		if a.Email == sampleEmail {
			verified = append(verified, lanyard.CertDecision{AttendeeID: a.ID, Verified: true, Number: demoCertNumber(a.ID), Source: "import"})
			invites = append(invites, lanyard.Invite{Email: a.Email, AttendeeID: a.ID})
			continue
		}
		if a.Role != lanyard.RoleAttendee || len(a.Certifications) == 0 {
			continue
		}
		n++
		if n%3 == 0 {
			if _, err := db.SubmitCertification(ctx, ev.ID, a.ID, demoCertNumber(a.ID), now.Add(-time.Duration(n)*time.Minute)); err != nil {
				return err
			}
		} else {
			verified = append(verified, lanyard.CertDecision{AttendeeID: a.ID, Verified: true, Number: demoCertNumber(a.ID), Source: "import"})
		}
		if n%10 == 1 {
			invites = append(invites, lanyard.Invite{Email: a.Email, AttendeeID: a.ID})
		}
	}
	for start := 0; start < len(verified); start += 1000 {
		if _, err := e.Certify(ctx, 0, "", verified[start:min(start+1000, len(verified))]); err != nil {
			return err
		}
	}
	if _, err := e.Invite(ctx, 0, "", demoInviteList, invites, false); err != nil {
		return err
	}
	return nil
}

// demoCertNumber is a made-up validation number, the same for the same attendee.
func demoCertNumber(id int64) string {
	return fmt.Sprintf("DEMO%08X", uint32(id*2654435761))
}
