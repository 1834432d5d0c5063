-- +goose Up
-- Parties and dinners (issue 14): hosted by the organizers or by an
-- exhibitor, open to RSVP or by invitation, with a capacity the database
-- holds (going never passes capacity), dietary needs and seat-me-with
-- requests, and a dinner's seating plan.
CREATE TABLE parties (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    code         TEXT NOT NULL,
    title        TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('party', 'dinner')),
    exhibitor_id INTEGER REFERENCES exhibitors (id) ON DELETE CASCADE, -- NULL: the organizers host
    location     TEXT NOT NULL DEFAULT '',
    starts_at    TIMESTAMP NOT NULL,
    invite_only  INTEGER NOT NULL DEFAULT 0,
    capacity     INTEGER NOT NULL CHECK (capacity > 0),
    going        INTEGER NOT NULL DEFAULT 0,
    table_size   INTEGER NOT NULL DEFAULT 0 CHECK (table_size >= 0),
    seated_at    TIMESTAMP,
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (event_id, code),
    -- The second lock: an RSVP's checked update refuses a full party; this
    -- refuses any write that would put more guests than seats.
    CHECK (going >= 0 AND going <= capacity)
);

-- An invitation list, by email (lowercase): who may RSVP to an
-- invite-only party.
CREATE TABLE party_invites (
    party_id INTEGER NOT NULL REFERENCES parties (id) ON DELETE CASCADE,
    email    TEXT NOT NULL,
    PRIMARY KEY (party_id, email)
);

-- Who is going: dietary needs, the languages they are happy to talk in at
-- a table (comma-separated), and seat-me-with (attendee IDs,
-- comma-separated).
CREATE TABLE party_rsvps (
    party_id    INTEGER NOT NULL REFERENCES parties (id) ON DELETE CASCADE,
    attendee_id INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    dietary     TEXT NOT NULL DEFAULT '',
    languages   TEXT NOT NULL DEFAULT '',
    seat_with   TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (party_id, attendee_id)
);
CREATE INDEX party_rsvps_attendee ON party_rsvps (attendee_id);

-- A dinner's seating: one row per guest, tables numbered from 1.
CREATE TABLE party_seats (
    party_id    INTEGER NOT NULL,
    attendee_id INTEGER NOT NULL,
    table_no    INTEGER NOT NULL CHECK (table_no >= 1),
    PRIMARY KEY (party_id, attendee_id),
    FOREIGN KEY (party_id, attendee_id) REFERENCES party_rsvps (party_id, attendee_id) ON DELETE CASCADE
);

-- Forward only: no Down (shipped migrations are never undone or edited).
