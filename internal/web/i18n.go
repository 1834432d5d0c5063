package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.json
var localeFiles embed.FS

// languages the pages are written in; the first is the fallback.
var languages = []language.Tag{language.English, language.Korean}

var (
	bundle  = newBundle()
	matcher = language.NewMatcher(languages)
)

func newBundle() *i18n.Bundle {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("json", json.Unmarshal)
	for _, tag := range languages {
		if _, err := b.LoadMessageFileFS(localeFiles, "locales/"+tag.String()+".json"); err != nil {
			panic(fmt.Sprintf("web: locale %s: %v", tag, err))
		}
	}
	return b
}

// langCookie remembers the language a person chose.
const langCookie = "lang"

// Language is the language pages would answer r in ("en", "ko"): the
// JSON API writes mail and labels on the caller's behalf in it.
func Language(r *http.Request) string { return pickLanguage(r) }

// pickLanguage returns the language to answer in: the one chosen (cookie),
// else the best match for the browser's Accept-Language.
func pickLanguage(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil {
		if l := supported(c.Value); l != "" {
			return l
		}
	}
	tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	tag, _, _ := matcher.Match(tags...)
	base, _ := tag.Base()
	return supported(base.String())
}

// supported returns l if the pages are written in it, else "".
func supported(l string) string {
	for _, t := range languages {
		if t.String() == l {
			return l
		}
	}
	return ""
}

// translator formats messages, dates and times for one language.
type translator struct {
	lang  string
	loc   *i18n.Localizer
	plain sync.Map // id → message, for messages without arguments

	labelsOnce sync.Once
	labels     *labels
}

// labels are the words every session row repeats, looked up once: a
// template reads a field far faster than it calls a method.
type labels struct {
	Reserved, Reserve, JoinWaitlist, Favorite, Unfavorite, Walkin, Conflict, ConflictHint string
}

// L returns the row labels in t's language.
func (t *translator) L() *labels {
	t.labelsOnce.Do(func() {
		t.labels = &labels{Reserved: t.T("slot.reserved"), Reserve: t.T("slot.reserve"), JoinWaitlist: t.T("slot.join_waitlist"),
			Favorite: t.T("slot.favorite"), Unfavorite: t.T("slot.unfavorite"), Walkin: t.T("seats.walkin"),
			Conflict: t.T("slot.conflict"), ConflictHint: t.T("slot.conflict_hint")}
	})
	return t.labels
}

var translators = func() map[string]*translator {
	m := map[string]*translator{}
	for _, t := range languages {
		m[t.String()] = &translator{lang: t.String(), loc: i18n.NewLocalizer(bundle, t.String())}
	}
	return m
}()

func translatorFor(lang string) *translator {
	if t, ok := translators[lang]; ok {
		return t
	}
	return translators["en"]
}

// Lang is the language's code ("en", "ko").
func (t *translator) Lang() string { return t.lang }

// T returns the message id, filled from args given as name, value pairs.
// A "Count" argument selects the plural form. A missing message shows its
// id, so a gap is visible rather than blank.
func (t *translator) T(id string, args ...any) string {
	if len(args) == 0 {
		if s, ok := t.plain.Load(id); ok {
			return s.(string)
		}
	}
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(args) > 0 {
		data := make(map[string]any, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			k, _ := args[i].(string)
			data[k] = args[i+1]
			if k == "Count" {
				cfg.PluralCount = args[i+1]
			}
		}
		cfg.TemplateData = data
	}
	// With an error, Localize may still give a text: a message written once
	// for every count (no "one" form) in its "other" form, or one missing
	// in this language in English. Only a message missing entirely is blank.
	s, err := t.loc.Localize(cfg)
	if err != nil && s == "" {
		return id
	}
	if len(args) == 0 {
		t.plain.Store(id, s)
	}
	return s
}

var koWeekdays = [...]string{"일", "월", "화", "수", "목", "금", "토"}

// Day formats a date as a day heading: "Mon, Dec 1" or "12월 1일 (월)".
func (t *translator) Day(tm time.Time) string {
	if t.lang == "ko" {
		return fmt.Sprintf("%d월 %d일 (%s)", tm.Month(), tm.Day(), koWeekdays[tm.Weekday()])
	}
	return tm.Format("Mon, Jan 2")
}

