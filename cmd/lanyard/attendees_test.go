package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// lanyard attendees import: a CSV with a mapping, invitations, the sign-up
// mode; a second run creates no one.
func TestAttendeesImportCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "att.db")
	if code, out, stderr := runCmd(t, "import", "--db", db, sharedData(t, "schedules/fosdem-2026.schedule.xml")); code != 0 {
		t.Fatalf("catalog import: exit %d, %s %s", code, out, stderr)
	}
	csv := "../../internal/registration/testdata/custom.csv"
	args := []string{"attendees", "import", "--db", db, "--map", "email=E-mail,name=Teilnehmer", "--map", "ticket_id=Ticket",
		"--invite", "--public-url", "https://fosdem.example", "--signup-mode", "invitation", csv}
	code, out, stderr := runCmd(t, args...)
	if code != 0 || !strings.Contains(out, "2 created, 0 updated") || !strings.Contains(out, "sign-up mode of") {
		t.Fatalf("first import: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	code, out, _ = runCmd(t, args...)
	if code != 0 || !strings.Contains(out, "0 created, 0 updated, 2 unchanged") {
		t.Fatalf("second import: exit %d\n%s", code, out)
	}
	code, out, stderr = runCmd(t, "attendees", "import", "--db", db, "../../internal/registration/testdata/bad.csv")
	if code != 1 || !strings.Contains(out, "row 3 (not-an-email): refused: field email") || !strings.Contains(stderr, "nothing was imported") {
		t.Fatalf("bad file: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, stderr)
	}
	if code, _, stderr := runCmd(t, "attendees", "import", "--db", db, "--invite", csv); code != 1 || !strings.Contains(stderr, "--public-url") {
		t.Errorf("--invite without --public-url: exit %d, %s", code, stderr)
	}
}
