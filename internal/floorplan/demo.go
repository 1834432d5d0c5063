package floorplan

import (
	"bytes"
	"encoding/xml"
	"fmt"
)

// DemoPlan is a generated floor plan: the SVG and where each room is on it.
type DemoPlan struct {
	SVG   []byte
	Box   Box
	Rooms map[string]Rect // by room name
}

// Rect is a rectangle in a plan's coordinates.
type Rect struct{ X, Y, W, H float64 }

// Demo draws a simple floor plan for the demo event: the venue's rooms as
// labelled boxes in rows along corridors, an entrance at the bottom. It is
// made here so the demo needs no files from outside.
func Demo(venue string, rooms []string) DemoPlan {
	const (
		cols   = 6
		cellW  = 150.0
		cellH  = 90.0
		gap    = 12.0
		hall   = 40.0 // corridor between two rows
		margin = 30.0
	)
	rows := (len(rooms) + cols - 1) / cols
	w := margin*2 + cols*cellW + (cols-1)*gap
	h := margin*2 + 40 + float64(rows)*cellH + float64(max(rows-1, 0))*hall + 60
	p := DemoPlan{Box: Box{0, 0, w, h}, Rooms: map[string]Rect{}}
	var b bytes.Buffer
	esc := func(s string) string {
		var e bytes.Buffer
		xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g" font-family="sans-serif">`, w, h, w, h)
	fmt.Fprintf(&b, `<rect x="0" y="0" width="%g" height="%g" fill="#f4f1ea"/>`, w, h)
	fmt.Fprintf(&b, `<rect x="%g" y="%g" width="%g" height="%g" fill="#fff" stroke="#555" stroke-width="3"/>`, margin/2, margin/2+30, w-margin, h-margin-30)
	fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="22" font-weight="bold" fill="#222">%s</text>`, margin, margin+8, esc(venue))
	for i, name := range rooms {
		c, r := i%cols, i/cols
		x := margin + float64(c)*(cellW+gap)
		y := margin + 40 + float64(r)*(cellH+hall)
		p.Rooms[name] = Rect{x, y, cellW, cellH}
		fmt.Fprintf(&b, `<g><rect x="%g" y="%g" width="%g" height="%g" fill="#e3ecf5" stroke="#345" stroke-width="1.5" rx="4"/>`, x, y, cellW, cellH)
		// Long hotel room names ("Level 3, San Polo 3501"): the part
		// after the comma on the second line.
		line1, line2 := name, ""
		for k := 0; k < len(name); k++ {
			if name[k] == ',' {
				line1, line2 = name[:k], name[k+1:]
				break
			}
		}
		fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="13" text-anchor="middle" fill="#123">%s</text>`, x+cellW/2, y+cellH/2-4, esc(line1))
		if line2 != "" {
			fmt.Fprintf(&b, `<text x="%g" y="%g" font-size="13" text-anchor="middle" fill="#123">%s</text>`, x+cellW/2, y+cellH/2+14, esc(line2))
		}
		b.WriteString(`</g>`)
	}
	fmt.Fprintf(&b, `<rect x="%g" y="%g" width="120" height="14" fill="#6a6"/><text x="%g" y="%g" font-size="14" text-anchor="middle" fill="#222">Entrance</text>`,
		w/2-60, h-margin/2-14, w/2, h-margin/2-20)
	b.WriteString(`</svg>`)
	p.SVG = b.Bytes()
	return p
}
