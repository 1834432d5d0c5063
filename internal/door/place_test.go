package door_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/lanyardhq/lanyard/internal/door"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// TestPlaceDoor: the door app scans a lounge's door in and out through the
// engine's places: the certified come in up to the capacity, the rest are
// told why, and a leaving guest frees the place.
func TestPlaceDoor(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		if _, err := e.eng.PutPlace(ctx, 0, "", lanyard.Place{Code: "CERT", Name: "Certification Lounge", Kind: lanyard.PlaceLounge,
			Venue: "venetian", Capacity: 1, Entitlement: lanyard.EntitlementCertified}); err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"ana", "bo"} {
			if _, err := e.eng.Grant(ctx, 0, e.people[who].ID, lanyard.EntitlementCertified, ""); err != nil {
				t.Fatal(err)
			}
		}
		staff := e.signIn("staff")
		if r := staff.Get("/door?door=p:CERT"); r.Status != http.StatusOK {
			t.Fatalf("the lounge's door page: %d", r.Status)
		}
		for _, tc := range []struct {
			who, mode, verdict, code string
			inside                   int
		}{
			{"ana", "in", door.VerdictAdmit, "", 1},
			{"bo", "in", door.VerdictDeny, lanyard.EPlaceFull, 1},
			{"cy", "in", door.VerdictDeny, lanyard.ENotEntitled, 1},
			{"ana", "out", door.VerdictExit, "", 0},
			{"bo", "in", door.VerdictAdmit, "", 1},
		} {
			v, r := staff.scan(door.ScanRequest{Door: "p:CERT", Token: e.token(tc.who), Mode: tc.mode, Nonce: nonce()})
			if r.Status != http.StatusOK || v.Verdict != tc.verdict || v.Code != tc.code || v.Inside != tc.inside {
				t.Errorf("%s %s: %d %+v, want %s %q with %d inside", tc.who, tc.mode, r.Status, v, tc.verdict, tc.code, tc.inside)
			}
		}
		// The door's offline data: a place's door, who may enter, who is in.
		r := staff.Get("/door/api/data?door=p:CERT")
		var data door.Data
		if err := json.Unmarshal([]byte(r.Body), &data); r.Status != http.StatusOK || err != nil {
			t.Fatalf("the lounge's door data: %d %v", r.Status, err)
		}
		ana, bo := e.people["ana"].ID, e.people["bo"].ID
		if !data.Place || len(data.Entitled) != 2 || !slices.Contains(data.Entitled, ana) || !slices.Contains(data.Entitled, bo) ||
			!slices.Equal(data.Admitted, []int64{bo}) || data.Capacity != 1 {
			t.Errorf("the lounge's door data: place=%t entitled=%v admitted=%v capacity=%d; want the two certified, bo inside, 1",
				data.Place, data.Entitled, data.Admitted, data.Capacity)
		}
		if v, r := staff.scan(door.ScanRequest{Door: "p:NOPE", Token: e.token("ana"), Nonce: nonce()}); r.Status != http.StatusNotFound {
			t.Errorf("an unknown place: %d %+v, want 404", r.Status, v)
		}
	})
}
