// Package schedule exports a lanyard catalog in the two open schedule formats
// that offline schedule apps read (Giggity, ConfClerk, EventFahrplan, the
// FOSDEM companion apps): the frab/pentabarf schedule.xml and the C3VOC
// schedule.json.
//
// Both writers produce files that validate against the C3VOC schemas (the XSD
// and the JSON schema of the voc/schedule repository). The export is
// deterministic: the same catalog gives the same bytes, and every room and
// session keeps the same guid from one export to the next, so apps keep a
// person's starred sessions when the schedule changes.
//
// An export names lanyard as its generator and links each session to
// BaseURL + "/sessions/" + code; the importer reads the codes back from
// there, so an exported schedule imports again as the same sessions.
package schedule
