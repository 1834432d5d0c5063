package catalog_test

import (
	"maps"
	"testing"

	"github.com/lanyardhq/lanyard/internal/catalog"
	"github.com/lanyardhq/lanyard/internal/demo"
	"github.com/lanyardhq/lanyard/internal/lanyard"
)

func demoCatalog(tb testing.TB) *catalog.Catalog {
	tb.Helper()
	gen := demo.Generate(demo.Options{Seed: 1, Attendees: 1})
	sessions := make([]*lanyard.Session, len(gen.Catalog.Sessions))
	for i := range gen.Catalog.Sessions {
		sessions[i] = &gen.Catalog.Sessions[i]
	}
	c, err := catalog.New(&gen.Catalog.Event, gen.Catalog.Venues, gen.Catalog.Travel, sessions)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// TestSearchVocabulary: topics are searched, and the words people type
// find the words the catalog uses.
func TestSearchVocabulary(t *testing.T) {
	ev := &lanyard.Event{ID: 1, Slug: "t", Name: "T", TimeZone: "UTC", StartDate: "2026-11-30", Days: 1}
	sessions := []*lanyard.Session{
		{Code: "AIM101", Title: "Agents in practice", Abstract: "Build agents.", Topics: []string{"Generative AI"}},
		{Code: "AIM102", Title: "Gen AI for builders", Abstract: "Models."},
		{Code: "AIM103", Title: "Aims and goals", Abstract: "Planning."},
		{Code: "CON201", Title: "Clusters at scale", Abstract: "Running Kubernetes well.", Topics: []string{"Containers"}},
		{Code: "CON202", Title: "Amazon EKS upgrades", Abstract: "Node groups."},
		{Code: "SVS301", Title: "Event-driven APIs", Abstract: "Queues.", Topics: []string{"Serverless"}},
		{Code: "SVS302", Title: "Serverless patterns", Abstract: "Lambda."},
		{Code: "ML100", Title: "Machine learning basics", Abstract: "Training."},
	}
	c, err := catalog.New(ev, nil, nil, sessions)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q    string
		want []string
	}{
		{"serverless", []string{"SVS301", "SVS302"}}, // the topic counts as much as the title
		{"genai", []string{"AIM101", "AIM102"}},      // "ai" is whole in a synonym: not "Aims"
		{"GenAI", []string{"AIM101", "AIM102"}},
		{"k8s", []string{"CON202", "CON201"}}, // EKS is in a title, Kubernetes in an abstract
		{"kubernetes", []string{"CON202", "CON201"}},
		{"ml", []string{"ML100"}},
		{"쿠버네티스", []string{"CON202", "CON201"}},
		{"containers", []string{"CON201"}},
		{"k8s upgrades", []string{"CON202"}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			got, _, err := c.Search(lanyard.SessionFilter{Query: tt.q})
			if err != nil {
				t.Fatal(err)
			}
			if g := codes(got); !equal(g, tt.want) {
				t.Errorf("got %v, want %v", g, tt.want)
			}
		})
	}
}

// TestSearchDemoVocabulary: on the demo catalog, "serverless" finds at
// least the Serverless topic, and "genai" and "k8s" find sessions.
func TestSearchDemoVocabulary(t *testing.T) {
	c := demoCatalog(t)
	_, topic, err := c.Search(lanyard.SessionFilter{Topics: []string{"Serverless"}})
	if err != nil {
		t.Fatal(err)
	}
	_, text, err := c.Search(lanyard.SessionFilter{Query: "serverless"})
	if err != nil {
		t.Fatal(err)
	}
	if topic == 0 || text < topic {
		t.Errorf(`"serverless" finds %d sessions, the Serverless topic holds %d`, text, topic)
	}
	_, genTopic, _ := c.Search(lanyard.SessionFilter{Topics: []string{"Generative AI"}})
	for _, q := range []string{"genai", "k8s", "eks", "iac"} {
		_, n, err := c.Search(lanyard.SessionFilter{Query: q})
		if err != nil || n == 0 {
			t.Errorf("%q: %d sessions, err %v; want some", q, n, err)
		}
		if q == "genai" && n < genTopic {
			t.Errorf(`"genai" finds %d, the Generative AI topic holds %d`, n, genTopic)
		}
	}
}

