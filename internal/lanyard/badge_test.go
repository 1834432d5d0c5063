package lanyard

import "testing"

func TestFamilyName(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"Ada Lovelace", "Lovelace"},
		{"Jean-Luc de la Cruz", "Cruz"},
		{"田中 陽菜", "田中"},
		{"김민지", "김"},
		{"Kim Min-ji", "Min-ji"},
		{"Plato", "Plato"},
		{"  ", ""},
	} {
		if got := FamilyName(tc.name); got != tc.want {
			t.Errorf("FamilyName(%q) = %q; want %q", tc.name, got, tc.want)
		}
	}
}

func TestTravelTimeFastest(t *testing.T) {
	for _, tc := range []struct {
		walk, shuttle, want int
		onFoot              bool
	}{
		{25, 20, 20, false},
		{15, 20, 15, true},
		{20, 20, 20, true}, // walking wins a tie
		{0, 30, 30, false}, // an unknown way is ignored
		{40, 0, 40, true},
		{0, 0, 0, false},
	} {
		m, walk := TravelTime{WalkMinutes: tc.walk, ShuttleMinutes: tc.shuttle}.Fastest()
		if m != tc.want || walk != tc.onFoot {
			t.Errorf("walk %d, shuttle %d: %d, %v; want %d, %v", tc.walk, tc.shuttle, m, walk, tc.want, tc.onFoot)
		}
	}
}
