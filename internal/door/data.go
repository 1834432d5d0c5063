package door

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/lanyardhq/lanyard/internal/badge"
	"github.com/lanyardhq/lanyard/internal/reserve"
	"github.com/lanyardhq/lanyard/internal/store"
)

// Offline verification (the door's choice, recorded in ARCHITECTURE): the
// device never holds the badge secret. The server signs, per door, a data
// file with Ed25519 holding, for every attendee of the event, the first
// HashLen bytes of SHA-256 of their current badge token, keyed by attendee
// ID; the device parses the ID and version from a scanned LY1 token,
// hashes the token and compares with that attendee's entry. A forger must
// hit one 64-bit value per attendee, and an older version is a replaced
// badge. The QR code stays as small as it is.

// HashLen is how many bytes of a token's SHA-256 the door data keeps.
const HashLen = 8

// recordLen is one badge entry: the attendee ID (4 bytes, big-endian) and
// the hash.
const recordLen = 4 + HashLen

// SignatureHeader carries the base64 Ed25519 signature of the data's body.
const SignatureHeader = "X-Lanyard-Signature"

// Data is a door's offline data. The device verifies the signature over
// the exact bytes of the body, then reads it.
type Data struct {
	Version int    `json:"v"`
	Event   int64  `json:"event"`
	Door    string `json:"door"`
	Name    string `json:"name"`
	Room    string `json:"room,omitempty"`
	Issued  string `json:"issued"` // RFC 3339
	// Opens and Closes bound the door's check-in window (sessions).
	Opens  string `json:"opens,omitempty"`
	Closes string `json:"closes,omitempty"`
	// Capacity, Inside and WalkupLeft are the room's figures when issued;
	// the device counts its own admissions on from there.
	Capacity   int `json:"capacity"`
	Inside     int `json:"inside"`
	WalkupLeft int `json:"walkup_left"`
	// ReleaseAt is when reserved seats not claimed go to walk-ups: from
	// then a reservation no longer admits by itself, and the room takes
	// WalkupAfterRelease walk-ups (less what the device admitted since).
	ReleaseAt          string `json:"release_at,omitempty"`
	WalkupAfterRelease int    `json:"walkup_after_release"`
	// Badges is base64 of the sorted records (recordLen bytes each).
	Badges string `json:"badges"`
	// Replaced maps an attendee ID to their current badge version, for
	// badges a reprint voided (version > 1).
	Replaced map[string]int `json:"replaced"`
	// Reserved is the door's reserved attendees as [id, name].
	Reserved [][2]any `json:"reserved"`
	// Admitted are the attendees already admitted here.
	Admitted []int64 `json:"admitted"`
	// Sent (an overflow room's door) are those its session's door sent here.
	Sent     []int64         `json:"sent,omitempty"`
	Overflow []OverflowSeats `json:"overflow,omitempty"`
	// Place is set for a place's door (in and out): Admitted are who is
	// inside, and Entitled, when the place needs an entitlement, who may
	// enter (null: anyone with a badge).
	Place    bool    `json:"place,omitempty"`
	Entitled []int64 `json:"entitled"`
}

// OverflowSeats is an overflow room as the device sends walk-ups to it.
type OverflowSeats struct {
	Room        string `json:"room"`
	Left        int    `json:"left"`
	WalkMinutes int    `json:"walk_minutes"`
}

// BadgeHash is the device's check value of a token.
func BadgeHash(token string) [HashLen]byte {
	sum := sha256.Sum256([]byte(token))
	return [HashLen]byte(sum[:HashLen])
}

