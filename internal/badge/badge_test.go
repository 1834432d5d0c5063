package badge

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/lanyardhq/lanyard/internal/lanyard"
	"github.com/lanyardhq/lanyard/internal/testenv"
)

func testKey(id uint8) Key {
	s := sha256.Sum256([]byte("badge test key " + strconv.Itoa(int(id))))
	return Key{ID: id, Secret: s[:]}
}

func testKeyring() Keyring {
	return Keyring{Active: testKey(2), Others: []Key{testKey(1)}}
}

func TestSignVerify(t *testing.T) {
	k := testKeyring()
	for _, c := range []Claims{
		{},
		{EventID: 1, AttendeeID: 1, Version: 1},
		{EventID: 42, AttendeeID: 123456, Version: 3},
		{EventID: 1_000_000, AttendeeID: 10_000_000, Version: 65535},
		{EventID: 1<<63 - 1, AttendeeID: 1<<63 - 1, Version: 7},
		{EventID: -1, AttendeeID: -5, Version: 0},
	} {
		t.Run(fmt.Sprintf("%d/%d/%d", c.EventID, c.AttendeeID, c.Version), func(t *testing.T) {
			tok := k.Sign(c)
			if !regexp.MustCompile(`^LY1[A-Z2-7]+$`).MatchString(tok) {
				t.Fatalf("token %q is not LY1 + upper-case base32", tok)
			}
			got, err := k.Verify(tok)
			if err != nil {
				t.Fatalf("Verify(%q): %v", tok, err)
			}
			if got != c {
				t.Fatalf("Verify=%+v, want %+v", got, c)
			}
		})
	}
}

func TestSignDeterministic(t *testing.T) {
	k := testKeyring()
	c := Claims{EventID: 7, AttendeeID: 99, Version: 1}
	if a, b := k.Sign(c), k.Sign(c); a != b {
		t.Fatalf("Sign not deterministic: %q, %q", a, b)
	}
	if a, b := k.Sign(c), k.Sign(Claims{EventID: 7, AttendeeID: 99, Version: 2}); a == b {
		t.Fatalf("version bump did not change the token %q", a)
	}
}

func TestVerifyRefuses(t *testing.T) {
	k := testKeyring()
	good := k.Sign(Claims{EventID: 1_000_000, AttendeeID: 10_000_000, Version: 4})
	body := strings.TrimPrefix(good, "LY1")
	other := Keyring{Active: testKey(9)}.Sign(Claims{EventID: 1, AttendeeID: 2, Version: 1})
	sameIDOtherSecret := Keyring{Active: Key{ID: 2, Secret: bytes.Repeat([]byte{7}, 32)}}.Sign(Claims{EventID: 1, AttendeeID: 2})
	for _, tc := range []struct{ name, token string }{
		{"empty", ""},
		{"prefix only", "LY1"},
		{"garbage", "hello, world"},
		{"url", "https://example.com/LY1AAAA"},
		{"wrong prefix", "LY2" + body},
		{"no prefix", body},
		{"lower case prefix", "ly1" + body},
		{"lower case body", "LY1" + strings.ToLower(body)},
		{"padded", good + "===="},
		{"truncated by one", good[:len(good)-1]},
		{"truncated by half", good[:len(good)/2]},
		{"extended", good + "A"},
		{"extended by a block", good + "AAAAAAAA"},
		{"leading space", " " + good},
		{"trailing newline", good + "\n"},
		{"not base32", "LY1" + strings.Repeat("1", len(body))},
		{"too long", "LY1" + strings.Repeat("A", 5000)},
		{"unknown key id", other},
		{"known id, other secret", sameIDOtherSecret},
		{"mac zeroed", "LY1" + zeroMAC(t, body)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mustRefuse(t, k, tc.token)
		})
	}
}

// zeroMAC returns body with its MAC bytes set to zero.
func zeroMAC(t *testing.T, body string) string {
	raw, err := b32.DecodeString(body)
	if err != nil {
		t.Fatal(err)
	}
	clear(raw[len(raw)-macLen:])
	return b32.EncodeToString(raw)
}

