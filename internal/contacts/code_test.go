package contacts

import (
	"strings"
	"testing"
)

const tok = "LY1AEBAGBAFAYDQQCIKBMGA2DQPCAIREEYUCULBOGAZDINRYHAYDCMRT"

func TestParseCode(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"badge token", tok, tok},
		{"wedge line end", " " + tok + "\r\n", tok},
		{"personal QR", QRLink("https://lanyard.example/", tok), tok},
		{"path only", "/contacts/scan?code=" + tok, tok},
		{"other page", "https://lanyard.example/door?code=" + tok, ""},
		{"lower case", strings.ToLower(tok), ""},
		{"empty", "", ""},
		{"not a token", "hello", ""},
		{"script", "javascript:alert(1)", ""},
		{"too long", strings.Repeat("A", 600), ""},
		{"bad link", "http://%zz/contacts/scan?code=" + tok, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseCode(tc.in)
			if got != tc.want || (err == nil) != (tc.want != "") {
				t.Fatalf("ParseCode(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
		})
	}
}

func FuzzParseCode(f *testing.F) {
	for _, s := range []string{tok, QRLink("https://x.example", tok), "/contacts/scan?code=", "", "LY1", "https://a/contacts/scan?code=LY1AAAAAAAA&code=x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseCode(s)
		if err != nil {
			if got != "" {
				t.Fatalf("error with a token %q", got)
			}
			return
		}
		if !tokenRE.MatchString(got) {
			t.Fatalf("ParseCode(%q) = %q, not a token", s, got)
		}
		// A token parses to itself, and so does its link.
		if again, err := ParseCode(QRLink("https://x.example", got)); err != nil || again != got {
			t.Fatalf("link of %q parses to %q, %v", got, again, err)
		}
	})
}
