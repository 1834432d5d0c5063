package reserve

import (
	"context"
	"time"
)

// Span is a held session's time.
type Span struct{ Start, End time.Time }

// WaitlistBusy returns, for each session code, the times held by the first
// limit attendees of its waitlist (one slice of spans per attendee, in
// waitlist order): what the reports need to find a time when most of a
// session's waiting attendees could come to a repeat. One read of the state
// for all codes; unknown codes are left out.
func (e *Engine) WaitlistBusy(ctx context.Context, codes []string, limit int) (map[string][][]Span, error) {
	out := make(map[string][][]Span, len(codes))
	err := e.read(ctx, func(st *state) {
		for _, code := range codes {
			i, ok := st.byCode[code]
			if !ok {
				continue
			}
			ws := st.seats[i].waitlist
			ws = ws[:min(len(ws), limit)]
			busy := make([][]Span, 0, len(ws))
			for _, w := range ws {
				var spans []Span
				if p, ok := st.people[w.attendee]; ok {
					for _, h := range p.held {
						s := st.seats[h].s
						spans = append(spans, Span{s.Start, s.End})
					}
				}
				busy = append(busy, spans)
			}
			out[code] = busy
		}
	})
	return out, err
}

// DoorCount is a session's door figures as of the last commit.
type DoorCount struct {
	Taken     int // reserved seats held
	CheckedIn int // reserved attendees admitted at the door
	Walkups   int // attendees admitted without a reservation
}

// DoorCounts returns every session's door figures in one read of the
// state, for the no-show and walk-up reports: 3,000 sessions are a
// map's worth of memory, where the database would join every reservation.
func (e *Engine) DoorCounts(ctx context.Context) (map[string]DoorCount, error) {
	var out map[string]DoorCount
	err := e.read(ctx, func(st *state) {
		out = make(map[string]DoorCount, len(st.seats))
		for i := range st.seats {
			s := &st.seats[i]
			out[s.s.Code] = DoorCount{Taken: s.taken, CheckedIn: s.checkedIn, Walkups: s.walkups}
		}
	})
	return out, err
}
