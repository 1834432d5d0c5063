package floorplan_test

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"strings"
	"testing"

	"github.com/lanyardhq/lanyard/internal/floorplan"
	"github.com/lanyardhq/lanyard/internal/lanyard"
)

// hostile are SVGs that try to run script or load something, each in a
// way browsers have honoured.
var hostile = map[string]string{
	"script":          `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>window.pwned=1</script><rect width="5" height="5"/></svg>`,
	"script cdata":    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script><![CDATA[document.title="pwned"]]></script></svg>`,
	"prefixed script": `<s:svg xmlns:s="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><s:script>alert(1)</s:script><s:rect width="1" height="1"/></s:svg>`,
	"xhtml script":    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:h="http://www.w3.org/1999/xhtml" viewBox="0 0 10 10"><h:script>alert(1)</h:script></svg>`,
	"onload":          `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"><rect width="5" height="5" onclick="alert(2)" OnMouseOver="alert(3)"/></svg>`,
	"xlink javascript": `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">
		<a xlink:href="javascript:alert(1)"><rect width="5" height="5"/></a><use xlink:href="javascript:alert(1)"/></svg>`,
	"javascript spaced": `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><use href=" java&#9;script:alert(1)"/><rect fill="url(java&#10;script:alert(1))" width="1" height="1"/></svg>`,
	"foreignObject iframe": `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><foreignObject width="10" height="10">
		<iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert(1)"></iframe><body onload="alert(1)"/></foreignObject></svg>`,
	"use external":     `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><use href="http://evil.example/x.svg#a"/><use href="//evil.example/x.svg#a"/></svg>`,
	"external fill":    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="5" height="5" fill="url(https://evil.example/p.svg#g)" style="fill:url(http://evil.example/a);stroke:red"/></svg>`,
	"style element":    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>@import url(http://evil.example/a.css); rect{fill:url(http://evil.example/b)}</style></svg>`,
	"image":            `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><image href="http://evil.example/track.png" width="1" height="1"/><image href="data:image/svg+xml;base64,PHN2Zy8+"/></svg>`,
	"animate href":     `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><a><animate attributeName="href" to="javascript:alert(1)"/><set attributeName="onclick" to="alert(1)"/><text>x</text></a></svg>`,
	"stylesheet pi":    `<?xml version="1.0"?><?xml-stylesheet href="http://evil.example/a.css"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><!-- <script>alert(1)</script> --><rect width="1" height="1"/></svg>`,
	"filter feImage":   `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><filter id="f"><feImage href="http://evil.example/a.png"/></filter><rect filter="url(#f)" width="1" height="1"/></svg>`,
	"style expression": `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect style="fill:expression(alert(1));behavior:url(x.htc);-moz-binding:url(http://e/x)" width="1" height="1"/></svg>`,
}

// mustBeSafe fails unless out is well-formed XML with one svg root in the
// SVG namespace, only drawing elements, no event handler, no href but to
// the document itself, and no scheme or url() a browser would follow.
func mustBeSafe(t testing.TB, out []byte) {
	t.Helper()
	forbidden := map[string]bool{"script": true, "foreignObject": true, "style": true, "image": true, "a": true, "iframe": true,
		"animate": true, "set": true, "animateTransform": true, "feImage": true, "filter": true, "body": true, "html": true}
	d := xml.NewDecoder(bytes.NewReader(out))
	d.Strict = true
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the output is not well-formed: %v\n%s", err, out)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
				if tk.Name.Local != "svg" || tk.Name.Space != "http://www.w3.org/2000/svg" {
					t.Fatalf("root %v", tk.Name)
				}
			}
			depth++
			if tk.Name.Space != "http://www.w3.org/2000/svg" || forbidden[tk.Name.Local] {
				t.Fatalf("element %v kept:\n%s", tk.Name, out)
			}
			for _, a := range tk.Attr {
				v := strings.ToLower(a.Value)
				switch {
				case a.Name.Space != "" && a.Name.Space != "xmlns":
					t.Fatalf("attribute %v kept", a.Name)
				case strings.HasPrefix(strings.ToLower(a.Name.Local), "on"):
					t.Fatalf("event handler %s kept:\n%s", a.Name.Local, out)
				case a.Name.Local == "href" && !strings.HasPrefix(a.Value, "#"):
					t.Fatalf("href %q kept", a.Value)
				case a.Name.Local == "xmlns" && a.Value != "http://www.w3.org/2000/svg":
					t.Fatalf("namespace %q declared", a.Value)
				case a.Name.Local != "xmlns" && (strings.Contains(v, "script:") || strings.Contains(v, "http") || strings.Contains(v, "data:") || strings.Contains(v, "//") || strings.Contains(v, "expression(")):
					t.Fatalf("attribute %s=%q kept", a.Name.Local, a.Value)
				case strings.Contains(v, "url(") && !strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(v[strings.Index(v, "url(")+4:], " ")), "#"):
					t.Fatalf("attribute %s=%q loads a URL", a.Name.Local, a.Value)
				}
			}
		case xml.EndElement:
			depth--
		case xml.Comment, xml.ProcInst, xml.Directive:
			t.Fatalf("%T kept:\n%s", tk, out)
		}
	}
	if roots != 1 || depth != 0 {
		t.Fatalf("%d roots, depth %d at the end", roots, depth)
	}
}

