// Package floorplan reads the floor plans organizers upload for a venue:
// an SVG drawing or a PNG, JPEG or WebP image, told apart by content.
//
// An SVG is a document that can carry script, so an uploaded one is never
// stored as sent: Sanitize parses it with encoding/xml and writes back only
// an allow-list of drawing elements and attributes (no script,
// foreignObject, style sheets, event handlers, links, external references,
// entities or DTDs). The pages also serve it only as an <img> source with
// a Content-Security-Policy that forbids script (see ServeHeaders), so a
// gap in one defence is covered by the other.
package floorplan
