package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// The expo floor: the map, booth hours and marks, booth events kept to
// their exhibitor, favorites idempotent and kept to the event.
func TestExpoFloor(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ev := mustImport(t, db, testCatalog())
		acme, err := db.PutExhibitor(ctx, ev.ID, lanyard.Exhibitor{Code: "acme", Name: "Acme", Booth: "101", Categories: []string{"AI"}})
		if err != nil {
			t.Fatal(err)
		}
		bolt, err := db.PutExhibitor(ctx, ev.ID, lanyard.Exhibitor{Code: "bolt", Name: "Bolt", Booth: "102"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExpoMap(ctx, ev.ID); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("no map yet: %v", err)
		}
		if err := db.ExpoSaveMap(ctx, ev.ID, lanyard.PlanSVG, []byte("<svg/>"), 0, 0, 800, 600); err != nil {
			t.Fatal(err)
		}
		if err := db.ExpoSaveMap(ctx, ev.ID, lanyard.PlanSVG, []byte("<svg>2</svg>"), 0, 0, 1000, 500); err != nil {
			t.Fatal(err)
		}
		m, err := db.ExpoMap(ctx, ev.ID)
		if err != nil || m.Width != 1000 || m.Height != 500 {
			t.Errorf("map = %+v, %v", m, err)
		}
		if f, data, _, err := db.ExpoMapData(ctx, ev.ID); err != nil || f != lanyard.PlanSVG || string(data) != "<svg>2</svg>" {
			t.Errorf("map data = %q %q %v", f, data, err)
		}
		if err := db.ExpoSetHours(ctx, acme.ID, "Mon 4–7 PM"); err != nil {
			t.Fatal(err)
		}
		if err := db.ExpoMarkBooth(ctx, ev.ID, acme.ID, true, 10, 20, 30, 40); err != nil {
			t.Fatal(err)
		}
		if err := db.ExpoMarkBooth(ctx, ev.ID+999, acme.ID, true, 1, 1, 1, 1); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("another event's exhibitor: %v", err)
		}
		if err := db.ExpoMarkBooth(ctx, ev.ID, acme.ID, true, 1, 1, -1, 1); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Errorf("negative width: %v", err)
		}
		b, err := db.ExpoBooth(ctx, ev.ID, "acme")
		if err != nil || b.Hours != "Mon 4–7 PM" || !b.Marked || b.X != 10 || b.H != 40 || b.Booth != "101" {
			t.Errorf("booth = %+v, %v", b, err)
		}
		booths, err := db.ExpoBooths(ctx, ev.ID)
		if err != nil || len(booths) != 2 || booths[1].Code != "bolt" || booths[1].Marked {
			t.Errorf("booths = %+v, %v", booths, err)
		}
		if _, err := db.ExpoBooth(ctx, ev.ID, "nope"); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("unknown code: %v", err)
		}

		start := time.Date(2026, 12, 1, 17, 0, 0, 0, time.UTC)
		talk := store.ExpoEvent{ExhibitorID: acme.ID, Kind: store.ExpoTalk, Title: "Lightning talk", Starts: start, Ends: start.Add(30 * time.Minute)}
		talk.ID, err = db.ExpoPutEvent(ctx, ev.ID, talk)
		if err != nil {
			t.Fatal(err)
		}
		give := store.ExpoEvent{ExhibitorID: bolt.ID, Kind: store.ExpoGiveaway, Title: "Socks", Starts: start.Add(-time.Hour), Ends: start}
		if give.ID, err = db.ExpoPutEvent(ctx, ev.ID, give); err != nil {
			t.Fatal(err)
		}
		// Bolt cannot edit or delete Acme's talk.
		stolen := talk
		stolen.ExhibitorID = bolt.ID
		if _, err := db.ExpoPutEvent(ctx, ev.ID, stolen); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("edit another's event: %v", err)
		}
		if err := db.ExpoDeleteEvent(ctx, bolt.ID, talk.ID); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("delete another's event: %v", err)
		}
		bad := talk
		bad.ID, bad.Ends = 0, bad.Starts
		if _, err := db.ExpoPutEvent(ctx, ev.ID, bad); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Errorf("ends at its start: %v", err)
		}
		all, err := db.ExpoEvents(ctx, ev.ID, 0)
		if err != nil || len(all) != 2 || all[0].ID != give.ID || all[1].Code != "acme" || !all[1].Starts.Equal(start) {
			t.Errorf("events = %+v, %v", all, err)
		}
		if mine, _ := db.ExpoEvents(ctx, ev.ID, acme.ID); len(mine) != 1 || mine[0].Title != "Lightning talk" {
			t.Errorf("acme's events = %+v", mine)
		}

		a := mustCreateAttendee(t, db, ev.ID, "Visitor", "visitor@example.com")
		for range 2 {
			if err := db.ExpoFavoriteBooth(ctx, ev.ID, a.ID, bolt.ID, true); err != nil {
				t.Fatal(err)
			}
			if err := db.ExpoFavoriteEvent(ctx, ev.ID, a.ID, talk.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.ExpoFavoriteBooth(ctx, ev.ID, a.ID, 99999, true); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("favorite an unknown booth: %v", err)
		}
		if err := db.ExpoFavoriteEvent(ctx, ev.ID+999, a.ID, talk.ID, true); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("favorite another event's booth event: %v", err)
		}
		if ids, err := db.ExpoFavoriteBooths(ctx, ev.ID, a.ID); err != nil || len(ids) != 1 || ids[0] != bolt.ID {
			t.Errorf("favorite booths = %v, %v", ids, err)
		}
		if fav, err := db.ExpoFavoriteEvents(ctx, ev.ID, a.ID); err != nil || len(fav) != 1 || fav[0].ID != talk.ID || fav[0].Exhibitor != "Acme" {
			t.Errorf("favorite events = %+v, %v", fav, err)
		}
		if err := db.ExpoFavoriteEvent(ctx, ev.ID, a.ID, talk.ID, false); err != nil {
			t.Fatal(err)
		}
		if fav, _ := db.ExpoFavoriteEvents(ctx, ev.ID, a.ID); len(fav) != 0 {
			t.Errorf("after unfavorite = %+v", fav)
		}
		if err := db.ExpoDeleteEvent(ctx, acme.ID, talk.ID); err != nil {
			t.Fatal(err)
		}

		if err := db.SetExhibitorStaff(ctx, acme.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		if staff, err := db.ExpoStaff(ctx, acme.ID); err != nil || len(staff) != 1 || staff[0].Email != a.Email {
			t.Errorf("staff = %+v, %v", staff, err)
		}
		if err := db.ExpoRemoveStaff(ctx, bolt.ID, a.ID); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("remove from the wrong exhibitor: %v", err)
		}
		if err := db.ExpoRemoveStaff(ctx, acme.ID, a.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExhibitorOf(ctx, ev.ID, a.ID); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
			t.Errorf("after removal: %v", err)
		}
	})
}
