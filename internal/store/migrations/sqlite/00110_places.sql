-- +goose Up
-- Places with a door that are not sessions (issue 13): lounges, the expo
-- entrance, parties. The engine is their one writer (its batches upsert
-- them whole); inside counts who is in now and moves by the rows of
-- place_inside the same transaction writes, and a batch may raise it only
-- while it stays within capacity (a checked update: the second line).
CREATE TABLE places (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    code         TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('lounge', 'expo', 'party')),
    venue        TEXT    NOT NULL DEFAULT '',
    room         TEXT    NOT NULL DEFAULT '',
    capacity     INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    entitlement  TEXT    NOT NULL DEFAULT '',
    opens_at     TIMESTAMP,
    closes_at    TIMESTAMP,
    inside       INTEGER NOT NULL DEFAULT 0 CHECK (inside >= 0),
    UNIQUE (event_id, code)
);

-- Who is inside a place now: one row per attendee, inserted at an entry
-- and deleted at the exit (the history is place_scans).
CREATE TABLE place_inside (
    event_id     INTEGER NOT NULL,
    place        TEXT    NOT NULL,
    attendee_id  INTEGER NOT NULL,
    batch_id     INTEGER NOT NULL,
    PRIMARY KEY (event_id, place, attendee_id),
    FOREIGN KEY (event_id, place) REFERENCES places (event_id, code) ON DELETE CASCADE
) WITHOUT ROWID;

-- Every acknowledged entry and exit, in the order of the reservation log
-- (seq is the log's).
CREATE TABLE place_scans (
    event_id     INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    place        TEXT    NOT NULL,
    attendee_id  INTEGER NOT NULL,
    dir          TEXT    NOT NULL CHECK (dir IN ('in', 'out')),
    staff_id     INTEGER,
    batch_id     INTEGER NOT NULL,
    at           TIMESTAMP NOT NULL,
    PRIMARY KEY (event_id, seq),
    FOREIGN KEY (event_id, place) REFERENCES places (event_id, code) ON DELETE CASCADE
);

-- An attendee's certification validation number and the organizer's
-- decision on it: a verified one is the "certified" entitlement.
CREATE TABLE certifications (
    attendee_id   INTEGER PRIMARY KEY REFERENCES attendees (id) ON DELETE CASCADE,
    event_id      INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    number        TEXT    NOT NULL DEFAULT '',
    state         TEXT    NOT NULL CHECK (state IN ('pending', 'verified', 'rejected')),
    submitted_at  TIMESTAMP NOT NULL,
    decided_at    TIMESTAMP,
    decided_by    INTEGER,
    source        TEXT    NOT NULL DEFAULT 'attendee'
);
CREATE INDEX certifications_event ON certifications (event_id, state);
CREATE INDEX certifications_number ON certifications (event_id, number);

-- Invite lists of partner lounges, by email: an attendee registered with
-- one of them holds the entitlement "invite:<list>".
CREATE TABLE place_invites (
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    list      TEXT    NOT NULL,
    email     TEXT    NOT NULL,
    PRIMARY KEY (event_id, list, email)
);

-- +goose Down
DROP TABLE place_invites;
DROP TABLE certifications;
DROP TABLE place_scans;
DROP TABLE place_inside;
DROP TABLE places;
