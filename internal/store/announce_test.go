package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// segmentFixture: Ada holds KEY001 (venetian, day 1) and ARC301-R2 (mgm,
// day 2), Bo waits for ARC301-R1 and is a Speaker, Cy is staff.
func segmentFixture(t *testing.T, db *store.DB) (evID int64, ada, bo, cy *lanyard.Attendee) {
	t.Helper()
	ctx := context.Background()
	ev := mustImport(t, db, testCatalog())
	ada = mustCreateAttendee(t, db, ev.ID, "Ada", "ada@example.com")
	bo = mustCreateAttendee(t, db, ev.ID, "Bo", "bo@example.com")
	cy = mustCreateAttendee(t, db, ev.ID, "Cy", "cy@example.com")
	exec := func(q string, args ...any) {
		t.Helper()
		if err := db.Exec(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`UPDATE attendees SET attendee_type = 'Speaker' WHERE id = ?`, bo.ID)
	exec(`UPDATE attendees SET role = 'staff' WHERE id = ?`, cy.ID)
	for _, code := range []string{"KEY001", "ARC301-R2"} {
		exec(`INSERT INTO reservations (session_id, attendee_id, batch_id) SELECT id, ?, 1 FROM sessions WHERE code = ?`, ada.ID, code)
	}
	exec(`INSERT INTO waitlist (session_id, attendee_id, seq) SELECT id, ?, 1 FROM sessions WHERE code = 'ARC301-R1'`, bo.ID)
	return ev.ID, ada, bo, cy
}

func TestSegments(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		evID, _, _, _ := segmentFixture(t, db)
		day1 := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC) // midnight in Los Angeles
		tests := []struct {
			seg  lanyard.Segment
			want int
		}{
			{lanyard.Segment{Kind: lanyard.SegmentAll}, 3},
			{lanyard.Segment{Kind: lanyard.SegmentReserved, Value: "KEY001"}, 1},
			{lanyard.Segment{Kind: lanyard.SegmentReserved, Value: "ARC301-R1"}, 0},
			{lanyard.Segment{Kind: lanyard.SegmentWaitlisted, Value: "ARC301-R1"}, 1},
			{lanyard.Segment{Kind: lanyard.SegmentType, Value: "Speaker"}, 1},
			{lanyard.Segment{Kind: lanyard.SegmentRole, Value: "staff"}, 1},
			{lanyard.Segment{Kind: lanyard.SegmentRole, Value: "attendee"}, 2},
			{lanyard.Segment{Kind: lanyard.SegmentVenue, Value: "venetian", From: day1, To: day1.Add(24 * time.Hour)}, 1},
			{lanyard.Segment{Kind: lanyard.SegmentVenue, Value: "mgm", From: day1, To: day1.Add(24 * time.Hour)}, 0},
			{lanyard.Segment{Kind: lanyard.SegmentVenue, Value: "mgm", From: day1.Add(24 * time.Hour), To: day1.Add(48 * time.Hour)}, 1},
		}
		for _, tt := range tests {
			got, err := db.CountSegment(context.Background(), evID, tt.seg)
			if err != nil || got != tt.want {
				t.Errorf("CountSegment(%+v) = %d, %v; want %d", tt.seg, got, err, tt.want)
			}
		}
		if _, err := db.CountSegment(context.Background(), evID, lanyard.Segment{Kind: "nobody"}); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Errorf("CountSegment(nobody) err = %v; want EINVALID", err)
		}
	})
}

