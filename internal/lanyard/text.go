package lanyard

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TextRule is what one text field may hold. Every text that enters lanyard
// (an import, a form, an API body) is held to the rule of its field:
//
//   - valid UTF-8;
//   - no control characters: C0 (U+0000–U+001F), DEL and C1 (U+007F–U+009F),
//     and the Unicode line and paragraph separators (U+2028, U+2029), except
//     tab, newline and a carriage return before a newline in a multi-line field;
//   - no bidi embedding, override or isolate characters (U+202A–U+202E,
//     U+2066–U+2069), which reorder the text around them on a page. The
//     marks LRM, RLM and ALM (U+200E, U+200F, U+061C) are allowed: they only
//     set the direction of neutral characters next to them, and right-to-left
//     names need them;
//   - at most Max characters (runes);
//   - with Visible, at least one visible character: a name of only spaces,
//     zero-width or other format characters, or blank letters (U+3164
//     HANGUL FILLER) is refused.
type TextRule struct {
	Max       int  // most characters (runes) allowed
	MultiLine bool // tab and newline allowed (an abstract)
	Visible   bool // at least one visible character required (a name, a title)
}

// The rules of lanyard's text fields.
var (
	// RuleName is a person's name.
	RuleName = TextRule{Max: 200, Visible: true}
	// RuleTitle is a session's or an event's title.
	RuleTitle = TextRule{Max: 500, Visible: true}
	// RuleLabel is a short one-line text: a company, a job title, a topic, a room.
	RuleLabel = TextRule{Max: 200, Visible: true}
	// RuleAbstract is a session's description.
	RuleAbstract = TextRule{Max: 20000, MultiLine: true}
)

// CheckText returns nil if value follows rule, and otherwise an EINVALID
// error with Field set to field (the input's name: "name", "job_title",
// "speakers[0].name") whose message names it and says what is wrong and where.
func CheckText(field, value string, rule TextRule) error {
	if !utf8.ValidString(value) {
		return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf("%s is not valid UTF-8 text.", label(field))}
	}
	n, visible := 0, false
	for i, r := range value {
		n++
		if why := refused(r, value[i+utf8.RuneLen(r):], rule); why != "" {
			return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf("%s contains %s (U+%04X, character %d); remove it.", label(field), why, r, n)}
		}
		visible = visible || isVisible(r)
	}
	switch {
	case rule.Max > 0 && n > rule.Max:
		return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf("%s is %d characters long; the most is %d.", label(field), n, rule.Max)}
	case rule.Visible && !visible:
		return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf("%s needs at least one visible character.", label(field))}
	}
	return nil
}

// CleanText returns value made to follow rule, for lenient imports that
// keep a record rather than refuse it: invalid bytes become U+FFFD, line
// breaks in a one-line field become spaces, other refused characters are
// dropped, and the text is cut to rule.Max characters. ok is false when no
// cleaning can satisfy the rule (a Visible field with nothing visible): the
// caller then skips the record or derives the field another way.
func CleanText(value string, rule TextRule) (clean string, ok bool) {
	value = strings.ToValidUTF8(value, "\uFFFD")
	var b strings.Builder
	n := 0
	for i, r := range value {
		if rule.Max > 0 && n == rule.Max {
			break
		}
		switch {
		case r == '\r' || r == '\n' || r == '\u2028' || r == '\u2029':
			if rule.MultiLine {
				// \r\n stays; a lone \r and the separators become \n.
				if r != '\r' || !strings.HasPrefix(value[i+1:], "\n") {
					r = '\n'
				}
			} else {
				r = ' '
			}
		case r == '\t' && !rule.MultiLine:
			r = ' '
		case refused(r, value[i+utf8.RuneLen(r):], rule) != "":
			continue
		}
		b.WriteRune(r)
		n++
	}
	// A cut between \r and \n leaves a lone \r.
	clean = strings.TrimSuffix(b.String(), "\r")
	return clean, CheckText("text", clean, rule) == nil
}

