-- +goose Up
-- The expo's base (issue 14): exhibitors and their staff, the attendee's
-- consent to share card fields, and the organizer's cap on what
-- exhibitors may ever see. Booths on the map, leads, swag, contacts,
-- meetups and parties build on these in later migrations.
CREATE TABLE exhibitors (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER  NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    code        TEXT  NOT NULL,
    name        TEXT  NOT NULL,
    booth       TEXT  NOT NULL DEFAULT '',
    description TEXT  NOT NULL DEFAULT '',
    categories  TEXT  NOT NULL DEFAULT '', -- comma-separated
    website     TEXT  NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    UNIQUE (event_id, code)
);

-- An exhibitor's staff: attendees with the exhibitor role. One company each.
CREATE TABLE exhibitor_staff (
    attendee_id  INTEGER NOT NULL PRIMARY KEY REFERENCES attendees (id) ON DELETE CASCADE,
    exhibitor_id INTEGER NOT NULL REFERENCES exhibitors (id) ON DELETE CASCADE
);
CREATE INDEX exhibitor_staff_exhibitor ON exhibitor_staff (exhibitor_id);

-- What a scan of an attendee's badge or personal QR shares (fields is a
-- comma-separated subset of company,title,email,phone,linkedin), their
-- phone and LinkedIn (only ever given through a card), whether an
-- exchange is two-way, and whether they want "people to meet". No row:
-- the defaults (company and title, two-way, not opted in).
CREATE TABLE attendee_sharing (
    attendee_id INTEGER NOT NULL PRIMARY KEY REFERENCES attendees (id) ON DELETE CASCADE,
    fields      TEXT NOT NULL,
    phone       TEXT NOT NULL DEFAULT '',
    linkedin    TEXT NOT NULL DEFAULT '',
    exchange    TEXT NOT NULL DEFAULT 'two_way' CHECK (exchange IN ('two_way', 'one_way')),
    meet_opt_in INTEGER NOT NULL DEFAULT 0,
    updated_at  TIMESTAMP NOT NULL
);

-- The organizer's cap: the card fields exhibitors may ever see
-- (comma-separated). No row: company and title.
CREATE TABLE expo_settings (
    event_id         INTEGER NOT NULL PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
    exhibitor_fields TEXT NOT NULL
);

-- Forward only: no Down (shipped migrations are never undone or edited).
