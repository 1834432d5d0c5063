package floorplan

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lanyardhq/lanyard/internal/lanyard"
)

const (
	svgNS   = "http://www.w3.org/2000/svg"
	xlinkNS = "http://www.w3.org/1999/xlink"
	// maxDepth bounds nesting: drawings exported by editors stay well
	// under 30 levels; deeper is a parser bomb or not a floor plan.
	maxDepth = 100
	// maxElements bounds the work and the output of one plan.
	maxElements = 200_000
)

// Box is a plan's coordinate box: an SVG's viewBox, or an image's pixels.
type Box struct{ MinX, MinY, Width, Height float64 }

// elements are the SVG elements kept: shapes, text, grouping, gradients
// and clipping. Everything else goes with its whole subtree: script,
// foreignObject, style (CSS can load URLs), image (external or nested
// documents), a (links), animate/set (can rewrite an href), filters
// (feImage loads URLs), metadata (foreign namespaces).
var elements = set("svg", "g", "defs", "title", "desc", "symbol", "use",
	"path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
	"text", "tspan", "linearGradient", "radialGradient", "stop",
	"clipPath", "mask", "pattern", "marker")

// textual are the elements whose character data is kept.
var textual = set("text", "tspan", "title", "desc")

// attributes are the attributes kept, on any kept element: geometry and
// presentation. No event handler (on*) and no href is among them; href is
// handled apart.
var attributes = set("id", "class", "x", "y", "width", "height", "rx", "ry",
	"cx", "cy", "r", "fx", "fy", "x1", "y1", "x2", "y2", "d", "points",
	"transform", "viewBox", "preserveAspectRatio", "pathLength", "version",
	"dx", "dy", "rotate", "textLength", "lengthAdjust",
	"offset", "gradientUnits", "gradientTransform", "spreadMethod",
	"patternUnits", "patternContentUnits", "patternTransform",
	"clipPathUnits", "maskUnits", "maskContentUnits",
	"markerWidth", "markerHeight", "markerUnits", "refX", "refY", "orient",
	"style")

// properties are the presentation properties, kept as attributes and in a
// style attribute.
var properties = set("fill", "fill-opacity", "fill-rule", "stroke",
	"stroke-width", "stroke-opacity", "stroke-linecap", "stroke-linejoin",
	"stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit", "opacity",
	"font-family", "font-size", "font-weight", "font-style", "text-anchor",
	"dominant-baseline", "alignment-baseline", "baseline-shift",
	"letter-spacing", "word-spacing", "text-decoration", "stop-color",
	"stop-opacity", "clip-path", "clip-rule", "mask", "marker-start",
	"marker-mid", "marker-end", "visibility", "display", "color",
	"vector-effect", "paint-order", "shape-rendering", "text-rendering")

// hrefOn are the elements whose href may point inside the document (and
// only there: "#id").
var hrefOn = set("use", "linearGradient", "radialGradient", "pattern")

func set(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

var (
	localRef = regexp.MustCompile(`^#[A-Za-z_][A-Za-z0-9_.:-]*$`)
	localURL = regexp.MustCompile(`^url\(\s*#[A-Za-z_][A-Za-z0-9_.:-]*\s*\)$`)
	// A style value keeps to what presentation values use: words,
	// numbers, colours, lists and rgb()/url(#id) forms.
	styleValue = regexp.MustCompile(`^[A-Za-z0-9 #%.,()'"_+-]*$`)
)

// safeValue reports whether an attribute or style value references nothing
// outside the document: a url() only as url(#id), and no scheme a browser
// would follow.
func safeValue(v string) bool {
	// Browsers ignore control characters and spaces inside a scheme
	// ("java\tscript:"), so look at the value without them.
	squeezed := strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToLower(v))
	for _, bad := range []string{"javascript:", "vbscript:", "data:", "expression(", "@import", "\\", "http:", "https:", "//"} {
		if strings.Contains(squeezed, bad) {
			return false
		}
	}
	if strings.Contains(squeezed, "url(") {
		return localURL.MatchString(strings.TrimSpace(v))
	}
	return true
}

