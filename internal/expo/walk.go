package expo

import "math"

// Point is a place on the expo map, in the map's coordinates.
type Point struct{ X, Y float64 }

func dist(a, b Point) float64 { return math.Hypot(a.X-b.X, a.Y-b.Y) }

// Walk orders pts into a short walk that starts at from (the hall's
// entrance) and visits each once: nearest neighbour first, then 2-opt
// (reversing a stretch of the walk while that shortens it). It returns
// the indices of pts in walking order. Straight lines: the map holds no
// aisles, so the walk is a good order, not a path around stands.
// Deterministic: ties go to the lower index.
func Walk(from Point, pts []Point) []int {
	n := len(pts)
	order := make([]int, 0, n)
	used := make([]bool, n)
	at := from
	for range n {
		best := -1
		for i, p := range pts {
			if !used[i] && (best < 0 || dist(at, p) < dist(at, pts[best])) {
				best = i
			}
		}
		used[best] = true
		order = append(order, best)
		at = pts[best]
	}
	// 2-opt on an open path starting at from: reverse order[i..j] when the
	// two edges it changes get shorter. Bounded: a walk has few booths, but
	// a hostile list must not spin.
	pos := func(k int) Point {
		if k < 0 {
			return from
		}
		return pts[order[k]]
	}
	for round := 0; round < 50; round++ {
		improved := false
		for i := 0; i < n-1; i++ {
			for j := i + 1; j < n; j++ {
				before := dist(pos(i-1), pos(i))
				after := dist(pos(i-1), pos(j))
				if j+1 < n {
					before += dist(pos(j), pos(j+1))
					after += dist(pos(i), pos(j+1))
				}
				if after < before-1e-9 {
					for a, b := i, j; a < b; a, b = a+1, b-1 {
						order[a], order[b] = order[b], order[a]
					}
					improved = true
				}
			}
		}
		if !improved {
			break
		}
	}
	return order
}

// Length is the length of the walk from from through pts in order.
func Length(from Point, pts []Point, order []int) float64 {
	total, at := 0.0, from
	for _, i := range order {
		total += dist(at, pts[i])
		at = pts[i]
	}
	return total
}