func mustRefuse(tb testing.TB, k Keyring, token string) {
	tb.Helper()
	c, err := k.Verify(token)
	if err == nil {
		tb.Fatalf("Verify(%q) = %+v, want an error", token, c)
	}
	if !errors.Is(err, ErrInvalid) {
		tb.Fatalf("Verify(%q) error %v is not ErrInvalid", token, err)
	}
	if got, want := lanyard.ErrorCode(err), lanyard.EINVALID; got != want {
		tb.Fatalf("ErrorCode=%q, want %q", got, want)
	}
	if c != (Claims{}) {
		tb.Fatalf("Verify(%q) returned claims %+v with its error", token, c)
	}
}

// TestVerifyRefusesEveryAlteration changes each byte of tokens of several
// lengths to every other byte value, and deletes and duplicates each byte.
func TestVerifyRefusesEveryAlteration(t *testing.T) {
	k := testKeyring()
	for _, c := range []Claims{
		{EventID: 1, AttendeeID: 1, Version: 1},                         // 24 base32 characters, no spare bits
		{EventID: 300, AttendeeID: 2, Version: 1},                       // 26, spare bits in the last character
		{EventID: 1_000_000, AttendeeID: 10_000_000, Version: 65535},    // the largest realistic
		{EventID: 1_000_000, AttendeeID: 300_000_000, Version: 65535},   // one byte more
		{EventID: 1<<63 - 1, AttendeeID: 1<<63 - 1, Version: 1<<16 - 1}, // the longest
	} {
		tok := k.Sign(c)
		t.Run(strconv.Itoa(len(tok)), func(t *testing.T) {
			b := []byte(tok)
			tried := 0
			for i := range b {
				orig := b[i]
				for v := range 256 {
					if byte(v) == orig {
						continue
					}
					b[i] = byte(v)
					if got, err := k.Verify(string(b)); err == nil {
						t.Fatalf("byte %d %q→%q accepted: %q → %+v", i, orig, byte(v), b, got)
					}
					tried++
				}
				b[i] = orig
				mustRefuse(t, k, tok[:i]+tok[i+1:])
				mustRefuse(t, k, tok[:i+1]+tok[i:])
			}
			if got, want := tried, 255*len(tok); got != want {
				t.Fatalf("tried %d alterations, want %d", got, want)
			}
			if _, err := k.Verify(tok); err != nil {
				t.Fatalf("the unaltered token stopped verifying: %v", err)
			}
		})
	}
}

func TestKeyRotation(t *testing.T) {
	old, cur := testKey(1), testKey(2)
	c := Claims{EventID: 5, AttendeeID: 77, Version: 2}
	oldToken := Keyring{Active: old}.Sign(c)

	rotated := Keyring{Active: cur, Others: []Key{old}}
	if got, err := rotated.Verify(oldToken); err != nil || got != c {
		t.Fatalf("old token after rotation: %+v, %v; want %+v", got, err, c)
	}
	newToken := rotated.Sign(c)
	if newToken == oldToken {
		t.Fatal("new active key signed the same token as the old one")
	}
	if got, err := rotated.Verify(newToken); err != nil || got != c {
		t.Fatalf("new token: %+v, %v", got, err)
	}

	retired := Keyring{Active: cur}
	mustRefuse(t, retired, oldToken)
	if _, err := retired.Verify(newToken); err != nil {
		t.Fatalf("new token after retiring the old key: %v", err)
	}
	// A key with a short secret never verifies, even if it signed.
	short := Keyring{Active: cur, Others: []Key{{ID: 1, Secret: old.Secret[:16]}}}
	mustRefuse(t, short, oldToken)
}

func TestKeyringValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		k    Keyring
		ok   bool
	}{
		{"one key", Keyring{Active: testKey(1)}, true},
		{"rotation", testKeyring(), true},
		{"short active", Keyring{Active: Key{ID: 1, Secret: make([]byte, 31)}}, false},
		{"short other", Keyring{Active: testKey(1), Others: []Key{{ID: 2, Secret: []byte("x")}}}, false},
		{"duplicate id", Keyring{Active: testKey(1), Others: []Key{testKey(1)}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.k.Validate(); (err == nil) != tc.ok {
				t.Fatalf("Validate()=%v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestSignPanicsOnShortSecret(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Sign with a 16-byte secret did not panic")
		}
	}()
	Keyring{Active: Key{ID: 1, Secret: make([]byte, 16)}}.Sign(Claims{})
}

// TestQRVersion checks that the largest realistic token stays at QR
// version 4 or lower at every error-correction level badges might use.
func TestQRVersion(t *testing.T) {
	k := testKeyring()
	tok := k.Sign(Claims{EventID: 1_000_000, AttendeeID: 10_000_000, Version: 65535})
	if got, want := len(tok), 35; got != want {
		t.Errorf("len(token)=%d, want %d (%q)", got, want, tok)
	}
	for _, tc := range []struct {
		level qrcode.RecoveryLevel
		name  string
		want  int
	}{
		{qrcode.Medium, "M", 2},
		{qrcode.High, "Q", 3},
		{qrcode.Highest, "H", 3},
	} {
		q, err := qrcode.New(tok, tc.level)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("token %q (%d chars): version %d at %s", tok, len(tok), q.VersionNumber, tc.name)
		if q.VersionNumber > 4 || q.VersionNumber != tc.want {
			t.Errorf("version %d at %s, want %d (≤ 4)", q.VersionNumber, tc.name, tc.want)
		}
	}
	if got := QRVersion(tok); got > 4 || got < 1 {
		t.Errorf("QRVersion=%d, want 1..4", got)
	}
	if got := QRVersion(strings.Repeat("A", 5000)); got != 0 {
		t.Errorf("QRVersion(too long)=%d, want 0", got)
	}
}

func TestQRDecodes(t *testing.T) {
	k := testKeyring()
	want := Claims{EventID: 31, AttendeeID: 4159, Version: 2}
	tok := k.Sign(want)
	b, err := QR(tok)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := img.Bounds().Dx(), (17+4*QRVersion(tok)+8)*qrPixelsPerModule; got != want {
		t.Errorf("QR width %d px, want %d (quiet zone kept)", got, want)
	}
	if got := decodeQR(t, img); got != tok {
		t.Fatalf("decoded %q, want %q", got, tok)
	}
	if _, err := QR(strings.Repeat("A", 5000)); lanyard.ErrorCode(err) != lanyard.EINVALID {
		t.Fatalf("QR(too long) err=%v, want EINVALID", err)
	}
}

func decodeQR(tb testing.TB, img image.Image) string {
	tb.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		tb.Fatal(err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		tb.Fatalf("decode QR: %v", err)
	}
	return res.GetText()
}

func TestRuns(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // face family per run, then text
	}{
		{"Ada Lovelace", "dejavu:Ada Lovelace"},
		{"Zoë Øster-Łukasz", "dejavu:Zoë Øster-Łukasz"},
		{"Дмитрий", "dejavu:Дмитрий"},
		{"홍길동", "nanum:홍길동"},
		{"김 민준", "nanum:김 민준"},
		{"Kim 김", "dejavu:Kim |nanum:김"},
		{"山田太", "nanum:山田太"},     // all in KS X 1001
		{"山田太郎", "droid:山田太郎"},   // 郎 is not
		{"渡辺さくら", "droid:渡辺さくら"}, // 辺 is not: all Han and kana move to Droid
		{"张伟", "droid:张伟"},
		{"王小明", "nanum:王小明"},
		{"Li 张伟 (Beijing)", "dejavu:Li |droid:张伟 |dejavu:(Beijing)"},
		{"Ann\x00\u200b🙂", "dejavu:Ann"},
		{"", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			var parts []string
			for _, r := range runs(tc.in) {
				parts = append(parts, r.face.family+":"+r.text)
			}
			if got := strings.Join(parts, "|"); got != tc.want {
				t.Fatalf("runs(%q)=%q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestInitials(t *testing.T) {
	for in, want := range map[string]string{
		"Ada Lovelace":          "AL",
		"ada king lovelace":     "AL",
		"Cher":                  "C",
		"홍길동":                   "홍",
		"  ":                    "",
		"émile zola":            "ÉZ",
		"山田 太郎":                 "山",
		"Grace Brewster Hopper": "GH",
	} {
		if got := initials(in); got != want {
			t.Errorf("initials(%q)=%q, want %q", in, got, want)
		}
	}
}

// testPhoto returns a 600×800 JPEG portrait, different for each seed.
func testPhoto(tb testing.TB, seed uint64) []byte {
	tb.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	img := image.NewYCbCr(image.Rect(0, 0, 600, 800), image.YCbCrSubsampleRatio420)
	bg := uint8(rng.IntN(256))
	for y := range 800 {
		for x := range 600 {
			// A head and shoulders over a gradient, with sensor noise.
			dx, dy := float64(x-300)/150, float64(y-330)/190
			luma := uint8(int(bg)/2 + y/8)
			switch {
			case dx*dx+dy*dy < 1:
				luma = 190
			case y > 560 && (x-300)*(x-300) < (y-480)*(y-480)*2:
				luma = 60
			}
			img.Y[img.YOffset(x, y)] = luma + uint8(rng.IntN(24))
		}
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = 118+uint8(seed%16), 140
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// distinctJPEG returns photo with a comment segment that makes its bytes
// (and so its image name in the PDF) unique to n.
func distinctJPEG(photo []byte, n int) []byte {
	com := fmt.Appendf(nil, "badge %d", n)
	out := make([]byte, 0, len(photo)+len(com)+4)
	out = append(out, photo[:2]...) // SOI
	out = append(out, 0xff, 0xfe, byte((len(com)+2)>>8), byte(len(com)+2))
	out = append(out, com...)
	return append(out, photo[2:]...)
}

// needTool returns the path of a poppler tool, skipping the test if it is
// missing — except in CI, where it must be installed.
func needTool(tb testing.TB, name string) string {
	tb.Helper()
	return testenv.LookPath(tb, name, "apt-get install poppler-utils")
}

func runTool(tb testing.TB, name string, args ...string) string {
	tb.Helper()
	out, err := exec.Command(needTool(tb, name), args...).CombinedOutput()
	if err != nil {
		tb.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func TestPDF(t *testing.T) {
	t.Parallel()
	k := testKeyring()
	photo := testPhoto(t, 1)
	badges := []Badge{
		{Name: "Ada Lovelace", Company: "Analytical Engines Ltd", AttendeeType: "Speaker", EventName: "GopherCon Korea 2026", Photo: photo},
		{Name: "홍길동", Company: "한빛소프트", AttendeeType: "Attendee", EventName: "고퍼콘 코리아 2026"},
		{Name: "张伟", Company: "北京字节跳动", AttendeeType: "Exhibitor", EventName: "GopherCon Korea 2026", Photo: photo},
		{Name: "Maximilian Alexander von Hohenzollern-Sigmaringen", Company: "A Company Name That Goes On And On Well Past The Edge Of Any Badge", AttendeeType: "Volunteer Coordinator", EventName: "An Extremely Long Event Name For A Conference About Many Things 2026"},
		{Name: "渡辺さくら", Company: "株式会社メルカリ", AttendeeType: "Staff", EventName: "GopherCon Korea 2026", Photo: testPhoto(t, 2)},
	}
	var claims []Claims
	for i := range badges {
		c := Claims{EventID: 1_000_000, AttendeeID: 10_000_000 + int64(i), Version: uint16(i)}
		claims = append(claims, c)
		badges[i].Token = k.Sign(c)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "badges.pdf")
	var buf bytes.Buffer
	if err := Write(&buf, badges); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d badges: %d KB PDF", len(badges), buf.Len()/1024)

	info := runTool(t, "pdfinfo", file)
	if got, want := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(info), strconv.Itoa(len(badges)); got == nil || got[1] != want {
		t.Fatalf("pdfinfo pages %v, want %s\n%s", got, want, info)
	}
	if !regexp.MustCompile(`Page size:\s+288 x 432 pts`).MatchString(info) {
		t.Fatalf("pdfinfo page size is not 288 x 432 pts (4×6 in):\n%s", info)
	}

	// Photos: JPEGs of 600×800, the shared one stored once; QR codes are PNGs.
	list := runTool(t, "pdfimages", "-list", file)
	jpegs := 0
	for _, line := range strings.Split(list, "\n") {
		f := strings.Fields(line)
		if len(f) > 8 && f[8] == "jpeg" {
			jpegs++
			if f[3] != "600" || f[4] != "800" {
				t.Errorf("JPEG is %s×%s, want 600×800: %s", f[3], f[4], line)
			}
		}
	}
	if got, want := jpegs, 3; got != want {
		t.Errorf("pdfimages lists %d JPEG placements, want %d:\n%s", got, want, list)
	}

	for i, b := range badges {
		page := strconv.Itoa(i + 1)
		text := runTool(t, "pdftotext", "-f", page, "-l", page, "-layout", file, "-")
		flat := strings.Join(strings.Fields(text), " ")
		for _, want := range []string{b.Name, strings.ToUpper(b.AttendeeType)} {
			if i == 3 && want == b.Name {
				// Set on two lines.
				want = "Maximilian Alexander von"
			}
			if !strings.Contains(flat, want) {
				t.Errorf("page %d text lacks %q:\n%s", i+1, want, text)
			}
		}
		if i == 3 && !strings.Contains(flat, "…") {
			t.Errorf("page %d: long company name not cut short with …:\n%s", i+1, text)
		}
	}

	runTool(t, "pdftoppm", "-r", "200", "-png", file, filepath.Join(dir, "page"))
	pages, _ := filepath.Glob(filepath.Join(dir, "page-*.png"))
	if got, want := len(pages), len(badges); got != want {
		t.Fatalf("pdftoppm made %d pages, want %d", got, want)
	}
	for i, p := range pages {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := img.Bounds().Size(), (image.Point{X: 800, Y: 1200}); got != want {
			t.Errorf("page %d is %v px at 200 dpi, want %v", i+1, got, want)
		}
		side, least := darkWidth(img, mmToPx(101), img.Bounds().Dy()), mmToPx(40)-2
		if i == 0 {
			t.Logf("QR symbol %d px = %.1f mm at 200 dpi", side, float64(side)*25.4/200)
		}
		if side < least {
			t.Errorf("page %d: QR code is %d px wide at 200 dpi, want at least %d (40 mm)", i+1, side, least)
		}
		tok := decodeQR(t, img)
		got, err := k.Verify(tok)
		if err != nil {
			t.Fatalf("page %d: Verify(%q): %v", i+1, tok, err)
		}
		if got != claims[i] {
			t.Fatalf("page %d: claims %+v, want %+v", i+1, got, claims[i])
		}
		if i == 1 {
			// The placeholder is grey, the band blue.
			if c := gray(img.At(mmToPx(38), mmToPx(28))); c < 0xc0 || c > 0xf0 {
				t.Errorf("page 2 placeholder grey level %#x, want light grey", c)
			}
		}
	}
	if dst := os.Getenv("BADGE_PDF_OUT"); dst != "" {
		os.WriteFile(dst, buf.Bytes(), 0o644)
	}
}

// darkWidth returns the distance between the leftmost and rightmost dark
// pixels in rows y0 to y1: the QR symbol's side, below the text.
func darkWidth(img image.Image, y0, y1 int) int {
	lo, hi := img.Bounds().Max.X, -1
	for y := y0; y < y1; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			if gray(img.At(x, y)) < 0x80 {
				lo, hi = min(lo, x), max(hi, x)
			}
		}
	}
	return hi - lo + 1
}

// mmToPx converts millimetres on the page to pixels at 200 dpi.
func mmToPx(mm float64) int { return int(mm / 25.4 * 200) }

func gray(c color.Color) uint8 {
	return color.GrayModel.Convert(c).(color.Gray).Y
}

func TestWriterRefuses(t *testing.T) {
	k := testKeyring()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	good := Badge{Name: "A", Token: k.Sign(Claims{EventID: 1, AttendeeID: 1})}
	for _, tc := range []struct {
		name string
		b    Badge
	}{
		{"no token", Badge{Name: "A"}},
		{"token too long", Badge{Name: "A", Token: strings.Repeat("A", 5000)}},
		{"photo not an image", Badge{Name: "A", Token: good.Token, Photo: []byte("not a jpeg")}},
		{"photo truncated", Badge{Name: "A", Token: good.Token, Photo: []byte{0xff, 0xd8, 0xff}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := w.Add(tc.b); lanyard.ErrorCode(err) != lanyard.EINVALID {
				t.Fatalf("Add err=%v, want EINVALID", err)
			}
		})
	}
	if err := w.Add(good); err != nil {
		t.Fatalf("Add after refusals: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("output is not a PDF: %q", buf.Bytes()[:min(16, buf.Len())])
	}
	if err := w.Add(good); err == nil {
		t.Fatal("Add after Close succeeded")
	}

	if err := NewWriter(io.Discard).Close(); lanyard.ErrorCode(err) != lanyard.EINVALID {
		t.Fatalf("Close with no badges: %v, want EINVALID", err)
	}
	if err := Write(io.Discard, nil); lanyard.ErrorCode(err) != lanyard.EINVALID {
		t.Fatalf("Write(nil): %v, want EINVALID", err)
	}
}

type memFile struct {
	bytes.Buffer
	closed bool
}

func (f *memFile) Close() error { f.closed = true; return nil }

func TestSplitWriter(t *testing.T) {
	k := testKeyring()
	var files []*memFile
	create := func(part int) (io.WriteCloser, error) {
		if part != len(files) {
			t.Fatalf("create(%d), want create(%d)", part, len(files))
		}
		f := &memFile{}
		files = append(files, f)
		return f, nil
	}
	s := NewSplitWriter(2, create)
	for i := range 5 {
		if err := s.Add(Badge{Name: "Nobody"}); lanyard.ErrorCode(err) != lanyard.EINVALID {
			t.Fatalf("Add without token: %v, want EINVALID", err)
		}
		if err := s.Add(Badge{Name: fmt.Sprintf("Person %d", i), Token: k.Sign(Claims{EventID: 1, AttendeeID: int64(i)})}); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := len(files), 2; got != want {
		t.Fatalf("%d files before Close, want %d", got, want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got, want := s.Files(), 3; got != want {
		t.Fatalf("Files()=%d, want %d", got, want)
	}
	for i, f := range files {
		pages := bytes.Count(f.Bytes(), []byte("<</Type /Page\n"))
		if want := []int{2, 2, 1}[i]; pages != want || !f.closed {
			t.Errorf("file %d: %d pages, closed=%v; want %d, closed", i, pages, f.closed, want)
		}
	}

	none := NewSplitWriter(0, func(int) (io.WriteCloser, error) {
		t.Fatal("create called for a batch of refused badges")
		return nil, nil
	})
	if err := none.Add(Badge{Name: "x"}); lanyard.ErrorCode(err) != lanyard.EINVALID {
		t.Fatalf("Add: %v", err)
	}
	if err := none.Close(); lanyard.ErrorCode(err) != lanyard.EINVALID {
		t.Fatalf("Close with no badges: %v, want EINVALID", err)
	}

	failing := NewSplitWriter(1, func(int) (io.WriteCloser, error) { return nil, errors.New("disk full") })
	if err := failing.Add(Badge{Token: k.Sign(Claims{})}); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Add with failing create: %v", err)
	}
	if err := failing.Add(Badge{Token: k.Sign(Claims{})}); err == nil {
		t.Fatal("Add after a failed file succeeded")
	}
}

// TestPhotoFormats checks photos that are not 600×800 JPEGs: a 16-bit
// landscape PNG, which fpdf cannot embed as it is (re-encoded as JPEG, then
// cropped to fill), and an 8-bit grey PNG, embedded as it is.
func TestPhotoFormats(t *testing.T) {
	k := testKeyring()
	img := image.NewNRGBA64(image.Rect(0, 0, 400, 300)) // 16-bit, landscape
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	var p16 bytes.Buffer
	if err := png.Encode(&p16, img); err != nil {
		t.Fatal(err)
	}
	gray := image.NewGray(image.Rect(0, 0, 300, 400))
	var g8 bytes.Buffer
	if err := png.Encode(&g8, gray); err != nil {
		t.Fatal(err)
	}
	for name, photo := range map[string][]byte{"png16": p16.Bytes(), "gray png": g8.Bytes()} {
		t.Run(name, func(t *testing.T) {
			ph, err := preparePhoto(photo)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s → %s %d×%d", name, ph.kind, ph.w, ph.h)
			var buf bytes.Buffer
			if err := Write(&buf, []Badge{{Name: "P", Photo: photo, Token: k.Sign(Claims{EventID: 1})}}); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// BenchmarkWrite writes batches of 1,000 badges, each with its own 600×800
// JPEG photo, and reports badges a second and MB allocated per 1,000.
func BenchmarkWrite(b *testing.B) {
	const batch = 1000
	k := testKeyring()
	base := testPhoto(b, 1)
	badges := make([]Badge, batch)
	for i := range badges {
		badges[i] = Badge{
			Name:         fmt.Sprintf("Attendee Number %d", i),
			Company:      "Example Corporation",
			AttendeeType: []string{"Attendee", "Speaker", "Staff", "Exhibitor"}[i%4],
			EventName:    "GopherCon Korea 2026",
			Photo:        distinctJPEG(base, i),
			Token:        k.Sign(Claims{EventID: 1_000_000, AttendeeID: 10_000_000 + int64(i), Version: 1}),
		}
	}
	if i := batch / 2; i%2 == 0 {
		badges[i].Name = "홍길동"
	}
	var size int
	var heap uint64
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		cw := &countWriter{}
		if err := Write(cw, badges); err != nil {
			b.Fatal(err)
		}
		size, heap = cw.n, max(heap, cw.heap)
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "badges/s")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "allocMB/1000")
	b.ReportMetric(float64(size)/(1<<20), "pdfMB/1000")
	b.ReportMetric(float64(heap)/(1<<20), "heapMB@output")
	b.ReportMetric(float64(len(base))/1024, "photoKB")
}

type countWriter struct {
	n    int
	gc   bool   // collect garbage before measuring heap
	heap uint64 // heap when the first byte arrived: the whole PDF is built
}

func (c *countWriter) Write(p []byte) (int, error) {
	if c.n == 0 {
		if c.gc {
			runtime.GC()
		}
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		c.heap = m.HeapAlloc
	}
	c.n += len(p)
	return len(p), nil
}

// TestMemory measures one Writer holding 65,000 badges that share one
// photo, and one holding 1,000 badges with a photo each. It takes about a
// minute and runs only with LANYARD_BADGE_MEM=1.
func TestMemory(t *testing.T) {
	if os.Getenv("LANYARD_BADGE_MEM") == "" {
		t.Skip("set LANYARD_BADGE_MEM=1 to measure")
	}
	k := testKeyring()
	photo := testPhoto(t, 3)
	for _, tc := range []struct {
		n        int
		distinct bool
	}{{1000, true}, {65_000, false}} {
		t.Run(fmt.Sprintf("%d distinct=%v", tc.n, tc.distinct), func(t *testing.T) {
			runtime.GC()
			var m0, m1, m2 runtime.MemStats
			runtime.ReadMemStats(&m0)
			cw := &countWriter{gc: true}
			w := NewWriter(cw)
			for i := range tc.n {
				ph := photo
				if tc.distinct {
					ph = distinctJPEG(photo, i)
				}
				err := w.Add(Badge{
					Name: fmt.Sprintf("Attendee %d", i), Company: "Example Corporation", AttendeeType: "Attendee",
					EventName: "GopherCon Korea 2026", Photo: ph,
					Token: k.Sign(Claims{EventID: 1_000_000, AttendeeID: 10_000_000 + int64(i), Version: 1}),
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			runtime.GC()
			runtime.ReadMemStats(&m1)
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&m2)
			mb := func(v uint64) float64 { return float64(v) / (1 << 20) }
			t.Logf("%d badges, %d KB photo (distinct=%v): live heap after Add %.0f MB (%.1f KB/badge), at output %.0f MB; Sys %.0f MB; allocated %.0f MB; PDF %.0f MB",
				tc.n, len(photo)/1024, tc.distinct, mb(m1.HeapAlloc-m0.HeapAlloc), float64(m1.HeapAlloc-m0.HeapAlloc)/1024/float64(tc.n),
				mb(cw.heap-m0.HeapAlloc), mb(m2.Sys), mb(m2.TotalAlloc-m0.TotalAlloc), mb(uint64(cw.n)))
		})
	}
}