// TestSendAnnouncementOnce: a scheduled announcement is sent by the first
// SendAnnouncement and never again (another node, a restart); it respects
// each attendee's channels; delivery counts read its messages.
func TestSendAnnouncementOnce(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		evID, ada, _, _ := segmentFixture(t, db)
		if err := db.SetMessagePreferences(ctx, ada.ID, map[string]lanyard.Channels{lanyard.KindAnnouncement: {App: true}}); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		a := lanyard.Announcement{EventID: evID, Segment: lanyard.SegmentAll, SubjectEn: "Hi", BodyEn: "Body", SubjectKo: "안녕", BodyKo: "본문", SendAt: at, Key: "k1"}
		id, err := db.AddAnnouncement(ctx, a, lanyard.AuditEntry{Action: "announcement"})
		if err != nil {
			t.Fatal(err)
		}
		if again, err := db.AddAnnouncement(ctx, a, lanyard.AuditEntry{Action: "announcement"}); err != nil || again != id {
			t.Fatalf("AddAnnouncement again = %d, %v; want %d", again, err, id)
		}
		if due, err := db.DueAnnouncements(ctx, at.Add(-time.Second)); err != nil || len(due) != 0 {
			t.Fatalf("due before its time = %v, %v", due, err)
		}
		due, err := db.DueAnnouncements(ctx, at)
		if err != nil || len(due) != 1 || due[0] != id {
			t.Fatalf("due = %v, %v; want [%d]", due, err, id)
		}
		n, sent, err := db.SendAnnouncement(ctx, id, at, nil)
		if err != nil || !sent || n != 3 {
			t.Fatalf("SendAnnouncement = %d, %v, %v; want 3, true", n, sent, err)
		}
		// A second node, or the scheduler after a restart, finds it sent.
		if n, sent, err := db.SendAnnouncement(ctx, id, at.Add(time.Minute), nil); err != nil || sent || n != 3 {
			t.Fatalf("SendAnnouncement again = %d, %v, %v; want 3 (the first sending's), false", n, sent, err)
		}
		if due, _ := db.DueAnnouncements(ctx, at.Add(time.Hour)); len(due) != 0 {
			t.Errorf("due after sending = %v", due)
		}
		msgs, err := db.Messages(ctx, evID)
		if err != nil {
			t.Fatal(err)
		}
		var mail, app int
		for _, m := range msgs {
			if m.Kind != lanyard.KindAnnouncement {
				continue
			}
			if m.Mail {
				mail++
			}
			if m.App {
				app++
			}
			if m.AttendeeID == ada.ID && m.Mail {
				t.Errorf("Ada chose the app only, got mail")
			}
			if got, want := m.Params["subject_ko"], "안녕"; got != want {
				t.Errorf("params subject_ko = %q; want %q", got, want)
			}
		}
		if mail != 2 || app != 3 {
			t.Errorf("mail, app = %d, %d; want 2, 3", mail, app)
		}
		list, err := db.Announcements(ctx, evID, 10)
		if err != nil || len(list) != 1 {
			t.Fatalf("Announcements = %v, %v", list, err)
		}
		if got := list[0]; got.State != lanyard.AnnouncementSent || got.Recipients != 3 || got.Delivery["pending"] != 2 {
			t.Errorf("announcement = %+v; want sent to 3, 2 mails pending", got)
		}
	})
}

// Attendance counts, for sessions over, reserved seats and check-ins by
// type, and walk-ups; MailReport counts mail by kind and state and lists
// the failures with their last error.
func TestAttendanceAndMailReport(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		evID, ada, bo, cy := segmentFixture(t, db) // Ada holds KEY001 (day 1) and ARC301-R2 (day 2)
		exec := func(q string, args ...any) {
			t.Helper()
			if err := db.Exec(ctx, q, args...); err != nil {
				t.Fatal(err)
			}
		}
		exec(`INSERT INTO reservations (session_id, attendee_id, batch_id) SELECT id, ?, 1 FROM sessions WHERE code = 'KEY001'`, bo.ID)
		exec(`INSERT INTO admissions (session_id, attendee_id, kind, at) SELECT id, ?, 'reserved', ? FROM sessions WHERE code = 'KEY001'`, ada.ID, time.Now().UTC())
		exec(`INSERT INTO admissions (session_id, attendee_id, kind, at) SELECT id, ?, 'walkup', ? FROM sessions WHERE code = 'KEY001'`, cy.ID, time.Now().UTC())
		afterDay1 := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
		got, err := db.Attendance(ctx, evID, afterDay1)
		if err != nil {
			t.Fatal(err)
		}
		want := []store.TypeAttendance{{Type: lanyard.TypeKeynote, Reserved: 2, CheckedIn: 1, Walkups: 1}}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("Attendance = %+v, want %+v", got, want)
		}
		if got[0].NoShows() != 1 {
			t.Errorf("no-shows = %d, want 1", got[0].NoShows())
		}
		exec(`INSERT INTO messages (event_id, attendee_id, kind, by_mail, in_app, state, last_error, attempts, created_at)
			VALUES (?, ?, 'announcement', TRUE, TRUE, 'failed', '550 no such user', 1, ?), (?, ?, 'announcement', TRUE, TRUE, 'sent', '', 1, ?),
			(?, ?, 'waitlist_promoted', TRUE, FALSE, 'pending', '', 0, ?), (?, ?, 'announcement', FALSE, TRUE, 'sent', '', 0, ?)`,
			evID, ada.ID, afterDay1, evID, bo.ID, afterDay1, evID, bo.ID, afterDay1, evID, cy.ID, afterDay1)
		counts, fails, err := db.MailReport(ctx, evID, 10)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fmt.Sprint(counts), "[{announcement failed 1} {announcement sent 1} {waitlist_promoted pending 1}]"; got != want {
			t.Errorf("counts = %s, want %s", got, want)
		}
		if len(fails) != 1 || fails[0].LastError != "550 no such user" || fails[0].AttendeeID != ada.ID {
			t.Errorf("failures = %+v", fails)
		}
	})
}
