package party

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/web"
)

// agendaLength is how long a party is drawn on the agenda: parties have a
// start and no end, and a dinner with its courses takes about this long.
const agendaLength = 3 * time.Hour

// AgendaEntries are the parties attendee said yes to, for web.Handler's
// AgendaSources, so a dinner shows beside sessions and meetups and a clash
// with them is seen. The badge says the kind and, once seated, the table.
func (h *Handler) AgendaEntries(ctx context.Context, attendeeID int64, lang string) ([]web.AgendaExtra, error) {
	mine, err := h.Store.PartiesOf(ctx, attendeeID)
	if err != nil {
		return nil, err
	}
	codes := make([]string, 0, len(mine))
	for code := range mine {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	var out []web.AgendaExtra
	for _, code := range codes {
		p, err := h.Store.Party(ctx, h.event().ID, code)
		if lanyard.ErrorCode(err) == lanyard.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		label := web.Translate(lang, "party.kind."+string(p.Kind))
		if table := mine[code]; table > 0 {
			label += " · " + web.Translate(lang, "party.your_table", "No", strconv.Itoa(table))
		}
		s := &lanyard.Session{Code: "PARTY-" + p.Code, Title: p.Title, Room: p.Location, Start: p.Starts, End: p.Starts.Add(agendaLength), Capacity: p.Capacity}
		out = append(out, web.AgendaExtra{Session: s, Kind: "party", Link: "/parties/" + p.Code, Label: label})
	}
	return out, nil
}
