package lanyard

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseLeadTags(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		want     []string
		bad      bool
	}{
		{"empty", "", nil, false},
		{"commas and semicolons", "Hot, follow up; java", []string{"follow up", "hot", "java"}, false},
		{"spaces folded, duplicates once", "  Follow   Up ,follow up,,", []string{"follow up"}, false},
		{"lines", "a\nb\r\nc", []string{"a", "b", "c"}, false},
		{"Korean", "채용, 관심", []string{"관심", "채용"}, false},
		{"too long", strings.Repeat("x", 41), nil, true},
		{"41 runes in Korean", strings.Repeat("가", 41), nil, true},
		{"40 runes", strings.Repeat("가", 40), []string{strings.Repeat("가", 40)}, false},
		{"too many", strings.Repeat("t,", 0) + "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u", nil, true},
		{"control character", "a\x00b", nil, true},
		{"not UTF-8", "\xff", nil, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseLeadTags(tt.in)
			if tt.bad {
				if ErrorCode(err) != EINVALID || ErrorField(err) != "tags" {
					t.Errorf("ParseLeadTags(%q) = %v, %v; want EINVALID on tags", tt.in, got, err)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("ParseLeadTags(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

// Whatever is typed, the tags are valid, sorted, unique, short, and
// parsing them again gives the same.
func FuzzParseLeadTags(f *testing.F) {
	for _, s := range []string{"", "hot, cold", "a;b\nc", "  X  Y ,x y", "채용", "\xff", "a\x00", strings.Repeat("z,", 30), ",,,;;;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tags, err := ParseLeadTags(s)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		if len(tags) > LeadMaxTags || !slices.IsSorted(tags) || len(slices.Compact(slices.Clone(tags))) != len(tags) {
			t.Fatalf("tags %q: too many, unsorted or repeated", tags)
		}
		for _, tag := range tags {
			if tag == "" || utf8.RuneCountInString(tag) > LeadMaxTag || strings.ContainsAny(tag, ",;\n\r") || tag != strings.ToLower(tag) {
				t.Fatalf("bad tag %q", tag)
			}
		}
		again, err := ParseLeadTags(strings.Join(tags, ", "))
		if err != nil || !slices.Equal(again, tags) {
			t.Fatalf("round trip %q → %q, %v", tags, again, err)
		}
	})
}

func TestLeadQuestion(t *testing.T) {
	for _, tt := range []struct {
		name string
		q    LeadQuestion
		bad  string // the field, or "" when valid
	}{
		{"text", LeadQuestion{Kind: "text", Prompt: " Project? ", Choices: []string{"dropped"}}, ""},
		{"single", LeadQuestion{Kind: "single", Prompt: "Budget", Choices: []string{"a", " b ", "", "a"}}, ""},
		{"one choice", LeadQuestion{Kind: "multiple", Prompt: "x", Choices: []string{"a", "a"}}, "choices"},
		{"kind", LeadQuestion{Kind: "rating", Prompt: "x"}, "kind"},
		{"no prompt", LeadQuestion{Kind: "text", Prompt: "  "}, "prompt"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.q.Validate()
			if got := ErrorField(err); got != tt.bad || (tt.bad == "") != (err == nil) {
				t.Errorf("Validate = %v, want field %q", err, tt.bad)
			}
		})
	}
	q := LeadQuestion{ID: 7, Kind: "multiple", Prompt: "Stack", Choices: []string{"Go", "Java", "Rust"}}
	if got, err := q.CheckAnswer([]string{"Rust", " Go", "Rust"}); err != nil || !slices.Equal(got, []string{"Go", "Rust"}) {
		t.Errorf("multiple = %q, %v", got, err)
	}
	if _, err := q.CheckAnswer([]string{"Cobol"}); ErrorField(err) != "q7" {
		t.Errorf("not a choice: %v", err)
	}
	if got, err := q.CheckAnswer([]string{"", " "}); got != nil || err != nil {
		t.Errorf("empty clears: %q %v", got, err)
	}
	s := LeadQuestion{ID: 8, Kind: "single", Choices: []string{"a", "b"}}
	if _, err := s.CheckAnswer([]string{"a", "b"}); ErrorCode(err) != EINVALID {
		t.Errorf("two singles: %v", err)
	}
	tx := LeadQuestion{ID: 9, Kind: "text"}
	if _, err := tx.CheckAnswer([]string{strings.Repeat("x", LeadMaxAnswer+1)}); ErrorCode(err) != EINVALID {
		t.Errorf("long text: %v", err)
	}
}
