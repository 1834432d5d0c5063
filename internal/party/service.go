package party

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/reserve"
)

// What the pages and the JSON API (internal/api, /api/v1/parties) share:
// reading an answer, recording it with the door's entry, and taking it
// back.

// ParseRSVP builds u's answer: dietary needs, the languages offered
// (those of Languages, once each; others are dropped, as the page's
// checkboxes do), and the people to sit with by email. Returns EINVALID
// with the field: seat_with for an email nobody at the event has, or what
// lanyard.PartyRSVP.Validate refuses.
func ParseRSVP(ctx context.Context, st Store, eventID int64, u *lanyard.Attendee, dietary string, languages, seatWith []string) (lanyard.PartyRSVP, error) {
	ans := lanyard.PartyRSVP{AttendeeID: u.ID, Dietary: strings.TrimSpace(dietary)}
	for _, l := range languages {
		if slices.Contains(Languages, l) && !slices.Contains(ans.Languages, l) {
			ans.Languages = append(ans.Languages, l)
		}
	}
	for _, e := range seatWith {
		a, err := st.FindAttendeeByEmail(ctx, eventID, strings.TrimSpace(e))
		if err != nil {
			return ans, &lanyard.Error{Code: lanyard.EINVALID, Field: "seat_with", Message: fmt.Sprintf("Nobody at this event has the email %q.", e)}
		}
		if !slices.Contains(ans.SeatWith, a.ID) {
			ans.SeatWith = append(ans.SeatWith, a.ID)
		}
	}
	return ans, ans.Validate()
}

// Door is the engine's side of a party's door: Sync applies a committed
// RSVP change to who may enter, Places makes the door place if it is
// missing. Both nil: no engine (the naive baseline).
type Door struct {
	Sync   reserve.EntitlementSync
	Places reserve.Places
	By     int64 // who acts, for the door place's record
}

// DoorOf returns the door roles of e (reserve.ForRequest's engine).
func DoorOf(e reserve.Seats) Door {
	sync, _ := e.(reserve.EntitlementSync)
	pl, _ := e.(reserve.Places)
	return Door{Sync: sync, Places: pl}
}

// doorTimeout bounds telling the engine of a committed RSVP change.
const doorTimeout = 10 * time.Second

// apply tells the engine that attendee's door entry is on (or off) as of
// the committed change seq. The RSVP row is the truth: the engine derives
// entry from the rows whenever it loads (at start, and after a failed
// batch), and applies a change only if newer than what it holds, so a
// crash before this is repaired by the next load, and changes racing each
// other settle on the last committed. An error means the engine did not
// apply it: the caller does not acknowledge the answer, and a retry
// (another change, another seq) tells the engine again. The caller
// leaving does not stop it (WithoutCancel).
func (d Door) apply(ctx context.Context, log *slog.Logger, p lanyard.Party, attendee int64, on bool, seq int64) error {
	if d.Sync == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), doorTimeout)
	defer cancel()
	if _, err := d.Sync.SyncEntitlement(ctx, lanyard.InviteKey(DoorList(p.Code)), attendee, on, seq); err != nil {
		if log != nil {
			log.Warn("party: door entry not applied (the engine derives it when it next loads)", "party", p.Code, "attendee", attendee, "on", on, "err", err)
		}
		return lanyard.Errorf(lanyard.EUNAVAILABLE, "Your answer is saved, but the door has not heard of it yet: send it again in a moment.")
	}
	// A party whose door place was never made (the engine was down when
	// it was created) gets one now: entry needs a door.
	if d.Places != nil && on {
		if _, err := d.Places.Occupancy(p.Code); lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
			if err := d.open(ctx, p); err != nil && log != nil {
				log.Warn("party: door place", "party", p.Code, "err", err)
			}
		}
	}
	return nil
}

// open makes p a place of kind party at the door app, which only its
// guests (the invite list DoorList) may enter.
func (d Door) open(ctx context.Context, p lanyard.Party) error {
	if d.Places == nil {
		return nil
	}
	_, err := d.Places.PutPlace(ctx, d.By, "", lanyard.Place{
		Code: p.Code, Name: p.Title, Kind: lanyard.PlaceKind("party"), Room: p.Location, Capacity: p.Capacity,
		Entitlement: lanyard.InviteKey(DoorList(p.Code)), Closes: p.CancelledAt,
	})
	return err
}

// Put stores p (a new party when p.ID is 0, else the update of the party
// with that ID, whose code, kind and host the caller keeps) and opens its
// door, or brings the door's name, room and capacity up to date, through
// d. A door the engine could not update is logged, not refused: the party
// is saved, and the next put or answer opens the door. The pages and the
// JSON API share it.
func Put(ctx context.Context, st Store, d Door, log *slog.Logger, eventID int64, p lanyard.Party) (lanyard.Party, error) {
	if p.ID == 0 {
		// The door is the place of the party's code, and the engine
		// refuses to make a lounge's or the expo's place a party's door;
		// asked first, so that no party is stored without its door.
		places, err := st.Places(ctx, eventID)
		if err != nil {
			return p, err
		}
		for _, pl := range places {
			if pl.Code == p.Code && pl.Kind != lanyard.PlaceParty {
				return p, &lanyard.Error{Code: lanyard.ECONFLICT, Field: "code", Message: fmt.Sprintf("The code %q is the place %q's: choose another.", p.Code, pl.Name)}
			}
		}
	}
	p, err := st.PartyPut(ctx, eventID, p)
	if err != nil {
		return p, err
	}
	if err := d.open(ctx, p); err != nil {
		log.WarnContext(ctx, "party: door place", "party", p.Code, "err", err)
	}
	return p, nil
}

// Answer records u's answer to p (the store refuses past the capacity:
// EPartyFull) and gives u entry at the party's door through d. An answer
// the door has not heard of is saved but not acknowledged (EUNAVAILABLE:
// send it again). Returns EFORBIDDEN for a cancelled ticket.
func Answer(ctx context.Context, st Store, d Door, log *slog.Logger, u *lanyard.Attendee, p lanyard.Party, ans lanyard.PartyRSVP) error {
	if u.Canceled {
		return lanyard.Errorf(lanyard.EFORBIDDEN, "Your ticket was cancelled.")
	}
	if err := ans.Validate(); err != nil {
		return err
	}
	ans.AttendeeID = u.ID
	_, seq, err := st.PartyAnswer(ctx, p.ID, ans)
	if err != nil {
		return err
	}
	return d.apply(ctx, log, p, u.ID, true, seq)
}

// Withdraw takes u's answer to p back and their entry at its door; it
// reports whether there was an answer.
func Withdraw(ctx context.Context, st Store, d Door, log *slog.Logger, u *lanyard.Attendee, p lanyard.Party) (bool, error) {
	gone, seq, err := st.PartyLeave(ctx, p.ID, u.ID)
	if err != nil {
		return false, err
	}
	return gone, d.apply(ctx, log, p, u.ID, false, seq)
}