func TestSanitizeHostile(t *testing.T) {
	for name, in := range hostile {
		t.Run(name, func(t *testing.T) {
			out, _, err := floorplan.Sanitize([]byte(in))
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			mustBeSafe(t, out)
			for _, bad := range []string{"script", "alert", "onload", "evil.example", "foreignObject", "iframe", "pwned"} {
				if strings.Contains(string(out), bad) {
					t.Errorf("the output still has %q:\n%s", bad, out)
				}
			}
			// Sanitizing is idempotent: what it writes, it keeps.
			again, _, err := floorplan.Sanitize(out)
			if err != nil || !bytes.Equal(again, out) {
				t.Errorf("second pass changed it (%v):\n%s\n%s", err, out, again)
			}
		})
	}
}

// What a floor plan uses survives: shapes, text, groups, transforms,
// gradients referenced in the document, styles with safe values.
func TestSanitizeKeepsDrawing(t *testing.T) {
	in := `<?xml version="1.0" encoding="UTF-8"?>
<!-- Made by a CAD program -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="800" height="600" viewBox="0 0 400 300" id="plan">
  <defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient><g id="chair"><circle r="2"/></g></defs>
  <g transform="translate(10,10)" style="fill:#eee;stroke:rgb(0, 0, 0);cursor:pointer">
    <rect x="0" y="0" width="100" height="50" fill="url(#g)" rx="3"/>
    <text x="50" y="25" text-anchor="middle" font-size="12">Room &amp; Hall &lt;A&gt;</text>
    <use xlink:href="#chair" x="5" y="5"/>
    <path d="M0 0 L10 10Z" stroke-width="2"/>
  </g>
</svg>`
	out, box, err := floorplan.Sanitize([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	mustBeSafe(t, out)
	if got, want := box, (floorplan.Box{MinX: 0, MinY: 0, Width: 400, Height: 300}); got != want {
		t.Errorf("box %v, want %v", got, want)
	}
	for _, want := range []string{
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="400" height="300" id="plan">`,
		`<rect x="0" y="0" width="100" height="50" fill="url(#g)" rx="3"></rect>`,
		`<text x="50" y="25" text-anchor="middle" font-size="12">Room &amp; Hall &lt;A&gt;</text>`,
		`<use href="#chair" x="5" y="5"></use>`,
		`style="fill:#eee;stroke:rgb(0, 0, 0)"`,
		`<path d="M0 0 L10 10Z" stroke-width="2"></path>`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("lost %s:\n%s", want, out)
		}
	}
}

func TestSanitizeRefuses(t *testing.T) {
	deep := `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">` + strings.Repeat("<g>", 5000) + strings.Repeat("</g>", 5000) + `</svg>`
	tests := []struct {
		name, in, code string
	}{
		{"xxe", `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&xxe;</text></svg>`, lanyard.EPlanInvalid},
		{"billion laughs", `<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&b;</text></svg>`, lanyard.EPlanInvalid},
		{"huge nesting", deep, lanyard.EPlanInvalid},
		{"not closed", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><g>`, lanyard.EPlanInvalid},
		{"two roots", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"></svg><svg viewBox="0 0 1 1"></svg>`, lanyard.EPlanInvalid},
		{"no size", `<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>`, lanyard.EPlanInvalid},
		{"percent size", `<svg xmlns="http://www.w3.org/2000/svg" width="100%" height="100%"/>`, lanyard.EPlanInvalid},
		{"bad viewBox", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 -1 NaN"/>`, lanyard.EPlanInvalid},
		{"latin-1", `<?xml version="1.0" encoding="ISO-8859-1"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>`, lanyard.EPlanInvalid},
		{"html", `<html><body><script>alert(1)</script></body></html>`, lanyard.EPlanUnsupported},
		{"text", `Level 2 floor plan`, lanyard.EPlanUnsupported},
		{"empty", ``, lanyard.EPlanUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := floorplan.Sanitize([]byte(tt.in))
			if got := lanyard.ErrorCode(err); got != tt.code {
				t.Fatalf("code %q (%v), want %q; output %s", got, err, tt.code, out)
			}
			if lanyard.ErrorMessage(err) == "Internal error." {
				t.Errorf("no message for a person: %v", err)
			}
		})
	}
}

func TestSanitizeSizeFromUnits(t *testing.T) {
	tests := []struct {
		in   string
		w, h float64
	}{
		{`width="300" height="200"`, 300, 200},
		{`width="300px" height="2in"`, 300, 192},
		{`width="254mm" height="2.54cm"`, 960, 96},
		{`viewBox="-10,-20 40 30" width="1" height="1"`, 40, 30},
	}
	for _, tt := range tests {
		_, box, err := floorplan.Sanitize([]byte(`<svg xmlns="http://www.w3.org/2000/svg" ` + tt.in + `/>`))
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if box.Width != tt.w || box.Height != tt.h {
			t.Errorf("%s: %v×%v, want %v×%v", tt.in, box.Width, box.Height, tt.w, tt.h)
		}
	}
}

func TestRead(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 40, 30))
	img.Set(1, 1, color.NRGBA{255, 0, 0, 255})
	var p, j bytes.Buffer
	if err := png.Encode(&p, img); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&j, img, nil); err != nil {
		t.Fatal(err)
	}
	// A PNG header that claims 50,000 × 50,000 pixels.
	huge := append([]byte{}, p.Bytes()...)
	copy(huge[16:24], []byte{0, 0, 0xc3, 0x50, 0, 0, 0xc3, 0x50})
	binary.BigEndian.PutUint32(huge[29:33], crc32.ChecksumIEEE(huge[12:29]))
	tests := []struct {
		name   string
		data   []byte
		format string
		code   string
		w, h   float64
	}{
		{"png", p.Bytes(), lanyard.PlanPNG, "", 40, 30},
		{"jpeg", j.Bytes(), lanyard.PlanJPEG, "", 40, 30},
		{"svg", []byte(hostile["script"]), lanyard.PlanSVG, "", 10, 10},
		{"truncated png", p.Bytes()[:20], "", lanyard.EPlanInvalid, 0, 0},
		{"huge png", huge, "", lanyard.EPlanTooLarge, 0, 0},
		{"too many bytes", append([]byte("<svg>"), make([]byte, floorplan.MaxBytes)...), "", lanyard.EPlanTooLarge, 0, 0},
		{"gif", []byte("GIF89a\x01\x00\x01\x00"), "", lanyard.EPlanUnsupported, 0, 0},
		{"pdf", []byte("%PDF-1.7\n"), "", lanyard.EPlanUnsupported, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pl, err := floorplan.Read(tt.data)
			if got := lanyard.ErrorCode(err); tt.code != "" && got != tt.code || tt.code == "" && err != nil {
				t.Fatalf("error %v, want code %q", err, tt.code)
			}
			if tt.code != "" {
				return
			}
			if pl.Format != tt.format || pl.Box.Width != tt.w || pl.Box.Height != tt.h {
				t.Errorf("got %s %v, want %s %v×%v", pl.Format, pl.Box, tt.format, tt.w, tt.h)
			}
		})
	}
}