// cleanStyle keeps the declarations of a style attribute whose property
// is a presentation property and whose value is safe; "" if none.
func cleanStyle(s string) string {
	var out []string
	for _, decl := range strings.Split(s, ";") {
		prop, val, ok := strings.Cut(decl, ":")
		prop, val = strings.ToLower(strings.TrimSpace(prop)), strings.TrimSpace(val)
		if !ok || !properties[prop] || val == "" || !styleValue.MatchString(val) || !safeValue(val) {
			continue
		}
		out = append(out, prop+":"+val)
	}
	return strings.Join(out, ";")
}

// Sanitize parses an SVG document and writes back only its allowed
// drawing elements and attributes, with the coordinate box it declares
// (its viewBox, else its width and height). The result is well-formed
// XML with one root svg element in the SVG namespace, width and height
// set to the box's so it scales like the box, and nothing that runs
// script or loads anything.
//
// Returns a *lanyard.Error: EPlanUnsupported if data is not XML with an
// svg root, EPlanInvalid if it is broken (not well-formed, an undefined
// entity, too deep, or no usable size).
func Sanitize(data []byte) ([]byte, Box, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return nil, Box{}, lanyard.Errorf(lanyard.EPlanInvalid, "The SVG is not UTF-8 text.")
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	// No entities but XML's five: a DTD's own (XXE, "billion laughs")
	// make the document fail instead of expanding.
	d.Entity = nil
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "utf-8") || strings.EqualFold(label, "us-ascii") {
			return in, nil
		}
		return nil, fmt.Errorf("charset %q", label)
	}
	var (
		out      bytes.Buffer
		box      Box
		stack    []string // kept elements open
		skip     int      // depth inside a dropped element
		depth    int
		count    int
		rootSeen bool
		rootDone bool
	)
	invalid := func(format string, args ...any) ([]byte, Box, error) {
		return nil, Box{}, lanyard.Errorf(lanyard.EPlanInvalid, format, args...)
	}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if !rootSeen && !bytes.Contains(data, []byte("<svg")) {
				return nil, Box{}, lanyard.Errorf(lanyard.EPlanUnsupported, "The file is not an SVG drawing, a PNG, a JPEG or a WebP image.")
			}
			return invalid("The SVG is not well-formed XML (%s).", xmlReason(err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			count++
			if depth > maxDepth {
				return invalid("The SVG nests elements more than %d deep.", maxDepth)
			}
			if count > maxElements {
				return invalid("The SVG has more than %d elements.", maxElements)
			}
			if !rootSeen {
				rootSeen = true
				if t.Name.Local != "svg" || (t.Name.Space != svgNS && t.Name.Space != "") {
					return nil, Box{}, lanyard.Errorf(lanyard.EPlanUnsupported, "The file is XML but not an SVG drawing.")
				}
				b, err := rootBox(t.Attr)
				if err != nil {
					return nil, Box{}, err
				}
				box = b
				out.WriteString(`<svg xmlns="` + svgNS + `" viewBox="` + num(b.MinX) + " " + num(b.MinY) + " " + num(b.Width) + " " + num(b.Height) +
					`" width="` + num(b.Width) + `" height="` + num(b.Height) + `"`)
				writeAttrs(&out, "svg", t.Attr, true)
				out.WriteString(">")
				stack = append(stack, "svg")
				continue
			}
			if rootDone {
				return invalid("The SVG has more than one root element.")
			}
			if skip > 0 || !elements[t.Name.Local] || (t.Name.Space != svgNS && t.Name.Space != "") || t.Name.Local == "svg" {
				// A nested svg would bring its own box and attributes: drop
				// it like any element not on the list.
				skip++
				continue
			}
			out.WriteString("<" + t.Name.Local)
			writeAttrs(&out, t.Name.Local, t.Attr, false)
			out.WriteString(">")
			stack = append(stack, t.Name.Local)
		case xml.EndElement:
			depth--
			if skip > 0 {
				skip--
				continue
			}
			if len(stack) == 0 {
				return invalid("The SVG is not well-formed XML.")
			}
			out.WriteString("</" + stack[len(stack)-1] + ">")
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				rootDone = true
			}
		case xml.CharData:
			if skip == 0 && len(stack) > 0 && textual[stack[len(stack)-1]] {
				xml.EscapeText(&out, t)
			}
		}
		// Comments, processing instructions (xml-stylesheet) and
		// directives (DOCTYPE, ENTITY) are dropped.
	}
	if !rootSeen {
		return nil, Box{}, lanyard.Errorf(lanyard.EPlanUnsupported, "The file is not an SVG drawing, a PNG, a JPEG or a WebP image.")
	}
	if !rootDone {
		return invalid("The SVG ends before its root element closes.")
	}
	return out.Bytes(), box, nil
}