// ShortDay is the weekday alone: "Mon" or "월".
func (t *translator) ShortDay(tm time.Time) string {
	if t.lang == "ko" {
		return "(" + koWeekdays[tm.Weekday()] + ")"
	}
	return tm.Format("Mon")
}

// Clock formats a time of day: "9:00 AM" or "오전 9:00".
func (t *translator) Clock(tm time.Time) string {
	if t.lang == "ko" {
		h := tm.Hour()
		half := "오전"
		if h >= 12 {
			half = "오후"
		}
		h %= 12
		if h == 0 {
			h = 12
		}
		return fmt.Sprintf("%s %d:%02d", half, h, tm.Minute())
	}
	return tm.Format("3:04 PM")
}

// zoneName is a zone's abbreviation at tm ("PST", "KST"), or its UTC offset
// where the tz database has no abbreviation.
func zoneName(tm time.Time) string {
	name, _ := tm.Zone()
	if name == "" || strings.HasPrefix(name, "+") || strings.HasPrefix(name, "-") {
		return "UTC" + tm.Format("-07:00")
	}
	return name
}

// clocks shows a time in both zones.
type clocks struct {
	Primary, Secondary string // Secondary is empty when both zones agree
}

// Span formats a session's time, start to end, in the primary zone and,
// when it differs, in the other, each zone's range written whole: "Wed
// 2:30–3:30 PM PST" and "Thu 7:30–8:30 AM KST". withDate names the date,
// not only the weekday ("Wed, Dec 2, 2:30–3:30 PM PST"), for a session's
// own page. A range that crosses noon repeats the half ("11:30 AM–12:30 PM");
// one that crosses midnight repeats the day. A zero or missing end gives
// the start alone. Every page writes a session's time with it.
func (t *translator) Span(start, end time.Time, primary, other *time.Location, withDate bool) clocks {
	out := clocks{Primary: t.span(start.In(primary), end.In(primary), withDate)}
	if other != nil && other.String() != primary.String() {
		_, po := start.In(primary).Zone()
		_, oo := start.In(other).Zone()
		if po != oo {
			out.Secondary = t.span(start.In(other), end.In(other), withDate)
		}
	}
	return out
}

// span writes one zone's range; a and b are in that zone.
func (t *translator) span(a, b time.Time, withDate bool) string {
	day := t.ShortDay
	if withDate {
		day = t.DateDay
	}
	zone := " " + zoneName(a)
	if !b.After(a) {
		return day(a) + " " + t.Clock(a) + zone
	}
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	if ay != by || am != bm || ad != bd {
		return day(a) + " " + t.Clock(a) + " – " + day(b) + " " + t.Clock(b) + zone
	}
	if (a.Hour() < 12) != (b.Hour() < 12) {
		return day(a) + " " + t.Clock(a) + "–" + t.Clock(b) + zone
	}
	// One half of the day: write it once, after the range in English and
	// before it in Korean.
	if t.lang == "ko" {
		return day(a) + " " + t.Clock(a) + "–" + b.Format("3:04") + zone
	}
	return day(a) + " " + a.Format("3:04") + "–" + t.Clock(b) + zone
}

// DateDay is a date with its weekday, for a time on a session's page:
// "Wed, Dec 2," or "12월 2일 (수)".
func (t *translator) DateDay(tm time.Time) string {
	if t.lang == "ko" {
		return t.Day(tm)
	}
	return tm.Format("Mon, Jan 2,")
}

// When formats tm in the primary zone and, when it differs, in the other:
// "Mon 9:00 AM PST" and "Tue 2:00 AM KST".
func (t *translator) When(tm time.Time, primary, other *time.Location) clocks {
	p := tm.In(primary)
	out := clocks{Primary: t.ShortDay(p) + " " + t.Clock(p) + " " + zoneName(p)}
	if other != nil && other.String() != primary.String() {
		o := tm.In(other)
		_, po := p.Zone()
		_, oo := o.Zone()
		if po != oo {
			out.Secondary = t.ShortDay(o) + " " + t.Clock(o) + " " + zoneName(o)
		}
	}
	return out
}