func TestSearchManyValues(t *testing.T) {
	c := mustCatalog(t)
	tests := []struct {
		name string
		f    lanyard.SessionFilter
		want []string
	}{
		{"two venues are or", lanyard.SessionFilter{Venues: []string{"mgm", "venetian"}, Types: []lanyard.SessionType{lanyard.TypeSession}},
			[]string{"SVS401-R1", "SVS401-R2"}},
		{"two days", lanyard.SessionFilter{Days: []string{"2026-11-30", "2026-12-02"}}, []string{"KEY001", "SVS401-R2"}},
		{"two levels and a topic", lanyard.SessionFilter{Levels: []int{100, 300}, Topics: []string{"general", "Containers"}},
			[]string{"KEY001", "CON301"}},
		{"facets and", lanyard.SessionFilter{Levels: []int{100, 300}, Venues: []string{"mgm"}}, []string{"CON301"}},
		{"sort by title", lanyard.SessionFilter{Sort: lanyard.SortTitle}, []string{"KEY001", "DAT200", "CON301", "SVS401-R1", "SVS401-R2"}},
		{"sort by time ignores title matches", lanyard.SessionFilter{Query: "serverless", Sort: lanyard.SortTime}, []string{"CON301", "SVS401-R1", "SVS401-R2"}},
		{"relevance puts title matches first", lanyard.SessionFilter{Query: "serverless"}, []string{"SVS401-R1", "SVS401-R2", "CON301"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.SearchAll(tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if g := codes(got); !equal(g, tt.want) {
				t.Errorf("got %v, want %v", g, tt.want)
			}
		})
	}
}

// TestFacets: each facet is counted with the query and the other facets'
// choices, but not its own.
func TestFacets(t *testing.T) {
	c := mustCatalog(t)
	f := lanyard.SessionFilter{Query: "serverless", Venues: []string{"mgm"}}
	got, err := c.Facets(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	// "serverless" matches SVS401-R1 (venetian), SVS401-R2 and CON301 (mgm).
	if want := map[string]int{"mgm": 2, "venetian": 1}; !maps.Equal(got.Venues, want) {
		t.Errorf("venues %v, want %v", got.Venues, want)
	}
	if want := map[string]int{"2026-12-01": 1, "2026-12-02": 1}; !maps.Equal(got.Days, want) {
		t.Errorf("days %v, want %v", got.Days, want)
	}
	if want := map[lanyard.SessionType]int{lanyard.TypeSession: 1, lanyard.TypeChalk: 1}; !maps.Equal(got.Types, want) {
		t.Errorf("types %v, want %v", got.Types, want)
	}
	if want := map[string]int{"serverless": 1, "containers": 1}; !maps.Equal(got.Topics, want) {
		t.Errorf("topics %v, want %v", got.Topics, want)
	}
	if want := map[int]int{300: 1, 400: 1}; !maps.Equal(got.Levels, want) {
		t.Errorf("levels %v, want %v", got.Levels, want)
	}

	// keep narrows every count.
	got, err = c.Facets(lanyard.SessionFilter{}, func(s *lanyard.Session) bool { return s.Level >= 300 })
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"mgm": 2, "venetian": 1}; !maps.Equal(got.Venues, want) {
		t.Errorf("kept venues %v, want %v", got.Venues, want)
	}
	if _, err := c.Facets(lanyard.SessionFilter{Levels: []int{7}}, nil); lanyard.ErrorCode(err) != lanyard.EINVALID {
		t.Errorf("bad level: err=%v, want EINVALID", err)
	}
}

// TestFacetsAgreeWithSearch: choosing a value finds as many sessions as
// its count said, on the demo catalog.
func TestFacetsAgreeWithSearch(t *testing.T) {
	c := demoCatalog(t)
	base := lanyard.SessionFilter{Query: "data", Levels: []int{200, 300}}
	fc, err := c.Facets(base, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(fc.Venues) == 0 {
		t.Fatal("no venue counts")
	}
	for v, n := range fc.Venues {
		f := base
		f.Venues = []string{v}
		_, total, err := c.Search(f)
		if err != nil {
			t.Fatal(err)
		}
		if total != n {
			t.Errorf("venue %s: count %d, search finds %d", v, n, total)
		}
	}
	for l, n := range fc.Levels {
		f := base
		f.Levels = []int{l}
		if _, total, _ := c.Search(f); total != n {
			t.Errorf("level %d: count %d, search finds %d", l, n, total)
		}
	}
}