// xmlReason is the parser's complaint without its position's noise.
func xmlReason(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("line %d: %s", se.Line, se.Msg)
	}
	return "unreadable"
}

// writeAttrs writes the allowed attributes of element el. The root's box
// attributes are written by the caller.
func writeAttrs(out *bytes.Buffer, el string, attrs []xml.Attr, root bool) {
	seen := map[string]bool{}
	for _, a := range attrs {
		name := a.Name.Local
		switch {
		case a.Name.Space == "xmlns" || (a.Name.Space == "" && name == "xmlns"):
			continue // the root declares the one namespace the output uses
		case (a.Name.Space == xlinkNS || a.Name.Space == "xlink" || a.Name.Space == "") && name == "href":
			if !hrefOn[el] || !localRef.MatchString(strings.TrimSpace(a.Value)) {
				continue
			}
			name = "href"
			a.Value = strings.TrimSpace(a.Value)
		case a.Name.Space != "":
			continue
		case root && (name == "viewBox" || name == "width" || name == "height" || name == "x" || name == "y" || name == "preserveAspectRatio"):
			continue
		case name == "style":
			a.Value = cleanStyle(a.Value)
			if a.Value == "" {
				continue
			}
		case !attributes[name] && !properties[name]:
			continue // event handlers (on*) among everything else
		}
		if seen[name] || !safeValue(a.Value) {
			continue
		}
		seen[name] = true
		out.WriteString(" " + name + `="`)
		xml.EscapeText(out, []byte(a.Value))
		out.WriteString(`"`)
	}
}

// rootBox reads the root's coordinate box: its viewBox, else its width
// and height in absolute units.
func rootBox(attrs []xml.Attr) (Box, error) {
	var vb, w, h string
	for _, a := range attrs {
		if a.Name.Space != "" {
			continue
		}
		switch a.Name.Local {
		case "viewBox":
			vb = a.Value
		case "width":
			w = a.Value
		case "height":
			h = a.Value
		}
	}
	if vb != "" {
		f := strings.FieldsFunc(vb, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
		if len(f) == 4 {
			var v [4]float64
			ok := true
			for i := range f {
				x, err := strconv.ParseFloat(f[i], 64)
				if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1e9 {
					ok = false
				}
				v[i] = x
			}
			if ok && v[2] > 0 && v[3] > 0 {
				return Box{v[0], v[1], v[2], v[3]}, nil
			}
		}
		return Box{}, lanyard.Errorf(lanyard.EPlanInvalid, "The SVG's viewBox %q is not four numbers with a positive width and height.", truncate(vb, 60))
	}
	wv, okW := length(w)
	hv, okH := length(h)
	if !okW || !okH {
		return Box{}, lanyard.Errorf(lanyard.EPlanInvalid, "The SVG has no viewBox and no width and height in absolute units: lanyard cannot tell its size.")
	}
	return Box{0, 0, wv, hv}, nil
}

// length reads an absolute SVG length in user units (CSS pixels).
func length(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	unit := 1.0
	for suffix, f := range map[string]float64{"px": 1, "in": 96, "cm": 96 / 2.54, "mm": 96 / 25.4, "pt": 96.0 / 72, "pc": 16} {
		if strings.HasSuffix(s, suffix) {
			s, unit = strings.TrimSpace(strings.TrimSuffix(s, suffix)), f
			break
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 || v > 1e9 {
		return 0, false
	}
	return v * unit, true
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
