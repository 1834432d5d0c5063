package party

import (
	"context"
	"net/http"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/message"
)

// A host cancels a party in two steps: a page that says what will happen
// (how many guests are told) and asks to confirm, then the cancel itself.
// The store writes the cancel and every guest's party_cancelled notice in
// one transaction; door entry, derived from the RSVPs of parties not
// cancelled, ends with it.

type cancelData struct {
	P     lanyard.Party
	Host  string
	Venue *time.Location
}

// cancelPartyPage asks the host to confirm (host only).
func (h *Handler) cancelPartyPage(w http.ResponseWriter, r *http.Request) {
	p, ok := h.hostedParty(w, r)
	if !ok {
		return
	}
	pg := h.Shell.Page(r, "party.cancel_party.title", nil, cancelData{P: p, Host: h.hostName(r.Context(), p), Venue: h.venue()})
	h.Shell.Render(w, r, http.StatusOK, "cancelparty", pg)
}

// cancelParty cancels the party (host only, confirmed): it leaves lists
// and agendas, its door admits no one, and its guests are told.
func (h *Handler) cancelParty(w http.ResponseWriter, r *http.Request) {
	p, ok := h.hostedParty(w, r)
	if !ok {
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		h.fail(w, r, &lanyard.Error{Code: lanyard.EINVALID, Field: "confirm", Message: "Confirm that the party is cancelled: its guests are told at once."})
		return
	}
	host := h.hostName(r.Context(), p)
	done, err := h.Store.PartyCancel(r.Context(), h.event().ID, p.Code, h.now(), func(p lanyard.Party, venueZone, homeZone string) (map[string]string, error) {
		return message.Encode(message.PartyCancelledParams{Code: p.Code, Title: p.Title, Start: p.Starts, Location: p.Location, Host: host,
			Zones: message.Zones{VenueZone: venueZone, HomeZone: homeZone}})
	})
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.closeDoor(r, done.Party, done.Seq)
	msg := h.Shell.T(r, "party.cancel_party.done_none")
	if done.Notices > 0 {
		msg = h.Shell.T(r, "party.cancel_party.done", "Count", done.Notices)
	}
	h.Shell.Flash(r, "ok", msg)
	http.Redirect(w, r, "/parties", http.StatusSeeOther)
}

// closeDoor takes the party's door entry from everyone as of the cancel,
// and closes its place so the door app says so. As with door, the
// committed cancel is the truth: the engine's next load derives no entry
// for a cancelled party whatever happens here.
func (h *Handler) closeDoor(r *http.Request, p lanyard.Party, seq int64) {
	if sync, ok := h.engineSync(r); ok {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), doorTimeout)
		defer cancel()
		if _, err := sync.RevokeEntitlement(ctx, lanyard.InviteKey(DoorList(p.Code)), seq); err != nil {
			h.log().Warn("party: door entry (the engine derives it again when it next loads)", "party", p.Code, "err", err)
		}
	}
	if pl := h.places(r); pl != nil {
		if _, err := pl.Occupancy(p.Code); err == nil {
			if err := h.openDoor(r, p); err != nil { // Closes: the cancel
				h.log().Warn("party: door place", "party", p.Code, "err", err)
			}
		}
	}
}
