// Package reserve is the reservation engine: the one writer of an event's
// seat state.
//
// An Engine keeps the seats, reservations, waitlists and door admissions of
// one event in memory and applies every seat-changing command in order, in
// a single goroutine, so the rules (capacity, overlaps, repeat groups,
// limits, windows) are checked against a state no one else changes. It
// persists the effects of many commands in one transaction (group commit)
// and answers a command only after its batch has committed. If a commit
// fails, the in-memory state is rebuilt from the store — exactly the
// effects of the batch are undone — and every command of the batch fails.
//
// The store is a second line: its constraints refuse more active
// reservations than reservable seats and two active reservations of one
// attendee for one session, whatever the engine does.
package reserve