// label writes a field name for a sentence: "job_title" → "Job title".
func label(field string) string {
	s := strings.ReplaceAll(field, "_", " ")
	if s == "" {
		return "Text"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// refused says why r may not be in a field of rule ("" when it may); rest
// is the text after r, to tell a \r\n line break from a lone \r.
func refused(r rune, rest string, rule TextRule) string {
	switch {
	case rule.MultiLine && (r == '\t' || r == '\n'):
		return ""
	case rule.MultiLine && r == '\r' && strings.HasPrefix(rest, "\n"):
		return ""
	case r < 0x20 || (r >= 0x7f && r <= 0x9f):
		if r == '\n' || r == '\r' || r == '\t' {
			return "a line break or tab, which this one-line field cannot hold"
		}
		return "a control character"
	case r == '\u2028' || r == '\u2029':
		return "a line or paragraph separator"
	case (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069'):
		return "a bidirectional override character, which reorders the text around it"
	case r == utf8.RuneError:
		return "" // U+FFFD itself, as CleanText writes for invalid bytes
	}
	return ""
}

// isVisible reports whether r draws something on its own: a letter, digit,
// mark-free symbol or punctuation, not a space, a format character (U+200B
// ZERO WIDTH SPACE, U+FEFF), a combining mark or a blank letter.
func isVisible(r rune) bool {
	switch r {
	case '\u115f', '\u1160', '\u3164', '\uffa0', '\u2800': // Hangul fillers, braille blank
		return false
	}
	return unicode.IsGraphic(r) && !unicode.IsSpace(r) && !unicode.Is(unicode.Cf, r) && !unicode.Is(unicode.M, r)
}

// Session codes name a session in URLs, files and on the command line, so
// they are held to a safe alphabet: ASCII letters and digits, '-', '_' and
// '.', starting with a letter or digit (never a dot: "." and ".." are path
// segments), at most MaxCodeLen characters.
const MaxCodeLen = 64

// CheckCode returns nil if code is a valid session code, and otherwise an
// EINVALID error naming the field "code".
func CheckCode(code string) error {
	switch {
	case code == "":
		return &Error{Code: EINVALID, Field: "code", Message: "Session code is required."}
	case len(code) > MaxCodeLen:
		return &Error{Code: EINVALID, Field: "code", Message: fmt.Sprintf("Session code %q is longer than %d characters.", code, MaxCodeLen)}
	case !isCodeStart(rune(code[0])):
		return &Error{Code: EINVALID, Field: "code", Message: fmt.Sprintf("Session code %q must start with a letter or digit.", code)}
	}
	for _, r := range code {
		if !isCodeStart(r) && r != '-' && r != '_' && r != '.' {
			return &Error{Code: EINVALID, Field: "code", Message: fmt.Sprintf("Session code %q may hold only letters A–Z, digits, '-', '_' and '.'.", code)}
		}
	}
	return nil
}

// CleanCode derives a valid session code from s, for lenient imports: each
// run of other characters becomes one '-', leading punctuation is dropped
// and the result is cut to MaxCodeLen. It returns "" when nothing of s is
// usable; the caller then derives a code another way.
func CleanCode(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range s {
		ok := isCodeStart(r) || r == '-' || r == '_' || r == '.'
		switch {
		case ok && b.Len() == 0 && !isCodeStart(r):
			// nothing yet: a code starts with a letter or digit
		case ok:
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	code := b.String()
	if len(code) > MaxCodeLen {
		code = code[:MaxCodeLen]
	}
	return strings.TrimRight(code, "-")
}

func isCodeStart(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
}

// TextField is one text field of a record, for checking or cleaning in place.
type TextField struct {
	Name  string  // as in the JSON ("title", "speakers[0].name")
	Value *string // the field itself
	Rule  TextRule
}

// TextFields lists the session's free-text fields with their rules (the
// code has its own, CheckCode). Fields that may be empty are listed only
// when set, so that an empty abstract or room passes.
func (s *Session) TextFields() []TextField {
	out := []TextField{{"title", &s.Title, RuleTitle}}
	opt := func(name string, v *string, rule TextRule) {
		if *v != "" {
			out = append(out, TextField{name, v, rule})
		}
	}
	opt("abstract", &s.Abstract, RuleAbstract)
	opt("venue", &s.Venue, RuleLabel)
	opt("room", &s.Room, RuleLabel)
	opt("repeat_group", &s.RepeatGroup, RuleLabel)
	for i := range s.Topics {
		out = append(out, TextField{fmt.Sprintf("topics[%d]", i), &s.Topics[i], RuleLabel})
	}
	for i := range s.Speakers {
		sp := &s.Speakers[i]
		out = append(out, TextField{fmt.Sprintf("speakers[%d].name", i), &sp.Name, RuleName})
		opt(fmt.Sprintf("speakers[%d].job_title", i), &sp.JobTitle, RuleLabel)
		opt(fmt.Sprintf("speakers[%d].company", i), &sp.Company, RuleLabel)
	}
	return out
}

// CheckTextFields checks each field by its rule and returns the first problem.
func CheckTextFields(fields []TextField) error {
	for _, f := range fields {
		if err := CheckText(f.Name, *f.Value, f.Rule); err != nil {
			return err
		}
	}
	return nil
}
