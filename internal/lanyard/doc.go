// Package lanyard holds the domain of the conference platform: events, venues,
// rooms, sessions, attendees and the errors every other package speaks.
//
// It imports only the standard library. Adapters (store, api, importer) import
// it; it imports none of them.
package lanyard
