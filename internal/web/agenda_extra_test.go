package web

import (
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// A catalog session is named by its code and title; a meetup or party on
// the agenda (no session type) by its title alone, never its key.
func TestSessionRef(t *testing.T) {
	for _, tc := range []struct {
		s    lanyard.Session
		want string
	}{
		{lanyard.Session{Code: "AIM214-R3", Title: "Cut the cost", Type: lanyard.TypeSession}, "AIM214-R3 “Cut the cost”"},
		{lanyard.Session{Code: "MEETUP-2", Title: "Korean speakers"}, "“Korean speakers”"},
	} {
		if got := sessionRef(&tc.s); got != tc.want {
			t.Errorf("sessionRef(%s) = %q, want %q", tc.s.Code, got, tc.want)
		}
		it := agendaItem{Clashes: []*lanyard.Session{&tc.s}}
		if got := it.ClashCodes(); (tc.s.Type == "") == (got == tc.s.Code) {
			t.Errorf("ClashCodes of %s = %q", tc.s.Code, got)
		}
	}
}
