package swag

import (
	"context"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// fakeBadges accepts one token, as the attendee of event 1.
type fakeBadges struct{ good string }

func (f fakeBadges) Verify(_ context.Context, tok string) (*lanyard.Attendee, error) {
	if tok == f.good {
		return &lanyard.Attendee{ID: 7, EventID: 1, Name: "Ada"}, nil
	}
	return nil, lanyard.Errorf(lanyard.EBadgeInvalid, "This is not a valid badge.")
}

var wholeToken = regexp.MustCompile(`^LY1[A-Z2-7]{20,60}$`)

// FuzzScanned feeds whatever a scanner or a person may type to the code
// reader: it never panics, finds at most a well-formed token inside the
// text, and answers the attendee or one of the scan's error codes.
func FuzzScanned(f *testing.F) {
	good := "LY1" + strings.Repeat("AB2C", 8)
	for _, s := range []string{"", " ", good, strings.ToLower(good), "https://x.example/b/" + good + "?q=1", "LY1", "LY1" + strings.Repeat("A", 70),
		"ly1abc", "\x00\xff", strings.Repeat("x", 400) + good, "a@b.example", "12345"} {
		f.Add(s)
	}
	ev := &lanyard.Event{ID: 1, Slug: "f", Name: "F", TimeZone: "UTC", StartDate: "2026-12-01", Days: 1}
	cat, err := catalog.New(ev, nil, nil, nil)
	if err != nil {
		f.Fatal(err)
	}
	var cur atomic.Pointer[catalog.Catalog]
	cur.Store(cat)
	h := &Handler{Catalog: &cur, Badges: fakeBadges{good: good}}
	f.Fuzz(func(t *testing.T, code string) {
		if tok := tokenIn.FindString(strings.ToUpper(code)); tok != "" && (!wholeToken.MatchString(tok) || !strings.Contains(strings.ToUpper(code), tok)) {
			t.Fatalf("token %q from %q", tok, code)
		}
		a, err := h.scanned(context.Background(), code)
		switch c := lanyard.ErrorCode(err); {
		case err == nil:
			if a.ID != 7 || len(code) > maxCode {
				t.Fatalf("%q read as %+v", code, a)
			}
		case c == lanyard.EINVALID:
			if strings.TrimSpace(code) != "" {
				t.Fatalf("%q: empty?", code)
			}
		case c != lanyard.EBadgeInvalid:
			t.Fatalf("%q: %v", code, err)
		}
	})
}
