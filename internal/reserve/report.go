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
