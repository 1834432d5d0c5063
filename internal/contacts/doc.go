// Package contacts serves contact exchange between attendees and their
// follow-up (issue 14): a personal QR code on the phone (/contacts/qr, the
// badge's signed token inside a link to the scan page), a scan page
// (/contacts/scan: a typed or scanned code, queued on the phone when
// offline and uploaded later, idempotent by the scan's nonce), and My
// contacts (/contacts): the other's card with only what they chose to
// share, where and when the two met, the owner's notes, tags, follow-up
// date and stage, a reminder mail on the follow-up date once the event is
// over, and exports as vCard 4.0 and CSV.
//
// It renders its own templates over web.Shell, like internal/desk. Every
// route needs a signed-in person and reads only their own contacts: the
// store's queries carry the owner, so another's contact is not found.
package contacts