// EncodeBadges returns the badge records of every attendee's current
// token, sorted by attendee ID, and the replaced versions.
func EncodeBadges(kr badge.Keyring, eventID int64, versions []store.BadgeVersion) (string, map[string]int) {
	slices.SortFunc(versions, func(a, b store.BadgeVersion) int { return int(a.AttendeeID - b.AttendeeID) })
	buf := make([]byte, 0, len(versions)*recordLen)
	replaced := map[string]int{}
	for _, v := range versions {
		if v.AttendeeID > 1<<32-1 {
			continue // IDs past 32 bits verify online only
		}
		tok := kr.Sign(badge.Claims{EventID: eventID, AttendeeID: v.AttendeeID, Version: uint16(v.Version)})
		h := BadgeHash(tok)
		buf = binary.BigEndian.AppendUint32(buf, uint32(v.AttendeeID))
		buf = append(buf, h[:]...)
		if v.Version > 1 {
			replaced[strconv.FormatInt(v.AttendeeID, 10)] = v.Version
		}
	}
	return base64.StdEncoding.EncodeToString(buf), replaced
}

// Sign returns the body and its signature.
func Sign(key ed25519.PrivateKey, d *Data) (body []byte, sig string, err error) {
	body, err = json.Marshal(d)
	if err != nil {
		return nil, "", fmt.Errorf("door: data: %w", err)
	}
	return body, base64.StdEncoding.EncodeToString(ed25519.Sign(key, body)), nil
}

// Verify checks a body against its signature with the public key.
func Verify(pub ed25519.PublicKey, body []byte, sig string) bool {
	s, err := base64.StdEncoding.DecodeString(sig)
	return err == nil && ed25519.Verify(pub, body, s)
}

