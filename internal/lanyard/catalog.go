package lanyard

// Catalog is everything an import brings in one piece: the event, its venues
// with rooms, the travel-time matrix and the sessions. Sessions name their
// room by venue code and room name; the store resolves them.
type Catalog struct {
	Event    Event        `json:"event"`
	Venues   []Venue      `json:"venues"`
	Travel   []TravelTime `json:"travel_times"`
	Sessions []Session    `json:"sessions"`
}
