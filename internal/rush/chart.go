package rush

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// WriteSVG draws the latency over time (p50 and p99 per second, log scale)
// and the requests per second, as a self-contained SVG.
func (r *Report) WriteSVG(w io.Writer) error {
	const width, height, left, right, top, bottom = 900.0, 420.0, 70.0, 70.0, 40.0, 50.0
	plotW, plotH := width-left-right, height-top-bottom
	maxSec := 1
	maxMs, maxReq := 1.0, 1
	for _, p := range r.Timeline {
		maxSec = max(maxSec, p.Second+1)
		maxMs = max(maxMs, p.P99ms)
		maxReq = max(maxReq, p.Requests)
	}
	// Latency on a log scale from 0.1 ms to the next power of ten above the worst p99.
	lo, hi := math.Log10(0.1), math.Ceil(math.Log10(maxMs))
	x := func(sec float64) float64 { return left + plotW*sec/float64(maxSec) }
	y := func(ms float64) float64 {
		return top + plotH*(1-(math.Log10(max(ms, 0.1))-lo)/(hi-lo))
	}
	yReq := func(n int) float64 { return top + plotH*(1-float64(n)/float64(maxReq)) }
	line := func(val func(Point) float64) string {
		var b strings.Builder
		for i, p := range r.Timeline {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%.1f,%.1f", x(float64(p.Second)+0.5), val(p))
		}
		return b.String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%g" height="%g" viewBox="0 0 %g %g" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="%g" y="22" font-size="15">%s — %.0f requests/s, p50 %.1f ms, p99 %.1f ms</text>`+"\n",
		left, escape(title(r)), r.RequestsPerSecond, r.P50ms, r.P99ms)
	for e := lo; e <= hi; e++ {
		ms := math.Pow(10, e)
		fmt.Fprintf(&b, `<line x1="%g" x2="%g" y1="%.1f" y2="%.1f" stroke="#ddd"/><text x="%g" y="%.1f" text-anchor="end">%.3g ms</text>`+"\n",
			left, left+plotW, y(ms), y(ms), left-6, y(ms)+4, ms)
	}
	for s := 0; s <= maxSec; s += max(1, maxSec/10) {
		fmt.Fprintf(&b, `<text x="%.1f" y="%g" text-anchor="middle">%ds</text>`+"\n", x(float64(s)), top+plotH+18, s)
	}
	fmt.Fprintf(&b, `<text x="%g" y="%.1f" text-anchor="start" fill="#999">%d req/s</text>`+"\n", left+plotW+6, yReq(maxReq)+4, maxReq)
	fmt.Fprintf(&b, `<polyline fill="none" stroke="#bbb" stroke-width="1.5" points="%s"/>`+"\n", line(func(p Point) float64 { return yReq(p.Requests) }))
	fmt.Fprintf(&b, `<polyline fill="none" stroke="#1f77b4" stroke-width="2" points="%s"/>`+"\n", line(func(p Point) float64 { return y(p.P50ms) }))
	fmt.Fprintf(&b, `<polyline fill="none" stroke="#d62728" stroke-width="2" points="%s"/>`+"\n", line(func(p Point) float64 { return y(p.P99ms) }))
	fmt.Fprintf(&b, `<text x="%g" y="%g" fill="#1f77b4">p50</text><text x="%g" y="%g" fill="#d62728">p99</text><text x="%g" y="%g" fill="#999">requests per second</text>`+"\n",
		left, height-8, left+40, height-8, left+80, height-8)
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func title(r *Report) string {
	if r.Label != "" {
		return r.Label
	}
	return strings.Join(r.Targets, ", ")
}

func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}
