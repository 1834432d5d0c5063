package meetup

import (
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
)

// Suggestion is one person to meet, with why.
type Suggestion struct {
	Card    lanyard.Card
	Score   int
	Reasons []string
}

// The weights of what two people share.
const (
	weightSession  = 3 // the same session held
	weightLine     = 3 // the same walk-up line
	weightTopic    = 1 // a topic of sessions both hold
	weightLanguage = 2 // a language beyond English
	weightMeetup   = 2 // the same meetup answered
	maxSuggestions = 30
)

// Suggest ranks others for me: the sessions they both hold, the walk-up
// lines they both wait in, the meetups they both answered, the topics of their sessions and a shared
// language other than English (the event's common one), best first, ties
// by name. Nobody with nothing in common is suggested. t words a reason.
func Suggest(c *catalog.Catalog, p store.MeetupPeople, t func(id string, args ...any) string) []Suggestion {
	byID := map[int64]*lanyard.Session{}
	for _, s := range c.Sessions() {
		byID[s.ID] = s
	}
	mySessions := map[int64]bool{}
	myTopics := map[string]bool{}
	for _, id := range p.Me.Sessions {
		mySessions[id] = true
		if s := byID[id]; s != nil {
			for _, tp := range s.Topics {
				myTopics[strings.ToLower(tp)] = true
			}
		}
	}
	myLines := map[int64]bool{}
	for _, id := range p.Me.Lines {
		myLines[id] = true
	}
	myLangs := languages(p.Me)
	var out []Suggestion
	for _, o := range p.Others {
		var sg Suggestion
		var shared []string
		topics := map[string]string{}
		for _, id := range o.Sessions {
			s := byID[id]
			if s == nil {
				continue
			}
			if mySessions[id] {
				sg.Score += weightSession
				shared = append(shared, s.Title)
			}
			for _, tp := range s.Topics {
				if myTopics[strings.ToLower(tp)] {
					topics[strings.ToLower(tp)] = tp
				}
			}
		}
		if len(shared) > 0 {
			sg.Reasons = append(sg.Reasons, t("meetup.people.reason_sessions", "Count", len(shared), "Titles", list(shared)))
		}
		var lines []string
		for _, id := range o.Lines {
			if myLines[id] {
				sg.Score += weightLine
				if s := byID[id]; s != nil {
					lines = append(lines, s.Title)
				}
			}
		}
		if len(lines) > 0 {
			sg.Reasons = append(sg.Reasons, t("meetup.people.reason_line", "Titles", list(lines)))
		}
		if len(topics) > 0 {
			names := make([]string, 0, len(topics))
			for _, v := range topics {
				names = append(names, v)
			}
			sort.Strings(names)
			sg.Score += weightTopic * min(len(names), 5)
			sg.Reasons = append(sg.Reasons, t("meetup.people.reason_topics", "Topics", list(names)))
		}
		var together []string
		for id, title := range o.Meetups {
			if _, ok := p.Me.Meetups[id]; ok {
				together = append(together, title)
			}
		}
		if len(together) > 0 {
			sort.Strings(together)
			sg.Score += weightMeetup * len(together)
			sg.Reasons = append(sg.Reasons, t("meetup.people.reason_meetups", "Titles", list(together)))
		}
		var langs []string
		for _, l := range languages(o) {
			if l != "en" && slices.Contains(myLangs, l) {
				langs = append(langs, t("meetup.lang."+l))
			}
		}
		if len(langs) > 0 {
			sg.Score += weightLanguage
			sg.Reasons = append(sg.Reasons, t("meetup.people.reason_language", "Languages", list(langs)))
		}
		if sg.Score == 0 {
			continue
		}
		a := o.Attendee
		sg.Card = lanyard.CardOf(&a, o.Sharing, []string{lanyard.FieldCompany, lanyard.FieldTitle})
		out = append(out, sg)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Card.Name < out[j].Card.Name
	})
	if len(out) > maxSuggestions {
		out = out[:maxSuggestions]
	}
	return out
}

// languages are the ones a profile speaks: their account's and their meetups'.
func languages(p store.PeopleProfile) []string {
	var out []string
	if p.Language != "" {
		out = append(out, p.Language)
	}
	for _, l := range p.MeetupLanguages {
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// list names at most three things and how many more.
func list(items []string) string {
	if len(items) <= 3 {
		return strings.Join(items, ", ")
	}
	return strings.Join(items[:3], ", ") + " +" + itoa(len(items)-3)
}

func itoa(n int) string { return strconv.Itoa(n) }

// optIn turns "people to meet" on or off for the signed-in attendee,
// keeping the rest of their sharing choices (the settings page has the same switch).
func (h *Handler) optIn(w http.ResponseWriter, r *http.Request) {
	u := h.Shell.User(r)
	sh, err := h.Store.Sharing(r.Context(), u.ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	sh.MeetOptIn = r.PostFormValue("opt_in") == "1"
	if err := sh.Validate(); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if err := h.Store.PutSharing(r.Context(), sh); err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, map[string]any{"opt_in": sh.MeetOptIn})
		return
	}
	http.Redirect(w, r, "/people", http.StatusSeeOther)
}

type peopleData struct {
	OptedIn     bool
	Suggestions []Suggestion
}

func (h *Handler) peoplePage(w http.ResponseWriter, r *http.Request) {
	u := h.Shell.User(r)
	sh, err := h.Store.Sharing(r.Context(), u.ID)
	if err != nil {
		h.Shell.ServerError(w, r, err)
		return
	}
	d := peopleData{OptedIn: sh.MeetOptIn}
	if d.OptedIn {
		p, err := h.Store.MeetupPeople(r.Context(), h.event().ID, u.ID, 0)
		if err != nil {
			h.Shell.ServerError(w, r, err)
			return
		}
		d.Suggestions = Suggest(h.Catalog.Load(), p, func(id string, args ...any) string { return h.Shell.T(r, id, args...) })
	}
	h.render(w, r, http.StatusOK, "people", "meetup.people.title", d)
}
