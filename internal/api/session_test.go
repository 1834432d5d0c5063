package api

import (
	"net/url"
	"slices"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// TestParseFilterRepeats: a repeated facet is several choices, as in the
// web catalog's shareable URLs.
func TestParseFilterRepeats(t *testing.T) {
	q, _ := url.ParseQuery("venue=mgm&venue=wynn&level=200&level=300&type=workshop&topic=Serverless&day=&sort=title")
	f, err := parseFilter(q)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.Venues, []string{"mgm", "wynn"}; !slices.Equal(got, want) {
		t.Errorf("Venues=%v, want %v", got, want)
	}
	if got, want := f.Levels, []int{200, 300}; !slices.Equal(got, want) {
		t.Errorf("Levels=%v, want %v", got, want)
	}
	if got, want := f.Types, []lanyard.SessionType{lanyard.TypeWorkshop}; !slices.Equal(got, want) {
		t.Errorf("Types=%v, want %v", got, want)
	}
	if f.Days != nil || f.Sort != "title" || !slices.Equal(f.Topics, []string{"Serverless"}) {
		t.Errorf("Days=%v Sort=%q Topics=%v, want none, title, [Serverless]", f.Days, f.Sort, f.Topics)
	}
	if _, err := parseFilter(url.Values{"level": {"300", "x"}}); lanyard.ErrorCode(err) != lanyard.EINVALID {
		t.Errorf("level=x: err=%v, want EINVALID", err)
	}
}
