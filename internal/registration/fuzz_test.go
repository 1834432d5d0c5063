package registration

import (
	"os"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// The parsers take files from outside: whatever the bytes, they return rows
// or an error, never panic, and every row they accept and check passes
// lanyard's text rule in every field.
func FuzzParseCSV(f *testing.F) {
	for _, p := range []string{"testdata/eventbrite.csv", "testdata/custom.csv", "testdata/bad.csv", "testdata/pretix-positions.csv", "testdata/orders-only.csv"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("email;name\na@b.c;\"x\ny\"\n")
	f.Fuzz(func(t *testing.T, data string) {
		rows, err := parseCSV(strings.NewReader(data), nil)
		if err != nil {
			if lanyard.ErrorCode(err) != lanyard.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		checkRows(t, rows)
	})
}

func FuzzParsePretix(f *testing.F) {
	for _, p := range []string{"testdata/pretix.json", "testdata/pretix-later.json"} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add(`{"results":[{"code":"X","status":"p","email":"a@b.c","positions":[{"id":1,"item":"T","attendee_name_parts":{"full_name":"Q"}}]}]}`)
	f.Fuzz(func(t *testing.T, data string) {
		rows, err := parsePretix(strings.NewReader(data))
		if err != nil {
			if lanyard.ErrorCode(err) != lanyard.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		checkRows(t, rows)
	})
}

func checkRows(t *testing.T, rows []row) {
	for _, rw := range rows {
		reg, o := check(rw, Options{})
		if o != nil {
			if o.Action == "refused" && !strings.HasPrefix(o.Reason, "field ") {
				t.Fatalf("refusal %q names no field", o.Reason)
			}
			continue
		}
		for name, v := range map[string]string{"name": reg.Name, "email": reg.Email, "company": reg.Company, "job_title": reg.JobTitle,
			"type": reg.Type, "country": reg.Country, "ticket": reg.ExternalID} {
			rule := lanyard.RuleLabel
			if name == "name" {
				rule = lanyard.RuleName
			}
			if v == "" {
				continue
			}
			if err := lanyard.CheckText(name, v, rule); err != nil {
				t.Fatalf("accepted row %d has %s %q: %v", rw.line, name, v, err)
			}
		}
	}
}
