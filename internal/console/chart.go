package console

import (
	"fmt"
	"html/template"
	"strings"
)

// bar is one row of a bar chart: a value, and a reference drawn as a tick
// (the seats a session has, the reserved seats of a type).
type bar struct {
	Label string
	Value int
	Ref   int
	Text  string // shown at the bar's end; the value when empty
}

// barChart draws a horizontal bar chart as inline SVG: a title and a
// description for screen readers, every bar labelled in text, so it reads
// without script or colour. Sizes scale with the viewBox, so it fits a
// phone. Labels and texts are escaped.
func barChart(id, title, desc string, bars []bar) template.HTML {
	const width, rowH, labelW, textW = 560.0, 28.0, 190.0, 110.0
	plotW := width - labelW - textW
	height := rowH*float64(len(bars)) + 8
	most := 1
	for _, b := range bars {
		most = max(most, b.Value, b.Ref)
	}
	scale := func(n int) float64 { return plotW * float64(n) / float64(most) }
	var s strings.Builder
	fmt.Fprintf(&s, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="%s" role="img" viewBox="0 0 %g %g" aria-labelledby="%s-title %s-desc">`,
		esc(id), width, height, esc(id), esc(id))
	fmt.Fprintf(&s, `<title id="%s-title">%s</title><desc id="%s-desc">%s</desc>`, esc(id), esc(title), esc(id), esc(desc))
	for i, b := range bars {
		y := 4 + rowH*float64(i)
		text := b.Text
		if text == "" {
			text = fmt.Sprint(b.Value)
		}
		fmt.Fprintf(&s, `<g class="row"><text x="%g" y="%.1f" text-anchor="end" class="label">%s</text>`, labelW-8, y+rowH/2+4, esc(clip(b.Label, 24)))
		fmt.Fprintf(&s, `<rect x="%g" y="%.1f" width="%.1f" height="%.1f" class="bar"/>`, labelW, y+4, max(scale(b.Value), 1), rowH-8)
		if b.Ref > 0 {
			x := labelW + scale(b.Ref)
			fmt.Fprintf(&s, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" class="ref"/>`, x, x, y+1, y+rowH-1)
		}
		fmt.Fprintf(&s, `<text x="%.1f" y="%.1f" class="value">%s</text></g>`, labelW+max(scale(b.Value), scale(b.Ref))+6, y+rowH/2+4, esc(text))
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String()) // every text above is escaped
}

func esc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;").Replace(s)
}

// clip shortens s to n runes with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
