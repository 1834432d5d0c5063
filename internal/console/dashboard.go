package console

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// DashboardStore is what the dashboard reads from the database.
type DashboardStore interface {
	// ActivitySince returns the log's reservations and refusals after a
	// sequence number, by minute (store.DB.ActivitySince).
	ActivitySince(ctx context.Context, eventID, afterSeq int64, since time.Time) (*lanyard.ActivityDelta, error)
	// MailQueue counts the messages to be mailed by state.
	MailQueue(ctx context.Context, eventID int64) (map[lanyard.MessageState]int, error)
}

// activity keeps the dashboard's running counts of the last minutes: each
// view reads only the log rows written since the last, so its cost follows
// the rate of commands, not the size of the log.
type activity struct {
	mu       sync.Mutex
	lastSeq  int64
	reserved map[time.Time]int            // by minute
	refused  map[time.Time]map[string]int // by minute, then rule
}

// read brings the counts up to date and returns the per-minute counts from
// since (minutes of them) and the refusals by rule in that span.
func (a *activity) read(ctx context.Context, st DashboardStore, eventID int64, since time.Time, minutes int) ([]int, map[string]int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.reserved == nil {
		a.reserved, a.refused = map[time.Time]int{}, map[time.Time]map[string]int{}
	}
	d, err := st.ActivitySince(ctx, eventID, a.lastSeq, since)
	if err != nil {
		return nil, nil, err
	}
	a.lastSeq = d.LastSeq
	for _, c := range d.Counts {
		if c.Outcome == lanyard.OutcomeRefused {
			m := a.refused[c.Minute]
			if m == nil {
				m = map[string]int{}
				a.refused[c.Minute] = m
			}
			m[c.Detail] += c.N
			continue
		}
		a.reserved[c.Minute] += c.N
	}
	per := make([]int, minutes)
	refusals := map[string]int{}
	for m, n := range a.reserved {
		if m.Before(since) {
			delete(a.reserved, m)
		} else if i := int(m.Sub(since) / time.Minute); i < minutes {
			per[i] += n
		}
	}
	for m, codes := range a.refused {
		if m.Before(since) {
			delete(a.refused, m)
			continue
		}
		for k, n := range codes {
			refusals[k] += n
		}
	}
	return per, refusals, nil
}

// dashboardMinutes is how far back the per-minute counts go.
const dashboardMinutes = 15

// topDemand is how many of the most wanted sessions the dashboard lists.
const topDemand = 10

type typeFill struct {
	Type                        lanyard.SessionType
	Sessions, Taken, Reservable int
	Percent                     int
}

type demand struct {
	Code, Title                string
	Taken, Waiting, Reservable int
	// Ratio is (taken + waiting) / reservable, in percent.
	Ratio int
}

type countRow struct {
	Key   string
	Count int
}

type dashboardData struct {
	RequestsPerSecond float64
	HasRequests       bool
	PerMinute         []minuteCount
	LastMinute        int
	Fill              []typeFill
	Demand            []demand
	Refusals          []countRow
	Mail              []countRow
	At                time.Time
}

type minuteCount struct {
	At    time.Time
	Count int
	// Height is the bar's height in percent of the busiest minute.
	Height int
}

func (h *Handler) dashboard(w http.ResponseWriter, r *http.Request) {
	d, err := h.dashboardData(r.Context())
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "dashboard", "console.dashboard.title", d)
}

// dashboardFragment is the dashboard's figures alone, which the page's
// script fetches every few seconds; without script, the page reloads.
func (h *Handler) dashboardFragment(w http.ResponseWriter, r *http.Request) {
	d, err := h.dashboardData(r.Context())
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	p := h.Shell.Page(r, "console.dashboard.title", nil, d)
	h.Shell.RenderBlock(w, r, http.StatusOK, "dashboard", "figures", p)
}

