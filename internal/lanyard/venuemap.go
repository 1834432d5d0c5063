package lanyard

import "time"

// Error codes of a refused floor plan upload (the console sets them as
// X-Lanyard-Code with the status beside each).
const (
	EPlanTooLarge    = "plan_too_large"   // over the size cap: 413
	EPlanUnsupported = "plan_unsupported" // not SVG, PNG, JPEG or WebP by its content: 415
	EPlanInvalid     = "plan_invalid"     // an SVG that does not parse, nests too deep, has no size, or a damaged image: 400
)

// Plan formats, decided by content, never by the file's name or the
// browser's claimed type.
const (
	PlanSVG  = "svg"
	PlanPNG  = "png"
	PlanJPEG = "jpeg"
	PlanWebP = "webp"
)

// VenuePlan is one floor plan of a venue: an image the organizer uploaded
// (an SVG is stored sanitized) and the rooms marked on it. Coordinates are
// the plan's own: an SVG's viewBox units, or an image's pixels.
type VenuePlan struct {
	ID      int64  `json:"id"`
	VenueID int64  `json:"-"`
	Venue   string `json:"venue"` // venue code
	Name    string `json:"name"`  // "Level 2"
	Format  string `json:"format"`
	// MinX, MinY, Width, Height are the plan's coordinate box (an SVG's
	// viewBox; 0, 0 and the pixel size of an image).
	MinX   float64    `json:"min_x"`
	MinY   float64    `json:"min_y"`
	Width  float64    `json:"width"`
	Height float64    `json:"height"`
	Rooms  []PlanRoom `json:"rooms"`
	// Version changes with each upload, so the image URL can be cached.
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
}

// PlanRoom is a room marked on a plan: a point (W and H 0) or a rectangle,
// in the plan's coordinates.
type PlanRoom struct {
	RoomID int64   `json:"room_id"`
	Room   string  `json:"room"` // the room's name
	X      float64 `json:"x"`
	Y      float64 `json:"y"`
	W      float64 `json:"w"`
	H      float64 `json:"h"`
}

// IsPoint reports whether the mark is a point rather than a rectangle.
func (m PlanRoom) IsPoint() bool { return m.W <= 0 || m.H <= 0 }

// PlanContentType is the MIME type a plan of format f is served as.
func PlanContentType(f string) string {
	switch f {
	case PlanSVG:
		return "image/svg+xml"
	case PlanPNG:
		return "image/png"
	case PlanJPEG:
		return "image/jpeg"
	case PlanWebP:
		return "image/webp"
	}
	return "application/octet-stream"
}

// ShuttleRoute is a shuttle line between venues: buses leave the first
// stop every Every minutes from First to Last (times of day in the
// event's zone) on each of Days, and call at the stops in order. A loop
// lists its first venue again at the end.
type ShuttleRoute struct {
	ID    int64         `json:"id"`
	Name  string        `json:"name"`
	Stops []ShuttleStop `json:"stops"`
	Every int           `json:"every_minutes"`
	Days  []ShuttleDay  `json:"days"`
}

// ShuttleStop is a venue on a route, and the ride to it from the stop
// before (0 for the first stop).
type ShuttleStop struct {
	Venue       string `json:"venue"` // venue code
	RideMinutes int    `json:"ride_minutes"`
}

// ShuttleDay is one day of service: the first and last departures from
// the route's first stop, "HH:MM" in the event's zone. A Last earlier
// than First runs past midnight.
type ShuttleDay struct {
	Date  string `json:"date"` // YYYY-MM-DD
	First string `json:"first"`
	Last  string `json:"last"`
}
