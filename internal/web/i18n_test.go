package web

import (
	"encoding/json"
	"maps"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestLocalesMatch checks that both languages define the same messages and
// that each renders with the arguments the code passes (no "<no value>").
func TestLocalesMatch(t *testing.T) {
	keys := map[string][]string{}
	for _, tag := range languages {
		b, err := localeFiles.ReadFile("locales/" + tag.String() + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", tag, err)
		}
		keys[tag.String()] = slices.Sorted(maps.Keys(m))
	}
	if en, ko := keys["en"], keys["ko"]; !slices.Equal(en, ko) {
		t.Errorf("en and ko differ in their keys:\nen only: %v\nko only: %v", missing(en, ko), missing(ko, en))
	}
	for _, tag := range languages {
		tr := translatorFor(tag.String())
		for _, id := range keys["en"] {
			if got := tr.T(id, "Count", 2, "Position", 1, "Min", 10, "Max", 256, "Name", "x", "Email", "x", "Event", "x",
				"Link", "x", "Minutes", 5, "Days", 7, "Hours", 4.5, "Code", "x", "Level", 100, "Zone", "x", "Page", 1, "Pages", 2,
				"Sessions", 3, "Wait", 1, "From", "a", "To", "b", "Need", 20, "Gap", 5, "Mode", "walk", "Venue", "v", "FromVenue", "v", "ToVenue", "w", "Start", "9:00", "End", "17:00", "When", "x", "Codes", "x", "Value", 40, "Limit", 70); got == id || strings.Contains(got, "<no value>") {
				t.Errorf("%s: message %s renders as %q", tag, id, got)
			}
		}
	}
}

func missing(a, b []string) []string {
	var out []string
	for _, k := range a {
		if !slices.Contains(b, k) {
			out = append(out, k)
		}
	}
	return out
}

func TestTimesPerLanguage(t *testing.T) {
	vegas, _ := time.LoadLocation("America/Los_Angeles")
	seoul, _ := time.LoadLocation("Asia/Seoul")
	tm := time.Date(2026, 11, 30, 9, 0, 0, 0, vegas) // Monday 09:00 PST = Tuesday 02:00 KST
	for _, tc := range []struct {
		lang, primary, secondary, day string
	}{
		{"en", "Mon 9:00 AM PST", "Tue 2:00 AM KST", "Mon, Nov 30"},
		{"ko", "(월) 오전 9:00 PST", "(화) 오전 2:00 KST", "11월 30일 (월)"},
	} {
		tr := translatorFor(tc.lang)
		got := tr.When(tm, vegas, seoul)
		if got.Primary != tc.primary || got.Secondary != tc.secondary {
			t.Errorf("%s: When = %+v; want %q and %q", tc.lang, got, tc.primary, tc.secondary)
		}
		if got := tr.Day(tm.In(vegas)); got != tc.day {
			t.Errorf("%s: Day = %q; want %q", tc.lang, got, tc.day)
		}
		if got := tr.When(tm, vegas, vegas); got.Secondary != "" {
			t.Errorf("%s: one zone shows a second time %q", tc.lang, got.Secondary)
		}
	}
	if got := translatorFor("ko").Clock(time.Date(2026, 1, 1, 0, 5, 0, 0, time.UTC)); got != "오전 12:05" {
		t.Errorf("midnight in Korean: %q", got)
	}
}

func TestPickLanguage(t *testing.T) {
	for _, tc := range []struct {
		accept, cookie, want string
	}{
		{"", "", "en"},
		{"ko-KR,ko;q=0.9,en;q=0.8", "", "ko"},
		{"fr-FR,fr;q=0.9", "", "en"},
		{"en-US", "ko", "ko"},
		{"ko", "de", "ko"}, // an unknown cookie value is ignored
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Language", tc.accept)
		if tc.cookie != "" {
			r.Header.Set("Cookie", langCookie+"="+tc.cookie)
		}
		if got := pickLanguage(r); got != tc.want {
			t.Errorf("Accept-Language %q, cookie %q: %q; want %q", tc.accept, tc.cookie, got, tc.want)
		}
	}
}

// TestSpan: each zone's range is written whole, so "2:30 PM PST · 7:30 AM
// KST – 3:30 PM" can no longer read as an eight-hour slot.
func TestSpan(t *testing.T) {
	vegas, _ := time.LoadLocation("America/Los_Angeles")
	seoul, _ := time.LoadLocation("Asia/Seoul")
	at := func(d, h, m int) time.Time { return time.Date(2026, 12, d, h, m, 0, 0, vegas) }
	for _, tc := range []struct {
		name, lang       string
		start, end       time.Time
		other            *time.Location
		withDate         bool
		primary, secondy string
	}{
		{"afternoon", "en", at(2, 14, 30), at(2, 15, 30), seoul, false, "Wed 2:30–3:30 PM PST", "Thu 7:30–8:30 AM KST"},
		{"afternoon ko", "ko", at(2, 14, 30), at(2, 15, 30), seoul, false, "(수) 오후 2:30–3:30 PST", "(목) 오전 7:30–8:30 KST"},
		{"one zone", "en", at(2, 9, 0), at(2, 10, 0), vegas, false, "Wed 9:00–10:00 AM PST", ""},
		{"no home", "en", at(2, 9, 0), at(2, 10, 0), nil, false, "Wed 9:00–10:00 AM PST", ""},
		{"across noon", "en", at(2, 11, 30), at(2, 12, 30), nil, false, "Wed 11:30 AM–12:30 PM PST", ""},
		{"across noon ko", "ko", at(2, 11, 30), at(2, 12, 30), nil, false, "(수) 오전 11:30–오후 12:30 PST", ""},
		{"across midnight", "en", at(2, 23, 30), at(3, 0, 30), nil, false, "Wed 11:30 PM – Thu 12:30 AM PST", ""},
		{"across midnight ko", "ko", at(2, 23, 30), at(3, 0, 30), nil, false, "(수) 오후 11:30 – (목) 오전 12:30 PST", ""},
		// 7:00 AM in Vegas is midnight in Seoul: the home range crosses it.
		{"home across midnight", "en", at(2, 6, 30), at(2, 7, 30), seoul, false, "Wed 6:30–7:30 AM PST", "Wed 11:30 PM – Thu 12:30 AM KST"},
		{"with date", "en", at(2, 14, 30), at(2, 15, 30), seoul, true, "Wed, Dec 2, 2:30–3:30 PM PST", "Thu, Dec 3, 7:30–8:30 AM KST"},
		{"with date ko", "ko", at(2, 14, 30), at(2, 15, 30), seoul, true, "12월 2일 (수) 오후 2:30–3:30 PST", "12월 3일 (목) 오전 7:30–8:30 KST"},
		{"no end", "en", at(2, 14, 30), time.Time{}, nil, false, "Wed 2:30 PM PST", ""},
		{"midnight start", "en", at(3, 0, 0), at(3, 1, 0), nil, false, "Thu 12:00–1:00 AM PST", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := translatorFor(tc.lang).Span(tc.start, tc.end, vegas, tc.other, tc.withDate)
			if got.Primary != tc.primary || got.Secondary != tc.secondy {
				t.Errorf("Span = %q · %q, want %q · %q", got.Primary, got.Secondary, tc.primary, tc.secondy)
			}
		})
	}
}