// dataAPI is GET /door/api/data?door=…: the door's signed offline data.
func (h *Handler) dataAPI(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	d, err := h.parseDoor(ctx, r.URL.Query().Get("door"))
	if err != nil {
		h.apiError(w, r, err)
		return
	}
	body, sig, err := h.buildData(r, d)
	if err != nil {
		h.apiError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set(SignatureHeader, sig)
	w.Write(body)
}

// buildData gathers and signs a door's data.
func (h *Handler) buildData(r *http.Request, d *doorRef) ([]byte, string, error) {
	ctx := r.Context()
	ev := h.event()
	key, err := h.Store.DoorKey(ctx, ev.ID)
	if err != nil {
		return nil, "", err
	}
	kr, err := h.Badges.Keys(ctx)
	if err != nil {
		return nil, "", err
	}
	data := &Data{Version: 1, Event: ev.ID, Door: d.ID, Room: d.Room, Issued: h.now().UTC().Format(time.RFC3339),
		Reserved: [][2]any{}, Admitted: []int64{}}
	if data.Badges, data.Replaced, err = h.badgeRecords(ctx, ev.ID, kr); err != nil {
		return nil, "", err
	}
	e := h.engine(r)
	if c, ok := h.doorCount(ctx, e, d); ok {
		data.Capacity, data.Inside, data.WalkupLeft = c.Capacity, c.Inside, c.SeatsLeft
	}
	if d.Session != nil {
		s := d.Session
		data.Name = s.Code + " · " + s.Title
		settings := h.settings(ctx, e)
		if s.Scheduled() {
			data.Opens = s.Start.Add(-time.Duration(settings.DoorOpensMinutes) * time.Minute).UTC().Format(time.RFC3339)
			data.Closes = s.End.UTC().Format(time.RFC3339)
			if d.Kind == kindSession && s.Reservable {
				data.ReleaseAt = s.Start.Add(-time.Duration(settings.ReleaseMinutes) * time.Minute).UTC().Format(time.RFC3339)
			}
		}
		if ds, ok := e.(reserve.Door); ok && d.Kind == kindSession {
			if st, err := ds.DoorState(ctx, s.Code); err == nil {
				data.WalkupAfterRelease = max(st.Capacity-st.CheckedIn-st.Walkups, 0)
			}
		}
		if d.Kind == kindOverflow {
			// An overflow room's door admits whom the session's door sent
			// there; who is inside is who this door admitted.
			if data.Sent, err = h.Store.DoorScanned(ctx, ev.ID, kindSession+":"+s.Code, VerdictOverflow, d.Room, 0); err != nil {
				return nil, "", err
			}
			data.Admitted, err = h.Store.DoorScanned(ctx, ev.ID, d.ID, VerdictAdmit, "", 0)
		} else {
			data.Admitted, err = h.Store.SessionAdmissions(ctx, s.ID)
		}
		if err != nil {
			return nil, "", err
		}
		if data.Admitted == nil {
			data.Admitted = []int64{}
		}
		if d.Kind == kindSession {
			people, err := h.Store.SessionReservations(ctx, s.ID)
			if err != nil {
				return nil, "", err
			}
			for _, p := range people {
				data.Reserved = append(data.Reserved, [2]any{p.ID, p.Name})
			}
			data.Overflow = h.overflowSeats(r, d)
		}
	} else {
		data.Name, data.Place = d.Room, true
		if !d.Opens.IsZero() {
			data.Opens = d.Opens.UTC().Format(time.RFC3339)
		}
		if !d.Closes.IsZero() {
			data.Closes = d.Closes.UTC().Format(time.RFC3339)
		}
		if pl, ok := e.(reserve.Places); ok {
			if data.Admitted, err = pl.Inside(ctx, d.Place); err != nil {
				return nil, "", err
			}
			if d.Entitlement != "" {
				if data.Entitled, err = pl.EntitledTo(ctx, d.Entitlement); err != nil {
					return nil, "", err
				}
				if data.Entitled == nil {
					data.Entitled = []int64{} // nobody yet, which is not "anyone"
				}
			}
		}
		if data.Admitted == nil {
			data.Admitted = []int64{}
		}
	}
	return Sign(key, data)
}

// overflowSeats lists a session's overflow rooms with their seats left and
// the walk to each, so an offline door can still send walk-ups on.
func (h *Handler) overflowSeats(r *http.Request, d *doorRef) []OverflowSeats {
	ctx := r.Context()
	rooms, err := h.Store.OverflowRooms(ctx, d.Session.ID)
	if err != nil || len(rooms) == 0 {
		return nil
	}
	admitted := map[string]int{}
	if ds, ok := h.engine(r).(reserve.Door); ok {
		if st, err := ds.DoorState(ctx, d.Session.Code); err == nil {
			for _, o := range st.Overflow {
				admitted[o.Room] = o.Admitted
			}
		}
	}
	var out []OverflowSeats
	for _, o := range rooms {
		out = append(out, OverflowSeats{Room: o.Room, Left: max(o.Capacity-admitted[o.Room], 0), WalkMinutes: h.walkMinutes(d.Venue, o.Venue)})
	}
	return out
}

// publicKey is the event's door-data public key, base64 (for the page).
func (h *Handler) publicKey(r *http.Request) (string, error) {
	key, err := h.Store.DoorKey(r.Context(), h.event().ID)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey)), nil
}

// badgeCache holds the last badge records built: 65,000 of them cost
// ~110 ms (an HMAC and a SHA-256 each), and every door's device downloads
// its data after each sync, so they are rebuilt only when an attendee is
// added or a badge replaced (store.BadgeFingerprint) or the key changes.
type badgeCache struct {
	mu       sync.Mutex
	key      string
	badges   string
	replaced map[string]int
}

func (h *Handler) badgeRecords(ctx context.Context, eventID int64, kr badge.Keyring) (string, map[string]int, error) {
	fp, err := h.Store.BadgeFingerprint(ctx, eventID)
	if err != nil {
		return "", nil, err
	}
	key := fmt.Sprintf("%d/%d/%x/%s", eventID, kr.Active.ID, sha256.Sum256(kr.Active.Secret), fp)
	c := &h.badgeRecs
	c.mu.Lock()
	defer c.mu.Unlock() // one build at a time: the rest wait for it and reuse it
	if c.key == key {
		return c.badges, c.replaced, nil
	}
	versions, err := h.Store.BadgeVersions(ctx, eventID)
	if err != nil {
		return "", nil, err
	}
	c.badges, c.replaced = EncodeBadges(kr, eventID, versions)
	c.key = key
	return c.badges, c.replaced, nil
}
