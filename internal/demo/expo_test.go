package demo

import (
	"slices"
	"testing"
)

// The expo's exhibitors: the sponsors first (the exhibitor accounts' employers),
// unique codes that are booth paths, and Monday giveaways.
func TestExpo(t *testing.T) {
	xs := Expo()
	if len(xs) != 24 {
		t.Fatalf("%d exhibitors, want 24", len(xs))
	}
	codes := map[string]bool{}
	booths := map[string]bool{}
	giveaways := 0
	for i, x := range xs {
		if i < len(sponsors) && x.Name != sponsors[i] {
			t.Errorf("exhibitor %d is %s, want the sponsor %s", i, x.Name, sponsors[i])
		}
		if codes[x.Code] || booths[x.Booth] || x.Code == "" || slices.Contains([]string{"route", "events", "static"}, x.Code) {
			t.Errorf("code %q / booth %q repeated or reserved", x.Code, x.Booth)
		}
		codes[x.Code], booths[x.Booth] = true, true
		for _, e := range x.Events {
			if e.Kind == "giveaway" && e.Day == 0 {
				giveaways++
			}
			if e.Day == 0 && e.Hour < 16 {
				t.Errorf("%s: %q before the expo opens Monday 4 PM", x.Name, e.Title)
			}
		}
	}
	if giveaways == 0 {
		t.Error("no first-day giveaway")
	}
	if !slices.EqualFunc(xs, Expo(), func(a, b ExpoExhibitor) bool { return a.Code == b.Code && a.Booth == b.Booth }) {
		t.Error("not deterministic")
	}
}
