// Package plan turns an attendee's agenda into what the "My agenda" page
// shows — sessions grouped by civil day in the event's zone, the free time
// between them, and warnings — and answers the catalog's "fits my agenda"
// facet.
//
// It is pure domain logic: no I/O, no HTTP, no database. Only held seats
// count toward gaps and warnings. Waitlisted sessions and markers (keynotes,
// the expo opening, parties: fixed items shown but not reserved) appear on
// the agenda but are not where the attendee is committed to be, so they
// neither block a session nor need travel time.
//
// Gaps and travel follow the reservation engine's rule (reserve's travel
// warnings): the session before is the held session that ends last at or
// before a start, on the same day; walking wins a tie with the shuttle; an
// unknown venue or a pair missing from the travel matrix needs no time.
package plan
