package catalog_test

import (
	"testing"
	"time"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/demo"
	"github.com/lanyardhq/lanyard/internal/lanyard"
)

func mustCatalog(tb testing.TB) *catalog.Catalog {
	tb.Helper()
	ev := &lanyard.Event{ID: 1, Slug: "t", Name: "T", TimeZone: "America/Los_Angeles", StartDate: "2026-11-30", Days: 5}
	// 16:00 UTC is 08:00 in Las Vegas; 07:00 UTC on Dec 1 is still Nov 30 there.
	at := func(day, hour int) time.Time { return time.Date(2026, 11, 30+day, hour, 0, 0, 0, time.UTC) }
	sessions := []*lanyard.Session{
		{Code: "SVS401-R1", Title: "Serverless at scale", Abstract: "Lambda patterns.", Type: lanyard.TypeSession, Level: 400,
			Topics: []string{"Serverless"}, Venue: "venetian", Start: at(1, 17), End: at(1, 18)},
		{Code: "SVS401-R2", Title: "Serverless at scale", Abstract: "Lambda patterns.", Type: lanyard.TypeSession, Level: 400,
			Topics: []string{"Serverless"}, Venue: "mgm", Start: at(2, 17), End: at(2, 18)},
		{Code: "CON301", Title: "Kubernetes networking", Abstract: "Serverless containers on Fargate.", Type: lanyard.TypeChalk, Level: 300,
			Topics: []string{"Containers"}, Venue: "mgm", Start: at(1, 16), End: at(1, 17),
			Speakers: []lanyard.Speaker{{Name: "김지현", Company: "Acme"}}},
		{Code: "KEY001", Title: "CEO keynote", Abstract: "채널과 함께하는 발표.", Type: lanyard.TypeKeynote, Level: 100,
			Topics: []string{"General"}, Venue: "venetian", Start: at(1, 7), End: at(1, 9)},
		{Code: "DAT200", Title: "Databases, unscheduled", Type: lanyard.TypeWorkshop, Level: 200},
	}
	c, err := catalog.New(ev, nil, nil, sessions)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func codes(ss []*lanyard.Session) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Code
	}
	return out
}

func TestSearch(t *testing.T) {
	c := mustCatalog(t)
	tests := []struct {
		name  string
		f     lanyard.SessionFilter
		want  []string
		total int
	}{
		{"all in catalog order, unscheduled last", lanyard.SessionFilter{}, []string{"KEY001", "CON301", "SVS401-R1", "SVS401-R2", "DAT200"}, 5},
		{"title matches first", lanyard.SessionFilter{Query: "serverless"}, []string{"SVS401-R1", "SVS401-R2", "CON301"}, 3},
		{"prefix", lanyard.SessionFilter{Query: "kube"}, []string{"CON301"}, 1},
		{"every word must match", lanyard.SessionFilter{Query: "serverless fargate"}, []string{"CON301"}, 1},
		{"code", lanyard.SessionFilter{Query: "svs401-r2"}, []string{"SVS401-R2"}, 1},
		{"speaker in Hangul", lanyard.SessionFilter{Query: "김지현"}, []string{"CON301"}, 1},
		{"Korean word with a particle", lanyard.SessionFilter{Query: "채널"}, []string{"KEY001"}, 1},
		{"case-insensitive", lanyard.SessionFilter{Query: "LAMBDA"}, []string{"SVS401-R1", "SVS401-R2"}, 2},
		{"no match", lanyard.SessionFilter{Query: "cobol"}, []string{}, 0},
		// KEY001 starts 07:00 UTC Dec 1, which is Nov 30 in Las Vegas.
		{"day in the event's zone", lanyard.SessionFilter{Days: []string{"2026-11-30"}}, []string{"KEY001"}, 1},
		{"day", lanyard.SessionFilter{Days: []string{"2026-12-01"}}, []string{"CON301", "SVS401-R1"}, 2},
		{"venue and type", lanyard.SessionFilter{Venues: []string{"mgm"}, Types: []lanyard.SessionType{lanyard.TypeSession}}, []string{"SVS401-R2"}, 1},
		{"level", lanyard.SessionFilter{Levels: []int{300}}, []string{"CON301"}, 1},
		{"topic ignores case", lanyard.SessionFilter{Topics: []string{"serverless"}}, []string{"SVS401-R1", "SVS401-R2"}, 2},
		{"query and filter", lanyard.SessionFilter{Query: "serverless", Venues: []string{"mgm"}}, []string{"SVS401-R2", "CON301"}, 2},
		{"page", lanyard.SessionFilter{Offset: 1, Limit: 2}, []string{"CON301", "SVS401-R1"}, 5},
		{"page past the end", lanyard.SessionFilter{Offset: 10}, []string{}, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := c.Search(tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if total != tt.total {
				t.Errorf("total=%d, want %d", total, tt.total)
			}
			if g := codes(got); len(g) != len(tt.want) || (len(g) > 0 && !equal(g, tt.want)) {
				t.Errorf("got %v, want %v", g, tt.want)
			}
		})
	}
}

