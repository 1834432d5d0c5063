package console

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/web"
)

// RatingStore is what the ratings report reads: every session's ratings,
// summed up (store.DB, migration 00130), and the key of the speakers'
// links.
type RatingStore interface {
	RatingReport(ctx context.Context, eventID int64) (map[string]*lanyard.SessionRatings, error)
	RatingLinkKey(ctx context.Context, eventID int64) ([]byte, error)
}

var _ RatingStore = (*store.DB)(nil)

// ratingsShown is how many sessions the page lists, most rated first; the
// CSV has all.
const ratingsShown = 25

// ratingsReport is the attendees' ratings of each session they checked
// in to: how many, the average, each score's count, the comments (never
// who wrote them), and the signed link the organizer copies and sends to
// the speakers (web.RatingsSig), which shows that session's results alone.
func (h *Handler) ratingsReport(rc *reportContext) (*table, []bar, error) {
	ev := h.event()
	all, err := h.Store.RatingReport(rc.ctx, ev.ID)
	if err != nil {
		return nil, nil, err
	}
	key, err := h.Store.RatingLinkKey(rc.ctx, ev.ID)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]*lanyard.SessionRatings, 0, len(all))
	for _, sr := range all {
		rows = append(rows, sr)
	}
	slices.SortFunc(rows, func(a, b *lanyard.SessionRatings) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Session, b.Session)
	})
	t := &table{ID: "ratings", Columns: []string{"session", "title", "ratings", "average", "score_5", "score_4", "score_3", "score_2", "score_1", "comments", "speaker_link"}}
	t.Total = len(rows)
	if rc.page {
		rows = rows[:min(len(rows), ratingsShown)]
	}
	site := h.Shell.SiteURL(rc.r)
	var bars []bar
	for i, sr := range rows {
		title := ""
		if s, err := rc.cat.Session(sr.Session); err == nil {
			title = s.Title
		}
		avg := strconv.FormatFloat(sr.Average(), 'f', 2, 64)
		comments := make([]string, len(sr.Comments))
		for j, c := range sr.Comments {
			comments[j] = fmt.Sprintf("%d★ %s", c.Score, c.Comment)
		}
		shown := strings.Join(comments, " · ")
		if rc.page && len([]rune(shown)) > 300 {
			shown = string([]rune(shown)[:300]) + "…"
		}
		href := site + "/ratings/" + url.PathEscape(sr.Session) + "?sig=" + web.RatingsSig(key, ev.ID, sr.Session)
		t.add(link(sr.Session, sessionHref(sr.Session)), txt(title), num(sr.Count), cell{Text: avg, Num: true},
			num(sr.ByScore[4]), num(sr.ByScore[3]), num(sr.ByScore[2]), num(sr.ByScore[1]), num(sr.ByScore[0]),
			cell{Text: shown, Raw: strings.Join(comments, "\n")},
			cell{Text: h.Shell.T(rc.r, "console.reports.speaker_link"), Href: href, Raw: href})
		if i < 15 {
			bars = append(bars, bar{Label: sr.Session, Value: sr.Count, Text: fmt.Sprintf("%s ★ · %d", avg, sr.Count)})
		}
	}
	return t, bars, nil
}
