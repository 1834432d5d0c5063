package lanyard

import (
	"slices"
	"testing"
)

func TestSharingValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Sharing
		ok   bool
		want []string
	}{
		{"defaults", Sharing{Fields: []string{"title", "company"}}, true, []string{"company", "title"}},
		{"unknown field", Sharing{Fields: []string{"salary"}}, false, nil},
		{"bad mode", Sharing{Exchange: "three_way"}, false, nil},
		{"linkedin elsewhere", Sharing{LinkedIn: "https://evil.example/in/x"}, false, nil},
		{"linkedin", Sharing{LinkedIn: " https://www.linkedin.com/in/jihyun "}, true, nil},
		{"phone with markup", Sharing{Phone: "<script>"}, false, nil},
	} {
		err := tc.in.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v", tc.name, err)
			continue
		}
		if tc.ok && !slices.Equal(tc.in.Fields, tc.want) {
			t.Errorf("%s: fields = %v, want %v", tc.name, tc.in.Fields, tc.want)
		}
	}
}

func TestCardOf(t *testing.T) {
	a := &Attendee{ID: 7, Name: "Jihyun", Email: "j@example.com", Company: "Kakao", JobTitle: "SRE"}
	s := Sharing{Fields: []string{FieldCompany, FieldEmail, FieldPhone}, Phone: "010"}
	if c := CardOf(a, s, nil); c.Email != "j@example.com" || c.Company != "Kakao" || c.Title != "" || c.Phone != "010" {
		t.Errorf("no cap: %+v", c)
	}
	if c := CardOf(a, s, []string{FieldCompany}); c.Email != "" || c.Phone != "" || c.Company != "Kakao" || c.Name != "Jihyun" {
		t.Errorf("capped: %+v", c)
	}
}
