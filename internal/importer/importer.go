package importer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// Format names a catalog file format.
type Format string

// The formats Read understands.
const (
	FormatAuto         Format = ""              // detect from the content
	FormatLanyardJSON  Format = "lanyard-json"  // a lanyard.Catalog as JSON
	FormatLanyardCSV   Format = "lanyard-csv"   // sessions, rooms or travel times as CSV, told apart by header
	FormatFrabXML      Format = "frab-xml"      // frab/pentabarf schedule.xml (pretalx, FOSDEM)
	FormatVOCJSON      Format = "voc-json"      // C3VOC schedule.json (pretalx, frab)
	FormatReinvent     Format = "reinvent"      // re:Invent 2018/2019 portal scrape (gplassard)
	FormatReinvent2025 Format = "reinvent-2025" // re:Invent 2025 catalog (manu-mishra)
)

// Formats lists every explicit format, for help texts.
var Formats = []Format{FormatLanyardJSON, FormatLanyardCSV, FormatFrabXML, FormatVOCJSON, FormatReinvent, FormatReinvent2025}

// MaxFileSize bounds what Read accepts, so a mistaken upload cannot eat the memory.
const MaxFileSize = 256 << 20

// Options carry what a file may not say about itself.
type Options struct {
	// TimeZone is the IANA zone to read naive local times in, when the file
	// names none ("America/Los_Angeles" for re:Invent).
	TimeZone string
	// Year is the year of dates written without one ("Wednesday, Dec 4");
	// 0 lets the reader infer it from other fields.
	Year int
}

// Problem is one thing a reader skipped or doubted.
type Problem struct {
	// Record names the record: its code or id, and its position ("#17 ARC301-R1").
	Record string `json:"record"`
	// Field is the field the problem is in ("times", "level"), empty for the whole record.
	Field string `json:"field,omitempty"`
	// Reason says what was wrong and what the reader did about it.
	Reason string `json:"reason"`
	// Skipped is true when the record was left out, false when it was
	// imported with a doubt (a field dropped or guessed).
	Skipped bool `json:"skipped"`
}

// String formats the problem as one line for a terminal.
func (p Problem) String() string {
	verb := "doubted"
	if p.Skipped {
		verb = "skipped"
	}
	if p.Field == "" {
		return fmt.Sprintf("%s %s: %s", verb, p.Record, p.Reason)
	}
	return fmt.Sprintf("%s %s, field %s: %s", verb, p.Record, p.Field, p.Reason)
}

// Report says what a read found.
type Report struct {
	Format   Format    `json:"format"`
	Records  int       `json:"records"`  // session records read
	Imported int       `json:"imported"` // sessions in the catalog
	Skipped  int       `json:"skipped"`  // session records left out
	Problems []Problem `json:"problems"`
}

// safeRecord keeps a record's name, which quotes the file, free of what a
// terminal or a page would act on (controls, bidi overrides) and short.
func safeRecord(record string) string {
	s, _ := lanyard.CleanText(record, lanyard.TextRule{Max: 200})
	return s
}

func (r *Report) skip(record, field, format string, args ...any) {
	record = safeRecord(record)
	r.Skipped++
	r.Problems = append(r.Problems, Problem{Record: record, Field: field, Reason: fmt.Sprintf(format, args...), Skipped: true})
}

func (r *Report) doubt(record, field, format string, args ...any) {
	record = safeRecord(record)
	r.Problems = append(r.Problems, Problem{Record: record, Field: field, Reason: fmt.Sprintf(format, args...)})
}

// Error is a file that cannot be imported at all. It lists every problem
// found, each naming its record and field.
type Error struct {
	Format   Format
	Problems []Problem
}

// Error implements error with the first few problems.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "importer: %s file rejected, nothing imported (%d problems)", e.Format, len(e.Problems))
	for i, p := range e.Problems {
		if i == 10 {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-10)
			break
		}
		b.WriteString("; ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap makes an import error an EINVALID domain error for errors.Is and ErrorCode.
func (e *Error) Unwrap() error {
	msg := "The file has problems; nothing was imported."
	if len(e.Problems) > 0 {
		msg = fmt.Sprintf("The file has %d problems; nothing was imported. First: %s.", len(e.Problems), e.Problems[0].String())
	}
	return lanyard.Errorf(lanyard.EINVALID, "%s", msg)
}

// reject builds an *Error from one problem.
func reject(f Format, record, field, format string, args ...any) *Error {
	return &Error{Format: f, Problems: []Problem{{Record: record, Field: field, Reason: fmt.Sprintf(format, args...), Skipped: true}}}
}

// Read reads one catalog file of the given format (FormatAuto detects it).
// It returns an *Error, and no catalog, when the file cannot be imported.
func Read(r io.Reader, f Format, opt Options) (*lanyard.Catalog, *Report, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("importer: read: %w", err)
	}
	if len(data) > MaxFileSize {
		return nil, nil, reject(f, "file", "", "larger than %d MiB", MaxFileSize>>20)
	}
	if f == FormatAuto {
		if f, err = Detect(data); err != nil {
			return nil, nil, err
		}
	}
	var (
		cat *lanyard.Catalog
		rep = &Report{Format: f}
	)
	switch f {
	case FormatLanyardJSON:
		cat, err = readLanyardJSON(data, rep)
	case FormatLanyardCSV:
		cat, err = readLanyardCSV(data, rep)
	case FormatFrabXML:
		cat, err = readFrabXML(data, opt, rep)
	case FormatVOCJSON:
		cat, err = readVOCJSON(data, opt, rep)
	case FormatReinvent:
		cat, err = readReinvent(data, opt, rep)
	case FormatReinvent2025:
		cat, err = readReinvent2025(data, opt, rep)
	default:
		return nil, nil, lanyard.Errorf(lanyard.EINVALID, "Unknown import format %q; known formats: %v.", f, Formats)
	}
	if err != nil {
		return nil, nil, err
	}
	rep.Imported = len(cat.Sessions)
	return cat, rep, nil
}

// hasTopKey reports whether a JSON object has key at its top level; a title
// that happens to say "schedule" deeper down does not count.
func hasTopKey(data []byte, key string) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			return false
		}
		if k == key {
			return true
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return false
		}
	}
	return false
}

// Detect guesses a file's format from its first bytes and a few keys.
func Detect(data []byte) (Format, error) {
	head := bytes.TrimLeft(data[:min(len(data), 64<<10)], " \t\r\n\xef\xbb\xbf")
	switch {
	case bytes.HasPrefix(head, []byte("<")):
		return FormatFrabXML, nil
	case bytes.HasPrefix(head, []byte("[")):
		// Both re:Invent shapes are arrays; 2018/2019 records carry "abbr", 2025 ones "code".
		if bytes.Contains(head, []byte(`"abbr"`)) {
			return FormatReinvent, nil
		}
		if bytes.Contains(head, []byte(`"code"`)) {
			return FormatReinvent2025, nil
		}
	case bytes.HasPrefix(head, []byte("{")):
		if hasTopKey(data, "schedule") {
			return FormatVOCJSON, nil
		}
		return FormatLanyardJSON, nil
	case len(head) > 0:
		return FormatLanyardCSV, nil
	}
	return "", reject(FormatAuto, "file", "", "cannot tell the format (empty or unrecognised); name it with --format, one of %v", Formats)
}
