// Package message turns a lanyard.Message into words: a subject, a plain
// text and an HTML mail, and the one line the app's notifications show. It
// is the one place that does, so mail and the app say the same thing.
//
// Each kind (lanyard.Kind*) has a typed params struct here (PromotedParams,
// WaveParams, ...) that writers encode into the row with Encode and Render
// decodes. Templates are embedded, one set per kind and language (English
// and Korean); a test checks every kind has both.
//
// Times in params are UTC instants; Render writes them in the venue's zone
// and, when it differs, the attendee's home zone, both named in the params
// (VenueZone, HomeZone) so rendering needs no database.
//
// Links: params hold site paths ("/agenda") or, for links only their
// writer can make (a set-password token), absolute URLs. Renderer.BaseURL,
// the configured public URL, makes paths absolute for mail; the app passes
// "" and keeps them as paths.
package message