// FuzzSanitize feeds the sanitizer hostile and broken SVGs. It must never
// panic; what it accepts must be safe, well-formed and a fixed point; what
// it refuses must be refused with a plan code and a message.
func FuzzSanitize(f *testing.F) {
	for _, in := range hostile {
		f.Add([]byte(in))
	}
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&xxe;</text></svg>`))
	f.Add([]byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">` + strings.Repeat("<g>", 200) + strings.Repeat("</g>", 200) + `</svg>`))
	f.Add([]byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><use href="http://evil.example/#a"/><text>&lt;script&gt;</text></svg>`))
	f.Add(floorplan.Demo("Venetian", []string{"Hall A", "Room <1>"}).SVG)
	f.Fuzz(func(t *testing.T, in []byte) {
		out, _, err := floorplan.Sanitize(in)
		if err != nil {
			switch code := lanyard.ErrorCode(err); code {
			case lanyard.EPlanInvalid, lanyard.EPlanUnsupported:
			default:
				t.Fatalf("refused with %q: %v", code, err)
			}
			return
		}
		mustBeSafe(t, out)
		again, _, err := floorplan.Sanitize(out)
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("not a fixed point (%v):\n%q\n%q", err, out, again)
		}
	})
}

func ExampleSanitize() {
	out, box, _ := floorplan.Sanitize([]byte(`<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10" onload="alert(1)"><script>alert(2)</script><rect width="5" height="5"/></svg>`))
	fmt.Println(string(out), box.Width, box.Height)
	// Output: <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 20 10" width="20" height="10"><rect width="5" height="5"></rect></svg> 20 10
}

// BenchmarkSanitize cleans the demo's largest plan (the Venetian's 40
// rooms, ~20 KB) and a worst case near the size cap: 8 MB of attribute-
// heavy elements.
func BenchmarkSanitize(b *testing.B) {
	rooms := make([]string, 40)
	for i := range rooms {
		rooms[i] = fmt.Sprintf("Level 3, San Polo %d", 3500+i)
	}
	demo := floorplan.Demo("Venetian", rooms).SVG
	var big bytes.Buffer
	big.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 1000">`)
	for big.Len() < floorplan.MaxBytes-200 {
		big.WriteString(`<g><rect x="1" y="2" width="3" height="4" fill="url(#a)" onclick="x()" style="fill:red;stroke:blue"/><text x="1">Room</text></g>`)
	}
	big.WriteString(`</svg>`)
	for _, bc := range []struct {
		name string
		in   []byte
	}{{"demo", demo}, {"8MB", big.Bytes()}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.in)))
			for b.Loop() {
				if _, _, err := floorplan.Sanitize(bc.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
