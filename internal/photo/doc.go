// Package photo processes an attendee's badge photo upload: it refuses what
// is not a photo or would cost too much to decode, turns the photo upright,
// crops it to the badge's 3:4 portrait, stores it as a plain 600×800 JPEG
// without any metadata, and says what is wrong with it (too dark, too
// bright, flat, too small) so the attendee can retake it before the badge
// is printed.
//
// The format is decided by the file's content, never by its name or the
// Content-Type the browser sent. JPEG, PNG and WebP are read; everything
// else (GIF, HEIC, TIFF, PDF, …) is refused with a message that says so.
//
// Limits are checked cheapest first, so that a hostile upload is refused
// before it costs anything: at most MaxBytes+1 bytes are read, then the
// image header gives the pixel count, and only then are pixels decoded.
// A small file claiming 50000×50000 pixels (a "decompression bomb") is
// therefore refused without allocating its size.
package photo
