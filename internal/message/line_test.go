package message

import (
	"strings"
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// A walk-up call says where to go and by when, in the venue's time, in
// both languages, and a call without its deadline is refused.
func TestRenderLineCalled(t *testing.T) {
	until := time.Date(2026, 12, 3, 16, 55, 0, 0, time.UTC) // 8:55 AM PST
	m := lanyard.Message{Template: lanyard.KindLineCalled, Params: mustEncode(t, LineCalledParams{Code: "S1", Title: "Chalk",
		Room: "Two", Until: until, Minutes: 5, Zones: Zones{VenueZone: "America/Los_Angeles"}})}
	for _, c := range []struct{ lang, subject, text string }{
		{"en", "You're called: go to Two by 8:55 AM PST for S1", "scan your badge by 8:55 AM PST (5 minutes)"},
		{"ko", "입장 차례입니다: 오전 8:55 PST까지 Two(으)로 오세요 (S1)", "5분 이내"},
	} {
		r, err := Render(m, c.lang)
		if err != nil {
			t.Fatal(err)
		}
		if r.Subject != c.subject || !strings.Contains(r.Text, c.text) {
			t.Errorf("%s: subject %q text %q", c.lang, r.Subject, r.Text)
		}
		if r.Link != "/lines" || !strings.Contains(r.HTML, "Two") {
			t.Errorf("%s: link %q", c.lang, r.Link)
		}
	}
	delete(m.Params, "until")
	if _, err := Render(m, "en"); lanyard.ErrorCode(err) != lanyard.EINVALID {
		t.Errorf("a call without until: %v, want invalid", err)
	}
}
