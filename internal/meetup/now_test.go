package meetup_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/store/storetest"
)

// "Now and next" on site lists the meetups one goes to among the rest, in
// time order, with the place, the walk from the stop before and when to
// leave; not those one only waits for, and in both languages.
func TestMeetupsInNowAndNext(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		ana, bo, cy := e.signIn("ana"), e.signIn("bo"), e.signIn("cy")
		// Ana starts two: builders at West at 17:00, the Korean speakers
		// at the Venue's lobby bar at 19:00, a 12-minute walk away. Bo
		// goes to the second; Cy, past its cap of two, waits.
		builders := validForm()
		for k, v := range map[string]string{"title": "Serverless builders", "language": "en", "venue": "w", "place": "Room 1", "start": "2026-12-01T17:00", "minutes": "60", "cap": "10"} {
			builders.Set(k, v)
		}
		for _, f := range []map[string][]string{builders, validForm()} {
			if r := ana.Post("/meetups", f); r.Status != http.StatusSeeOther {
				t.Fatalf("create %s: %d %s", f["title"], r.Status, r.Body)
			}
		}
		code := map[string]string{}
		for _, m := range e.meetups() {
			code[m.Title] = fmt.Sprintf("MEETUP-%d", m.ID)
		}
		korean, path := code["Korean speakers"], "/meetups/"+strings.TrimPrefix(code["Korean speakers"], "MEETUP-")
		for _, c := range []*client{bo, cy} {
			if r := c.Post(path+"/rsvp", nil); r.Status != http.StatusSeeOther {
				t.Fatalf("rsvp: %d", r.Status)
			}
		}

		la, _ := time.LoadLocation("America/Los_Angeles")
		at := func(h, m int) time.Time { return time.Date(2026, 12, 1, h, m, 0, 0, la) }
		stops := func(body string) (current string, next []string) {
			if m := regexp.MustCompile(`id="now-current" data-session="([^"]+)"`).FindStringSubmatch(body); m != nil {
				current = m[1]
			}
			for _, m := range regexp.MustCompile(`id="now-next-\d" data-session="([^"]+)"`).FindAllStringSubmatch(body, -1) {
				next = append(next, m[1])
			}
			return current, next
		}
		for _, tc := range []struct {
			name    string
			c       *client
			at      time.Time
			current string
			next    []string
			want    []string // in the first next stop
		}{
			{"before both", ana, at(16, 0), "", []string{code["Serverless builders"], korean}, []string{"Serverless builders", "Room 1, West", "Meetup · going", "in 1 h"}},
			{"at the builders", ana, at(17, 30), code["Serverless builders"], []string{korean},
				[]string{"Korean speakers", "Lobby bar, Venue", "Meetup · going", "Walk from West: 12 min", "Leave by Tue 6:48 PM PST"}},
			{"between", ana, at(18, 30), "", []string{korean}, []string{"in 30 min", "Walk from West: 12 min"}},
			{"at the Korean speakers", ana, at(19, 10), korean, nil, nil},
			{"bo, going to one", bo, at(16, 0), "", []string{korean}, []string{"Korean speakers", "in 3 h"}},
			{"cy, waiting", cy, at(16, 0), "", nil, []string{"Nothing more on your agenda."}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				e.onSite.Set(tc.at)
				r := tc.c.Get("/now")
				if r.Status != http.StatusOK {
					t.Fatalf("/now: %d", r.Status)
				}
				cur, next := stops(r.Body)
				if cur != tc.current || strings.Join(next, ",") != strings.Join(tc.next, ",") {
					t.Errorf("now %q, next %v; want %q, %v", cur, next, tc.current, tc.next)
				}
				first := r.Body
				if i := strings.Index(first, `id="now-next-0"`); i >= 0 {
					first = first[i:]
					if j := strings.Index(first, `id="now-next-1"`); j >= 0 {
						first = first[:j]
					}
				}
				for _, w := range tc.want {
					if !strings.Contains(text(first), w) {
						t.Errorf("the first next stop lacks %q:\n%s", w, text(first))
					}
				}
			})
		}

		// The script's refresh and the agenda's compact block say the same,
		// the meetup linked to its page.
		e.onSite.Set(at(18, 30))
		frag := ana.Get("/now?fragment=1&compact=1").Body
		if strings.Contains(frag, "<html") || !strings.Contains(frag, `id="now-next-0" data-session="`+korean+`"`) || !strings.Contains(frag, `<a href="`+path+`">Korean speakers</a>`) {
			t.Errorf("the compact fragment:\n%s", frag)
		}
		if ag := ana.Get("/agenda").Body; !strings.Contains(ag, `class="now compact"`) || !strings.Contains(ag, `id="now-next-0" data-session="`+korean+`"`) {
			t.Error("the agenda's now-and-next block lacks the meetup")
		}
		// In Korean.
		ana.Lang = "ko"
		if got := text(ana.Get("/now").Body); !strings.Contains(got, "밋업 · 참석") || !strings.Contains(got, "West에서 걸어서 12분") {
			t.Errorf("the Korean block:\n%s", got)
		}
	})
}

var tags = regexp.MustCompile(`<[^>]*>`)

// text is a page's words, without its tags.
func text(s string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tags.ReplaceAllString(s, " "))), " ")
}
