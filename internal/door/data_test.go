package door_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"testing"

	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/demo"
	"github.com/lanyardhq/lanyard/internal/door"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// The door's data verifies with the public key the app page carries, says
// who is reserved, holds the current badge's hash for each attendee, and
// one changed byte breaks the signature.
func TestDataSigned(t *testing.T) {
	e := newEnv(t, storetest.OpenSQLite(t))
	staff := e.signIn("staff")
	page := staff.Get("/door/app?door=s:A")
	m := regexp.MustCompile(`data-key="([^"]+)"`).FindStringSubmatch(page.Body)
	if page.Status != http.StatusOK || m == nil {
		t.Fatalf("app page: %d, no public key", page.Status)
	}
	pub, err := base64.StdEncoding.DecodeString(html.UnescapeString(m[1]))
	if err != nil || len(pub) != ed25519.PublicKeySize {
		t.Fatalf("public key %q: %v", m[1], err)
	}
	r := staff.Get("/door/api/data?door=s:A")
	sig := r.Header.Get(door.SignatureHeader)
	if r.Status != http.StatusOK || !door.Verify(pub, []byte(r.Body), sig) {
		t.Fatalf("data: %d, signature %q does not verify", r.Status, sig)
	}
	tampered := []byte(r.Body)
	tampered[len(tampered)/2] ^= 1
	if door.Verify(pub, tampered, sig) {
		t.Error("a changed byte still verifies")
	}
	var d door.Data
	if err := json.Unmarshal([]byte(r.Body), &d); err != nil {
		t.Fatal(err)
	}
	if d.Door != "s:A" || d.Event != e.ev.ID || len(d.Reserved) != 1 || d.Reserved[0][1] != "Person ana" || d.WalkupLeft != 2 ||
		len(d.Overflow) != 1 || d.Overflow[0].WalkMinutes != 12 || d.Opens == "" {
		t.Errorf("data: %+v", d)
	}
	recs, _ := base64.StdEncoding.DecodeString(d.Badges)
	if len(recs) != len(e.people)*12 {
		t.Fatalf("%d bytes of records, want %d", len(recs), len(e.people)*12)
	}
	want := door.BadgeHash(e.token("ana"))
	found := false
	for i := 0; i < len(recs); i += 12 {
		if int64(binary.BigEndian.Uint32(recs[i:])) == e.people["ana"].ID {
			found = bytes.Equal(recs[i+4:i+12], want[:])
		}
	}
	if !found {
		t.Error("ana's badge hash is not in the data")
	}
	// A badge replaced since: the next download says so (the records are
	// rebuilt, not served from the last build).
	if _, err := e.db.ReplaceBadge(context.Background(), e.people["bo"].ID); err != nil {
		t.Fatal(err)
	}
	var d2 door.Data
	json.Unmarshal([]byte(staff.Get("/door/api/data?door=s:A").Body), &d2)
	if got := d2.Replaced[fmt.Sprint(e.people["bo"].ID)]; got != 2 || d2.Badges == d.Badges {
		t.Errorf("after a replacement: replaced[bo] = %d, records changed %v", got, d2.Badges != d.Badges)
	}
	// Another door's data: an overflow room's.
	if r := staff.Get("/door/api/data?door=o:A:Two"); r.Status != 200 || !door.Verify(pub, []byte(r.Body), r.Header.Get(door.SignatureHeader)) {
		t.Errorf("overflow door data: %d", r.Status)
	}
	if r := staff.Get("/door/api/data?door=s:NOPE"); r.Status != 404 {
		t.Errorf("unknown door: %d", r.Status)
	}
}

// The data of a 10,000-seat keynote in an event of 65,000 attendees (the
// demo's names) stays under 2 MB and verifies.
func TestDataSizeKeynote(t *testing.T) {
	const attendees, reserved = 65_000, 10_000
	gen := demo.Generate(demo.Options{Seed: 1, Attendees: attendees, StartDate: "2026-11-30"})
	secret := make([]byte, 32)
	rand.Read(secret)
	kr := badge.Keyring{Active: badge.Key{ID: 1, Secret: secret}}
	versions := make([]store.BadgeVersion, attendees)
	for i := range versions {
		versions[i] = store.BadgeVersion{AttendeeID: int64(100_000 + i), Version: 1 + i%50/49} // 2% replaced
	}
	badges, replaced := door.EncodeBadges(kr, 7, versions)
	d := &door.Data{Version: 1, Event: 7, Door: "s:KEY001", Name: "KEY001 · Keynote with a long enough title to be realistic",
		Room: "Venetian Hall A", Issued: "2026-12-01T16:00:00Z", Opens: "2026-12-01T16:30:00Z", Closes: "2026-12-01T18:30:00Z",
		Capacity: 11_000, WalkupLeft: 1_000, Badges: badges, Replaced: replaced, Admitted: []int64{}}
	for i := range reserved {
		d.Reserved = append(d.Reserved, [2]any{int64(100_000 + i*6), gen.Attendees[i*6].Name})
	}
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	body, sig, err := door.Sign(key, d)
	if err != nil {
		t.Fatal(err)
	}
	if !door.Verify(pub, body, sig) {
		t.Fatal("keynote data does not verify")
	}
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(body)
	w.Close()
	t.Logf("keynote door data: %d bytes (%d gzipped on the wire) for %d badges, %d reserved, %d replaced", len(body), gz.Len(), attendees, reserved, len(replaced))
	if len(body) >= 2_000_000 {
		t.Errorf("keynote door data is %d bytes, want under 2 MB", len(body))
	}
}

// BenchmarkEncodeBadges is the server's cost of the badge records of a
// 65,000-attendee event (an HMAC and a SHA-256 each), paid per download.
//
//	go test ./internal/door -run '^$' -bench EncodeBadges
func BenchmarkEncodeBadges(b *testing.B) {
	secret := make([]byte, 32)
	rand.Read(secret)
	kr := badge.Keyring{Active: badge.Key{ID: 1, Secret: secret}}
	versions := make([]store.BadgeVersion, 65_000)
	for i := range versions {
		versions[i] = store.BadgeVersion{AttendeeID: int64(i + 1), Version: 1}
	}
	for b.Loop() {
		door.EncodeBadges(kr, 7, versions)
	}
}
