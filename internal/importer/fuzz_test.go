package importer

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRead feeds Read arbitrary bytes: it must not panic, and it must either
// fail or return a catalog whose every session is valid.
func FuzzRead(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		base := filepath.Base(name)
		if !strings.HasPrefix(base, "lanyard_") && !strings.HasPrefix(base, "reinvent_") {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		``,
		`[]`,
		`{}`,
		`null`,
		`[{"abbr": "X1", "title": "T", "times": "Wednesday, Dec 4, 11:59 PM - 12:00 AM", "start": "2019-12-04"}]`,
		`[{"abbr": "X1", "title": "[REPEAT 1]", "rooms": ",", "hotel": "A B"}]`,
		`[{"code": "X1", "title": "T", "attributes": {"level": ["500"]}, "speakers": [{}]}]`,
		"code,title,type\nA,T,session\n",
		"venue,room,capacity\naria,A,1\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cat, rep, err := Read(bytes.NewReader(data), FormatAuto, Options{})
		if err != nil {
			if cat != nil || rep != nil {
				t.Fatalf("error %v came with a catalog or report", err)
			}
			var ierr *Error
			if errors.As(err, &ierr) && len(ierr.Problems) == 0 {
				t.Fatalf("an *Error without problems")
			}
			return
		}
		if cat == nil || rep == nil {
			t.Fatalf("no error, but catalog=%v report=%v", cat, rep)
		}
		for _, s := range cat.Sessions {
			if err := s.Validate(); err != nil {
				t.Fatalf("format %s: session %q: %v", rep.Format, s.Code, err)
			}
		}
		// The re:Invent readers also make the event; CSV leaves it to the caller.
		if rep.Format == FormatReinvent || rep.Format == FormatReinvent2025 || rep.Format == FormatLanyardJSON {
			if err := cat.Event.Validate(); err != nil {
				t.Fatalf("format %s: event: %v", rep.Format, err)
			}
		}
	})
}
