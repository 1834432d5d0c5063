package party

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/store"
	"github.com/lanyardhq/lanyard/internal/testenv"
)

// Table cards set every guest's name in a font that has its characters,
// as badges do: Korean and accented Latin in the Latin and Hangul fonts,
// Japanese kana and Chinese in the CJK one (NanumSquare alone printed
// them as empty boxes, which text extraction does not show), and every
// name comes back out of the PDF as text.
func TestCardsAnyScript(t *testing.T) {
	pdftotext := testenv.LookPath(t, "pdftotext", "apt-get install poppler-utils")
	pdffonts := testenv.LookPath(t, "pdffonts", "apt-get install poppler-utils")
	guest := func(name, company string) store.PartyGuest {
		return store.PartyGuest{Name: name, Company: company}
	}
	tests := []struct {
		name      string
		guests    []store.PartyGuest
		want      []string
		wantDroid bool // the CJK font, only where needed (it is large)
	}{
		{"Korean and Latin", []store.PartyGuest{guest("김서연", "네이버"), guest("Luis García", "Cabify")},
			[]string{"김서연", "네이버", "Luis García", "빌더 만찬", "Table 1"}, false},
		{"Japanese and Chinese", []store.PartyGuest{guest("さとう はなこ", "ソニー"), guest("王小明", "腾讯")},
			[]string{"さとう はなこ", "ソニー", "王小明", "腾讯"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteCards(&buf, lanyard.Party{Title: "Builders' dinner 빌더 만찬"}, []tableView{{No: 1, Guests: tt.guests}}); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), "cards.pdf")
			if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			text, err := exec.Command(pdftotext, file, "-").CombinedOutput()
			if err != nil {
				t.Fatalf("pdftotext: %v\n%s", err, text)
			}
			for _, want := range tt.want {
				if !strings.Contains(string(text), want) {
					t.Errorf("the cards lack %q; their text:\n%s", want, text)
				}
			}
			fonts, err := exec.Command(pdffonts, file).CombinedOutput()
			if err != nil {
				t.Fatalf("pdffonts: %v\n%s", err, fonts)
			}
			if got := strings.Contains(string(fonts), "droid"); got != tt.wantDroid {
				t.Errorf("the CJK font is embedded: %v, want %v; the fonts:\n%s", got, tt.wantDroid, fonts)
			}
		})
	}
}
