// Package importer reads conference catalogs into a lanyard.Catalog: lanyard's
// own JSON and CSV, the open frab/pentabarf schedule.xml and C3VOC
// schedule.json that pretalx, frab and FOSDEM publish, and the re:Invent
// catalog scrapes.
//
// Real exports are messy. A reader imports what it can trust and reports, per
// record and field, what it skipped or doubted. A file that cannot be read as
// its format at all (bad syntax, wrong shape, or any error in lanyard's own
// strict formats) fails as a whole with an *Error naming every problem, so the
// caller imports nothing.
package importer