func (h *Handler) dashboardData(ctx context.Context) (*dashboardData, error) {
	now := h.now()
	since := now.UTC().Truncate(time.Minute).Add(-(dashboardMinutes - 1) * time.Minute)
	perMinute, refusals, err := h.activity.read(ctx, h.Store, h.event().ID, since, dashboardMinutes)
	if err != nil {
		return nil, err
	}
	mail, err := h.Store.MailQueue(ctx, h.event().ID)
	if err != nil {
		return nil, err
	}
	d := &dashboardData{At: now}
	if h.rate != nil && h.Requests != nil {
		d.RequestsPerSecond, d.HasRequests = h.rate.perSecond(now), true
	}
	busiest := 1
	for _, n := range perMinute {
		busiest = max(busiest, n)
	}
	for i, n := range perMinute {
		d.PerMinute = append(d.PerMinute, minuteCount{At: since.Add(time.Duration(i) * time.Minute), Count: n, Height: n * 100 / busiest})
	}
	if len(perMinute) > 1 {
		d.LastMinute = perMinute[len(perMinute)-2] // the last whole minute
	}
	for k, n := range refusals {
		d.Refusals = append(d.Refusals, countRow{k, n})
	}
	sortRows(d.Refusals)
	for _, s := range []lanyard.MessageState{lanyard.MessagePending, lanyard.MessageSent, lanyard.MessageFailed} {
		d.Mail = append(d.Mail, countRow{string(s), mail[s]})
	}
	d.Fill, d.Demand = h.seatFigures()
	return d, nil
}

func sortRows(rows []countRow) {
	slices.SortFunc(rows, func(a, b countRow) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		if a.Key < b.Key {
			return -1
		}
		return 1
	})
}

// seatFigures reads every session's live counts once: fill by type and
// the sessions with the most demand against their seats. 3,000 sessions
// are 3,000 map reads, well under a millisecond.
func (h *Handler) seatFigures() ([]typeFill, []demand) {
	counts := h.counts()
	c := h.Catalog.Load()
	fill := map[lanyard.SessionType]*typeFill{}
	var top []demand
	for _, s := range c.Sessions() {
		if !s.Reservable || counts == nil {
			continue
		}
		n, err := counts.Seats(s.Code)
		if err != nil {
			continue
		}
		f := fill[s.Type]
		if f == nil {
			f = &typeFill{Type: s.Type}
			fill[s.Type] = f
		}
		f.Sessions++
		f.Taken += n.Taken
		f.Reservable += n.Reservable
		dm := demand{Code: s.Code, Title: s.Title, Taken: n.Taken, Waiting: n.WaitlistLength, Reservable: n.Reservable}
		if n.Reservable > 0 {
			dm.Ratio = (n.Taken + n.WaitlistLength) * 100 / n.Reservable
		}
		if dm.Taken+dm.Waiting > 0 {
			top = append(top, dm)
		}
	}
	var fills []typeFill
	for _, t := range lanyard.SessionTypes {
		if f := fill[t]; f != nil {
			if f.Reservable > 0 {
				f.Percent = f.Taken * 100 / f.Reservable
			}
			fills = append(fills, *f)
		}
	}
	slices.SortFunc(top, func(a, b demand) int {
		if a.Ratio != b.Ratio {
			return b.Ratio - a.Ratio
		}
		if a.Code < b.Code {
			return -1
		}
		return 1
	})
	if len(top) > topDemand {
		top = top[:topDemand]
	}
	return fills, top
}

// rateMeter turns a running request count into requests per second over
// the last few seconds between dashboard views.
type rateMeter struct {
	count func() int64
	mu    sync.Mutex
	at    time.Time
	n     int64
	rate  float64
}

func newRateMeter(c func() int64) *rateMeter { return &rateMeter{count: c} }

func (m *rateMeter) perSecond(now time.Time) float64 {
	if m.count == nil {
		return 0
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	n := m.count()
	if el := now.Sub(m.at); !m.at.IsZero() && el >= time.Second {
		m.rate = float64(n-m.n) / el.Seconds()
	}
	if m.at.IsZero() || now.Sub(m.at) >= time.Second {
		m.at, m.n = now, n
	}
	return m.rate
}
