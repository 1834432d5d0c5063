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
