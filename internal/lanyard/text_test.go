package lanyard

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckText(t *testing.T) {
	tests := []struct {
		name  string
		value string
		rule  TextRule
		ok    bool
	}{
		{"plain", "Ada Lovelace", RuleName, true},
		{"korean", "김민준", RuleName, true},
		{"arabic with RLM", "\u200fعلي", RuleName, true},
		{"invalid UTF-8", "Ada \xff", RuleName, false},
		{"NUL", "Ada\x00", RuleName, false},
		{"escape", "Ada\x1b[31m", RuleName, false},
		{"DEL", "Ada\x7f", RuleName, false},
		{"C1", "Ada\u0085", RuleName, false},
		{"newline in a name", "Ada\nLovelace", RuleName, false},
		{"tab in a name", "Ada\tLovelace", RuleName, false},
		{"newline in an abstract", "One.\nTwo.\r\n\tThree.", RuleAbstract, true},
		{"lone CR in an abstract", "One.\rTwo.", RuleAbstract, false},
		{"line separator", "One\u2028Two", RuleAbstract, false},
		{"RLO", "\u202eevil", RuleTitle, false},
		{"LRE", "a\u202ab", RuleTitle, false},
		{"isolate", "a\u2066b\u2069", RuleTitle, false},
		{"at the limit", strings.Repeat("한", 200), RuleName, true},
		{"over the limit", strings.Repeat("a", 201), RuleName, false},
		{"zero-width space only", "\u200b", RuleName, false},
		{"spaces only", "   ", RuleName, false},
		{"hangul filler only", "\u3164\u3164", RuleName, false},
		{"combining mark only", "\u0301", RuleName, false},
		{"empty abstract", "", RuleAbstract, true},
		{"empty name", "", RuleName, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckText("name", tt.value, tt.rule)
			if got, want := err == nil, tt.ok; got != want {
				t.Fatalf("CheckText(%q) = %v, want ok=%v", tt.value, err, want)
			}
			if err == nil {
				return
			}
			if got, want := ErrorCode(err), EINVALID; got != want {
				t.Errorf("code %q, want %q", got, want)
			}
			if got, want := ErrorField(err), "name"; got != want {
				t.Errorf("field %q, want %q", got, want)
			}
			if msg := ErrorMessage(err); !strings.HasPrefix(msg, "Name ") || !utf8.ValidString(msg) {
				t.Errorf("message %q does not name the field", msg)
			}
		})
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct {
		name, value string
		rule        TextRule
		want        string
		ok          bool
	}{
		{"kept", "Ada", RuleName, "Ada", true},
		{"bidi and NUL dropped", "\u202eAda\x00", RuleTitle, "Ada", true},
		{"invalid byte marked", "Ada\xff", RuleName, "Ada\uFFFD", true},
		{"line break in one line", "Ada\r\nLovelace", RuleName, "Ada  Lovelace", true},
		{"line breaks kept", "a\r\nb\rc\u2028d", RuleAbstract, "a\r\nb\nc\nd", true},
		{"cut", strings.Repeat("x", 300), RuleName, strings.Repeat("x", 200), true},
		{"nothing visible", "\u200b\x00", RuleName, "\u200b", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := CleanText(tt.value, tt.rule)
			if got != tt.want || ok != tt.ok {
				t.Errorf("CleanText(%q) = %q, %v; want %q, %v", tt.value, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// FuzzCleanText: whatever comes in, what CleanText calls ok passes
// CheckText, and what it cannot make ok has nothing visible.
func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"Ada", "\u202e\x00" + strings.Repeat("x", 300), "a\r\nb\r", "\xff\xfe", "\u200b", "\u3164 \u0301", "abc\r\n"} {
		f.Add(s)
	}
	rules := []TextRule{RuleName, RuleTitle, RuleAbstract, {Max: 3}, {Max: 5, MultiLine: true, Visible: true}, {Max: 4, MultiLine: true}}
	f.Fuzz(func(t *testing.T, s string) {
		for _, rule := range rules {
			got, ok := CleanText(s, rule)
			err := CheckText("text", got, rule)
			if ok && err != nil {
				t.Fatalf("CleanText(%q, %+v) = %q, which CheckText refuses: %v", s, rule, got, err)
			}
			if !ok && (!rule.Visible || err == nil) {
				t.Fatalf("CleanText(%q, %+v) = %q not ok, yet CheckText says %v", s, rule, got, err)
			}
			if again, _ := CleanText(got, rule); again != got {
				t.Fatalf("CleanText is not idempotent: %q then %q", got, again)
			}
			if err := CheckText("text", s, rule); err == nil && got != s {
				t.Fatalf("CleanText changed valid text %q to %q", s, got)
			}
		}
	})
}

func TestCheckCode(t *testing.T) {
	tests := []struct {
		code string
		ok   bool
	}{
		{"ARC301-R1", true},
		{"33c3-8236_the.talk", true},
		{"7", true},
		{"", false},
		{"../../etc/passwd", false},
		{"a b/c?d#e", false},
		{".hidden", false},
		{"-flag", false},
		{"ARC301\x00", false},
		{"세션1", false},
		{strings.Repeat("A", MaxCodeLen), true},
		{strings.Repeat("A", MaxCodeLen+1), false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			err := CheckCode(tt.code)
			if got, want := err == nil, tt.ok; got != want {
				t.Fatalf("CheckCode(%q) = %v, want ok=%v", tt.code, err, want)
			}
			if err != nil && ErrorField(err) != "code" {
				t.Errorf("field %q, want code", ErrorField(err))
			}
		})
	}
}

func TestCleanCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ARC301-R1", "ARC301-R1"},
		{"../../etc/passwd", "etc-passwd"},
		{`talk"><svg onload=alert(1)>`, "talk-svg-onload-alert-1"},
		{"a b/c?d#e", "a-b-c-d-e"},
		{"세션", ""},
		{strings.Repeat("x", 100), strings.Repeat("x", MaxCodeLen)},
	}
	for _, tt := range tests {
		got := CleanCode(tt.in)
		if got != tt.want {
			t.Errorf("CleanCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got != "" && CheckCode(got) != nil {
			t.Errorf("CleanCode(%q) = %q, which CheckCode refuses: %v", tt.in, got, CheckCode(got))
		}
	}
}

func FuzzCleanCode(f *testing.F) {
	f.Add("../../etc/passwd")
	f.Add(`"><svg onload=x>`)
	f.Fuzz(func(t *testing.T, s string) {
		if got := CleanCode(s); got != "" && CheckCode(got) != nil {
			t.Fatalf("CleanCode(%q) = %q: %v", s, got, CheckCode(got))
		}
	})
}

func TestValidateText(t *testing.T) {
	a := Attendee{Name: "\u200b", Email: "a@example.com", Role: RoleAttendee}
	if err := a.Validate(); ErrorField(err) != "name" {
		t.Errorf("Attendee.Validate of a zero-width name = %v, want an error on name", err)
	}
	s := Session{Code: "A1", Title: "\u202eevil\x00", Type: TypeSession}
	err := s.Validate()
	if got, want := ErrorField(err), "title"; got != want {
		t.Errorf("Session.Validate field %q (%v), want %q", got, err, want)
	}
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Message, "A1") {
		t.Errorf("message %v does not name the session", err)
	}
}
