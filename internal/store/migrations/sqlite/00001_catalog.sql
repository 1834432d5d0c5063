-- +goose Up
-- Instants are TIMESTAMP values written in UTC; lists (topics, speakers,
-- certifications) are JSON text, read and written whole.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    time_zone   TEXT    NOT NULL,
    start_date  TEXT    NOT NULL,
    days        INTEGER NOT NULL CHECK (days BETWEEN 1 AND 60)
);

CREATE TABLE venues (
    id        INTEGER PRIMARY KEY,
    event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    code      TEXT    NOT NULL,
    name      TEXT    NOT NULL,
    UNIQUE (event_id, code)
);

CREATE TABLE rooms (
    id        INTEGER PRIMARY KEY,
    venue_id  INTEGER NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    name      TEXT    NOT NULL,
    capacity  INTEGER NOT NULL CHECK (capacity >= 0),
    UNIQUE (venue_id, name)
);

CREATE TABLE travel_times (
    from_venue_id    INTEGER NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    to_venue_id      INTEGER NOT NULL REFERENCES venues (id) ON DELETE CASCADE,
    walk_minutes     INTEGER NOT NULL CHECK (walk_minutes >= 0),
    shuttle_minutes  INTEGER NOT NULL CHECK (shuttle_minutes >= 0),
    PRIMARY KEY (from_venue_id, to_venue_id)
);

CREATE TABLE sessions (
    id                 INTEGER PRIMARY KEY,
    event_id           INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    code               TEXT    NOT NULL,
    title              TEXT    NOT NULL,
    abstract           TEXT    NOT NULL,
    type               TEXT    NOT NULL,
    level              INTEGER NOT NULL CHECK (level IN (0, 100, 200, 300, 400)),
    topics             TEXT    NOT NULL,
    speakers           TEXT    NOT NULL,
    room_id            INTEGER REFERENCES rooms (id) ON DELETE SET NULL,
    starts_at          TIMESTAMP,
    ends_at            TIMESTAMP,
    capacity_override  INTEGER NOT NULL CHECK (capacity_override >= 0),
    repeat_group       TEXT    NOT NULL,
    reservable         BOOLEAN NOT NULL,
    UNIQUE (event_id, code),
    CHECK ((starts_at IS NULL) = (ends_at IS NULL)),
    CHECK (ends_at > starts_at)
);
CREATE INDEX sessions_event_start ON sessions (event_id, starts_at);

CREATE TABLE attendees (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    email           TEXT    NOT NULL,
    company         TEXT    NOT NULL,
    job_title       TEXT    NOT NULL,
    home_zone       TEXT    NOT NULL,
    certifications  TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('attendee', 'staff', 'exhibitor', 'organizer')),
    created_at      TIMESTAMP NOT NULL,
    UNIQUE (event_id, email)
);

-- API tokens are stored as SHA-256 hashes: a leaked table grants nothing.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    attendee_id  INTEGER NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
    token_hash   BLOB    NOT NULL UNIQUE,
    name         TEXT    NOT NULL,
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX api_tokens_attendee ON api_tokens (attendee_id);

-- +goose Down
DROP TABLE api_tokens;
DROP TABLE attendees;
DROP TABLE sessions;
DROP TABLE travel_times;
DROP TABLE rooms;
DROP TABLE venues;
DROP TABLE events;
