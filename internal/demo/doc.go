// Package demo generates a realistic re:Invent-scale event: six venues on the
// Las Vegas Strip with their rooms and travel times, about 3,000 sessions over
// five days, the expo's hours and the parties (which take no reservations),
// any number of attendees, and how much demand each session draws.
// The demo server, the registration-rush load test and benchmarks use it, so
// nobody needs real data to click through lanyard.
//
// Generation is deterministic: the same Options always give the same Event,
// so a test, a benchmark and a bug report can name a seed and mean one
// conference. People, companies and speakers are invented; venue and room
// names follow the real campus.
package demo
