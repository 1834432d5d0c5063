// Package badge prints conference badges: a 4×6 inch PDF page per attendee
// with a photo (or initials), name, company, attendee type and a signed QR
// code that door scanners, expo booths and contact exchange read back with
// Keyring.Verify.
//
// A token is short on purpose. Its bytes are
//
//	[key ID 1B][uvarint event ID][uvarint attendee ID][version 2B][HMAC-SHA256, first 10 bytes]
//
// written as "LY1" and unpadded upper-case base32, which QR alphanumeric
// mode stores at 5.5 bits a character. For event IDs below 2,097,152 and
// attendee IDs below 268,435,456 a token is at most 35 characters, which is
// a version 3 QR code at error correction Q, and even at H (29×29 modules).
//
// Text is set in fonts embedded in the binary (see fonts/): DejaVu Sans Bold
// for Latin, Greek and Cyrillic, NanumSquare Bold for Korean, and Droid Sans
// Fallback for Chinese and Japanese characters NanumSquare lacks. Nothing is
// read from the file system at run time.
package badge