func equal(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

func TestSearchRejects(t *testing.T) {
	c := mustCatalog(t)
	for _, f := range []lanyard.SessionFilter{
		{Limit: -1}, {Limit: catalog.MaxLimit + 1}, {Offset: -1}, {Types: []lanyard.SessionType{"party"}}, {Levels: []int{250}}, {Days: []string{"Tuesday"}}, {Sort: "seats"},
		{Query: string(make([]byte, 201))},
	} {
		if _, _, err := c.Search(f); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Errorf("Search(%+v): err=%v, want EINVALID", f, err)
		}
	}
}

func TestSession(t *testing.T) {
	c := mustCatalog(t)
	s, err := c.Session("CON301")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Day(s), "2026-12-01"; got != want {
		t.Fatalf("day=%s, want %s", got, want)
	}
	if _, err := c.Session("nope"); lanyard.ErrorCode(err) != lanyard.ENOTFOUND {
		t.Fatalf("err=%v, want ENOTFOUND", err)
	}
}

// TestSearchAllMatchesSearch: SearchAll is every page of Search, in order.
func TestSearchAllMatchesSearch(t *testing.T) {
	gen := demo.Generate(demo.Options{Seed: 1, Attendees: 1})
	sessions := make([]*lanyard.Session, len(gen.Catalog.Sessions))
	for i := range gen.Catalog.Sessions {
		sessions[i] = &gen.Catalog.Sessions[i]
	}
	c, err := catalog.New(&gen.Catalog.Event, gen.Catalog.Venues, gen.Catalog.Travel, sessions)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []lanyard.SessionFilter{{}, {Query: "serverless"}, {Types: []lanyard.SessionType{lanyard.TypeWorkshop}, Levels: []int{300}}, {Query: "genai", Sort: lanyard.SortTitle}, {Query: "zzzznothing"}} {
		all, err := c.SearchAll(f)
		if err != nil {
			t.Fatal(err)
		}
		var paged []*lanyard.Session
		for f.Offset = 0; ; f.Offset += 7 {
			f.Limit = 7
			page, total, err := c.Search(f)
			if err != nil {
				t.Fatal(err)
			}
			paged = append(paged, page...)
			if len(paged) >= total {
				break
			}
		}
		if len(all) != len(paged) {
			t.Fatalf("%+v: SearchAll %d, paged Search %d", f, len(all), len(paged))
		}
		for i := range all {
			if all[i] != paged[i] {
				t.Fatalf("%+v: position %d differs: %s vs %s", f, i, all[i].Code, paged[i].Code)
			}
		}
	}
	if _, err := c.SearchAll(lanyard.SessionFilter{Levels: []int{250}}); lanyard.ErrorCode(err) != lanyard.EINVALID {
		t.Errorf("bad level: %v", err)
	}
}
