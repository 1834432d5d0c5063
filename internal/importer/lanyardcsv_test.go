package importer

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// TestReadLanyardCSV reads the three CSV files that say what
// lanyard_catalog.json says, and checks that they say the same.
func TestReadLanyardCSV(t *testing.T) {
	want, _ := mustImport(t, mustReadFixture(t, "lanyard_catalog.json"), FormatLanyardJSON, Options{})

	sessions, rep := mustImport(t, mustReadFixture(t, "lanyard_sessions.csv"), FormatAuto, Options{})
	if got, want := rep.Format, FormatLanyardCSV; got != want {
		t.Fatalf("Format=%q, want %q", got, want)
	}
	if rep.Records != 3 || rep.Imported != 3 || len(rep.Problems) != 0 {
		t.Errorf("report=%+v, want 3 records imported without problems", rep)
	}
	if sessions.Event != (lanyard.Event{}) || sessions.Venues != nil || sessions.Travel != nil {
		t.Errorf("sessions file gave more than sessions: %+v", sessions)
	}
	if !reflect.DeepEqual(sessions.Sessions, want.Sessions) {
		t.Errorf("sessions:\n%+v\nwant\n%+v", sessions.Sessions, want.Sessions)
	}

	rooms, rep := mustImport(t, mustReadFixture(t, "lanyard_rooms.csv"), FormatAuto, Options{})
	if rep.Records != 0 || rooms.Sessions != nil {
		t.Errorf("rooms file: report=%+v sessions=%v", rep, rooms.Sessions)
	}
	if !reflect.DeepEqual(rooms.Venues, want.Venues) {
		t.Errorf("venues=%+v, want %+v", rooms.Venues, want.Venues)
	}

	travel, _ := mustImport(t, mustReadFixture(t, "lanyard_travel.csv"), FormatAuto, Options{})
	if !reflect.DeepEqual(travel.Travel, want.Travel) {
		t.Errorf("travel=%+v, want %+v", travel.Travel, want.Travel)
	}
}

func TestReadLanyardCSVMalformed(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string // record|field of every problem
	}{
		{"lanyard_sessions_missing_column.csv", []string{"line 1|title", "line 1|type"}},
		{"lanyard_sessions_unknown_column.csv", []string{"line 1|speaker_notes"}},
		{"lanyard_sessions_bad_syntax.csv", []string{"line 2|"}},
		{"lanyard_sessions_bad_level.csv", []string{"line 3 ARC319-R2|level"}},
		{"lanyard_sessions_end_before_start.csv", []string{"line 2 ARC319-R1|end"}},
		{"lanyard_sessions_duplicate_code.csv", []string{"line 4 ARC319-R1|code"}},
		{"lanyard_rooms_bad.csv", []string{"line 3 mgm|capacity", "line 4 aria|room"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			e := mustReject(t, mustReadFixture(t, tc.file), FormatLanyardCSV, Options{})
			if got, want := e.Format, FormatLanyardCSV; got != want {
				t.Errorf("Format=%q, want %q", got, want)
			}
			if got := problemKeys(e.Problems); !slices.Equal(got, tc.want) {
				t.Errorf("problems=%v, want %v\n%v", got, tc.want, e)
			}
		})
	}
	e := mustReject(t, mustReadFixture(t, "lanyard_sessions_duplicate_code.csv"), FormatLanyardCSV, Options{})
	if got, want := e.Problems[0].Reason, "also on line 2"; !strings.Contains(got, want) {
		t.Errorf("duplicate reason=%q, want it to contain %q", got, want)
	}
}

func TestReadLanyardCSVProblems(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		want       []string // record|field of every problem
	}{
		{"empty", "", []string{"file|"}},
		{"unknown header", "name,email\nAna,ana@example.com\n", []string{"line 1|"}},
		{"repeated column", "code,title,type,title\nA,T,session,T\n", []string{"line 1|title"}},
		{"unnamed column", "code,title,type,\nA,T,session,\n", []string{"line 1|"}},
		{"field count", "code,title,type\nA,T\nB,T,session\nC,T,bogus\n", []string{"line 2|", "line 4 C|type"}},
		{"every field", "\ufeffcode,title,type,level,speakers,start,end,capacity,reservable\n" +
			"A,,talk,high,|CEO|X;Ana|b|c|d,yesterday,,-2,maybe\n",
			[]string{"line 2 A|level", "line 2 A|speakers", "line 2 A|speakers", "line 2 A|start",
				"line 2 A|reservable", "line 2 A|title", "line 2 A|type", "line 2 A|capacity"}},
		{"travel", "from,to,walk_minutes,shuttle_minutes\naria,mgm,ten,-1\n,mgm,5,\naria,mgm,1,2\n",
			[]string{"line 2 aria-mgm|walk_minutes", "line 2 aria-mgm|shuttle_minutes", "line 3 mgm|from", "line 4 aria-mgm|to"}},
		{"travel missing column", "from,to,walk_minutes\naria,mgm,5\n", []string{"line 1|shuttle_minutes"}},
		{"rooms", "venue,venue_name,room,capacity\naria,Aria,A,\n,Aria,B,5\naria,Aria,,5\nmgm,MGM,C,1\nmgm,MGM Grand,D,1\n",
			[]string{"line 2 aria|capacity", "line 3|venue", "line 4 aria|room", "line 6 mgm|venue_name"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := mustReject(t, []byte(tc.data), FormatLanyardCSV, Options{})
			if got := problemKeys(e.Problems); !slices.Equal(got, tc.want) {
				t.Errorf("problems=%v, want %v\n%v", got, tc.want, e)
			}
		})
	}
}

func TestReadLanyardCSVLists(t *testing.T) {
	data := "type,code,title,topics,speakers,reservable\n" +
		"chalk-talk,A1,T, Serverless ;;Containers; ,Ana Ruiz|Principal SA|AWS; Bo Li ;Cy||ACME,FALSE\n"
	cat, _ := mustImport(t, []byte(data), FormatLanyardCSV, Options{})
	s := mustSession(t, cat, "A1")
	if got, want := s.Topics, []string{"Serverless", "Containers"}; !slices.Equal(got, want) {
		t.Errorf("topics=%q, want %q", got, want)
	}
	want := []lanyard.Speaker{{Name: "Ana Ruiz", JobTitle: "Principal SA", Company: "AWS"}, {Name: "Bo Li"}, {Name: "Cy", Company: "ACME"}}
	if !slices.Equal(s.Speakers, want) {
		t.Errorf("speakers=%+v, want %+v", s.Speakers, want)
	}
	if s.Reservable || s.Type != lanyard.TypeChalk {
		t.Errorf("session=%+v, want a chalk talk, not reservable", s)
	}
}
